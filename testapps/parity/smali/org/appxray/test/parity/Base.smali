.class public abstract Lorg/appxray/test/parity/Base;
.super Ljava/lang/Object;
.source "Base.java"

# Superclass for invoke-super and invoke-super/range targets.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public virtual6(IIIIII)I
    .registers 8
    const/4 v0, 0x0
    return v0
.end method

.method public hashCode()I
    .registers 2
    const/16 v0, 0x2a
    return v0
.end method
