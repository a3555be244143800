.class public Lorg/appxray/test/parity/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 4
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    invoke-static {}, Lorg/appxray/test/parity/second/Helper;->fromSecondDex()Ljava/lang/String;
    move-result-object v0
    invoke-virtual {p0, v0}, Lorg/appxray/test/parity/MainActivity;->setTitle(Ljava/lang/CharSequence;)V
    return-void
.end method
