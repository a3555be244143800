.class public interface abstract Lorg/appxray/test/parity/Iface;
.super Ljava/lang/Object;
.source "Iface.java"

# Interface for invoke-interface and invoke-interface/range; ping has a default body.

.method public abstract iface6(IIIIII)I
.end method

.method public ping()V
    .registers 1
    return-void
.end method
