.class public interface abstract Lorg/example/Marker;
.super Ljava/lang/Object;
.implements Ljava/lang/Runnable;
