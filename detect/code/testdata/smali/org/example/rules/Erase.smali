.class public Lorg/example/rules/Erase;
.super Ljava/lang/Object;

# Reads only the row IDs of the download list (to delete them).
.method public static ids(Landroid/content/ContentResolver;)V
    .registers 8
    const-string v0, "content://downloads/all_downloads"
    invoke-static {v0}, Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;
    move-result-object v1
    const/4 v0, 1
    new-array v2, v0, [Ljava/lang/String;
    const/4 v0, 0
    const-string v3, "_id"
    aput-object v3, v2, v0
    const/4 v3, 0
    const/4 v4, 0
    const/4 v5, 0
    move-object v0, p0
    invoke-virtual/range {v0 .. v5}, Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;
    return-void
.end method

# Reads every column of the SMS inbox.
.method public static inbox(Landroid/content/ContentResolver;)V
    .registers 8
    const-string v0, "content://sms/inbox"
    invoke-static {v0}, Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;
    move-result-object v1
    const/4 v2, 0
    const/4 v3, 0
    const/4 v4, 0
    const/4 v5, 0
    move-object v0, p0
    invoke-virtual/range {v0 .. v5}, Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;
    return-void
.end method
