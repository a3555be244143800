.class public Lorg/appxray/demo/ijop/PersonFormActivity;
.super Landroid/app/Activity;
.source "PersonFormActivity.java"

# Inert demo: shows the person_form layout and does nothing else.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 6
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    # Looked up by name so the code does not depend on generated resource ids.
    invoke-virtual {p0}, Lorg/appxray/demo/ijop/PersonFormActivity;->getResources()Landroid/content/res/Resources;
    move-result-object v0
    const-string v1, "person_form"
    const-string v2, "layout"
    invoke-virtual {p0}, Lorg/appxray/demo/ijop/PersonFormActivity;->getPackageName()Ljava/lang/String;
    move-result-object v3
    invoke-virtual {v0, v1, v2, v3}, Landroid/content/res/Resources;->getIdentifier(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)I
    move-result v0
    invoke-virtual {p0, v0}, Lorg/appxray/demo/ijop/PersonFormActivity;->setContentView(I)V
    return-void
.end method
