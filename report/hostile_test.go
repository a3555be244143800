package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"appxray/internal/analysistest"
	"appxray/knowledge"
	"appxray/scan"
)

// hostile is a scan document of an app that hides what it does: a packer,
// an XOR-encoded JAR and a second app in its assets, tricks in its file, a
// permission Android implies, one it never uses, and flows from the app's
// own code and from an SDK's, of every confidence. It is written by hand,
// so that every renderer is tested on what no committed test app has.
func hostile() *scan.Report {
	r := scan.New(scan.Tool{Name: "appxray", Version: "test"}, scan.File{Name: "dropper.apk", Size: 120000, SHA256: strings.Repeat("ab", 32), Kind: "apk"})
	r.App = scan.App{Package: "org.example.dropper", VersionName: "3.1", VersionCode: 31, MinSDK: "9", TargetSDK: "15", Label: "Flashlight", Labels: map[string]string{"": "Flashlight"}}
	r.Permissions = []string{"android.permission.READ_EXTERNAL_STORAGE", "android.permission.READ_PHONE_STATE", "android.permission.RECORD_AUDIO", "android.permission.WRITE_EXTERNAL_STORAGE"}
	r.PermissionDetails = []scan.PermissionDetail{
		{Name: "android.permission.READ_PHONE_STATE", Line: 7, Categories: []knowledge.Category{knowledge.DeviceIdentifiers}, Status: "used", Why: "the app's code reaches device.identifiers: classes.dex Lorg/example/dropper/Main;->id()V"},
		{Name: "android.permission.RECORD_AUDIO", Line: 8, Categories: []knowledge.Category{knowledge.DeviceMicrophone}, Status: "unused", Why: "the visible code never calls the APIs of device.microphone"},
		{Name: "android.permission.WRITE_EXTERNAL_STORAGE", Line: 9, Categories: []knowledge.Category{knowledge.DeviceFiles}, Status: "used", Why: "the app's code reaches device.files: classes.dex Lorg/example/dropper/Main;->save()V"},
		{Name: "android.permission.READ_EXTERNAL_STORAGE", Implied: "requested WRITE_EXTERNAL_STORAGE", Categories: []knowledge.Category{knowledge.DeviceFiles}, Status: "used", Why: "the app's code reaches device.files: classes.dex Lorg/example/dropper/Main;->save()V"},
	}
	code := func(m, d string) scan.Evidence { return scan.DexMethod("classes.dex", m, d) }
	r.Findings = []scan.Finding{
		{ID: "id-1", Category: knowledge.DeviceIdentifiers, Title: "Reads the IMEI or MEID", Severity: knowledge.SeverityHigh, Confidence: scan.Likely("the code calls the API"),
			Evidence: []scan.Evidence{code("Lorg/example/dropper/Main;->id()V", "calls Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String; at pc 0x4")}, Analyzer: "code-apis",
			SentTo: []scan.SentTo{{Destination: "http://c2.example.invalid/… (cleartext)", Kind: "network", Flows: []string{"flow-1"}}}},
		{ID: "id-2", Category: knowledge.DeviceIdentifiers, Title: "Reads the IMSI (subscriber ID)", Severity: knowledge.SeverityHigh, Confidence: scan.Likely("the code calls the API"),
			Evidence: []scan.Evidence{scan.DexMethod("assets/data.bin!classes.dex", "Lx/y/Z;->imsi()V", "calls Landroid/telephony/TelephonyManager;->getSubscriberId()Ljava/lang/String; at pc 0x2")}, Analyzer: "code-apis"},
		{ID: "mic-1", Category: knowledge.DeviceMicrophone, Title: "Requests RECORD_AUDIO", Severity: knowledge.SeverityHigh, Confidence: scan.Weak("unused: the visible code never calls its APIs"),
			Evidence: []scan.Evidence{scan.ManifestLine("AndroidManifest.xml", 8, `<uses-permission android:name="android.permission.RECORD_AUDIO">`)}, Analyzer: "manifest"},
		{ID: "files-1", Category: knowledge.DeviceFiles, Title: "Requests READ_EXTERNAL_STORAGE", Severity: knowledge.SeverityMedium, Confidence: scan.Likely("the app's code calls its APIs"),
			Evidence: []scan.Evidence{scan.ManifestLine("AndroidManifest.xml", 9, "implied android.permission.READ_EXTERNAL_STORAGE (not written in the manifest; Android grants it because: requested WRITE_EXTERNAL_STORAGE)")}, Analyzer: "manifest"},
		{ID: "name-1", Category: knowledge.PersonName, Title: "Form field asks for name: 'Your name'", Severity: knowledge.SeverityMedium, Confidence: scan.Sure("the label names it"),
			Evidence: []scan.Evidence{scan.LayoutWidget("res/layout/main.xml", "EditText", "name", 0, "")}, Analyzer: "forms"},
		{ID: "inst-1", Category: knowledge.BehaviourInstallsApps, Title: "Carries a second app in assets/a33.jpg", Severity: knowledge.SeverityMedium, Confidence: scan.Likely("the app carries a second app and its code installs apps"),
			Evidence: []scan.Evidence{scan.AssetFile("assets/a33.jpg", "a second app (an APK)"), code("Lorg/example/dropper/Main;->drop()V", "names a33.jpg"),
				code("Lorg/example/dropper/Main;->install()V", "calls Landroid/content/Intent;->setDataAndType(Landroid/net/Uri;Ljava/lang/String;)Landroid/content/Intent;")}, Analyzer: "payloads"},
		{ID: "boot-1", Category: knowledge.BehaviourBoot, Title: "Starts at boot", Severity: knowledge.SeverityMedium, Confidence: scan.Likely("the second app's code names the boot broadcast"),
			Evidence: []scan.Evidence{scan.DexMethod("assets/a33.jpg!classes.dex", "Lcom/second/Boot;->onReceive(Landroid/content/Context;Landroid/content/Intent;)V", `loads "android.intent.action.BOOT_COMPLETED"`)}, Analyzer: "strings"},
		{ID: "watch-1", Category: knowledge.BehaviourAppWatchlist, Title: "Carries a list of 3 package names it looks for", Severity: knowledge.SeverityHigh, Confidence: scan.Likely("a list of package names"),
			Evidence: []scan.Evidence{scan.AssetLine("assets/apps.txt", 1, "3 package names, 2 of the first 3 known terms: behaviour.app_watchlist (2), person.religion (1); not com.device.sms.x")}, Analyzer: "strings"},
	}
	step := func(m string, pc uint32, what string) scan.FlowStep {
		return scan.FlowStep{Location: "classes.dex " + m, PC: pc, What: what}
	}
	r.Flows = []scan.Flow{
		{ID: "flow-1", Source: scan.FlowSource{Category: knowledge.DeviceIdentifiers, Kind: "api", API: "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;", Title: "Reads the IMEI or MEID"},
			Sink: scan.FlowSink{Kind: "network", API: "Ljava/net/URL;-><init>(Ljava/lang/String;)V", Destination: "http://c2.example.invalid/…", Cleartext: true, Title: "puts in a URL"},
			Path: []scan.FlowStep{step("Lorg/example/dropper/Main;->id()V", 4, "reads Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"),
				step("Lorg/example/dropper/Main;->id()V", 0x1a, "passes it to Ljava/net/URL;-><init>(Ljava/lang/String;)V")},
			Confidence: scan.Sure("a data-flow path carries the value from the read to the sink")},
		{ID: "flow-2", Source: scan.FlowSource{Category: knowledge.PersonName, Kind: "field", API: "findViewById(@id/name)", Title: "Your name", Field: "name", Layout: "res/layout/main.xml"},
			Sink:       scan.FlowSink{Kind: "file", API: "Ljava/io/FileOutputStream;->write([B)V", Destination: "user.txt", Title: "writes to a stream"},
			Path:       []scan.FlowStep{step("Lorg/example/dropper/Form;->save()V", 2, "reads form field @id/name"), step("Lorg/example/dropper/Form;->save()V", 9, "passes it to Ljava/io/FileOutputStream;->write([B)V")},
			Confidence: scan.Likely("connected through a field"), Via: "field Lorg/example/dropper/Form;->last:Ljava/lang/String;"},
		{ID: "flow-3", Source: scan.FlowSource{Category: knowledge.DeviceLocation, Kind: "api", API: "Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;", Title: "Reads the last known location"},
			Sink:       scan.FlowSink{Kind: "sms", API: "Landroid/telephony/SmsManager;->sendTextMessage(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Landroid/app/PendingIntent;Landroid/app/PendingIntent;)V", Title: "sends by SMS"},
			Path:       []scan.FlowStep{step("Lorg/example/dropper/Main;->where()V", 0, "reads Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;")},
			Confidence: scan.Weak("the source and the sink are only reached from the same entry point")},
		{ID: "flow-4", Source: scan.FlowSource{Category: knowledge.DeviceIdentifiers, Kind: "api", API: "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;", Title: "Reads the IMEI or MEID"},
			Sink:       scan.FlowSink{Kind: "log", API: "Landroid/util/Log;->d(Ljava/lang/String;Ljava/lang/String;)I", Title: "writes to the system log"},
			Path:       []scan.FlowStep{{Location: "classes.dex Lcom/ads/Sdk;->init()V", PC: 3, What: "reads Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;", SDK: "AdSDK"}},
			Confidence: scan.Sure("a data-flow path carries the value from the read to the sink"), SDK: "AdSDK"},
		{ID: "flow-5", Source: scan.FlowSource{Category: knowledge.DeviceIdentifiers, Kind: "api", API: "Landroid/net/wifi/WifiInfo;->getMacAddress()Ljava/lang/String;", Title: "Reads the Wi-Fi MAC address"},
			Sink: scan.FlowSink{Kind: "network", API: "Ljava/net/URL;-><init>(Ljava/lang/String;)V", Destination: "https://ads.example/collect", Title: "puts in a URL"},
			Path: []scan.FlowStep{{Location: "classes.dex Lcom/ads/Sdk;->mac()V", PC: 1, What: "reads Landroid/net/wifi/WifiInfo;->getMacAddress()Ljava/lang/String;", SDK: "AdSDK"},
				{Location: "classes.dex Lcom/ads/Sdk;->mac()V", PC: 7, What: "passes it to Ljava/net/URL;-><init>(Ljava/lang/String;)V", SDK: "AdSDK"}},
			Confidence: scan.Likely("connected through a collection"), Via: "collection Ljava/util/HashMap;", SDK: "AdSDK"},
	}
	r.Embedded = []scan.Embedded{
		{Location: "assets/data.bin", Kind: "jar", Size: 22023, Encoding: "XOR with the byte 0x37", Dex: []string{"assets/data.bin!classes.dex"}},
		{Location: "assets/a33.jpg", Kind: "apk", Size: 14079, Package: "com.second", Label: "Updater", Permissions: 6, Dex: []string{"assets/a33.jpg!classes.dex"}},
	}
	r.Protection = scan.Protection{
		Packers:     []scan.Packer{{ID: "jiagu", Name: "Jiagu (Qihoo 360)", Kind: "packer", HidesIn: "the packer's native library (libjiagu*.so), which decrypts and loads the app's DEX at run time", Evidence: []scan.Evidence{scan.NativeFile("lib/armeabi/libjiagu.so", "the packer's native loader")}}},
		Obfuscation: &scan.Obfuscation{Classes: 40, Renamed: 31, Unusual: 2, Sample: []string{"La/b;"}},
	}
	r.Anomalies = []scan.Anomaly{
		{Kind: "UnreferencedBytes", Source: "zip", Offset: 0x100, Detail: "12 bytes between entries"},
		{Kind: "EncryptionFlag", Source: "zip", Offset: 0x40, Entry: "classes.dex", Detail: "general purpose bit 0 set; read as plain"},
		{Kind: "EncryptionFlag", Source: "zip", Offset: 0x80, Entry: "AndroidManifest.xml", Detail: "general purpose bit 0 set; read as plain"},
		{Kind: "DexClassRejected", Source: "dex", Offset: 0x2c0, Entry: "classes.dex", Detail: "class Lorg/example/dropper/Bad; fails verification", AndroidRejects: true},
		{Kind: "SomethingNew", Source: "xml", Offset: 0x10, Entry: "res/layout/main.xml", Detail: "a kind this appxray does not word"},
	}
	return r
}

// TestHostileReport renders the hand-written document in every human
// format and SARIF, as goldens, and checks what each must say.
func TestHostileReport(t *testing.T) {
	r := hostile()
	out := map[string]string{}
	for _, f := range []string{"text", "markdown", "html", "sarif"} {
		var b bytes.Buffer
		if err := Formats[f](&b, r); err != nil {
			t.Fatal(err)
		}
		out[f] = b.String()
		analysistest.Golden(t, "hostile."+map[string]string{"text": "txt", "markdown": "md", "html": "html", "sarif": "sarif"}[f]+".golden", b.Bytes())
		// A saved report renders as the fresh one.
		var js bytes.Buffer
		if err := JSON(&js, r); err != nil {
			t.Fatal(err)
		}
		back, err := Read(&js)
		if err != nil {
			t.Fatal(err)
		}
		var again bytes.Buffer
		Formats[f](&again, back)
		if again.String() != out[f] {
			t.Errorf("%s of the saved JSON differs", f)
		}
	}
	v := newView(r)
	verdict := strings.Join(v.Verdict, "\n")
	for _, want := range []string{
		// Where it goes, sure flows only, the app's own code apart from SDK code.
		"Its own code sends the IMEI or MEID without encryption to c2.example.invalid; it writes the name typed into its forms to the file user.txt on the phone.",
		// What SDK code keeps on the phone (the system log) is no news.
		"The SDKs it carries hold code that sends the Wi-Fi MAC address to ads.example.",
		// Payloads, packer, tricks.
		"It carries hidden code in assets/data.bin, encoded to hide it; its code reads device identifiers. It carries a second app in assets/a33.jpg (com.second); its code starts itself when the phone starts. appxray opened them",
		"Its code is packed by Jiagu (Qihoo 360): the real code is encrypted in the packer's native library",
		"the code channel sees only the loader. That this report does not show a behaviour proves nothing",
		"Its file is built with 2 kinds of tricks that make analysis tools misread apps (fake encryption flag and code Android refuses to run)",
	} {
		if !strings.Contains(verdict, want) {
			t.Errorf("verdict lacks %q:\n%s", want, verdict)
		}
	}
	if strings.Contains(verdict, "location") || strings.Contains(verdict, "SMS") {
		t.Errorf("a low-confidence flow made the verdict:\n%s", verdict)
	}
	if got := strings.Join(Destinations(r), ";"); got != "c2.example.invalid;ads.example" {
		t.Errorf("Destinations = %q (the SMS flow is weak, the log stays on the phone)", got)
	}
	if strings.Contains(verdict, "system log") {
		t.Errorf("what SDK code keeps on the phone made the verdict:\n%s", verdict)
	}

	text := out["text"]
	for _, want := range []string{
		"Where it goes\n",
		"  Leaves the phone:\n    to http://c2.example.invalid/… (cleartext): IMEI or MEID\n",
		"      - IMEI or MEID (device identifiers): strong evidence: a data-flow path",
		"          org.example.dropper.Main.id() pc 0x1a: passes it to\n          java.net.URL.<init>()\n",
		"  Stays on the phone:\n    to the file user.txt on the phone: name\n",
		"connected through a field (field\n        Lorg/example/dropper/Form;->last:Ljava/lang/String;)",
		"to an SMS: last known location",
		"weak evidence: the source and the sink\n        are only reached from the same entry point",
		"  In third-party SDK code (the paths are in the JSON, HTML and Markdown reports):\n    Leaves the phone:\n      to https://ads.example/collect: Wi-Fi MAC address\n",
		"    Stays on the phone:\n      to the system log: IMEI or MEID\n        - IMEI or MEID (device identifiers) — in AdSDK (strong evidence)\n",
		"        → sent to http://c2.example.invalid/… (cleartext)\n",
		"        rests on READ_EXTERNAL_STORAGE, which the app does not request: Android\n        grants it because of its request for WRITE_EXTERNAL_STORAGE\n",
		"  Requested, but its own code never uses it:\n    - Microphone: RECORD_AUDIO  [AndroidManifest.xml line 8]\n",
		"\nHidden inside\n  - The app carries hidden code in assets/data.bin: a JAR of DEX code, under a\n    name that does not say so. It is encoded (XOR with the byte 0x37) so that it\n    cannot be seen for what it is; appxray decoded it and read its code like the\n    app's own: it reads device identifiers.\n",
		"        Device identifiers: Reads the IMSI (subscriber ID) (moderate evidence)\n        [x.y.Z.imsi()]\n",
		"        Starts at boot (moderate evidence) [com.second.Boot.onReceive()]\n",
		"      The app's code that names, loads or installs it:\n        org.example.dropper.Main.drop(): names a33.jpg\n",
		"  packed    Jiagu (Qihoo 360) (packer): the real code is encrypted in the packer's native library",
		"  implied   READ_EXTERNAL_STORAGE: the app does not request it, Android grants it because of its request for WRITE_EXTERNAL_STORAGE\n",
		"  renamed   31 of 40 classes with one- or two-letter names, 2 no Java source can spell\n",
		"  - Fake encryption flag (EncryptionFlag; 2 places; found in the ZIP container)\n      Files are marked as password-protected",
		"  - Code Android refuses to run (DexClassRejected; 1 place; found in the code (DEX))",
		"      Android refuses the file (or, in code, the class) because of it.\n",
		"  - SomethingNew (SomethingNew; 1 place; found in a compiled XML file)\n      appxray noted this departure",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	// The tricks come before what is not one.
	if strings.Index(text, "Fake encryption flag") > strings.Index(text, "Bytes no file covers") {
		t.Error("a trick is listed after an anomaly that is none")
	}
	// The unused permission is listed apart, not as a finding.
	if strings.Contains(text, "Requests RECORD_AUDIO") {
		t.Error("the unused permission is still a finding of its category")
	}

	html := out["html"]
	for _, want := range []string{
		`<h2 id="where-it-goes-h">Where it goes</h2>`,
		`<h2 id="hidden-inside-h">Hidden inside</h2>`,
		`<h4 id="to-1" class="dest">to http://c2.example.invalid/… <span class="badge special">unencrypted</span></h4>`,
		`<span class="sent">→ sent to http://c2.example.invalid/… (cleartext)</span>`,
		`<p><strong>Where it goes:</strong> sent to <a href="#to-1">http://c2.example.invalid/… (cleartext)</a>.</p>`,
		`<p><strong>Rests on a permission Android implies:</strong> READ_EXTERNAL_STORAGE, which the app does not request`,
		`<h3 id="payload-1">Hidden code in assets/data.bin</h3>`,
		`<h3 id="payload-2">A second app in assets/a33.jpg</h3>`,
		`<li>passes it to java.net.URL.&lt;init&gt;() <span class="meta">in</span> <code>classes.dex Lorg/example/dropper/Main;-&gt;id()V</code> <span class="meta">at pc 0x1a</span></li>`,
		`<td>no: Android implies it (requested WRITE_EXTERNAL_STORAGE)</td>`,
		`<td>line&nbsp;8</td>`,
		`<td>the app&#39;s code reaches files: classes.dex org.example.dropper.Main.save()</td>`,
		`the real code is encrypted in the packer&#39;s native library`,
		`That this report does not show a behaviour proves nothing`,
		`<h4>Fake encryption flag <span class="meta">(2 · <code>EncryptionFlag</code> · found in the ZIP container)</span> <span class="badge">trick</span></h4>`,
		`3 package names, 2 of the first 3 known terms: looks for specific apps (2), religion (1); not com.device.sms.x`,
		`<h3>Requested, but its own code never uses it</h3>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(html, "behaviour.app_watchlist (2)") {
		t.Error("HTML shows a raw category ID in an evidence detail")
	}

	md := out["markdown"]
	for _, want := range []string{
		"## Where it goes\n",
		"#### to http://c2.example.invalid/… (cleartext)\n\n- **IMEI or MEID** (device identifiers)\n  - path, strong evidence",
		"    2. passes it to java.net.URL.&lt;init&gt;() — `classes.dex Lorg/example/dropper/Main;->id()V` pc 0x1a\n",
		"  - **→ sent to http://c2.example.invalid/… (cleartext)**\n",
		"## Hidden inside\n\n### Hidden code in `assets/data.bin`\n",
		"#### What its code does\n\n##### Device identifiers",
		"### Requested, but its own code never uses it\n\n- **Microphone**: `RECORD_AUDIO` (`AndroidManifest.xml line 8`)\n",
		"| `READ_EXTERNAL_STORAGE` | no: Android implies it (requested WRITE_EXTERNAL_STORAGE) | yes | the app's code reaches files: classes.dex org.example.dropper.Main.save() |",
		"#### Fake encryption flag (2; `EncryptionFlag`, a trick)\n",
		"> That this report does not show a behaviour proves nothing",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}

	var sarif struct {
		Runs []struct {
			Properties map[string]any `json:"properties"`
			Results    []struct {
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				CodeFlows []struct {
					ThreadFlows []struct {
						Locations []struct {
							Location struct {
								Logical []struct {
									FQN string `json:"fullyQualifiedName"`
								} `json:"logicalLocations"`
								Message struct {
									Text string `json:"text"`
								} `json:"message"`
							} `json:"location"`
						} `json:"locations"`
					} `json:"threadFlows"`
				} `json:"codeFlows"`
				Properties map[string]any `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out["sarif"]), &sarif); err != nil {
		t.Fatal(err)
	}
	run := sarif.Runs[0]
	flows := 0
	for _, res := range run.Results {
		for _, cf := range res.CodeFlows {
			flows++
			locs := cf.ThreadFlows[0].Locations
			if len(locs) == 0 || locs[0].Location.Logical[0].FQN == "" || !strings.Contains(locs[len(locs)-1].Location.Message.Text, "pc 0x") {
				t.Errorf("code flow %+v", cf)
			}
		}
	}
	// The IMEI read (its sent_to) and the name field (its form finding).
	if flows != 2 {
		t.Errorf("%d code flows, want 2", flows)
	}
	if run.Properties["packers"] == nil || run.Properties["embedded"] == nil {
		t.Errorf("run properties %v", run.Properties)
	}
}

// TestFlowWords: labels of sources and destinations, in words.
func TestFlowWords(t *testing.T) {
	for _, tt := range []struct {
		s    scan.FlowSource
		want string
	}{
		{scan.FlowSource{Kind: "field", Title: "Name", Field: "xm"}, "name"},
		{scan.FlowSource{Kind: "field", Title: "ID card number", Field: "sfzh"}, "ID card number"},
		{scan.FlowSource{Kind: "field", Title: "Google Search", Field: "q"}, "Google Search"},
		{scan.FlowSource{Kind: "field", Field: "q"}, "the field @id/q"},
		// A field without a label is titled by how it is read.
		{scan.FlowSource{Kind: "field", Title: "text typed", Field: "filename"}, "the field @id/filename"},
		{scan.FlowSource{Kind: "api", Title: "Reads the IMEI or MEID", Category: knowledge.DeviceIdentifiers}, "IMEI or MEID"},
		{scan.FlowSource{Kind: "api", Title: "Queries a content provider", Category: knowledge.DeviceSMS}, "SMS and MMS"},
	} {
		if got := sourceLabel(tt.s); got != tt.want {
			t.Errorf("sourceLabel(%+v) = %q, want %q", tt.s, got, tt.want)
		}
	}
	for _, tt := range []struct {
		s    scan.FlowSink
		want string
	}{
		{scan.FlowSink{Kind: "network", Destination: "http://x.example/up", Cleartext: true}, "http://x.example/up (cleartext)"},
		{scan.FlowSink{Kind: "network"}, "a server whose address the code does not spell out"},
		{scan.FlowSink{Kind: "sdk", Destination: "Umeng", SDK: "Umeng Analytics"}, "Umeng Analytics"},
		{scan.FlowSink{Kind: "file", Destination: "sms.txt", Title: "writes to a stream"}, "the file sms.txt on the phone"},
		// A destination built wholly of unknown parts names none.
		{scan.FlowSink{Kind: "file", Destination: "…", Title: "writes to a stream"}, "a file on the phone"},
		{scan.FlowSink{Kind: "file", Destination: "/sdcard/…/log.txt", Title: "writes to a stream"}, "the file /sdcard/…/log.txt on the phone"},
		{scan.FlowSink{Kind: "file", Destination: "…/….html", Title: "writes to a stream"}, "a .html file on the phone"},
		{scan.FlowSink{Kind: "file", Destination: "…/x.html", Title: "writes to a stream"}, "the file …/x.html on the phone"},
		{scan.FlowSink{Kind: "network", Destination: "……"}, "a server whose address the code does not spell out"},
		{scan.FlowSink{Kind: "file", Destination: "__dp", Title: "inserts into a local database"}, "a local database “__dp” on the phone"},
		{scan.FlowSink{Kind: "file", Destination: "wifiinfo", Title: "stores in shared preferences"}, "its settings “wifiinfo” (shared preferences) on the phone"},
		{scan.FlowSink{Kind: "log", Title: "writes to the system log"}, "the system log"},
		{scan.FlowSink{Kind: "ipc", Destination: "android.intent.action.VIEW"}, "other apps or parts of the app (android.intent.action.VIEW)"},
		{scan.FlowSink{Kind: "sms", Destination: "+100"}, "an SMS to +100"},
		{scan.FlowSink{Kind: "sms", Destination: "+…"}, "an SMS"},
	} {
		if got := destLabel(tt.s); got != tt.want {
			t.Errorf("destLabel(%+v) = %q, want %q", tt.s, got, tt.want)
		}
	}
	if got := plainWhat("passes it to Lorg/x/Up;->send(Ljava/lang/String;)V and reads Lorg/x/C;->F:I"); got != "passes it to org.x.Up.send() and reads org.x.C.F" {
		t.Errorf("plainWhat = %q", got)
	}
}

// TestHumanDetail: category IDs become titles, other dotted names stay.
func TestHumanDetail(t *testing.T) {
	for in, want := range map[string]string{
		"terms: behaviour.app_watchlist (3), person.religion (5)": "terms: looks for specific apps (3), religion (5)",
		"the code reaches device.sms.":                            "the code reaches SMS and MMS.",
		"package com.device.sms.x and device.smsx":                "package com.device.sms.x and device.smsx",
		"host person.name.example":                                "host person.name.example",
		"no.such_category here":                                   "no.such_category here",
	} {
		if got := humanDetail(in); got != want {
			t.Errorf("humanDetail(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFlowSentences: one clause per server, by its host; a URL built at
// run time is a server the code does not name; the app's log, settings
// and databases stay out.
func TestFlowSentences(t *testing.T) {
	fl := func(id, title, dest, sinkTitle string, kind string) scan.Flow {
		return scan.Flow{ID: id, Source: scan.FlowSource{Kind: "api", Title: title, Category: knowledge.DeviceIdentifiers},
			Sink: scan.FlowSink{Kind: kind, Destination: dest, Cleartext: strings.HasPrefix(dest, "http:"), Title: sinkTitle}, Confidence: scan.Sure("path")}
	}
	v := newFlowView([]scan.Flow{
		fl("1", "Reads the IMEI or MEID", "http://su.example/a.ashx?ie=…", "puts in a URL", "network"),
		fl("2", "Reads the IMSI (subscriber ID)", "http://su.example/b.ashx?is=…", "puts in a URL", "network"),
		fl("3", "Reads the IMEI or MEID", "…/?sim=…", "puts in a URL", "network"),
		fl("4", "Reads the IMEI or MEID", "ids", "stores in shared preferences", "file"),
		fl("5", "Reads the IMEI or MEID", "", "writes to the system log", "log"),
	})
	got := strings.Join(flowSentences(v), "\n")
	want := "Its own code sends the IMEI or MEID and the IMSI (subscriber ID) without encryption to su.example, and the IMEI or MEID to a server whose address the code does not spell out."
	if got != want {
		t.Errorf("flowSentences:\n%s\nwant\n%s", got, want)
	}
	if len(v.App) != 5 {
		t.Errorf("%d destinations in the section, want all 5", len(v.App))
	}
	// A field without a label keeps one article in the list.
	v = newFlowView([]scan.Flow{{ID: "f", Source: scan.FlowSource{Kind: "field", Title: "text typed", Field: "filename"},
		Sink: scan.FlowSink{Kind: "file", Title: "writes to a stream"}, Confidence: scan.Sure("path")}})
	got = strings.Join(flowSentences(v), "\n")
	want = "Its own code writes the field @id/filename typed into its forms to a file on the phone."
	if got != want {
		t.Errorf("flowSentences:\n%s\nwant\n%s", got, want)
	}
	// Data goes in an SMS; carried SDK code holds the sending.
	v = newFlowView([]scan.Flow{{ID: "s", SDK: "Xbot", Source: scan.FlowSource{Kind: "api", Title: "Reads the IMEI or MEID", Category: knowledge.DeviceIdentifiers},
		Sink: scan.FlowSink{Kind: "sms", Destination: "+100", Title: "sends by SMS"}, Confidence: scan.Sure("path")}})
	got = strings.Join(flowSentences(v), "\n")
	want = "The SDKs it carries hold code that sends the IMEI or MEID in an SMS to +100."
	if got != want {
		t.Errorf("flowSentences:\n%s\nwant\n%s", got, want)
	}
	// Code no table names that the app never refers to is not called an
	// SDK: it is named by its namespace, apart from a named SDK's.
	sms := func(id, sdk string) scan.Flow {
		return scan.Flow{ID: id, SDK: sdk, Source: scan.FlowSource{Kind: "api", Title: "Reads the IMEI or MEID", Category: knowledge.DeviceIdentifiers},
			Sink: scan.FlowSink{Kind: "sms", Destination: "+100", Title: "sends by SMS"}, Confidence: scan.Sure("path")}
	}
	v = newFlowView([]scan.Flow{sms("u", scan.UnreachedSDK("com.xbot")), sms("n", "Umeng Analytics")})
	got = strings.Join(flowSentences(v), "\n")
	want = "The SDKs it carries hold code that sends the IMEI or MEID in an SMS to +100.\n" +
		"It carries code it never refers to (com.xbot) that sends the IMEI or MEID in an SMS to +100."
	if got != want {
		t.Errorf("flowSentences:\n%s\nwant\n%s", got, want)
	}
	// What is written to several content providers is one clause.
	v = newFlowView([]scan.Flow{
		fl("6", "Reads the IMEI or MEID", "", "inserts into a content provider", "provider"),
		fl("7", "Reads the IMEI or MEID", "content://mms/inbox", "inserts into a content provider", "provider"),
		fl("8", "Reads the IMEI or MEID", "content://mms/…/addr", "inserts into a content provider", "provider"),
		fl("9", "Reads the IMSI (subscriber ID)", "content://sms/sent", "inserts into a content provider", "provider"),
	})
	got = strings.Join(flowSentences(v), "\n")
	want = "Its own code writes the IMEI or MEID to content providers content://mms/inbox, content://mms/…/addr and one the code does not name, and the IMSI (subscriber ID) to a content provider content://sms/sent."
	if got != want {
		t.Errorf("flowSentences:\n%s\nwant\n%s", got, want)
	}
}

// One kind of trick makes tools misread apps; two make.
func TestTrickSentence(t *testing.T) {
	one := anomalyGroup{Title: "Dangerous file name", Trick: true, List: make([]scan.Anomaly, 2)}
	two := anomalyGroup{Title: "Fake encryption flag", Trick: true, List: make([]scan.Anomaly, 1)}
	for _, c := range []struct {
		gs   []anomalyGroup
		want string
	}{
		{[]anomalyGroup{one}, "1 kind of trick that makes analysis tools misread apps (dangerous file name)"},
		{[]anomalyGroup{one, two}, "2 kinds of tricks that make analysis tools misread apps (dangerous file name and fake encryption flag)"},
		{nil, ""},
	} {
		if got := trickSentence(c.gs); !strings.Contains(got, c.want) {
			t.Errorf("trickSentence = %q, want it to hold %q", got, c.want)
		}
	}
}
