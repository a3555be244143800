.class public Lorg/appxray/test/parity/Annotated;
.super Ljava/lang/Object;
.source "Annotated.java"

# Annotations on a class, a field, a method and a parameter, with values of every
# encoded-value kind; debug info (.line, .local, .param); try/catch with a catch-all.

.annotation runtime Lorg/appxray/test/parity/Marker;
    name = "class level"
    count = 0x3
    b = 0x1t
    s = 0x2s
    c = 'c'
    j = 0x7fffffffffffffffL
    f = 0.25f
    d = 1.0E100
    z = false
    flags = {
        0x1,
        0x2,
        0x4
    }
    policy = .enum Ljava/lang/annotation/RetentionPolicy;->CLASS:Ljava/lang/annotation/RetentionPolicy;
    type = Ljava/lang/String;
    method = Ljava/lang/Object;->toString()Ljava/lang/String;
    field = Lorg/appxray/test/parity/Fields;->I:I
    nested = .subannotation Lorg/appxray/test/parity/Marker;
        name = "inner"
        count = 0x0
    .end subannotation
    nothing = null
    empty = {}
.end annotation

.field public annotatedField:I
    .annotation runtime Lorg/appxray/test/parity/Marker;
        name = "field level"
    .end annotation
.end field

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public guarded(Ljava/lang/String;I)I
    .registers 6
    .param p1, "text"    # Ljava/lang/String;
        .annotation runtime Lorg/appxray/test/parity/Marker;
            name = "parameter level"
        .end annotation
    .end param
    .param p2, "radix"    # I
    .annotation runtime Lorg/appxray/test/parity/Marker;
        name = "method level"
    .end annotation

    .prologue
    .line 10
    const/4 v0, -0x1
    .local v0, "result":I

    :try_start
    .line 12
    invoke-static {p1, p2}, Ljava/lang/Integer;->parseInt(Ljava/lang/String;I)I
    move-result v0
    monitor-enter p0
    monitor-exit p0
    :try_end
    .catch Ljava/lang/NumberFormatException; {:try_start .. :try_end} :bad_number
    .catchall {:try_start .. :try_end} :any

    .line 14
    :done
    return v0

    :bad_number
    move-exception v1
    .local v1, "e":Ljava/lang/NumberFormatException;
    const/4 v0, 0x0
    goto :done

    :any
    move-exception v1
    throw v1
.end method
