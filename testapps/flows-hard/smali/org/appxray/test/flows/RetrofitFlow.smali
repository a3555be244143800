.class public final Lorg/appxray/test/flows/RetrofitFlow;
.super Ljava/lang/Object;

# The subscriber ID through a Retrofit service to its base URL.

.method public static upload(Landroid/telephony/TelephonyManager;)V
    .registers 4
    new-instance v0, Lretrofit2/Retrofit$Builder;
    invoke-direct {v0}, Lretrofit2/Retrofit$Builder;-><init>()V
    const-string v1, "https://api.flows-test.invalid/v1/"
    invoke-virtual {v0, v1}, Lretrofit2/Retrofit$Builder;->baseUrl(Ljava/lang/String;)Lretrofit2/Retrofit$Builder;
    move-result-object v0
    invoke-virtual {v0}, Lretrofit2/Retrofit$Builder;->build()Lretrofit2/Retrofit;
    move-result-object v0
    const-class v1, Lorg/appxray/test/flows/Api;
    invoke-virtual {v0, v1}, Lretrofit2/Retrofit;->create(Ljava/lang/Class;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Lorg/appxray/test/flows/Api;
    invoke-virtual {p0}, Landroid/telephony/TelephonyManager;->getSubscriberId()Ljava/lang/String;
    move-result-object v1
    invoke-interface {v0, v1}, Lorg/appxray/test/flows/Api;->upload(Ljava/lang/String;)Ljava/lang/Object;
    return-void
.end method
