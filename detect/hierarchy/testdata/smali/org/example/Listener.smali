.class public Lorg/example/Listener;
.super Landroid/service/notification/NotificationListenerService;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/service/notification/NotificationListenerService;-><init>()V
    return-void
.end method

.method public onListenerConnected()V
    .registers 2
    invoke-virtual {p0}, Lorg/example/Listener;->getActiveNotifications()[Landroid/service/notification/StatusBarNotification;
    move-result-object v0
    return-void
.end method
