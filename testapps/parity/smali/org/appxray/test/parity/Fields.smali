.class public final Lorg/appxray/test/parity/Fields;
.super Ljava/lang/Object;
.source "Fields.java"

# Static fields with initial values of every encoded-value kind, and reads and writes of
# every width: sget-*, sput-*, iget-*, iput-*.

.field public static final B:B = -0x80t
.field public static final S:S = 0x7fffs
.field public static final C:C = '\u4e2d'
.field public static final I:I = 0x12345678
.field public static final J:J = 0x123456789abcdefL
.field public static final F:F = 1.5f
.field public static final D:D = -2.5
.field public static final Z:Z = true
.field public static final STR:Ljava/lang/String; = "static value \ud83d\ude00"
.field public static final CLS:Ljava/lang/Class; = Ljava/lang/String;
.field public static NUL:Ljava/lang/Object; = null
.field public static plain:I

.field public ib:B
.field public is:S
.field public ic:C
.field public ii:I
.field public ij:J
.field public iz:Z
.field public iobj:Ljava/lang/Object;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public readStatics()J
    .registers 10
    sget v0, Lorg/appxray/test/parity/Fields;->I:I
    sget-wide v1, Lorg/appxray/test/parity/Fields;->J:J
    sget-object v3, Lorg/appxray/test/parity/Fields;->STR:Ljava/lang/String;
    sget-boolean v4, Lorg/appxray/test/parity/Fields;->Z:Z
    sget-byte v5, Lorg/appxray/test/parity/Fields;->B:B
    sget-char v6, Lorg/appxray/test/parity/Fields;->C:C
    sget-short v7, Lorg/appxray/test/parity/Fields;->S:S
    sget v8, Lorg/appxray/test/parity/Fields;->F:F
    sget-wide v1, Lorg/appxray/test/parity/Fields;->D:D
    sget-object v3, Lorg/appxray/test/parity/Fields;->CLS:Ljava/lang/Class;
    # framework fields
    sget v0, Landroid/os/Build$VERSION;->SDK_INT:I
    sget-object v3, Landroid/os/Build;->MODEL:Ljava/lang/String;
    sget-object v3, Ljava/lang/Boolean;->TRUE:Ljava/lang/Boolean;
    sput v0, Lorg/appxray/test/parity/Fields;->plain:I
    sput-object v3, Lorg/appxray/test/parity/Fields;->NUL:Ljava/lang/Object;
    return-wide v1
.end method

.method public instanceAccess()V
    .registers 4
    iget v0, p0, Lorg/appxray/test/parity/Fields;->ii:I
    iput v0, p0, Lorg/appxray/test/parity/Fields;->ii:I
    iget-wide v0, p0, Lorg/appxray/test/parity/Fields;->ij:J
    iput-wide v0, p0, Lorg/appxray/test/parity/Fields;->ij:J
    iget-object v0, p0, Lorg/appxray/test/parity/Fields;->iobj:Ljava/lang/Object;
    iput-object v0, p0, Lorg/appxray/test/parity/Fields;->iobj:Ljava/lang/Object;
    iget-boolean v0, p0, Lorg/appxray/test/parity/Fields;->iz:Z
    iput-boolean v0, p0, Lorg/appxray/test/parity/Fields;->iz:Z
    iget-byte v0, p0, Lorg/appxray/test/parity/Fields;->ib:B
    iput-byte v0, p0, Lorg/appxray/test/parity/Fields;->ib:B
    iget-char v0, p0, Lorg/appxray/test/parity/Fields;->ic:C
    iput-char v0, p0, Lorg/appxray/test/parity/Fields;->ic:C
    iget-short v0, p0, Lorg/appxray/test/parity/Fields;->is:S
    iput-short v0, p0, Lorg/appxray/test/parity/Fields;->is:S
    return-void
.end method

.method public static constants()D
    .registers 6
    const/4 v0, -0x8
    const/16 v0, -0x8000
    const v0, 0x12345678
    const/high16 v0, 0x7f800000
    const-wide/16 v1, -0x1
    const-wide/32 v1, 0x7fffffff
    const-wide v1, 0x123456789abcdefL
    const-wide/high16 v1, 0x4000000000000000L
    const-class v3, [Ljava/lang/String;
    return-wide v1
.end method
