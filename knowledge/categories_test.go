package knowledge

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"appxray/knowledge/internal/catgen"
)

// The taxonomy of issue 3 is a contract: every ID must be present.
var issueTaxonomy = []string{
	"person.name", "person.national_id", "person.birth", "person.gender", "person.address",
	"person.phone_number", "person.email", "person.photo", "person.physical", "person.biometric",
	"person.religion", "person.ethnicity", "person.political", "person.health", "person.sexuality",
	"person.criminal", "person.relationships", "person.travel", "person.vehicle", "person.finance",
	"person.work_education", "person.credentials",
	"device.contacts", "device.sms", "device.call_log", "device.calendar", "device.accounts",
	"device.installed_apps", "device.identifiers", "device.phone_number", "device.location",
	"device.network", "device.camera", "device.microphone", "device.screen", "device.clipboard",
	"device.notifications", "device.files", "device.media", "device.browser", "device.other_apps_data",
	"behaviour.dynamic_code", "behaviour.native_exec", "behaviour.root", "behaviour.accessibility",
	"behaviour.device_admin", "behaviour.hidden", "behaviour.sms_send", "behaviour.calls",
	"behaviour.boot", "behaviour.app_watchlist", "behaviour.content_watchlist", "behaviour.cleartext",
	"behaviour.exposed", "behaviour.packed",
	"behaviour.overlay", "behaviour.sms_intercept", "behaviour.file_encryption", "behaviour.installs_apps",
}

func TestCategoriesMatchIssue(t *testing.T) {
	cats := Categories()
	var ids []string
	for _, c := range cats {
		ids = append(ids, string(c.ID))
		if !strings.HasPrefix(string(c.ID), string(c.Group)+".") {
			t.Errorf("%s: group %s does not prefix the id", c.ID, c.Group)
		}
		if c.Title == "" || c.Description == "" {
			t.Errorf("%s: missing title or description", c.ID)
		}
	}
	for _, id := range issueTaxonomy {
		if !slices.Contains(ids, id) {
			t.Errorf("taxonomy lacks %s", id)
		}
	}
	if len(ids) != len(issueTaxonomy) {
		t.Errorf("taxonomy has %d categories, the issue %d: update the test when adding one", len(ids), len(issueTaxonomy))
	}
	t.Logf("compared %d categories", len(ids))
}

func TestSpecialCategories(t *testing.T) {
	want := []string{"person.religion", "person.ethnicity", "person.political", "person.health",
		"person.biometric", "person.sexuality", "person.criminal"}
	var got []string
	for _, c := range Categories() {
		if c.Special {
			got = append(got, string(c.ID))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("special categories = %v, want %v", got, want)
	}
}

func TestCategoryByID(t *testing.T) {
	c, ok := CategoryByID("device.sms")
	if !ok || c.Group != GroupDevice || c.Special {
		t.Errorf("CategoryByID(device.sms) = %+v, %v", c, ok)
	}
	if _, ok := CategoryByID("device.nonexistent"); ok {
		t.Error("CategoryByID accepted an unknown id")
	}
	if !IsCategory("person.religion") || IsCategory("religion") {
		t.Error("IsCategory is wrong")
	}
	// Categories returns a copy: changing it must not change the table.
	cs := Categories()
	cs[0].ID = "changed"
	if Categories()[0].ID == "changed" {
		t.Error("Categories exposes the shared table")
	}
}

// Every data file must load; a broken embedded file would otherwise only
// show up as a panic at run time.
func TestAllDataLoads(t *testing.T) {
	if err := Validate(); err != nil {
		t.Fatal(err)
	}
}

// categories_gen.go must be what go generate makes of categories.json today.
func TestGeneratedCategoriesCurrent(t *testing.T) {
	data, err := dataFS.ReadFile("data/categories.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := catgen.Generate(data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("categories_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("categories_gen.go is stale: run go generate ./knowledge")
	}
	for _, c := range Categories() {
		if catgen.ConstName(string(c.ID)) == "" {
			t.Errorf("%s has no constant name", c.ID)
		}
	}
	if DeviceSMS != "device.sms" || PersonNationalID != "person.national_id" || BehaviourSMSSend != "behaviour.sms_send" {
		t.Error("constant names do not follow the IDs")
	}
}

func TestSeverities(t *testing.T) {
	for _, c := range Categories() {
		if c.Special && c.Severity != SeverityHigh {
			t.Errorf("%s is special but defaults to %s", c.ID, c.Severity)
		}
	}
	if DeviceSMS.DefaultSeverity() != SeverityHigh || PersonName.DefaultSeverity() != SeverityMedium || BehaviourBoot.DefaultSeverity() != SeverityLow {
		t.Error("default severities changed")
	}
	if Category("device.unknown").DefaultSeverity() != SeverityLow || Category("device.unknown").Known() {
		t.Error("an unknown category is not low and unknown")
	}
	if MaxSeverity(SeverityLow, SeverityHigh) != SeverityHigh || SeverityHigh.Lower() != SeverityMedium || SeverityInfo.Lower() != SeverityInfo {
		t.Error("severity order is wrong")
	}
	var s Severity
	if err := json.Unmarshal([]byte(`"critical"`), &s); err == nil {
		t.Error("an unknown severity was accepted")
	}
}

func TestLibraries(t *testing.T) {
	libs := Libraries()
	if len(libs) < 30 {
		t.Fatalf("%d libraries", len(libs))
	}
	for i := 1; i < len(libs); i++ {
		if len(libs[i].Prefix) > len(libs[i-1].Prefix) {
			t.Fatalf("not longest first at %s", libs[i].Prefix)
		}
	}
	for desc, want := range map[string]string{
		"Lokhttp3/Call;":                    "OkHttp",
		"Lcom/google/android/gms/ads/A;":    "Google Play services",
		"Landroidx/appcompat/app/Activity;": "AndroidX",
		"Lokhttp/Call;":                     "",
		"Lcom/example/Main;":                "",
		// Libraries bundled in the development corpus (issue 12).
		"Lorg/mozilla/javascript/Parser;":                     "Rhino (Mozilla JavaScript engine)",
		"Lorg/mozilla/javascriptx/A;":                         "",
		"Lorg/jivesoftware/smack/tcp/PacketWriter;":           "Smack (XMPP client)",
		"Landroid/arch/lifecycle/LiveData;":                   "Android Architecture Components",
		"Landroid/archive/A;":                                 "",
		"Lbutterknife/ButterKnife;":                           "ButterKnife",
		"Lcom/google/appinventor/components/runtime/Form;":    "MIT App Inventor runtime",
		"Lorg/apache/cordova/CordovaActivity;":                "Apache Cordova",
		"Lorg/apache/http/client/HttpClient;":                 "Apache libraries",
		"Lcom/esotericsoftware/kryo/Kryo;":                    "EsotericSoftware (Kryo, KryoNet, jsonbeans)",
		"Ljcifs/smb/SmbFile;":                                 "jCIFS",
		"Linfo/asankan/phonegap/smsplugin/SmsPlugin;":         "", // a Cordova plugin the app bundles is its own
		"Lcom/codebutler/android_websockets/WebSocketClient;": "android-websockets",
		"Lcom/codebutler/other/A;":                            "",
		"Lorg/acra/ACRA;":                                     "ACRA (crash reports)",
		"Lcom/actionbarsherlock/app/SherlockActivity;":        "ActionBarSherlock",
		"Lorg/ksoap2/SoapEnvelope;":                           "kSOAP2",
	} {
		if got := LibraryOf(desc); got != want {
			t.Errorf("LibraryOf(%s) = %q, want %q", desc, got, want)
		}
	}
}
