.class public final Lorg/appxray/test/parity/Bootstrap;
.super Ljava/lang/Object;
.source "Bootstrap.java"

# Bootstrap methods for the call sites in InvokeForms: bind the name to a static
# method of InvokeForms with the call site's type.

.method public static bootstrap(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;
    .registers 6
    const-class v0, Lorg/appxray/test/parity/InvokeForms;
    const-string v1, "add"
    invoke-virtual {p1, v1}, Ljava/lang/String;->equals(Ljava/lang/Object;)Z
    move-result v1
    if-eqz v1, :sum
    const-string v1, "add2"
    goto :find
    :sum
    const-string v1, "sum6"
    :find
    invoke-virtual {p0, v0, v1, p2}, Ljava/lang/invoke/MethodHandles$Lookup;->findStatic(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;
    move-result-object v0
    new-instance v1, Ljava/lang/invoke/ConstantCallSite;
    invoke-direct {v1, v0}, Ljava/lang/invoke/ConstantCallSite;-><init>(Ljava/lang/invoke/MethodHandle;)V
    return-object v1
.end method

.method public static bootstrapExtra(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/String;IDLjava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;)Ljava/lang/invoke/CallSite;
    .registers 10
    new-instance v0, Ljava/lang/invoke/ConstantCallSite;
    invoke-direct {v0, p8}, Ljava/lang/invoke/ConstantCallSite;-><init>(Ljava/lang/invoke/MethodHandle;)V
    return-object v0
.end method
