.class public Lorg/appxray/test/formshard/ui/FieldRow;
.super Landroid/widget/LinearLayout;
.source "SourceFile"

# A widget class of the app's own; it adds nothing to its superclass.

.method public constructor <init>(Landroid/content/Context;Landroid/util/AttributeSet;)V
    .registers 3
    invoke-direct {p0, p1, p2}, Landroid/widget/LinearLayout;-><init>(Landroid/content/Context;Landroid/util/AttributeSet;)V
    return-void
.end method
