.class public Lorg/example/rules/SmsLog;
.super Landroid/content/BroadcastReceiver;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/content/BroadcastReceiver;-><init>()V
    return-void
.end method

# Tests the text against words but hides nothing: no watchlist.
.method public onReceive(Landroid/content/Context;Landroid/content/Intent;)V
    .registers 6
    const/4 v0, 0
    new-array v0, v0, [B
    invoke-static {v0}, Landroid/telephony/SmsMessage;->createFromPdu([B)Landroid/telephony/SmsMessage;
    move-result-object v1
    invoke-virtual {v1}, Landroid/telephony/SmsMessage;->getMessageBody()Ljava/lang/String;
    move-result-object v2
    const-string v0, "hello"
    invoke-virtual {v2, v0}, Ljava/lang/String;->contains(Ljava/lang/CharSequence;)Z
    const-string v0, "world"
    invoke-virtual {v2, v0}, Ljava/lang/String;->startsWith(Ljava/lang/String;)Z
    return-void
.end method
