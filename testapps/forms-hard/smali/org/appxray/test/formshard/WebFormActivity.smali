.class public Lorg/appxray/test/formshard/WebFormActivity;
.super Landroid/app/Activity;
.source "WebFormActivity.java"

# Inert: names the HTML forms it would show; it never loads them.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method static pages()[Ljava/lang/String;
    .registers 4
    const/4 v0, 0x5
    new-array v0, v0, [Ljava/lang/String;
    const/4 v1, 0x0
    const-string v2, "www/fr_verification.html"
    aput-object v2, v0, v1
    const/4 v1, 0x1
    const-string v2, "www/pt_cadastro.html"
    aput-object v2, v0, v1
    const/4 v1, 0x2
    const-string v2, "www/tr_edevlet.html"
    aput-object v2, v0, v1
    const/4 v1, 0x3
    const-string v2, "www/es_buscar.html"
    aput-object v2, v0, v1
    const/4 v1, 0x4
    const-string v2, "www/en_survey.html"
    aput-object v2, v0, v1
    return-object v0
.end method
