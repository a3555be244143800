.class public final Lorg/appxray/test/flows/SmsUtil;
.super Ljava/lang/Object;

# Sends text to a number it is given: the caller names the destination.

.method public static send(Ljava/lang/String;Ljava/lang/String;)V
    .registers 8
    invoke-static {}, Landroid/telephony/SmsManager;->getDefault()Landroid/telephony/SmsManager;
    move-result-object v0
    move-object v1, p0
    const/4 v2, 0x0
    move-object v3, p1
    const/4 v4, 0x0
    const/4 v5, 0x0
    invoke-virtual/range {v0 .. v5}, Landroid/telephony/SmsManager;->sendTextMessage(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Landroid/app/PendingIntent;Landroid/app/PendingIntent;)V
    return-void
.end method
