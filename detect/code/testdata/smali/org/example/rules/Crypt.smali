.class public Lorg/example/rules/Crypt;
.super Ljava/lang/Object;

# Encrypts a file into another.
.method public static encrypt(Ljava/lang/String;Ljavax/crypto/Cipher;)V
    .registers 5
    new-instance v0, Ljava/io/FileOutputStream;
    invoke-direct {v0, p0}, Ljava/io/FileOutputStream;-><init>(Ljava/lang/String;)V
    new-instance v1, Ljavax/crypto/CipherOutputStream;
    invoke-direct {v1, v0, p1}, Ljavax/crypto/CipherOutputStream;-><init>(Ljava/io/OutputStream;Ljavax/crypto/Cipher;)V
    return-void
.end method

# Encrypts a network stream: no file.
.method public static wrap(Ljava/io/OutputStream;Ljavax/crypto/Cipher;)V
    .registers 3
    new-instance v0, Ljavax/crypto/CipherOutputStream;
    invoke-direct {v0, p0, p1}, Ljavax/crypto/CipherOutputStream;-><init>(Ljava/io/OutputStream;Ljavax/crypto/Cipher;)V
    return-void
.end method
