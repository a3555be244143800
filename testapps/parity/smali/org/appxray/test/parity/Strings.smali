.class public final Lorg/appxray/test/parity/Strings;
.super Ljava/lang/Object;
.source "Strings.java"

# const-string and const-string/jumbo with strings whose MUTF-8 encoding is unusual:
# empty, embedded NUL, surrogate pairs (six bytes each), a lone surrogate, and lengths
# past one uleb128 byte.

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static all()[Ljava/lang/String;
    .registers 4
    const/16 v0, 0x9
    new-array v0, v0, [Ljava/lang/String;
    const-string v1, ""
    const/4 v2, 0x0
    aput-object v1, v0, v2
    const-string v1, "nul\u0000inside"
    const/4 v2, 0x1
    aput-object v1, v0, v2
    const-string v1, "emoji \ud83d\ude00 clef \ud834\udd1e"
    const/4 v2, 0x2
    aput-object v1, v0, v2
    const-string v1, "lone \ud800 surrogate"
    const/4 v2, 0x3
    aput-object v1, v0, v2
    const-string/jumbo v1, "jumbo form of a small index"
    const/4 v2, 0x4
    aput-object v1, v0, v2
    const-string v1, "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijkl"
    const/4 v2, 0x5
    aput-object v1, v0, v2
    const-string/jumbo v1, "一严乊乯五亹仞伃伨位佲侗侼信倆倫偐偵傚傿僤儉儮兓典冝凂凧刌刱剖剻加勅勪匏匴卙卾厣又叭吒吷呜咁咦哋哰唕唺啟善喩嗎嗳嘘嘽噢嚇嚬囑囶圛址坥垊垯埔培堞塃塨墍墲壗壼夡奆奫妐妵姚姿娤婉婮媓媸嫝嬂嬧孌孱宖宻寠尅尪屏屴岙岾峣崈崭嵒嵷嶜巁左帋帰幕幺废廄廩弎弳彘彽徢忇忬怑怶恛悀悥惊惯愔愹慞憃憨懍懲戗戼扡抆披拐拵挚挿捤掉掮揓揸搝摂摧撌撱擖擻攠故敪斏斴旙旾昣晈晭暒暷曜朁朦杋杰枕枺柟栄栩桎桳梘梽棢椇椬楑楶榛槀槥樊樯橔橹檞櫃"
    const/4 v2, 0x6
    aput-object v1, v0, v2
    const-string v1, "quote \" backslash \\ tab \t newline \n"
    const/4 v2, 0x7
    aput-object v1, v0, v2
    const-string v1, "https://parity.example.org/path?q=1&r=\u00e9"
    const/16 v2, 0x8
    aput-object v1, v0, v2
    return-object v0
.end method
