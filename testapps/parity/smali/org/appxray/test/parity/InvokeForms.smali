.class public Lorg/appxray/test/parity/InvokeForms;
.super Lorg/appxray/test/parity/Base;
.source "InvokeForms.java"

# implemented interfaces
.implements Lorg/appxray/test/parity/Iface;

# Every invoke form of DEX 039: the five kinds, their /range forms, invoke-polymorphic
# (and /range) and invoke-custom (and /range), plus const-method-handle and
# const-method-type. Six-argument targets force genuine /range encodings.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Lorg/appxray/test/parity/Base;-><init>()V
    return-void
.end method

.method public static add2(II)I
    .registers 3
    add-int v0, p0, p1
    return v0
.end method

.method public static sum6(IIIIII)I
    .registers 7
    add-int v0, p0, p1
    add-int/2addr v0, p2
    add-int/2addr v0, p3
    add-int/2addr v0, p4
    add-int/2addr v0, p5
    return v0
.end method

.method private direct6(IIIIII)I
    .registers 8
    invoke-static/range {p1 .. p6}, Lorg/appxray/test/parity/InvokeForms;->sum6(IIIIII)I
    move-result v0
    return v0
.end method

.method private helper()V
    .registers 1
    return-void
.end method

.method public static staticHelper()V
    .registers 0
    return-void
.end method

.method public virtual6(IIIIII)I
    .registers 8
    invoke-static/range {p1 .. p6}, Lorg/appxray/test/parity/InvokeForms;->sum6(IIIIII)I
    move-result v0
    return v0
.end method

.method public iface6(IIIIII)I
    .registers 8
    invoke-static/range {p1 .. p6}, Lorg/appxray/test/parity/InvokeForms;->sum6(IIIIII)I
    move-result v0
    return v0
.end method

.method public callAll()I
    .registers 16
    # the five plain forms
    invoke-virtual {p0}, Ljava/lang/Object;->toString()Ljava/lang/String;
    invoke-super {p0}, Lorg/appxray/test/parity/Base;->hashCode()I
    invoke-direct {p0}, Lorg/appxray/test/parity/InvokeForms;->helper()V
    invoke-static {}, Lorg/appxray/test/parity/InvokeForms;->staticHelper()V
    invoke-interface {p0}, Lorg/appxray/test/parity/Iface;->ping()V

    # the five /range forms, this in v0 and six ints in v1..v6
    move-object v0, p0
    const/4 v1, 0x1
    const/4 v2, 0x2
    const/4 v3, 0x3
    const/4 v4, 0x4
    const/4 v5, 0x5
    const/4 v6, 0x6
    invoke-virtual/range {v0 .. v6}, Lorg/appxray/test/parity/InvokeForms;->virtual6(IIIIII)I
    invoke-super/range {v0 .. v6}, Lorg/appxray/test/parity/Base;->virtual6(IIIIII)I
    invoke-direct/range {v0 .. v6}, Lorg/appxray/test/parity/InvokeForms;->direct6(IIIIII)I
    invoke-static/range {v1 .. v6}, Lorg/appxray/test/parity/InvokeForms;->sum6(IIIIII)I
    invoke-interface/range {v0 .. v6}, Lorg/appxray/test/parity/Iface;->iface6(IIIIII)I

    # a /range form with a single register, as some compilers emit
    invoke-virtual/range {p0 .. p0}, Ljava/lang/Object;->getClass()Ljava/lang/Class;

    # method handles and types
    const-method-handle v7, invoke-static@Lorg/appxray/test/parity/InvokeForms;->add2(II)I
    const-method-type v8, (II)I
    invoke-polymorphic {v7, v1, v2}, Ljava/lang/invoke/MethodHandle;->invokeExact([Ljava/lang/Object;)Ljava/lang/Object;, (II)I
    move-result v9
    invoke-polymorphic {v7, v1, v2}, Ljava/lang/invoke/MethodHandle;->invoke([Ljava/lang/Object;)Ljava/lang/Object;, (II)I
    move-result v9

    const-method-handle v0, invoke-static@Lorg/appxray/test/parity/InvokeForms;->sum6(IIIIII)I
    invoke-polymorphic/range {v0 .. v6}, Ljava/lang/invoke/MethodHandle;->invokeExact([Ljava/lang/Object;)Ljava/lang/Object;, (IIIIII)I
    move-result v9

    # call sites: plain, with extra bootstrap arguments, and /range
    invoke-custom {v1, v2}, call_site_0("add", (II)I)@Lorg/appxray/test/parity/Bootstrap;->bootstrap(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;
    move-result v9
    invoke-custom {v1, v2}, call_site_1("add", (II)I, "extra", 7, 2.5, (II)I, invoke-static@Lorg/appxray/test/parity/InvokeForms;->add2(II)I)@Lorg/appxray/test/parity/Bootstrap;->bootstrapExtra(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/String;IDLjava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;)Ljava/lang/invoke/CallSite;
    move-result v9
    invoke-custom/range {v1 .. v6}, call_site_2("sum6", (IIIIII)I)@Lorg/appxray/test/parity/Bootstrap;->bootstrap(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;
    move-result v9
    return v9
.end method
