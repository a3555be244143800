.class public Lorg/appxray/demo/ijop/EventReceiver;
.super Landroid/content/BroadcastReceiver;
.source "EventReceiver.java"

# Inert demo: registered for SMS_RECEIVED and BOOT_COMPLETED, ignores both.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/content/BroadcastReceiver;-><init>()V
    return-void
.end method

.method public onReceive(Landroid/content/Context;Landroid/content/Intent;)V
    .registers 3
    return-void
.end method
