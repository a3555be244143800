package knowledge

import (
	"slices"
	"testing"
)

func ruleCats(rs []APIRule) []string {
	var out []string
	for _, r := range rs {
		if r.Category != "" {
			out = append(out, string(r.Category))
		} else {
			out = append(out, "decided_by:"+r.DecidedBy)
		}
	}
	return out
}

func TestMatchMethod(t *testing.T) {
	tests := []struct {
		class, method string
		want          []string
	}{
		{"Landroid/telephony/TelephonyManager;", "getDeviceId", []string{"device.identifiers"}},
		{"Landroid/telephony/TelephonyManager;", "getSubscriberId", []string{"device.identifiers"}},
		{"Landroid/telephony/TelephonyManager;", "getLine1Number", []string{"device.phone_number"}},
		{"Landroid/telephony/TelephonyManager;", "getCellLocation", []string{"device.network", "device.location"}},
		{"Landroid/telephony/TelephonyManager;", "getPhoneType", nil},
		{"Landroid/telephony/SmsManager;", "sendTextMessage", []string{"behaviour.sms_send"}},
		{"Landroid/content/pm/PackageManager;", "getInstalledPackages", []string{"device.installed_apps"}},
		{"Landroid/location/LocationManager;", "getLastKnownLocation", []string{"device.location"}},
		{"Lcom/google/android/gms/location/FusedLocationProviderClient;", "getLastLocation", []string{"device.location"}},
		{"Landroid/net/wifi/WifiManager;", "getScanResults", []string{"device.network", "device.location"}},
		{"Ljava/net/NetworkInterface;", "getHardwareAddress", []string{"device.identifiers"}},
		{"Landroid/hardware/Camera;", "open", []string{"device.camera"}},
		{"Landroid/media/AudioRecord;", "startRecording", []string{"device.microphone"}},
		{"Landroid/media/projection/MediaProjection;", "createVirtualDisplay", []string{"device.screen"}},
		{"Landroid/content/ClipboardManager;", "getPrimaryClip", []string{"device.clipboard"}},
		{"Landroid/accounts/AccountManager;", "getAccounts", []string{"device.accounts"}},
		{"Lcom/google/android/gms/ads/identifier/AdvertisingIdClient;", "getAdvertisingIdInfo", []string{"device.identifiers"}},
		{"Ldalvik/system/DexClassLoader;", "<init>", []string{"behaviour.dynamic_code"}},
		{"Ljava/lang/Runtime;", "exec", []string{"behaviour.native_exec", "decided_by:command"}},
		{"Landroid/content/BroadcastReceiver;", "abortBroadcast", []string{"behaviour.sms_intercept"}},
		{"Landroid/content/pm/PackageInstaller$Session;", "commit", []string{"behaviour.installs_apps"}},
		{"Lcom/android/internal/telephony/ITelephony;", "endCall", []string{"behaviour.calls"}},
		{"Lcom/example/ITelephony;", "endCall", nil},
		{"Landroid/content/ContentResolver;", "query", []string{"decided_by:content_uri"}},
		{"Landroid/provider/Settings$Secure;", "getString", []string{"decided_by:string"}},
		// AnyMethod rules: any call into an accessibility service's base class.
		{"Landroid/accessibilityservice/AccessibilityService;", "getRootInActiveWindow", []string{"behaviour.accessibility", "device.other_apps_data", "behaviour.accessibility"}},
		{"Landroid/accessibilityservice/AccessibilityService;", "onCreate", []string{"behaviour.accessibility"}},
		// Same method name on an unrelated class.
		{"Lcom/example/MyManager;", "getDeviceId", nil},
		// Added for issue 12: writing to the media library, the text an
		// input method reads, results handed back, classes looked up.
		{"Landroid/provider/MediaStore$Audio$Media;", "getContentUriForPath", []string{"device.media"}},
		{"Landroid/view/inputmethod/InputConnection;", "getTextBeforeCursor", []string{"device.other_apps_data"}},
		{"Landroid/view/inputmethod/InputConnection;", "commitText", nil},
		{"Landroid/content/BroadcastReceiver;", "setResultData", []string{"behaviour.exposed"}},
		{"Ljava/lang/Class;", "forName", []string{"behaviour.dynamic_code", "decided_by:class_name"}},
	}
	for _, tt := range tests {
		got := ruleCats(MatchMethod(tt.class, tt.method))
		if !slices.Equal(got, tt.want) {
			t.Errorf("MatchMethod(%s, %s) = %v, want %v", tt.class, tt.method, got, tt.want)
		}
	}
	// Weak rules say so.
	for _, r := range MatchMethod("Ljava/lang/reflect/Method;", "invoke") {
		if r.Confidence != Weak {
			t.Errorf("Method.invoke rule is %s, want weak", r.Confidence)
		}
	}
}

func TestMatchStaticField(t *testing.T) {
	tests := []struct {
		class, field, want string
	}{
		{"Landroid/os/Build;", "SERIAL", "device.identifiers"},
		{"Landroid/provider/ContactsContract$Contacts;", "CONTENT_URI", "device.contacts"},
		{"Landroid/provider/CallLog$Calls;", "CONTENT_URI", "device.call_log"},
		{"Landroid/provider/Telephony$Sms;", "CONTENT_URI", "device.sms"},
		{"Landroid/provider/CalendarContract$Events;", "CONTENT_URI", "device.calendar"},
		{"Landroid/os/Build;", "MODEL", ""},
	}
	for _, tt := range tests {
		rs := MatchStaticField(tt.class, tt.field)
		got := ""
		if len(rs) > 0 {
			got = string(rs[0].Category)
			if rs[0].Kind != KindStaticField {
				t.Errorf("%s->%s: kind %s", tt.class, tt.field, rs[0].Kind)
			}
		}
		if got != tt.want {
			t.Errorf("MatchStaticField(%s, %s) = %q, want %q", tt.class, tt.field, got, tt.want)
		}
	}
	// A static field is not a method.
	if rs := MatchMethod("Landroid/os/Build;", "SERIAL"); len(rs) != 0 {
		t.Errorf("MatchMethod matched a field: %v", rs)
	}
}

func TestMatchContentURI(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"content://sms", "device.sms"},
		{"content://sms/inbox", "device.sms"},
		{"content://sms?limit=1", "device.sms"},
		{"content://mms-sms/conversations", "device.sms"},
		{"content://call_log/calls", "device.call_log"},
		{"content://com.android.contacts/data/phones", "device.contacts"},
		{"content://icc/adn", "device.contacts"},
		{"content://com.android.calendar/events", "device.calendar"},
		{"content://browser/bookmarks", "device.browser"},
		{"content://com.android.chrome.browser/history", "device.browser"},
		{"content://media/external/images/media", "device.media"},
		{"content://media/external/file", "device.files"}, // longest prefix wins
		{"content://smsx/inbox", ""},                      // not on a boundary
		{"content://com.android.contactsx", ""},
		{"content://com.example.provider/items", ""},
		{"http://sms", ""},
		{"", ""},
	}
	for _, tt := range tests {
		r, ok := MatchContentURI(tt.uri)
		if ok != (tt.want != "") || string(r.Category) != tt.want {
			t.Errorf("MatchContentURI(%q) = %q, %v; want %q", tt.uri, r.Category, ok, tt.want)
		}
	}
}

func TestMatchCommand(t *testing.T) {
	tests := []struct {
		s    string
		want []string
	}{
		{"su", []string{"behaviour.root"}},
		{"su -c sh", []string{"behaviour.root"}},
		{"pm install -r /sdcard/a.apk", []string{"behaviour.installs_apps"}},
		{"application/vnd.android.package-archive", []string{"behaviour.installs_apps"}},
		{"com.android.internal.telephony.ITelephony", []string{"behaviour.calls"}},
		{"/system/bin/su", []string{"behaviour.root"}},
		// Not commands of those kinds.
		{"sun", nil},
		{"ls -l", nil},
		{"android_id", nil},
		{"text/plain", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range MatchCommand(tt.s) {
			got = append(got, string(r.Category))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("MatchCommand(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestReadsAsProse(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"Check the logcat output for more details.", true},
		{"Unable to start the built-in screen recorder, sorry", true},
		{"Нажмите здесь, чтобы открыть logcat", true},
		{"Step 2: open the log", true}, // one word that is not a letter word
		{"logcat", false},
		{"dumpsys activity top", false}, // three words: a command
		{"input keyevent 26 then 27", false},
		{"logcat -d -v threadtime", false},
		{"su -c logcat now please", false},
		{"sh /data/local/tmp/run now please", false},
		{"logcat | grep the pid", false},
		{"echo $PATH and run logcat", false},
		{"could not read logcat: %s", false}, // a format verb: kept as a command
		{"", false},
	}
	for _, tt := range tests {
		if got := ReadsAsProse(tt.s); got != tt.want {
			t.Errorf("ReadsAsProse(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestMatchString(t *testing.T) {
	cats := func(s string) []string {
		var out []string
		for _, r := range MatchString(s) {
			out = append(out, string(r.Category))
		}
		return out
	}
	tests := []struct {
		s    string
		want []string
	}{
		{"android_id", []string{"device.identifiers"}},
		{"ANDROID_ID", []string{"device.identifiers"}},
		{"su", []string{"behaviour.root"}},
		{"/system/xbin/su", []string{"behaviour.root"}},
		{"Superuser.apk", []string{"behaviour.root"}},
		{"/system/app/Superuser.apk", []string{"behaviour.root"}},
		{"com.topjohnwu.magisk", []string{"behaviour.root"}},
		{"pm list packages -f", []string{"device.installed_apps", "behaviour.native_exec"}},
		{"logcat -d", []string{"device.other_apps_data"}},
		// A message that mentions a program does not run it.
		{"Check the logcat output for more details.", nil},
		{"logcat -d -v time | grep pid", []string{"device.other_apps_data"}},
		{"dumpsys activity top", []string{"behaviour.native_exec", "device.other_apps_data"}},
		// A program's name inside another word is not the program.
		{"Could not find getProperty(String) in java.lang.System", nil},
		{"/system/bin/getprop ro.serialno", []string{"behaviour.native_exec"}},
		{"logcatter", nil},
		{"DUMPSYS_MEMINFO", nil},
		{"请查看logcat输出", nil},
		// A prose string still names a root app (root detection).
		{"Magisk is installed on this device", []string{"behaviour.root"}},
		{"/system/bin/screencap -p /sdcard/s.png", []string{"device.screen", "behaviour.native_exec"}},
		{"android.intent.action.CALL", []string{"behaviour.calls"}},
		{"android.intent.action.CALL_BUTTON", nil},
		{"sugar", nil},
		{"result", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := cats(tt.s)
		if !slices.Equal(got, tt.want) {
			t.Errorf("MatchString(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	// Of two rules for one category, the more specific one is reported.
	if r := MatchString("com.topjohnwu.magisk"); len(r) != 1 || r[0].Value != "com.topjohnwu.magisk" {
		t.Errorf("MatchString(com.topjohnwu.magisk) = %+v", r)
	}
	// Results keep the data file's spelling.
	if r := MatchString("SUPERUSER.APK"); len(r) != 1 || r[0].Value != "superuser.apk" {
		t.Errorf("MatchString(SUPERUSER.APK) = %+v", r)
	}
	// Appending to a result must not change the shared table.
	r := MatchString("android_id")
	_ = append(r, StringRule{Value: "x"})
	if again := MatchString("android_id"); len(again) != 1 {
		t.Errorf("shared table modified: %+v", again)
	}
}

func TestAPITablesReferToTaxonomy(t *testing.T) {
	n := 0
	for _, r := range APIs() {
		n++
		if r.Category == "" && r.DecidedBy == "" {
			t.Errorf("%s->%s: neither category nor decided_by", r.Class, r.Member)
		}
		if r.Category != "" && !r.Category.Known() {
			t.Errorf("%s->%s: unknown category %s", r.Class, r.Member, r.Category)
		}
	}
	for _, r := range ContentURIs() {
		n++
		if !r.Category.Known() {
			t.Errorf("%s: unknown category %s", r.Prefix, r.Category)
		}
	}
	for _, r := range Strings() {
		n++
		if !r.Category.Known() {
			t.Errorf("%s: unknown category %s", r.Value, r.Category)
		}
	}
	if len(APIs()) < 150 {
		t.Errorf("only %d API rules", len(APIs()))
	}
	t.Logf("checked %d API, content-URI and string rules", n)
}

// Rules whose permission is not their category's, and rules decided by
// one argument, say so in the table.
func TestRuleDetails(t *testing.T) {
	perms := func(class, method string) []string {
		for _, r := range MatchMethod(class, method) {
			if r.Category == DeviceNetwork {
				return r.Permissions
			}
		}
		return nil
	}
	if got := perms("Landroid/telephony/TelephonyManager;", "getCellLocation"); !slices.Contains(got, "android.permission.ACCESS_COARSE_LOCATION") {
		t.Errorf("getCellLocation opens with %v, want a location permission", got)
	}
	if got := perms("Landroid/net/wifi/WifiManager;", "getConnectionInfo"); got != nil {
		t.Errorf("getConnectionInfo names permissions %v; its category's apply", got)
	}
	args := map[string]int{}
	for _, r := range APIs() {
		if r.DecidedBy != "" {
			args[r.Class+"->"+r.Member+" "+r.DecidedBy] = r.Arg
		}
	}
	for k, want := range map[string]int{
		"Ljava/lang/Runtime;->exec command":                    1,
		"Ljava/lang/ProcessBuilder;-><init> command":           1,
		"Landroid/os/ServiceManager;->getService command":      0,
		"Ljava/lang/Class;->forName class_name":                0,
		"Landroid/content/ContentResolver;->query content_uri": -1,
	} {
		if got, ok := args[k]; !ok || got != want {
			t.Errorf("%s: arg %d (present %v), want %d", k, got, ok, want)
		}
	}
}

func TestMatchClassName(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"dalvik.system.DexClassLoader", true},
		{"DALVIK.SYSTEM.DEXCLASSLOADER", true},
		{"dalvik.system.DexClassLoaderX", false},
		{"java.lang.String", false},
		{"su", false}, // a command word, not a class
	} {
		if got := len(MatchClassName(c.s)) > 0; got != c.want {
			t.Errorf("MatchClassName(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestJavaScriptRules(t *testing.T) {
	rs := JavaScriptRules()
	i := slices.IndexFunc(rs, func(r JSRule) bool { return r.Property == "device.uuid" })
	if i < 0 || rs[i].Category != DeviceIdentifiers || len(rs[i].RequiresClass) == 0 {
		t.Errorf("device.uuid rule: %+v", rs)
	}
}

func TestScriptLibrary(t *testing.T) {
	for name, want := range map[string]string{
		"jquery-1.7.2.min.js":    "jQuery",
		"jquery.mobile-1.1.0.js": "jQuery Mobile",
		"jquery.js":              "jQuery",
		"cordova3.5.js":          "Apache Cordova",
		"cordova.js":             "Apache Cordova",
		"jqueryfoo.js":           "",
		"index.js":               "",
		"Angular.min.js":         "AngularJS",
	} {
		if got := ScriptLibrary(name); got != want {
			t.Errorf("ScriptLibrary(%q) = %q, want %q", name, got, want)
		}
	}
}
