.class public Lorg/example/Spy;
.super Landroid/accessibilityservice/AccessibilityService;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/accessibilityservice/AccessibilityService;-><init>()V
    return-void
.end method

.method public onAccessibilityEvent(Landroid/view/accessibility/AccessibilityEvent;)V
    .registers 3
    invoke-virtual {p0}, Lorg/example/Spy;->getRootInActiveWindow()Landroid/view/accessibility/AccessibilityNodeInfo;
    move-result-object v0
    return-void
.end method

.method public onInterrupt()V
    .registers 1
    return-void
.end method
