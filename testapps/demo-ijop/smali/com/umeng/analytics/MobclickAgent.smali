.class public final Lcom/umeng/analytics/MobclickAgent;
.super Ljava/lang/Object;
.source "MobclickAgent.java"

# Inert stand-in for a third-party analytics SDK, as Chinese government apps
# commonly bundle: appxray must attribute what this class does to the SDK
# (Umeng), not to the app. Never called.

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static deviceInfo(Landroid/content/Context;)Ljava/lang/String;
    .registers 3
    const-string v0, "phone"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/telephony/TelephonyManager;
    invoke-virtual {v0}, Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;
    move-result-object v1
    return-object v1
.end method

.method public static logEndpoint()Ljava/lang/String;
    .registers 1
    const-string v0, "https://alog.umeng.com/app_logs"
    return-object v0
.end method

# Stand-in for Umeng's event API: does nothing.
.method public static onEvent(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;)V
    .registers 3
    return-void
.end method
