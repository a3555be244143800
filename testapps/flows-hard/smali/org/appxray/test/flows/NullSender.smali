.class public final Lorg/appxray/test/flows/NullSender;
.super Ljava/lang/Object;
.implements Lorg/appxray/test/flows/Sender;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public send(Ljava/lang/String;)V
    .registers 2
    return-void
.end method
