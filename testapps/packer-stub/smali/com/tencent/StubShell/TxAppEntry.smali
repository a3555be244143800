.class public Lcom/tencent/StubShell/TxAppEntry;
.super Landroid/app/Application;

# A packer's stub, reduced to its shape and never run: Android would make this
# Application first, and it would load the native loader and hand it the
# encrypted code in assets/0OO00l111l1l. The native library is a bare ELF
# header and the asset random bytes, so there is nothing to load.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Application;-><init>()V
    return-void
.end method

.method private static native load(Landroid/content/Context;[B)V
.end method

.method protected attachBaseContext(Landroid/content/Context;)V
    .registers 6
    invoke-super {p0, p1}, Landroid/app/Application;->attachBaseContext(Landroid/content/Context;)V
    const-string v0, "shell-super.2019"
    invoke-static {v0}, Ljava/lang/System;->loadLibrary(Ljava/lang/String;)V
    invoke-virtual {p1}, Landroid/content/Context;->getAssets()Landroid/content/res/AssetManager;
    move-result-object v0
    const-string v1, "0OO00l111l1l"
    invoke-virtual {v0, v1}, Landroid/content/res/AssetManager;->open(Ljava/lang/String;)Ljava/io/InputStream;
    move-result-object v0
    invoke-virtual {v0}, Ljava/io/InputStream;->available()I
    move-result v1
    new-array v1, v1, [B
    invoke-virtual {v0, v1}, Ljava/io/InputStream;->read([B)I
    invoke-virtual {v0}, Ljava/io/InputStream;->close()V
    invoke-static {p1, v1}, Lcom/tencent/StubShell/TxAppEntry;->load(Landroid/content/Context;[B)V
    return-void
.end method
