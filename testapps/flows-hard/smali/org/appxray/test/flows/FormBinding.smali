.class public final Lorg/appxray/test/flows/FormBinding;
.super Ljava/lang/Object;

# A view binding as the Android Gradle plugin generates it: bind() finds the
# views by id with ViewBindings.findChildViewById and keeps them in fields.

.field public final nickname:Landroid/widget/EditText;
.field private final rootView:Landroid/view/View;

.method private constructor <init>(Landroid/view/View;Landroid/widget/EditText;)V
    .registers 3
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    iput-object p1, p0, Lorg/appxray/test/flows/FormBinding;->rootView:Landroid/view/View;
    iput-object p2, p0, Lorg/appxray/test/flows/FormBinding;->nickname:Landroid/widget/EditText;
    return-void
.end method

.method public static bind(Landroid/view/View;)Lorg/appxray/test/flows/FormBinding;
    .registers 3
    const v0, 0x7f020001
    invoke-static {p0, v0}, Landroidx/viewbinding/ViewBindings;->findChildViewById(Landroid/view/View;I)Landroid/view/View;
    move-result-object v0
    check-cast v0, Landroid/widget/EditText;
    new-instance v1, Lorg/appxray/test/flows/FormBinding;
    invoke-direct {v1, p0, v0}, Lorg/appxray/test/flows/FormBinding;-><init>(Landroid/view/View;Landroid/widget/EditText;)V
    return-object v1
.end method
