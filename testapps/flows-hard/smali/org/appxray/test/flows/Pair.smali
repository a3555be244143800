.class public Lorg/appxray/test/flows/Pair;
.super Ljava/lang/Object;

# Two values, by setters and getters.

.field public a:Ljava/lang/Object;
.field public b:Ljava/lang/Object;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public setA(Ljava/lang/Object;)V
    .registers 2
    iput-object p1, p0, Lorg/appxray/test/flows/Pair;->a:Ljava/lang/Object;
    return-void
.end method

.method public setB(Ljava/lang/Object;)V
    .registers 2
    iput-object p1, p0, Lorg/appxray/test/flows/Pair;->b:Ljava/lang/Object;
    return-void
.end method

.method public getA()Ljava/lang/Object;
    .registers 2
    iget-object v0, p0, Lorg/appxray/test/flows/Pair;->a:Ljava/lang/Object;
    return-object v0
.end method

.method public getB()Ljava/lang/Object;
    .registers 2
    iget-object v0, p0, Lorg/appxray/test/flows/Pair;->b:Ljava/lang/Object;
    return-object v0
.end method
