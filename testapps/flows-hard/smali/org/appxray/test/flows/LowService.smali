.class public Lorg/appxray/test/flows/LowService;
.super Landroid/app/Service;

# An entry point (a service the manifest declares) that reads the Wi-Fi
# network name and the MEID and pings a URL, with no data-flow path between
# them: a low-confidence flow for the network name; none for the MEID,
# whose way to the log KeyFlow shows.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Service;-><init>()V
    return-void
.end method

.method public onBind(Landroid/content/Intent;)Landroid/os/IBinder;
    .registers 3
    const/4 v0, 0x0
    return-object v0
.end method

.method public onStartCommand(Landroid/content/Intent;II)I
    .registers 6
    invoke-static {p0}, Lorg/appxray/test/flows/LowService;->measure(Landroid/content/Context;)Z
    invoke-static {}, Lorg/appxray/test/flows/LowService;->ping()V
    const/4 v0, 0x2
    return v0
.end method

.method public static measure(Landroid/content/Context;)Z
    .registers 4
    const-string v0, "wifi"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/net/wifi/WifiManager;
    invoke-virtual {v0}, Landroid/net/wifi/WifiManager;->getConnectionInfo()Landroid/net/wifi/WifiInfo;
    move-result-object v0
    invoke-virtual {v0}, Landroid/net/wifi/WifiInfo;->getSSID()Ljava/lang/String;
    move-result-object v0
    const-string v1, "home"
    invoke-virtual {v1, v0}, Ljava/lang/String;->equals(Ljava/lang/Object;)Z
    move-result v1
    const-string v0, "phone"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/telephony/TelephonyManager;
    invoke-virtual {v0}, Landroid/telephony/TelephonyManager;->getMeid()Ljava/lang/String;
    move-result-object v0
    invoke-virtual {v0}, Ljava/lang/String;->isEmpty()Z
    return v1
.end method

.method public static ping()V
    .registers 2
    new-instance v0, Ljava/net/URL;
    const-string v1, "http://low.flows-test.invalid/ping"
    invoke-direct {v0, v1}, Ljava/net/URL;-><init>(Ljava/lang/String;)V
    invoke-virtual {v0}, Ljava/net/URL;->openStream()Ljava/io/InputStream;
    return-void
.end method
