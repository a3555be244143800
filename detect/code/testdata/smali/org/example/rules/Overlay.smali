.class public Lorg/example/rules/Overlay;
.super Ljava/lang/Object;

# A phishing overlay: TYPE_SYSTEM_ALERT (2003).
.method public static show(Landroid/view/WindowManager;Landroid/view/View;)V
    .registers 9
    new-instance v0, Landroid/view/WindowManager$LayoutParams;
    const/4 v1, -1
    const/4 v2, -1
    const/16 v3, 0x7d3
    const/16 v4, 0x8
    const/4 v5, -3
    move-object v6, v0
    invoke-direct/range {v0 .. v5}, Landroid/view/WindowManager$LayoutParams;-><init>(IIIII)V
    invoke-interface {p0, p1, v6}, Landroid/view/WindowManager;->addView(Landroid/view/View;Landroid/view/ViewGroup$LayoutParams;)V
    return-void
.end method

# A window of its own, parameters from elsewhere.
.method public static own(Landroid/view/WindowManager;Landroid/view/View;Landroid/view/WindowManager$LayoutParams;)V
    .registers 3
    invoke-interface {p0, p1, p2}, Landroid/view/WindowManager;->addView(Landroid/view/View;Landroid/view/ViewGroup$LayoutParams;)V
    return-void
.end method
