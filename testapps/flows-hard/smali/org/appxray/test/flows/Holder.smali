.class public Lorg/appxray/test/flows/Holder;
.super Ljava/lang/Object;

# Keeps the IMEI (getImei); its toString() returns it.

.field private id:Ljava/lang/String;

.method public constructor <init>(Landroid/telephony/TelephonyManager;)V
    .registers 3
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    invoke-virtual {p1}, Landroid/telephony/TelephonyManager;->getImei()Ljava/lang/String;
    move-result-object v0
    iput-object v0, p0, Lorg/appxray/test/flows/Holder;->id:Ljava/lang/String;
    return-void
.end method

.method public toString()Ljava/lang/String;
    .registers 2
    iget-object v0, p0, Lorg/appxray/test/flows/Holder;->id:Ljava/lang/String;
    return-object v0
.end method
