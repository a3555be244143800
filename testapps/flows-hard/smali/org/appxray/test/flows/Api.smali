.class public interface abstract Lorg/appxray/test/flows/Api;
.super Ljava/lang/Object;

# A Retrofit-style service interface: Retrofit implements it at run time.

.method public abstract upload(Ljava/lang/String;)Ljava/lang/Object;
.end method
