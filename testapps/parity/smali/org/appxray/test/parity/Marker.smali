.class public interface abstract annotation Lorg/appxray/test/parity/Marker;
.super Ljava/lang/Object;
.source "Marker.java"

# implemented interfaces
.implements Ljava/lang/annotation/Annotation;

# An annotation type whose elements cover the encoded-value kinds.

.annotation runtime Ljava/lang/annotation/Retention;
    value = .enum Ljava/lang/annotation/RetentionPolicy;->RUNTIME:Ljava/lang/annotation/RetentionPolicy;
.end annotation

.method public abstract name()Ljava/lang/String;
.end method

.method public abstract count()I
.end method
