.class public Lorg/example/rules/Hide;
.super Landroid/app/Activity;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

# Disables its own activity: hides its icon.
.method public onCreate(Landroid/os/Bundle;)V
    .registers 6
    invoke-virtual {p0}, Lorg/example/rules/Hide;->getPackageManager()Landroid/content/pm/PackageManager;
    move-result-object v0
    new-instance v1, Landroid/content/ComponentName;
    const-class v2, Lorg/example/rules/Hide;
    invoke-direct {v1, p0, v2}, Landroid/content/ComponentName;-><init>(Landroid/content/Context;Ljava/lang/Class;)V
    const/4 v3, 2
    const/4 v4, 1
    invoke-virtual {v0, v1, v3, v4}, Landroid/content/pm/PackageManager;->setComponentEnabledSetting(Landroid/content/ComponentName;II)V
    return-void
.end method

# Enables a component: not hiding.
.method public enable()V
    .registers 6
    invoke-virtual {p0}, Lorg/example/rules/Hide;->getPackageManager()Landroid/content/pm/PackageManager;
    move-result-object v0
    new-instance v1, Landroid/content/ComponentName;
    const-class v2, Lorg/example/rules/Net;
    invoke-direct {v1, p0, v2}, Landroid/content/ComponentName;-><init>(Landroid/content/Context;Ljava/lang/Class;)V
    const/4 v3, 1
    const/4 v4, 1
    invoke-virtual {v0, v1, v3, v4}, Landroid/content/pm/PackageManager;->setComponentEnabledSetting(Landroid/content/ComponentName;II)V
    return-void
.end method
