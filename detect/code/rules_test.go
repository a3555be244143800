package code_test

import (
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/detect/code"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/scan"
)

// testdata/rules.dex is built from testdata/smali with
// `smali a -o rules.dex smali`: calls whose meaning lies in what is passed
// to them, each beside one that must not match.
const rulesDex = "testdata/rules.dex"

// level returns the confidence of the finding of category cat whose
// evidence lies in method, "" when there is none.
func level(fs []analysis.Finding, cat, method string) scan.Level {
	var best scan.Level
	for _, f := range fs {
		if string(f.Category) != cat {
			continue
		}
		for _, e := range f.Evidence {
			if strings.Contains(e.Location, method) && (best == "" || f.Confidence.Level.Rank() < best.Rank()) {
				best = f.Confidence.Level
			}
		}
	}
	return best
}

func TestArgumentDecidedCalls(t *testing.T) {
	res := testapp.Run(t, rulesDex, code.APIs)
	for _, c := range []struct {
		cat, method string
		want        scan.Level
	}{
		// su passed to exec is root; su loaded beside exec("ls") is not.
		{"behaviour.root", "Shell;->runSu", scan.LevelHigh},
		{"behaviour.root", "Shell;->checkThenList", ""},
		// pm install -r built by a caller and run by a helper.
		{"behaviour.installs_apps", "Shell;->exec", scan.LevelHigh},
		// A command written to the shell it started, whichever branch
		// chose the shell.
		{"behaviour.root", "Shell;->written", scan.LevelHigh},
		// DexClassLoader named in Base64 and looked up by reflection.
		{"behaviour.dynamic_code", "Loader;->load", scan.LevelHigh},
		{"behaviour.dynamic_code", "Loader;->own", scan.LevelLow},
		// An activity that disables itself hides its icon; one that
		// enables a component does not.
		{"behaviour.hidden", "Hide;->onCreate", scan.LevelMedium},
		{"behaviour.hidden", "Hide;->enable", scan.LevelLow},
		// An incoming SMS tested against words and hidden: a watchlist;
		// tested but not hidden: none.
		{"behaviour.content_watchlist", "SmsFilter;->onReceive", scan.LevelMedium},
		{"behaviour.content_watchlist", "SmsLog;->onReceive", ""},
		// A cipher over a file found by listing shared storage; over a
		// stream that is no file, weak.
		{"behaviour.file_encryption", "Crypt;->encrypt", scan.LevelMedium},
		{"behaviour.file_encryption", "Crypt;->wrap", scan.LevelLow},
		// A window of an overlay type is drawn over other apps (a bare
		// DEX has no manifest to lack SYSTEM_ALERT_WINDOW); one of
		// unknown type is not shown to be.
		{"behaviour.overlay", "Overlay;->show", scan.LevelMedium},
		{"behaviour.overlay", "Overlay;->own", scan.LevelLow},
		// A query of row IDs only reads no content; one of every column
		// does.
		{"device.files", "Erase;->ids", scan.LevelLow},
		{"device.sms", "Erase;->inbox", scan.LevelHigh},
	} {
		if got := level(res.Findings, c.cat, c.method); got != c.want {
			t.Errorf("%s in %s: confidence %q, want %q", c.cat, c.method, got, c.want)
		}
	}
}

// The register analysis: values through moves, builders, arrays,
// branches and parameters; callers of a helper.
func TestFrames(t *testing.T) {
	res := testapp.Run(t, rulesDex, code.APIs)
	ix, ok := analysis.Get[*code.IndexResult](res, code.Index)
	if !ok {
		t.Fatal("no index")
	}
	find := func(class, name string) (int, uint32) {
		for d, df := range ix.Dex {
			for _, m := range df.File.FindMethods(class, name) {
				return d, m
			}
		}
		t.Fatalf("no method %s->%s", class, name)
		return 0, 0
	}
	invokeOf := func(fr *code.Frame, name string) *code.InvokeAt {
		for i := range fr.Invokes {
			if ref, err := fr.File.Method(fr.Invokes[i].Method); err == nil && ref.Name == name {
				return &fr.Invokes[i]
			}
		}
		t.Fatalf("no invoke of %s", name)
		return nil
	}

	// Both branches' shells reach exec.
	d, m := find("Lorg/example/rules/Shell;", "written")
	fr := ix.Frame(d, m)
	exec := invokeOf(fr, "exec")
	got := fr.Strings(exec.Args[1])
	if !slicesEqual(got, []string{"sh", "/system/bin/sh"}) && !slicesEqual(got, []string{"/system/bin/sh", "sh"}) {
		t.Errorf("exec's command: %q, want sh and /system/bin/sh", got)
	}

	// The helper's argument is its parameter; its caller built the array.
	d, m = find("Lorg/example/rules/Shell;", "exec")
	fr = ix.Frame(d, m)
	pb := invokeOf(fr, "<init>")
	if vs := pb.Args[1]; len(vs) != 1 || vs[0].Kind != code.ValParam || vs[0].Index != 0 {
		t.Errorf("ProcessBuilder's argument %+v, want parameter 0", vs)
	}
	site := code.Site{Dex: d, Method: m, PC: pb.PC}
	if got := ix.ArgStrings(t.Context(), site, 1); !slicesEqual(got, []string{"pm", "install", "-r"}) {
		t.Errorf("strings reaching the helper's ProcessBuilder: %q", got)
	}
	if callers := ix.Callers(t.Context(), d, m); len(callers) != 1 {
		t.Errorf("callers of Shell.exec: %v, want one (Shell.install)", callers)
	}

	// The builder's parts: "http://", the parameter, ":8118/push/".
	d, m = find("Lorg/example/rules/Net;", "built")
	fr = ix.Frame(d, m)
	fetch := invokeOf(fr, "fetch")
	if got := fr.Strings(fetch.Args[0]); !slicesEqual(got, []string{"http://", ":8118/push/"}) {
		t.Errorf("strings of the built URL: %q", got)
	}

	// Numbers an SMS goes to, when written in the code.
	var sms []string
	for _, f := range res.Findings {
		if f.Category == "behaviour.sms_send" {
			sms = append(sms, f.Title+": "+f.Evidence[0].Detail)
		}
	}
	if len(sms) != 2 || !strings.Contains(strings.Join(sms, "\n"), "Sends SMS to numbers written in its code: calls Landroid/telephony/SmsManager;->sendTextMessage") || !strings.Contains(strings.Join(sms, "\n"), `with "7151"`) {
		t.Errorf("SMS findings %q, want one naming 7151 and one without a number", sms)
	}

	// Literals: the state passed to setComponentEnabledSetting.
	d, m = find("Lorg/example/rules/Hide;", "enable")
	fr = ix.Frame(d, m)
	set := invokeOf(fr, "setComponentEnabledSetting")
	if got := code.Literals(set.Args[2]); len(got) != 1 || got[0] != 1 {
		t.Errorf("state literal %v, want [1]", got)
	}
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Xbot carries three copies of its bot; the manifest runs org.merry.core,
// and nothing refers to com.xbot or org.luckybird: their code is
// third-party code the app never reaches, not the app's.
func TestUnreachedNamespaces(t *testing.T) {
	p := corpus.File(t, "../shared/corpus-dev/xbot/1264C25D67D41F52102573D3C528BCDDDA42129DF5052881F7E98B4A90F61F23.apk")
	res := testapp.Run(t, p, code.APIs)
	sdks := map[string]string{}
	for _, f := range res.Findings {
		if f.Category != "behaviour.sms_send" {
			continue
		}
		for _, e := range f.Evidence {
			for _, ns := range []string{"Lorg/merry/", "Lcom/xbot/", "Lorg/luckybird/"} {
				if strings.Contains(e.Location, ns) {
					sdks[ns] = f.SDK
				}
			}
		}
	}
	want := map[string]string{"Lorg/merry/": "", "Lcom/xbot/": "third-party code (com.xbot)", "Lorg/luckybird/": "third-party code (org.luckybird)"}
	for ns, w := range want {
		if got, ok := sdks[ns]; !ok || got != w {
			t.Errorf("SMS sending in %s attributed to %q (found %v), want %q", ns, got, ok, w)
		}
	}
}
