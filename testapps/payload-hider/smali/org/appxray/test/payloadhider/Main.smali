.class public Lorg/appxray/test/payloadhider/Main;
.super Landroid/app/Activity;

# Shows nothing. Loader's methods are never called.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method
