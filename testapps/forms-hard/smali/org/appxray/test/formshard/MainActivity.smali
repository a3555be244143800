.class public Lorg/appxray/test/formshard/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

# Inert: shows the first form and does nothing else.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 3
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    const v0, 0x7f020006
    invoke-virtual {p0, v0}, Lorg/appxray/test/formshard/MainActivity;->setContentView(I)V
    return-void
.end method
