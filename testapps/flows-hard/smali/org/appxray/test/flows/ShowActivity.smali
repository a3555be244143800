.class public Lorg/appxray/test/flows/ShowActivity;
.super Landroid/app/Activity;

# Started by IntentFlow.toActivity: puts the extra "imsi" of the intent that
# started it in a URL.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onResume()V
    .registers 4
    invoke-super {p0}, Landroid/app/Activity;->onResume()V
    invoke-virtual {p0}, Lorg/appxray/test/flows/ShowActivity;->getIntent()Landroid/content/Intent;
    move-result-object v0
    const-string v1, "imsi"
    invoke-virtual {v0, v1}, Landroid/content/Intent;->getStringExtra(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v0
    new-instance v1, Ljava/lang/StringBuilder;
    const-string v2, "http://intent.flows-test.invalid/show?imsi="
    invoke-direct {v1, v2}, Ljava/lang/StringBuilder;-><init>(Ljava/lang/String;)V
    invoke-virtual {v1, v0}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v1}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v0
    new-instance v1, Ljava/net/URL;
    invoke-direct {v1, v0}, Ljava/net/URL;-><init>(Ljava/lang/String;)V
    return-void
.end method
