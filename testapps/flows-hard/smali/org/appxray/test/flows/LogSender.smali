.class public final Lorg/appxray/test/flows/LogSender;
.super Ljava/lang/Object;
.implements Lorg/appxray/test/flows/Sender;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public send(Ljava/lang/String;)V
    .registers 3
    const-string v0, "sender"
    invoke-static {v0, p1}, Landroid/util/Log;->w(Ljava/lang/String;Ljava/lang/String;)I
    return-void
.end method
