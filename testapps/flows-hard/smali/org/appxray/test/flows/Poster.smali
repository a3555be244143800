.class public final Lorg/appxray/test/flows/Poster;
.super Ljava/lang/Object;

# The last known location goes to a Runnable posted to a Handler, whose run()
# sends it by SMS.

.method public static start(Landroid/location/LocationManager;)V
    .registers 4
    const-string v0, "gps"
    invoke-virtual {p0, v0}, Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;
    move-result-object v0
    new-instance v1, Lorg/appxray/test/flows/SendTask;
    invoke-direct {v1, v0}, Lorg/appxray/test/flows/SendTask;-><init>(Landroid/location/Location;)V
    new-instance v2, Landroid/os/Handler;
    invoke-direct {v2}, Landroid/os/Handler;-><init>()V
    invoke-virtual {v2, v1}, Landroid/os/Handler;->post(Ljava/lang/Runnable;)Z
    return-void
.end method
