.class public Lorg/appxray/test/flows/Main;
.super Landroid/app/Activity;

# Shows nothing. The methods below are never called.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

# R.id.passport as a constant: read and broadcast with an implicit action (IPC).
.method public sendPassport()V
    .registers 5
    const v0, 0x7f020000
    invoke-virtual {p0, v0}, Lorg/appxray/test/flows/Main;->findViewById(I)Landroid/view/View;
    move-result-object v0
    check-cast v0, Landroid/widget/EditText;
    invoke-virtual {v0}, Landroid/widget/EditText;->getText()Landroid/text/Editable;
    move-result-object v0
    invoke-virtual {v0}, Ljava/lang/Object;->toString()Ljava/lang/String;
    move-result-object v0
    new-instance v1, Landroid/content/Intent;
    const-string v2, "org.appxray.test.flows.PASSPORT"
    invoke-direct {v1, v2}, Landroid/content/Intent;-><init>(Ljava/lang/String;)V
    const-string v2, "passport"
    invoke-virtual {v1, v2, v0}, Landroid/content/Intent;->putExtra(Ljava/lang/String;Ljava/lang/String;)Landroid/content/Intent;
    invoke-virtual {p0, v1}, Lorg/appxray/test/flows/Main;->sendBroadcast(Landroid/content/Intent;)V
    return-void
.end method

# The same value to the app's own activity by an explicit intent: not IPC, no flow.
.method public keepPassport()V
    .registers 5
    const v0, 0x7f020000
    invoke-virtual {p0, v0}, Lorg/appxray/test/flows/Main;->findViewById(I)Landroid/view/View;
    move-result-object v0
    check-cast v0, Landroid/widget/EditText;
    invoke-virtual {v0}, Landroid/widget/EditText;->getText()Landroid/text/Editable;
    move-result-object v0
    new-instance v1, Landroid/content/Intent;
    const-class v2, Lorg/appxray/test/flows/Main;
    invoke-direct {v1, p0, v2}, Landroid/content/Intent;-><init>(Landroid/content/Context;Ljava/lang/Class;)V
    const-string v2, "passport"
    invoke-virtual {v1, v2, v0}, Landroid/content/Intent;->putExtra(Ljava/lang/String;Ljava/lang/CharSequence;)Landroid/content/Intent;
    invoke-virtual {p0, v1}, Lorg/appxray/test/flows/Main;->startActivity(Landroid/content/Intent;)V
    return-void
.end method
