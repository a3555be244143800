.class public final Lorg/appxray/test/flows/IntentFlow;
.super Ljava/lang/Object;

# The IMEI goes, as the extra "imei" of an explicit intent, to the app's own
# UploadService (which logs it), and the IMSI, as the extra "imsi", to the
# app's own ShowActivity (which puts it in a URL). The extra "note" is a
# constant: UploadService's SMS of it carries no IMEI.

.method public static toService(Landroid/content/Context;Landroid/telephony/TelephonyManager;)V
    .registers 5
    invoke-virtual {p1}, Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;
    move-result-object v0
    new-instance v1, Landroid/content/Intent;
    const-class v2, Lorg/appxray/test/flows/UploadService;
    invoke-direct {v1, p0, v2}, Landroid/content/Intent;-><init>(Landroid/content/Context;Ljava/lang/Class;)V
    const-string v2, "imei"
    invoke-virtual {v1, v2, v0}, Landroid/content/Intent;->putExtra(Ljava/lang/String;Ljava/lang/String;)Landroid/content/Intent;
    const-string v2, "note"
    const-string v0, "hello"
    invoke-virtual {v1, v2, v0}, Landroid/content/Intent;->putExtra(Ljava/lang/String;Ljava/lang/String;)Landroid/content/Intent;
    invoke-virtual {p0, v1}, Landroid/content/Context;->startService(Landroid/content/Intent;)Landroid/content/ComponentName;
    return-void
.end method

.method public static toActivity(Landroid/content/Context;Landroid/telephony/TelephonyManager;)V
    .registers 5
    invoke-virtual {p1}, Landroid/telephony/TelephonyManager;->getSubscriberId()Ljava/lang/String;
    move-result-object v0
    new-instance v1, Landroid/content/Intent;
    const-class v2, Lorg/appxray/test/flows/ShowActivity;
    invoke-direct {v1, p0, v2}, Landroid/content/Intent;-><init>(Landroid/content/Context;Ljava/lang/Class;)V
    const-string v2, "imsi"
    invoke-virtual {v1, v2, v0}, Landroid/content/Intent;->putExtra(Ljava/lang/String;Ljava/lang/String;)Landroid/content/Intent;
    invoke-virtual {p0, v1}, Landroid/content/Context;->startActivity(Landroid/content/Intent;)V
    return-void
.end method
