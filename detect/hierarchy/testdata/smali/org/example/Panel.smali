.class public Lorg/example/Panel;
.super Landroid/widget/FrameLayout;

# A layout that adds child views: ViewGroup implements ViewManager's
# addView itself, so none of these calls adds a window.

.method public show(Landroid/view/View;Landroid/view/ViewGroup$LayoutParams;Landroid/view/ViewGroup;)V
    .registers 4
    invoke-virtual {p0, p1}, Lorg/example/Panel;->addView(Landroid/view/View;)V
    invoke-virtual {p0, p1, p2}, Landroid/widget/FrameLayout;->addView(Landroid/view/View;Landroid/view/ViewGroup$LayoutParams;)V
    invoke-virtual {p3, p1, p2}, Landroid/view/ViewGroup;->addView(Landroid/view/View;Landroid/view/ViewGroup$LayoutParams;)V
    return-void
.end method
