.class public Lorg/example/rules/Net;
.super Landroid/app/Activity;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

# The server it opens.
.method public open()V
    .registers 3
    new-instance v0, Ljava/net/URL;
    const-string v1, "http://c2.example.net/gate.php"
    invoke-direct {v0, v1}, Ljava/net/URL;-><init>(Ljava/lang/String;)V
    invoke-virtual {v0}, Ljava/net/URL;->openConnection()Ljava/net/URLConnection;
    return-void
.end method

# A link shown in the browser.
.method public help()V
    .registers 4
    new-instance v0, Landroid/content/Intent;
    const-string v1, "android.intent.action.VIEW"
    const-string v2, "http://help.example.net/faq.html"
    invoke-static {v2}, Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;
    move-result-object v2
    invoke-direct {v0, v1, v2}, Landroid/content/Intent;-><init>(Ljava/lang/String;Landroid/net/Uri;)V
    invoke-virtual {p0, v0}, Lorg/example/rules/Net;->startActivity(Landroid/content/Intent;)V
    return-void
.end method

# http:// plus a host computed at run time, handed to a helper that opens it.
.method public built(Ljava/lang/String;)V
    .registers 4
    new-instance v0, Ljava/lang/StringBuilder;
    const-string v1, "http://"
    invoke-direct {v0, v1}, Ljava/lang/StringBuilder;-><init>(Ljava/lang/String;)V
    invoke-virtual {v0, p1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    move-result-object v0
    const-string v1, ":8118/push/"
    invoke-virtual {v0, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    move-result-object v0
    invoke-virtual {v0}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v2
    invoke-static {v2}, Lorg/example/rules/Net;->fetch(Ljava/lang/String;)V
    return-void
.end method

.method public static fetch(Ljava/lang/String;)V
    .registers 2
    new-instance v0, Lorg/apache/http/client/methods/HttpGet;
    invoke-direct {v0, p0}, Lorg/apache/http/client/methods/HttpGet;-><init>(Ljava/lang/String;)V
    return-void
.end method

# Prose that mentions a URL, and a marker that is no host.
.method public text()V
    .registers 3
    const-string v0, "Send your bug reports to http://bugs.example.net or by e-mail."
    const-string v1, "http://id_click_activity/"
    invoke-static {v0, v1}, Landroid/util/Log;->d(Ljava/lang/String;Ljava/lang/String;)I
    return-void
.end method
