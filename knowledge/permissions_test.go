package knowledge

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"appxray/internal/corpus"
)

func TestProtectionLevelString(t *testing.T) {
	tests := []struct {
		level ProtectionLevel
		want  string
	}{
		{0, "normal"},
		{1, "dangerous"},
		{2, "signature"},
		{3, "signatureOrSystem"},
		{4, "internal"},
		{0x12, "signature|privileged"},
		{0x32, "signature|privileged|development"},
		{0x1001, "dangerous|instant"},
		{0x42, "signature|appop"},
		{0xc212, "signature|privileged|verifier|oem|vendorPrivileged"},
		{0x8000002, "signature|knownSigner"},
		{0x9, "0x9"},
		{0x40000000 | 2, "signature|0x40000000"},
	}
	for _, tt := range tests {
		if got := tt.level.String(); got != tt.want {
			t.Errorf("ProtectionLevel(0x%x).String() = %q, want %q", uint32(tt.level), got, tt.want)
		}
		back, err := ParseProtectionLevel(tt.want)
		if err != nil {
			t.Errorf("ParseProtectionLevel(%q): %v", tt.want, err)
			continue
		}
		if back != tt.level {
			t.Errorf("ParseProtectionLevel(%q) = 0x%x, want 0x%x", tt.want, uint32(back), uint32(tt.level))
		}
	}
}

func TestParseProtectionLevelSpellings(t *testing.T) {
	tests := []struct {
		in   string
		want ProtectionLevel
		err  bool
	}{
		{"signature|system", 0x12, false},
		{"signature|privileged", 0x12, false},
		{"dangerous|ephemeral", 0x1001, false},
		{"0x12", 0x12, false},
		{"18", 0x12, false},
		{"signature|dangerous", 0, true},
		{"bogus", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseProtectionLevel(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseProtectionLevel(%q) = 0x%x, %v; want 0x%x, error %v", tt.in, uint32(got), err, uint32(tt.want), tt.err)
		}
	}
}

func TestPermissionFacts(t *testing.T) {
	tests := []struct {
		name       string
		dangerous  bool
		signature  bool
		flag       ProtectionLevel
		categories []Category
	}{
		{"android.permission.READ_SMS", true, false, 0, []Category{"device.sms"}},
		{"android.permission.SEND_SMS", true, false, 0, []Category{"behaviour.sms_send"}},
		{"android.permission.ACCESS_FINE_LOCATION", true, false, 0, []Category{"device.location"}},
		{"android.permission.READ_PHONE_STATE", true, false, 0, []Category{"device.identifiers", "device.phone_number"}},
		{"android.permission.READ_CONTACTS", true, false, 0, []Category{"device.contacts"}},
		{"android.permission.READ_CALL_LOG", true, false, 0, []Category{"device.call_log"}},
		{"android.permission.CAMERA", true, false, 0, []Category{"device.camera"}},
		{"android.permission.RECORD_AUDIO", true, false, 0, []Category{"device.microphone"}},
		{"android.permission.BIND_ACCESSIBILITY_SERVICE", false, true, 0, []Category{"behaviour.accessibility"}},
		{"android.permission.BIND_NOTIFICATION_LISTENER_SERVICE", false, true, 0, []Category{"device.notifications"}},
		{"android.permission.BIND_DEVICE_ADMIN", false, true, 0, []Category{"behaviour.device_admin"}},
		{"android.permission.RECEIVE_BOOT_COMPLETED", false, false, 0, []Category{"behaviour.boot"}},
		{"android.permission.QUERY_ALL_PACKAGES", false, false, 0, []Category{"device.installed_apps"}},
		{"android.permission.PACKAGE_USAGE_STATS", false, true, ProtectionFlagAppop, []Category{"device.installed_apps", "device.other_apps_data"}},
		{"android.permission.READ_PRIVILEGED_PHONE_STATE", false, true, ProtectionFlagPrivileged, []Category{"device.identifiers"}},
		{"android.permission.MANAGE_EXTERNAL_STORAGE", false, true, ProtectionFlagAppop, []Category{"device.files"}},
		{"android.permission.POST_NOTIFICATIONS", true, false, 0, nil},
		{"android.permission.READ_MEDIA_IMAGES", true, false, 0, []Category{"device.media"}},
		{"android.permission.BLUETOOTH_SCAN", true, false, 0, []Category{"device.network"}},
		{"android.permission.INTERNET", false, false, 0, nil},
	}
	for _, tt := range tests {
		p, ok := PermissionByName(tt.name)
		if !ok {
			t.Errorf("%s missing", tt.name)
			continue
		}
		if p.ProtectionLevel.Dangerous() != tt.dangerous || p.ProtectionLevel.Signature() != tt.signature {
			t.Errorf("%s: level %s, want dangerous=%v signature=%v", tt.name, p.ProtectionLevel, tt.dangerous, tt.signature)
		}
		if tt.flag != 0 && !p.ProtectionLevel.Has(tt.flag) {
			t.Errorf("%s: level %s lacks flag 0x%x", tt.name, p.ProtectionLevel, uint32(tt.flag))
		}
		if !slices.Equal(p.Categories, tt.categories) {
			t.Errorf("%s: categories %v, want %v", tt.name, p.Categories, tt.categories)
		}
		if p.Source == "" {
			t.Errorf("%s: no source", tt.name)
		}
	}
	if _, ok := PermissionByName("android.permission.NOT_A_PERMISSION"); ok {
		t.Error("unknown permission found")
	}
}

// Hand-added permissions must say where they come from and must not
// duplicate the generated table (the loader refuses duplicates).
func TestExtraPermissionsHaveSources(t *testing.T) {
	n := 0
	for _, p := range Permissions() {
		if strings.HasPrefix(p.Source, "framework-res") {
			continue
		}
		n++
		if p.APILevel <= 29 && !strings.Contains(p.Source, "Play services") {
			t.Errorf("%s: hand-added with API level %d, which the generated Android 10 table covers", p.Name, p.APILevel)
		}
	}
	for _, name := range []string{"POST_NOTIFICATIONS", "READ_MEDIA_IMAGES", "READ_MEDIA_VIDEO", "READ_MEDIA_AUDIO",
		"NEARBY_WIFI_DEVICES", "BLUETOOTH_SCAN", "BLUETOOTH_CONNECT", "BODY_SENSORS_BACKGROUND",
		"READ_MEDIA_VISUAL_USER_SELECTED", "USE_EXACT_ALARM", "FOREGROUND_SERVICE_LOCATION",
		"QUERY_ALL_PACKAGES", "MANAGE_EXTERNAL_STORAGE", "ACCESS_BACKGROUND_LOCATION", "ACTIVITY_RECOGNITION"} {
		if _, ok := PermissionByName("android.permission." + name); !ok {
			t.Errorf("android.permission.%s missing", name)
		}
	}
	t.Logf("%d hand-added permissions", n)
}

// The generated table must equal what aapt reads from the installed
// framework-res.apk: same names, same protection levels, same groups.
func TestPermissionsMatchFrameworkRes(t *testing.T) {
	apk := corpus.File(t, "/usr/share/android-framework-res/framework-res.apk")
	res := corpus.Tool(t, "aapt", "dump", "xmltree", apk, "AndroidManifest.xml")
	if res.ExitCode != 0 {
		t.Fatalf("aapt failed (%d): %s", res.ExitCode, res.Stderr)
	}
	type perm struct {
		level uint64
		group string
	}
	want := make(map[string]perm)
	elem := regexp.MustCompile(`^\s*E: (\S+)`)
	attr := regexp.MustCompile(`^\s*A: android:(\w+)\(0x[0-9a-f]+\)=(?:"([^"]*)"|\(type 0x1[01]\)0x([0-9a-f]+))`)
	var cur string
	inPerm := false
	var p perm
	flush := func() {
		if inPerm && cur != "" {
			want[cur] = p
		}
		inPerm, cur, p = false, "", perm{}
	}
	for _, line := range strings.Split(string(res.Stdout), "\n") {
		if m := elem.FindStringSubmatch(line); m != nil {
			flush()
			inPerm = m[1] == "permission"
			continue
		}
		m := attr.FindStringSubmatch(line)
		if !inPerm || m == nil {
			continue
		}
		switch m[1] {
		case "name":
			cur = m[2]
		case "permissionGroup":
			p.group = m[2]
		case "protectionLevel":
			p.level, _ = strconv.ParseUint(m[3], 16, 32)
		}
	}
	flush()
	if len(want) < 400 {
		t.Fatalf("only %d permissions in aapt's dump", len(want))
	}
	got := make(map[string]Permission)
	for _, p := range Permissions() {
		if strings.HasPrefix(p.Source, "framework-res") {
			got[p.Name] = p
		}
	}
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("%s in framework-res but not in data/permissions.json: regenerate with genperms", name)
			continue
		}
		if uint64(g.ProtectionLevel) != w.level || g.Group != w.group {
			t.Errorf("%s: table has %s/%q, aapt says 0x%x/%q", name, g.ProtectionLevel, g.Group, w.level, w.group)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s in the table but not in framework-res", name)
		}
	}
	dangerous := 0
	for _, p := range got {
		if p.ProtectionLevel.Dangerous() {
			dangerous++
		}
	}
	t.Logf("compared %d permissions (%d dangerous) against aapt's dump of framework-res", len(want), dangerous)
}

// Every dangerous permission that guards personal data should map to a
// category; the few that do not are listed here on purpose.
func TestDangerousPermissionsMapped(t *testing.T) {
	unmapped := map[string]string{
		"android.permission.ACCEPT_HANDOVER":     "continues a call started elsewhere",
		"android.permission.POST_NOTIFICATIONS":  "posting, not reading",
		"android.permission.BLUETOOTH_ADVERTISE": "advertises the device, reads nothing",
	}
	for _, p := range Permissions() {
		if !p.ProtectionLevel.Dangerous() || len(p.Categories) > 0 {
			continue
		}
		if _, ok := unmapped[p.Name]; !ok {
			t.Errorf("dangerous permission %s maps to no category", p.Name)
		}
	}
}
