.class public final Lorg/appxray/test/parity/second/Helper;
.super Ljava/lang/Object;
.source "Helper.java"

# Lives in classes2.dex and calls back into classes.dex.

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static fromSecondDex()Ljava/lang/String;
    .registers 2
    const/4 v0, 0x7
    invoke-static {v0}, Lorg/appxray/test/parity/Payloads;->classify(I)I
    const-string v0, "from classes2.dex"
    return-object v0
.end method
