package flows

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/internal/analysistest"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/scan"
)

// render writes a flow as one line with its path, for exact comparison:
// "level source -> sink dest | method@pc what | …".
func render(f scan.Flow) string {
	src := string(f.Source.Category) + " " + f.Source.API
	if f.Source.Field != "" {
		src = string(f.Source.Category) + " field " + f.Source.Field
	}
	dest := f.Sink.Destination
	if f.Sink.Cleartext {
		dest += " (cleartext)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s -> %s %s", f.Confidence.Level, src, f.Sink.Kind, dest)
	if f.Via != "" {
		fmt.Fprintf(&b, " via %s", f.Via)
	}
	for _, s := range f.Path {
		loc := s.Location[strings.IndexByte(s.Location, ' ')+1:]
		fmt.Fprintf(&b, "\n    %s @%#x %s", loc, s.PC, s.What)
	}
	return b.String()
}

func flowsOf(t *testing.T, path string) []scan.Flow {
	t.Helper()
	res := testapp.Run(t, path, Analyzer)
	for _, err := range res.Errors {
		t.Errorf("analysis error: %v", err)
	}
	for _, c := range res.Cuts {
		if c.Analyzer == Analyzer.Name {
			t.Errorf("cut: %v", c)
		}
	}
	r, ok := analysis.Get[*Result](res, Analyzer)
	if !ok {
		t.Fatal("no flows result")
	}
	return r.Flows
}

func checkFlows(t *testing.T, got []scan.Flow, want []string) {
	t.Helper()
	var lines []string
	for _, f := range got {
		lines = append(lines, render(f))
	}
	sort.Strings(lines)
	sort.Strings(want)
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("flows:\n%s\n\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

const (
	upload    = "Lorg/appxray/demo/ijop/Uploader;->upload(Ljava/lang/String;)I"
	submit    = "Lorg/appxray/demo/ijop/PersonFormActivity;->submit()I"
	collector = "Lorg/appxray/demo/ijop/DeviceCollector;->"
	query     = "Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;"
)

// TestDemoFlows asserts every flow of the demo app with its path, and
// nothing else: the person form's name, ID-card number and phone number
// go in a JSON body to the cleartext upload URL; the IMEI goes to the
// Umeng stand-in; the SMS inbox is written to a file. The other reads
// (contacts, call log, IMSI, installed apps, the other fields) go nowhere
// and must not appear.
func TestDemoFlows(t *testing.T) {
	form := func(cat, id string, pc int) string {
		return fmt.Sprintf("high %s field %s -> network http://collect.ijop-demo.invalid/api/upload (cleartext)\n"+
			"    %s @%#x reads form field @id/%s\n"+
			"    %s @0x6c passes it to %s\n"+
			"    %s @0x20 passes it to Ljava/io/OutputStream;->write([B)V", cat, id, submit, pc, id, submit, upload, upload)
	}
	checkFlows(t, flowsOf(t, testapp.Demo(t)), []string{
		form("person.name", "xm", 0x1b),
		form("person.national_id", "sfzh", 0x3c),
		form("person.phone_number", "lxdh", 0x5d),
		"high device.identifiers Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String; -> sdk Umeng Analytics (友盟统计)\n" +
			"    " + collector + "reportDevice(Landroid/content/Context;)V @0x8 reads Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;\n" +
			"    " + collector + "reportDevice(Landroid/content/Context;)V @0xe passes it to Lcom/umeng/analytics/MobclickAgent;->onEvent(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;)V",
		"high device.sms " + query + " -> file sms_backup.txt\n" +
			"    " + collector + "smsInbox(Landroid/content/Context;)Landroid/database/Cursor; @0xe reads " + query + "\n" +
			"    " + collector + "smsInbox(Landroid/content/Context;)Landroid/database/Cursor; @0x12 returns it\n" +
			"    " + collector + "backupSms(Landroid/content/Context;)V @0x0 gets it from " + collector + "smsInbox(Landroid/content/Context;)Landroid/database/Cursor;\n" +
			"    " + collector + "backupSms(Landroid/content/Context;)V @0x1f passes it to Ljava/io/FileOutputStream;->write([B)V",
	})
}

// TestHardFlows asserts the hard cases exactly (testdata/flows-hard.golden,
// every flow with its path): a flow through a field (medium), through a
// collection (medium), through a Runnable posted to a Handler (its
// object's field, medium), through an interface implemented by two
// classes (only LogSender's path), through a Retrofit service to its base
// URL, a form field found by its R.id constant broadcast with an implicit
// action, a form field found through a view binding; through an explicit
// intent's extra to the app's own service and activity; Object.toString
// on an object made there; a getter of one field of an object holding
// another; an array's element by its constant index; the whole of a JSON
// object; an INSERT; a destination the caller names. It also asserts what
// must not be there (each a wrong flow the first version reported, or
// would have): the SIM serial that is only measured, the explicit intent
// to the app's own activity, NullSender; another intent extra; toString
// on an object of unknown class; another field, another pair; what the
// server sends back and the value's length; another array element;
// another JSON key; a DELETE. LowService's entry point reaches the Wi-Fi
// reads and a ping with no path between them (low), and the MEID, whose
// path KeyFlow shows, with no low guess.
func TestHardFlows(t *testing.T) {
	p := filepath.Join(corpus.Root(), ".corpus", "testapps", "flows-hard.apk")
	if _, err := os.Stat(p); err != nil {
		corpus.Missing(t, "needs .corpus/testapps/flows-hard.apk (scripts/build-testapps.sh .corpus/testapps)")
	}
	got := flowsOf(t, p)
	var lines []string
	for _, f := range got {
		lines = append(lines, render(f))
		text := render(f)
		for _, bad := range []string{
			"getSimSerialNumber", "NullSender", "keepPassport", "Main;->startActivity",
			"+15550111",              // UploadService's SMS of the extra "note"
			"ToStringFlow;->unknown", // Object.toString on an unknown object
			"getAccounts()[Landroid/accounts/Account; -> log", // another pair's a, the pair's b
			"reply.txt", "Log;->v(", // the server's reply, the IMSI's length
			"array.txt",                                                                                                 // another array element
			"getMeid()Ljava/lang/String; -> sms",                                                                        // another JSON key
			"-> file gone", "SqlFlow;->run(Landroid/database/sqlite/SQLiteDatabase;Landroid/net/wifi/WifiInfo;)V @0x12", // the DELETE
			"getMeid()Ljava/lang/String; -> network", // a guess for a value a path follows elsewhere
		} {
			if strings.Contains(text, bad) {
				t.Errorf("a flow that must not exist (%q):\n%s", bad, text)
			}
		}
	}
	sort.Strings(lines)
	analysistest.Golden(t, "flows-hard.golden", []byte(strings.Join(lines, "\n")+"\n"))
	if len(got) != 18 {
		t.Errorf("%d flows, want 18", len(got))
	}
}

// TestRealAppGolden asserts the flows of a real app exactly, with their
// paths (testdata/a2dp.Vol_137.golden; go test -update rewrites it): the
// androguard example a2dp.Vol 1.3.7, whose StoreLoc writes the last known
// location's latitude, longitude and accuracy into an HTML page (reviewed
// by hand: review.json), and whose ProviderList returns the title of the
// launcher shortcut it queried to the activity that asked for it.
func TestRealAppGolden(t *testing.T) {
	p := corpus.File(t, "/usr/share/doc/androguard/examples/tests/a2dp.Vol_137.apk")
	got := flowsOf(t, p)
	var lines []string
	for _, f := range got {
		lines = append(lines, render(f))
	}
	sort.Strings(lines)
	analysistest.Golden(t, "a2dp.Vol_137.golden", []byte(strings.Join(lines, "\n")+"\n"))
}
