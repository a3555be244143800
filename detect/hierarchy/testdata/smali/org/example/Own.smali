.class public Lorg/example/Own;
.super Landroid/accessibilityservice/AccessibilityService;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/accessibilityservice/AccessibilityService;-><init>()V
    return-void
.end method

.method public getRootInActiveWindow()Landroid/view/accessibility/AccessibilityNodeInfo;
    .registers 2
    const/4 v0, 0
    return-object v0
.end method

.method public onAccessibilityEvent(Landroid/view/accessibility/AccessibilityEvent;)V
    .registers 3
    invoke-virtual {p0}, Lorg/example/Own;->getRootInActiveWindow()Landroid/view/accessibility/AccessibilityNodeInfo;
    move-result-object v0
    return-void
.end method

.method public onInterrupt()V
    .registers 1
    return-void
.end method
