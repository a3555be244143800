.class public final Lorg/appxray/test/flows/PairFlow;
.super Ljava/lang/Object;

# The accounts are the "a" of a first pair, written to pair.txt (medium, via
# the field). A second pair's "a" (a constant) and the first pair's "b" (a
# constant) are logged: neither is the accounts.

.method public static run(Landroid/accounts/AccountManager;)V
    .registers 5
    invoke-virtual {p0}, Landroid/accounts/AccountManager;->getAccounts()[Landroid/accounts/Account;
    move-result-object v0
    new-instance v1, Lorg/appxray/test/flows/Pair;
    invoke-direct {v1}, Lorg/appxray/test/flows/Pair;-><init>()V
    invoke-virtual {v1, v0}, Lorg/appxray/test/flows/Pair;->setA(Ljava/lang/Object;)V
    const-string v2, "x"
    invoke-virtual {v1, v2}, Lorg/appxray/test/flows/Pair;->setB(Ljava/lang/Object;)V
    new-instance v2, Lorg/appxray/test/flows/Pair;
    invoke-direct {v2}, Lorg/appxray/test/flows/Pair;-><init>()V
    const-string v3, "y"
    invoke-virtual {v2, v3}, Lorg/appxray/test/flows/Pair;->setA(Ljava/lang/Object;)V
    invoke-virtual {v2}, Lorg/appxray/test/flows/Pair;->getA()Ljava/lang/Object;
    move-result-object v3
    invoke-static {v3}, Ljava/lang/String;->valueOf(Ljava/lang/Object;)Ljava/lang/String;
    move-result-object v3
    const-string v0, "pair"
    invoke-static {v0, v3}, Landroid/util/Log;->i(Ljava/lang/String;Ljava/lang/String;)I
    invoke-virtual {v1}, Lorg/appxray/test/flows/Pair;->getB()Ljava/lang/Object;
    move-result-object v3
    invoke-static {v3}, Ljava/lang/String;->valueOf(Ljava/lang/Object;)Ljava/lang/String;
    move-result-object v3
    invoke-static {v0, v3}, Landroid/util/Log;->w(Ljava/lang/String;Ljava/lang/String;)I
    invoke-virtual {v1}, Lorg/appxray/test/flows/Pair;->getA()Ljava/lang/Object;
    move-result-object v3
    invoke-static {v3}, Ljava/lang/String;->valueOf(Ljava/lang/Object;)Ljava/lang/String;
    move-result-object v3
    new-instance v0, Ljava/io/FileWriter;
    const-string v2, "pair.txt"
    invoke-direct {v0, v2}, Ljava/io/FileWriter;-><init>(Ljava/lang/String;)V
    invoke-virtual {v0, v3}, Ljava/io/Writer;->write(Ljava/lang/String;)V
    return-void
.end method
