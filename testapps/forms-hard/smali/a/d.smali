.class public La/d;
.super Landroid/widget/CompoundButton;
.source "SourceFile"

# A widget class of the app's own; it adds nothing to its superclass.

.method public constructor <init>(Landroid/content/Context;Landroid/util/AttributeSet;)V
    .registers 3
    invoke-direct {p0, p1, p2}, Landroid/widget/CompoundButton;-><init>(Landroid/content/Context;Landroid/util/AttributeSet;)V
    return-void
.end method
