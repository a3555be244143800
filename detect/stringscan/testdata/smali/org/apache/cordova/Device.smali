.class public Lorg/apache/cordova/Device;
.super Ljava/lang/Object;
