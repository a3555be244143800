.class public final Lorg/appxray/test/parity/Ünïcödé;
.super Ljava/lang/Object;
.source "Ünïcödé.java"

# Non-ASCII class, method and field names are valid DEX simple names.

.field public static ñ:I

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static naïve()I
    .registers 1
    sget v0, Lorg/appxray/test/parity/Ünïcödé;->ñ:I
    return v0
.end method
