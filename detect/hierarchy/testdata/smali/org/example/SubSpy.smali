.class public Lorg/example/SubSpy;
.super Lorg/example/Spy;
.implements Lorg/example/Marker;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Lorg/example/Spy;-><init>()V
    return-void
.end method

.method public run()V
    .registers 2
    invoke-virtual {p0}, Lorg/example/SubSpy;->getRootInActiveWindow()Landroid/view/accessibility/AccessibilityNodeInfo;
    move-result-object v0
    return-void
.end method
