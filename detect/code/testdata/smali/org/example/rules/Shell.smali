.class public Lorg/example/rules/Shell;
.super Ljava/lang/Object;

# su is passed to exec: root.
.method public static runSu()V
    .registers 2
    invoke-static {}, Ljava/lang/Runtime;->getRuntime()Ljava/lang/Runtime;
    move-result-object v0
    const-string v1, "su"
    invoke-virtual {v0, v1}, Ljava/lang/Runtime;->exec(Ljava/lang/String;)Ljava/lang/Process;
    return-void
.end method

# su is loaded but what runs is ls: not root.
.method public static checkThenList()Z
    .registers 4
    new-instance v0, Ljava/io/File;
    const-string v1, "su"
    invoke-direct {v0, v1}, Ljava/io/File;-><init>(Ljava/lang/String;)V
    invoke-virtual {v0}, Ljava/io/File;->exists()Z
    move-result v2
    invoke-static {}, Ljava/lang/Runtime;->getRuntime()Ljava/lang/Runtime;
    move-result-object v0
    const-string v1, "ls"
    invoke-virtual {v0, v1}, Ljava/lang/Runtime;->exec(Ljava/lang/String;)Ljava/lang/Process;
    return v2
.end method

# A helper that runs what its callers pass.
.method public static exec([Ljava/lang/String;)V
    .registers 2
    new-instance v0, Ljava/lang/ProcessBuilder;
    invoke-direct {v0, p0}, Ljava/lang/ProcessBuilder;-><init>([Ljava/lang/String;)V
    invoke-virtual {v0}, Ljava/lang/ProcessBuilder;->start()Ljava/lang/Process;
    return-void
.end method

# pm install -r <path>, built in an array and handed to the helper.
.method public static install(Ljava/lang/String;)V
    .registers 4
    const/4 v0, 4
    new-array v1, v0, [Ljava/lang/String;
    const/4 v0, 0
    const-string v2, "pm"
    aput-object v2, v1, v0
    const/4 v0, 1
    const-string v2, "install"
    aput-object v2, v1, v0
    const/4 v0, 2
    const-string v2, "-r"
    aput-object v2, v1, v0
    const/4 v0, 3
    aput-object p0, v1, v0
    invoke-static {v1}, Lorg/example/rules/Shell;->exec([Ljava/lang/String;)V
    return-void
.end method

# su written to the shell it started, through a branch.
.method public static written(Z)V
    .registers 5
    invoke-static {}, Ljava/lang/Runtime;->getRuntime()Ljava/lang/Runtime;
    move-result-object v0
    if-eqz p0, :other
    const-string v1, "sh"
    goto :run
    :other
    const-string v1, "/system/bin/sh"
    :run
    invoke-virtual {v0, v1}, Ljava/lang/Runtime;->exec(Ljava/lang/String;)Ljava/lang/Process;
    move-result-object v2
    new-instance v3, Ljava/io/DataOutputStream;
    invoke-virtual {v2}, Ljava/lang/Process;->getOutputStream()Ljava/io/OutputStream;
    move-result-object v1
    invoke-direct {v3, v1}, Ljava/io/DataOutputStream;-><init>(Ljava/io/OutputStream;)V
    const-string v1, "chmod 4755 /system/xbin/su\n"
    invoke-virtual {v3, v1}, Ljava/io/DataOutputStream;->writeBytes(Ljava/lang/String;)V
    return-void
.end method

# An SMS to a number written in the code, and one to a number passed in.
.method public static premium(Ljava/lang/String;)V
    .registers 7
    invoke-static {}, Landroid/telephony/SmsManager;->getDefault()Landroid/telephony/SmsManager;
    move-result-object v0
    const-string v1, "7151"
    const-string v2, "ACT 12"
    const/4 v3, 0
    const/4 v4, 0
    const/4 v5, 0
    invoke-virtual/range {v0 .. v5}, Landroid/telephony/SmsManager;->sendTextMessage(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Landroid/app/PendingIntent;Landroid/app/PendingIntent;)V
    move-object v1, p0
    invoke-virtual/range {v0 .. v5}, Landroid/telephony/SmsManager;->sendTextMessage(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Landroid/app/PendingIntent;Landroid/app/PendingIntent;)V
    return-void
.end method
