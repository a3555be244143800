.class public Lorg/appxray/test/formshard/FormActivity;
.super Landroid/app/Activity;
.source "FormActivity.java"

# Inert: shows one of the forms by number; nothing reads what is typed.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method static layoutFor(I)I
    .registers 2
    packed-switch p0, :table
    const v0, 0x7f020001
    return v0
    :f0
    const v0, 0x7f020005
    return v0
    :f1
    const v0, 0x7f02000d
    return v0
    :f2
    const v0, 0x7f020000
    return v0
    :f3
    const v0, 0x7f020010
    return v0
    :f4
    const v0, 0x7f02000f
    return v0
    :f5
    const v0, 0x7f020008
    return v0
    :f6
    const v0, 0x7f020011
    return v0
    :f7
    const v0, 0x7f02000b
    return v0
    :f8
    const v0, 0x7f020007
    return v0
    :f9
    const v0, 0x7f020013
    return v0
    :f10
    const v0, 0x7f02000e
    return v0
    :f11
    const v0, 0x7f020002
    return v0
    :f12
    const v0, 0x7f020004
    return v0
    :f13
    const v0, 0x7f020003
    return v0
    :table
    .packed-switch 0x0
        :f0
        :f1
        :f2
        :f3
        :f4
        :f5
        :f6
        :f7
        :f8
        :f9
        :f10
        :f11
        :f12
        :f13
    .end packed-switch
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 5
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    invoke-virtual {p0}, Lorg/appxray/test/formshard/FormActivity;->getIntent()Landroid/content/Intent;
    move-result-object v0
    const-string v1, "form"
    const/4 v2, 0x0
    invoke-virtual {v0, v1, v2}, Landroid/content/Intent;->getIntExtra(Ljava/lang/String;I)I
    move-result v0
    invoke-static {v0}, Lorg/appxray/test/formshard/FormActivity;->layoutFor(I)I
    move-result v0
    invoke-virtual {p0, v0}, Lorg/appxray/test/formshard/FormActivity;->setContentView(I)V
    return-void
.end method

# Two forms are looked up by name rather than by id.
.method showByName(Z)V
    .registers 6
    invoke-virtual {p0}, Lorg/appxray/test/formshard/FormActivity;->getResources()Landroid/content/res/Resources;
    move-result-object v0
    const-string v1, "ja_touroku"
    if-eqz p1, :named
    const-string v1, "zh_jiankang"
    :named
    const-string v2, "layout"
    invoke-virtual {p0}, Lorg/appxray/test/formshard/FormActivity;->getPackageName()Ljava/lang/String;
    move-result-object v3
    invoke-virtual {v0, v1, v2, v3}, Landroid/content/res/Resources;->getIdentifier(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)I
    move-result v0
    invoke-virtual {p0, v0}, Lorg/appxray/test/formshard/FormActivity;->setContentView(I)V
    return-void
.end method
