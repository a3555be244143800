.class public interface abstract Lorg/appxray/test/flows/Sender;
.super Ljava/lang/Object;

.method public abstract send(Ljava/lang/String;)V
.end method
