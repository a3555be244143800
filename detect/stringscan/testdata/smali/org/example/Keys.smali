.class public Lorg/example/Keys;
.super Ljava/lang/Object;

# Three hex strings handed to an SDK as its key and secret: no watchlist.
.method public static init(Landroid/content/Context;)V
    .registers 5
    new-instance v0, Lcom/example/sdk/Client;
    const-string v1, "4A632E6DC2B44CDC16B026342F188806"
    const-string v2, "6F12ECA4967BE3C8B221D9037BC4E0E7"
    invoke-direct {v0, p0, v1, v2}, Lcom/example/sdk/Client;-><init>(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;)V
    new-instance v0, Lcom/example/sdk/Client;
    const-string v3, "84B0E586F70BB0F4DEF290D7EE61720D"
    invoke-direct {v0, p0, v3, v2}, Lcom/example/sdk/Client;-><init>(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;)V
    return-void
.end method

# Three hashes kept in a set to check files against: a watchlist.
.method public static bad()Ljava/util/Set;
    .registers 3
    new-instance v0, Ljava/util/HashSet;
    invoke-direct {v0}, Ljava/util/HashSet;-><init>()V
    const-string v1, "d9a06c49d9d95a175715e834b1fc8770"
    invoke-interface {v0, v1}, Ljava/util/Set;->add(Ljava/lang/Object;)Z
    const-string v1, "ebf431b2edfdb3ca662cd4f5d1106975"
    invoke-interface {v0, v1}, Ljava/util/Set;->add(Ljava/lang/Object;)Z
    const-string v1, "fb03623984c0c3861d737e7953f386f1"
    invoke-interface {v0, v1}, Ljava/util/Set;->add(Ljava/lang/Object;)Z
    return-object v0
.end method

# Compares an intent's action with the boot broadcast.
.method public static boot(Landroid/content/Intent;)Z
    .registers 3
    invoke-virtual {p0}, Landroid/content/Intent;->getAction()Ljava/lang/String;
    move-result-object v0
    const-string v1, "android.intent.action.BOOT_COMPLETED"
    invoke-virtual {v1, v0}, Ljava/lang/String;->equals(Ljava/lang/Object;)Z
    move-result v0
    return v0
.end method
