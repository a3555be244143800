.class public final Lorg/appxray/test/flows/ToStringFlow;
.super Ljava/lang/Object;

# Object.toString() on a Holder made here runs Holder.toString: the IMEI
# (getImei),
# logged with Log.d. On an object of unknown class (unknown) it is no
# evidence of Holder's: nothing.

.method public static known(Landroid/telephony/TelephonyManager;)V
    .registers 3
    new-instance v0, Lorg/appxray/test/flows/Holder;
    invoke-direct {v0, p0}, Lorg/appxray/test/flows/Holder;-><init>(Landroid/telephony/TelephonyManager;)V
    invoke-virtual {v0}, Ljava/lang/Object;->toString()Ljava/lang/String;
    move-result-object v0
    const-string v1, "known"
    invoke-static {v1, v0}, Landroid/util/Log;->d(Ljava/lang/String;Ljava/lang/String;)I
    return-void
.end method

.method public static unknown(Ljava/lang/Object;)V
    .registers 3
    invoke-virtual {p0}, Ljava/lang/Object;->toString()Ljava/lang/String;
    move-result-object v0
    const-string v1, "unknown"
    invoke-static {v1, v0}, Landroid/util/Log;->e(Ljava/lang/String;Ljava/lang/String;)I
    return-void
.end method
