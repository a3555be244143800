.class public final Lorg/appxray/demo/ijop/WatchScanner;
.super Ljava/lang/Object;
.source "WatchScanner.java"

# Inert demo: never called. Models IJOP-style watchlists: a list of package names and a
# list of MD5 file hashes shipped in assets/watch/, checked against installed apps and
# the files on external storage.

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static readAssetLines(Landroid/content/Context;Ljava/lang/String;)Ljava/util/List;
    .registers 7
    new-instance v0, Ljava/util/ArrayList;
    invoke-direct {v0}, Ljava/util/ArrayList;-><init>()V
    invoke-virtual {p0}, Landroid/content/Context;->getAssets()Landroid/content/res/AssetManager;
    move-result-object v1
    invoke-virtual {v1, p1}, Landroid/content/res/AssetManager;->open(Ljava/lang/String;)Ljava/io/InputStream;
    move-result-object v1
    new-instance v2, Ljava/io/BufferedReader;
    new-instance v3, Ljava/io/InputStreamReader;
    invoke-direct {v3, v1}, Ljava/io/InputStreamReader;-><init>(Ljava/io/InputStream;)V
    invoke-direct {v2, v3}, Ljava/io/BufferedReader;-><init>(Ljava/io/Reader;)V

    :loop
    invoke-virtual {v2}, Ljava/io/BufferedReader;->readLine()Ljava/lang/String;
    move-result-object v4
    if-eqz v4, :done
    invoke-interface {v0, v4}, Ljava/util/List;->add(Ljava/lang/Object;)Z
    goto :loop

    :done
    invoke-virtual {v2}, Ljava/io/BufferedReader;->close()V
    return-object v0
.end method

.method public static md5Hex(Ljava/io/File;)Ljava/lang/String;
    .registers 8
    const-string v0, "MD5"
    invoke-static {v0}, Ljava/security/MessageDigest;->getInstance(Ljava/lang/String;)Ljava/security/MessageDigest;
    move-result-object v0
    new-instance v1, Ljava/io/FileInputStream;
    invoke-direct {v1, p0}, Ljava/io/FileInputStream;-><init>(Ljava/io/File;)V
    const/16 v2, 0x2000
    new-array v2, v2, [B

    :loop
    invoke-virtual {v1, v2}, Ljava/io/FileInputStream;->read([B)I
    move-result v3
    if-lez v3, :done
    const/4 v4, 0x0
    invoke-virtual {v0, v2, v4, v3}, Ljava/security/MessageDigest;->update([BII)V
    goto :loop

    :done
    invoke-virtual {v1}, Ljava/io/FileInputStream;->close()V
    invoke-virtual {v0}, Ljava/security/MessageDigest;->digest()[B
    move-result-object v2
    new-instance v3, Ljava/math/BigInteger;
    const/4 v4, 0x1
    invoke-direct {v3, v4, v2}, Ljava/math/BigInteger;-><init>(I[B)V
    const-string v4, "%032x"
    const/4 v5, 0x1
    new-array v5, v5, [Ljava/lang/Object;
    const/4 v6, 0x0
    aput-object v3, v5, v6
    invoke-static {v4, v5}, Ljava/lang/String;->format(Ljava/lang/String;[Ljava/lang/Object;)Ljava/lang/String;
    move-result-object v0
    return-object v0
.end method

# Files directly inside dir whose MD5 is on the list.
.method public static findWatchedFiles(Ljava/io/File;Ljava/util/List;)Ljava/util/List;
    .registers 9
    new-instance v0, Ljava/util/ArrayList;
    invoke-direct {v0}, Ljava/util/ArrayList;-><init>()V
    invoke-virtual {p0}, Ljava/io/File;->listFiles()[Ljava/io/File;
    move-result-object v1
    if-nez v1, :have
    return-object v0

    :have
    array-length v2, v1
    const/4 v3, 0x0

    :loop
    if-ge v3, v2, :done
    aget-object v4, v1, v3
    invoke-virtual {v4}, Ljava/io/File;->isFile()Z
    move-result v5
    if-eqz v5, :next
    invoke-static {v4}, Lorg/appxray/demo/ijop/WatchScanner;->md5Hex(Ljava/io/File;)Ljava/lang/String;
    move-result-object v5
    invoke-interface {p1, v5}, Ljava/util/List;->contains(Ljava/lang/Object;)Z
    move-result v6
    if-eqz v6, :next
    invoke-interface {v0, v4}, Ljava/util/List;->add(Ljava/lang/Object;)Z

    :next
    add-int/lit8 v3, v3, 0x1
    goto :loop

    :done
    return-object v0
.end method

.method public static scanStorage(Landroid/content/Context;)Ljava/util/List;
    .registers 3
    const-string v0, "watch/hashes.txt"
    invoke-static {p0, v0}, Lorg/appxray/demo/ijop/WatchScanner;->readAssetLines(Landroid/content/Context;Ljava/lang/String;)Ljava/util/List;
    move-result-object v0
    invoke-static {}, Landroid/os/Environment;->getExternalStorageDirectory()Ljava/io/File;
    move-result-object v1
    invoke-static {v1, v0}, Lorg/appxray/demo/ijop/WatchScanner;->findWatchedFiles(Ljava/io/File;Ljava/util/List;)Ljava/util/List;
    move-result-object v0
    return-object v0
.end method

# Installed packages that are on the watchlist.
.method public static findWatchedApps(Landroid/content/Context;)Ljava/util/List;
    .registers 6
    const-string v0, "watch/packages.txt"
    invoke-static {p0, v0}, Lorg/appxray/demo/ijop/WatchScanner;->readAssetLines(Landroid/content/Context;Ljava/lang/String;)Ljava/util/List;
    move-result-object v0
    new-instance v1, Ljava/util/ArrayList;
    invoke-direct {v1}, Ljava/util/ArrayList;-><init>()V
    invoke-static {p0}, Lorg/appxray/demo/ijop/DeviceCollector;->installedPackages(Landroid/content/Context;)Ljava/util/List;
    move-result-object v2
    invoke-interface {v2}, Ljava/util/List;->iterator()Ljava/util/Iterator;
    move-result-object v2

    :loop
    invoke-interface {v2}, Ljava/util/Iterator;->hasNext()Z
    move-result v3
    if-eqz v3, :done
    invoke-interface {v2}, Ljava/util/Iterator;->next()Ljava/lang/Object;
    move-result-object v3
    check-cast v3, Landroid/content/pm/PackageInfo;
    iget-object v3, v3, Landroid/content/pm/PackageInfo;->packageName:Ljava/lang/String;
    invoke-interface {v0, v3}, Ljava/util/List;->contains(Ljava/lang/Object;)Z
    move-result v4
    if-eqz v4, :loop
    invoke-interface {v1, v3}, Ljava/util/List;->add(Ljava/lang/Object;)Z
    goto :loop

    :done
    return-object v1
.end method
