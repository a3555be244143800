.class public final Lorg/appxray/test/parity/Payloads;
.super Ljava/lang/Object;
.source "Payloads.java"

# Switch and array-data payloads placed in the middle of methods, with more code after
# them, so a bytecode walk must step over payloads rather than stop or decode them.

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static classify(I)I
    .registers 5
    packed-switch p0, :packed_data
    const/4 v0, -0x1
    goto :after_packed

    :case0
    const/4 v0, 0x0
    goto :after_packed

    :case1
    const/4 v0, 0x1
    goto :after_packed

    :case2
    const-string v1, "case two"
    const/4 v0, 0x2
    goto :after_packed

    :packed_data
    .packed-switch -0x1
        :case0
        :case1
        :case2
    .end packed-switch

    :after_packed
    sparse-switch v0, :sparse_data
    goto :after_sparse

    :sa
    add-int/lit8 v0, v0, 0x10
    goto :after_sparse

    :sb
    add-int/lit16 v0, v0, 0x1000
    goto :after_sparse

    :sparse_data
    .sparse-switch
        -0x80000000 -> :sa
        -0x1 -> :sb
        0x2 -> :sa
        0x7fffffff -> :sb
    .end sparse-switch

    :after_sparse
    const/4 v1, 0x4
    new-array v1, v1, [I
    fill-array-data v1, :int_data
    goto :after_ints

    :int_data
    .array-data 4
        0x1
        0x2
        -0x1
        0x7fffffff
    .end array-data

    :after_ints
    const/4 v2, 0x0
    aget v3, v1, v2
    add-int/2addr v0, v3
    const-string v2, "after the payloads"
    invoke-static {v2}, Ljava/lang/String;->valueOf(Ljava/lang/Object;)Ljava/lang/String;
    return v0
.end method

# Array payloads of every element width (1, 2, 4 and 8 bytes), an odd-length byte
# payload (padded), and a one-entry packed switch and an empty sparse switch.
.method public static arrays(I)[J
    .registers 6
    const/4 v0, 0x3
    new-array v0, v0, [B
    fill-array-data v0, :bytes
    goto :b_done
    :bytes
    .array-data 1
        0x1t
        -0x80t
        0x7ft
    .end array-data
    :b_done

    const/4 v0, 0x2
    new-array v0, v0, [C
    fill-array-data v0, :chars
    goto :c_done
    :chars
    .array-data 2
        0x41s
        0x4e2ds
    .end array-data
    :c_done

    const/4 v0, 0x2
    new-array v0, v0, [F
    fill-array-data v0, :floats
    goto :f_done
    :floats
    .array-data 4
        1.5f
        -0.0f
    .end array-data
    :f_done

    const/4 v0, 0x2
    new-array v0, v0, [D
    fill-array-data v0, :doubles
    goto :d_done
    :doubles
    .array-data 8
        3.141592653589793
        -1.0
    .end array-data
    :d_done

    packed-switch p0, :one_case
    goto :one_done
    :only
    const/4 v1, 0x1
    :one_done
    sparse-switch p0, :no_cases
    const/4 v0, 0x2
    new-array v0, v0, [J
    fill-array-data v0, :longs
    return-object v0

    :one_case
    .packed-switch 0x7
        :only
    .end packed-switch

    :no_cases
    .sparse-switch
    .end sparse-switch

    :longs
    .array-data 8
        0x123456789abcdefL
        -0x8000000000000000L
    .end array-data
.end method

.method public static filled(IIIIII)[I
    .registers 7
    filled-new-array {p0, p1, p2}, [I
    move-result-object v0
    filled-new-array/range {p0 .. p5}, [I
    move-result-object v0
    return-object v0
.end method
