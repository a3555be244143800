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

# Inert demo: never called (no button is wired to it). Reads the name, ID-card
# number and phone number typed into the person form, puts them into a JSON
# body and hands it to Uploader, which posts it to the .invalid host.
.method public submit()I
    .registers 6
    new-instance v0, Lorg/json/JSONObject;
    invoke-direct {v0}, Lorg/json/JSONObject;-><init>()V

    invoke-virtual {p0}, Lorg/appxray/demo/ijop/PersonFormActivity;->getResources()Landroid/content/res/Resources;
    move-result-object v1
    const-string v2, "xm"
    const-string v3, "id"
    invoke-virtual {p0}, Lorg/appxray/demo/ijop/PersonFormActivity;->getPackageName()Ljava/lang/String;
    move-result-object v4
    invoke-virtual {v1, v2, v3, v4}, Landroid/content/res/Resources;->getIdentifier(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)I
    move-result v1
    invoke-virtual {p0, v1}, Lorg/appxray/demo/ijop/PersonFormActivity;->findViewById(I)Landroid/view/View;
    move-result-object v1
    check-cast v1, Landroid/widget/EditText;
    invoke-virtual {v1}, Landroid/widget/EditText;->getText()Landroid/text/Editable;
    move-result-object v1
    invoke-virtual {v1}, Ljava/lang/Object;->toString()Ljava/lang/String;
    move-result-object v1
    invoke-virtual {v0, v2, v1}, Lorg/json/JSONObject;->put(Ljava/lang/String;Ljava/lang/Object;)Lorg/json/JSONObject;

    invoke-virtual {p0}, Lorg/appxray/demo/ijop/PersonFormActivity;->getResources()Landroid/content/res/Resources;
    move-result-object v1
    const-string v2, "sfzh"
    const-string v3, "id"
    invoke-virtual {p0}, Lorg/appxray/demo/ijop/PersonFormActivity;->getPackageName()Ljava/lang/String;
    move-result-object v4
    invoke-virtual {v1, v2, v3, v4}, Landroid/content/res/Resources;->getIdentifier(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)I
    move-result v1
    invoke-virtual {p0, v1}, Lorg/appxray/demo/ijop/PersonFormActivity;->findViewById(I)Landroid/view/View;
    move-result-object v1
    check-cast v1, Landroid/widget/EditText;
    invoke-virtual {v1}, Landroid/widget/EditText;->getText()Landroid/text/Editable;
    move-result-object v1
    invoke-virtual {v1}, Ljava/lang/Object;->toString()Ljava/lang/String;
    move-result-object v1
    invoke-virtual {v0, v2, v1}, Lorg/json/JSONObject;->put(Ljava/lang/String;Ljava/lang/Object;)Lorg/json/JSONObject;

    invoke-virtual {p0}, Lorg/appxray/demo/ijop/PersonFormActivity;->getResources()Landroid/content/res/Resources;
    move-result-object v1
    const-string v2, "lxdh"
    const-string v3, "id"
    invoke-virtual {p0}, Lorg/appxray/demo/ijop/PersonFormActivity;->getPackageName()Ljava/lang/String;
    move-result-object v4
    invoke-virtual {v1, v2, v3, v4}, Landroid/content/res/Resources;->getIdentifier(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)I
    move-result v1
    invoke-virtual {p0, v1}, Lorg/appxray/demo/ijop/PersonFormActivity;->findViewById(I)Landroid/view/View;
    move-result-object v1
    check-cast v1, Landroid/widget/EditText;
    invoke-virtual {v1}, Landroid/widget/EditText;->getText()Landroid/text/Editable;
    move-result-object v1
    invoke-virtual {v1}, Ljava/lang/Object;->toString()Ljava/lang/String;
    move-result-object v1
    invoke-virtual {v0, v2, v1}, Lorg/json/JSONObject;->put(Ljava/lang/String;Ljava/lang/Object;)Lorg/json/JSONObject;

    invoke-virtual {v0}, Lorg/json/JSONObject;->toString()Ljava/lang/String;
    move-result-object v0
    invoke-static {v0}, Lorg/appxray/demo/ijop/Uploader;->upload(Ljava/lang/String;)I
    move-result v0
    return v0
.end method
