.class public final Lorg/appxray/test/flows/BindingFlow;
.super Ljava/lang/Object;

# What is typed in the bound field @id/nickname is logged.

.method public static submit(Landroid/view/View;)V
    .registers 4
    invoke-static {p0}, Lorg/appxray/test/flows/FormBinding;->bind(Landroid/view/View;)Lorg/appxray/test/flows/FormBinding;
    move-result-object v0
    iget-object v1, v0, Lorg/appxray/test/flows/FormBinding;->nickname:Landroid/widget/EditText;
    invoke-virtual {v1}, Landroid/widget/EditText;->getText()Landroid/text/Editable;
    move-result-object v1
    invoke-virtual {v1}, Ljava/lang/Object;->toString()Ljava/lang/String;
    move-result-object v1
    const-string v2, "binding"
    invoke-static {v2, v1}, Landroid/util/Log;->i(Ljava/lang/String;Ljava/lang/String;)I
    return-void
.end method
