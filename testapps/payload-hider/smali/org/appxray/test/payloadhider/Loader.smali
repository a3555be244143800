.class public Lorg/appxray/test/payloadhider/Loader;
.super Ljava/lang/Object;

# A dropper's three steps, never called: copy the APK hidden as
# assets/banner.jpg to the files dir, load its code with DexClassLoader, or
# hand it to PackageInstaller / `pm install`.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

# Copies assets/banner.jpg to files/banner.apk and returns that file.
.method public static extract(Landroid/content/Context;)Ljava/io/File;
    .registers 7
    invoke-virtual {p0}, Landroid/content/Context;->getAssets()Landroid/content/res/AssetManager;
    move-result-object v0
    const-string v1, "banner.jpg"
    invoke-virtual {v0, v1}, Landroid/content/res/AssetManager;->open(Ljava/lang/String;)Ljava/io/InputStream;
    move-result-object v0
    new-instance v1, Ljava/io/File;
    invoke-virtual {p0}, Landroid/content/Context;->getFilesDir()Ljava/io/File;
    move-result-object v2
    const-string v3, "banner.apk"
    invoke-direct {v1, v2, v3}, Ljava/io/File;-><init>(Ljava/io/File;Ljava/lang/String;)V
    new-instance v2, Ljava/io/FileOutputStream;
    invoke-direct {v2, v1}, Ljava/io/FileOutputStream;-><init>(Ljava/io/File;)V
    const/16 v3, 0x1000
    new-array v3, v3, [B
    :loop
    invoke-virtual {v0, v3}, Ljava/io/InputStream;->read([B)I
    move-result v4
    if-lez v4, :done
    const/4 v5, 0x0
    invoke-virtual {v2, v3, v5, v4}, Ljava/io/FileOutputStream;->write([BII)V
    goto :loop
    :done
    invoke-virtual {v2}, Ljava/io/FileOutputStream;->close()V
    invoke-virtual {v0}, Ljava/io/InputStream;->close()V
    return-object v1
.end method

# Loads the second app's code and makes its entry class.
.method public static load(Landroid/content/Context;)Ljava/lang/Object;
    .registers 6
    invoke-static {p0}, Lorg/appxray/test/payloadhider/Loader;->extract(Landroid/content/Context;)Ljava/io/File;
    move-result-object v0
    invoke-virtual {v0}, Ljava/io/File;->getAbsolutePath()Ljava/lang/String;
    move-result-object v0
    invoke-virtual {p0}, Landroid/content/Context;->getCodeCacheDir()Ljava/io/File;
    move-result-object v1
    invoke-virtual {v1}, Ljava/io/File;->getAbsolutePath()Ljava/lang/String;
    move-result-object v1
    const/4 v2, 0x0
    invoke-virtual {p0}, Landroid/content/Context;->getClassLoader()Ljava/lang/ClassLoader;
    move-result-object v3
    new-instance v4, Ldalvik/system/DexClassLoader;
    invoke-direct {v4, v0, v1, v2, v3}, Ldalvik/system/DexClassLoader;-><init>(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/ClassLoader;)V
    const-string v0, "org.appxray.test.inner.Payload"
    invoke-virtual {v4, v0}, Ljava/lang/ClassLoader;->loadClass(Ljava/lang/String;)Ljava/lang/Class;
    move-result-object v0
    invoke-virtual {v0}, Ljava/lang/Class;->newInstance()Ljava/lang/Object;
    move-result-object v0
    return-object v0
.end method

# Installs the second app through PackageInstaller: one session, the APK
# written into it, committed.
.method public static install(Landroid/content/Context;)V
    .registers 10
    invoke-virtual {p0}, Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;
    move-result-object v0
    invoke-virtual {v0}, Landroid/content/pm/PackageManager;->getPackageInstaller()Landroid/content/pm/PackageInstaller;
    move-result-object v0
    new-instance v1, Landroid/content/pm/PackageInstaller$SessionParams;
    const/4 v2, 0x1
    invoke-direct {v1, v2}, Landroid/content/pm/PackageInstaller$SessionParams;-><init>(I)V
    invoke-virtual {v0, v1}, Landroid/content/pm/PackageInstaller;->createSession(Landroid/content/pm/PackageInstaller$SessionParams;)I
    move-result v1
    invoke-virtual {v0, v1}, Landroid/content/pm/PackageInstaller;->openSession(I)Landroid/content/pm/PackageInstaller$Session;
    move-result-object v0
    invoke-static {p0}, Lorg/appxray/test/payloadhider/Loader;->extract(Landroid/content/Context;)Ljava/io/File;
    move-result-object v1
    new-instance v2, Ljava/io/FileInputStream;
    invoke-direct {v2, v1}, Ljava/io/FileInputStream;-><init>(Ljava/io/File;)V
    const-string v3, "base.apk"
    const-wide/16 v4, 0x0
    const-wide/16 v6, -0x1
    invoke-virtual/range {v0 .. v7}, Landroid/content/pm/PackageInstaller$Session;->openWrite(Ljava/lang/String;JJ)Ljava/io/OutputStream;
    move-result-object v3
    const/16 v4, 0x1000
    new-array v4, v4, [B
    :loop
    invoke-virtual {v2, v4}, Ljava/io/FileInputStream;->read([B)I
    move-result v5
    if-lez v5, :done
    const/4 v6, 0x0
    invoke-virtual {v3, v4, v6, v5}, Ljava/io/OutputStream;->write([BII)V
    goto :loop
    :done
    invoke-virtual {v0, v3}, Landroid/content/pm/PackageInstaller$Session;->fsync(Ljava/io/OutputStream;)V
    invoke-virtual {v3}, Ljava/io/OutputStream;->close()V
    const/4 v1, 0x0
    invoke-virtual {v0, v1}, Landroid/content/pm/PackageInstaller$Session;->commit(Landroid/content/IntentSender;)V
    return-void
.end method

# The same by the shell, as droppers on rooted phones do.
.method public static installByShell(Landroid/content/Context;)V
    .registers 3
    invoke-static {}, Ljava/lang/Runtime;->getRuntime()Ljava/lang/Runtime;
    move-result-object v0
    const-string v1, "pm install -r /data/data/org.appxray.test.payloadhider/files/banner.apk"
    invoke-virtual {v0, v1}, Ljava/lang/Runtime;->exec(Ljava/lang/String;)Ljava/lang/Process;
    return-void
.end method
