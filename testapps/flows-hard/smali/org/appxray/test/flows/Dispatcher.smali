.class public final Lorg/appxray/test/flows/Dispatcher;
.super Ljava/lang/Object;

# The hardware serial through the Sender interface: LogSender logs it,
# NullSender drops it. The flow's path runs through LogSender only.

.method public static dispatch(Lorg/appxray/test/flows/Sender;)V
    .registers 2
    invoke-static {}, Landroid/os/Build;->getSerial()Ljava/lang/String;
    move-result-object v0
    invoke-interface {p0, v0}, Lorg/appxray/test/flows/Sender;->send(Ljava/lang/String;)V
    return-void
.end method

# A read that goes nowhere: the SIM serial is only measured.
.method public static nowhere(Landroid/telephony/TelephonyManager;)I
    .registers 2
    invoke-virtual {p0}, Landroid/telephony/TelephonyManager;->getSimSerialNumber()Ljava/lang/String;
    move-result-object v0
    invoke-virtual {v0}, Ljava/lang/String;->length()I
    move-result v0
    return v0
.end method
