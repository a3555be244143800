.class public Lorg/example/Field;
.super Landroid/widget/EditText;

.method public constructor <init>(Landroid/content/Context;)V
    .registers 2
    invoke-direct {p0, p1}, Landroid/widget/EditText;-><init>(Landroid/content/Context;)V
    return-void
.end method
