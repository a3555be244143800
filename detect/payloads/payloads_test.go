package payloads

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/code"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/knowledge"
	"appxray/scan"
)

// rezip copies an APK and adds entries, compressed with method.
func rezip(t *testing.T, src []byte, extra map[string][]byte, method uint16) []byte {
	t.Helper()
	return testapp.Zip(t, src, nil, extra, method)
}

func entry(t *testing.T, apk []byte, name string) []byte {
	zr, _ := zip.NewReader(bytes.NewReader(apk), int64(len(apk)))
	for _, f := range zr.File {
		if f.Name == name {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			return b
		}
	}
	t.Fatalf("no %s", name)
	return nil
}

func TestHiddenPayloads(t *testing.T) {
	demo, err := os.ReadFile(testapp.Demo(t))
	if err != nil {
		t.Fatal(err)
	}
	// A JAR of the demo's code, XORed as droppers hide their second stage.
	var jar bytes.Buffer
	zw := zip.NewWriter(&jar)
	w, _ := zw.Create("classes.dex")
	w.Write(entry(t, demo, "classes.dex"))
	zw.Close()
	enc := jar.Bytes()
	app.XORCipher{Key: 0x5a}.Decode(enc, 0)
	for _, method := range []uint16{zip.Store, zip.Deflate} {
		apk := rezip(t, demo, map[string][]byte{
			"assets/a33.jpg":  demo, // a second app named as an image
			"assets/data.bin": enc,
			"assets/real.jpg": []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00 plus image data of some length"),
		}, method)
		ctx := context.Background()
		a, err := app.OpenBytes(ctx, "dropper.apk", apk, app.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer, code.APIs})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range res.Errors {
			t.Error(e)
		}
		r, _ := analysis.Get[*Result](res, Analyzer)
		byLoc := map[string]int{}
		for i, e := range r.Embedded {
			byLoc[e.Location] = i
		}
		if len(r.Embedded) != 2 {
			t.Fatalf("method %d: embedded %+v", method, r.Embedded)
		}
		second := r.Embedded[byLoc["assets/a33.jpg"]]
		if second.Kind != "apk" || second.Package != "org.appxray.demo.ijop" || len(second.Dex) != 1 || second.Dex[0] != "assets/a33.jpg!classes.dex" {
			t.Errorf("second app %+v", second)
		}
		hidden := r.Embedded[byLoc["assets/data.bin"]]
		if hidden.Kind != "jar" || hidden.Encoding != "XOR with the byte 0x5a" || len(hidden.Dex) != 1 {
			t.Errorf("hidden code %+v", hidden)
		}
		// The payloads' code went through the code channel, named by the
		// file that carries it.
		var inSecond, inHidden, packed, carries bool
		for _, f := range res.Findings {
			for _, ev := range f.Evidence {
				inSecond = inSecond || strings.HasPrefix(ev.Location, "assets/a33.jpg!classes.dex L")
				inHidden = inHidden || strings.HasPrefix(ev.Location, "assets/data.bin!classes.dex L")
			}
			switch {
			case f.Category == knowledge.BehaviourPacked && strings.Contains(f.Title, "assets/data.bin") && f.Confidence.Level == "high":
				packed = true
			case f.Category == knowledge.BehaviourInstallsApps && strings.Contains(f.Title, "Carries a second app in assets/a33.jpg") && strings.Contains(f.Title, "under a name that hides what it is"):
				carries = true
			}
		}
		if !inSecond || !inHidden || !packed || !carries {
			t.Errorf("method %d: code in second app %v, in hidden jar %v, packed finding %v, second-app finding %v", method, inSecond, inHidden, packed, carries)
		}
		a.Close()
	}
}

// xHelper, real malware (parsed only): its second stage is
// assets/firehelper.jar XORed with 0x37, or assets/xhelperdata.jar XORed
// with a key that counts up with the offset.
func TestXHelper(t *testing.T) {
	for file, want := range map[string]string{
		"69344c280d9c6efe22758c2e008920f0823f5bacef27e9c4eb3eab28117d927d.apk": "XOR with the byte 0x37",
		"9ce80c16891cc295d0742378d6b5fad00982aeb5ce7c2e34bac27b5007ea85be.apk": "XOR with 0x00 plus 1 times each byte's offset",
	} {
		p := corpus.File(t, "../shared/corpus-dev/xHelper/"+file)
		ctx := context.Background()
		a, err := app.Open(ctx, p, app.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer, code.APIs})
		a.Close()
		if err != nil {
			t.Fatal(err)
		}
		r, _ := analysis.Get[*Result](res, Analyzer)
		if len(r.Embedded) != 1 || r.Embedded[0].Encoding != want || r.Embedded[0].Kind != "jar" {
			t.Errorf("%s: %+v", file, r.Embedded)
		}
		payloadCode := false
		for _, f := range res.Findings {
			for _, ev := range f.Evidence {
				payloadCode = payloadCode || strings.Contains(ev.Location, ".jar!classes.dex L")
			}
		}
		if !payloadCode {
			t.Errorf("%s: no finding from the decoded payload's code", file)
		}
	}
}

// TestPayloadHiderApp scans testapps/payload-hider: a second, inert APK
// (built from testapps/payload-hider/inner) hidden as assets/banner.jpg,
// which Loader.extract copies to the files dir, Loader.load loads with
// DexClassLoader, Loader.install hands to PackageInstaller and
// Loader.installByShell to `pm install`. The second app is found by its
// content, its code is read with the app's (its findings name
// assets/banner.jpg!classes.dex), and the payload's finding carries the
// code that names it, loads it and installs it (not loadClass, which
// proves nothing about a file alone).
func TestPayloadHiderApp(t *testing.T) {
	p := corpus.File(t, ".corpus/testapps/payload-hider.apk")
	res := testapp.Run(t, p, Analyzer, code.APIs)
	r, _ := analysis.Get[*Result](res, Analyzer)
	if len(r.Embedded) != 1 {
		t.Fatalf("embedded %+v, want assets/banner.jpg alone", r.Embedded)
	}
	e := r.Embedded[0]
	if e.Location != "assets/banner.jpg" || e.Kind != "apk" || e.Encoding != "" || e.Package != "org.appxray.test.inner" ||
		e.Label != "hidden second stage (inert)" || e.Permissions != 1 || !slices.Equal(e.Dex, []string{"assets/banner.jpg!classes.dex"}) {
		t.Errorf("embedded %+v", e)
	}

	const loader = "classes.dex Lorg/appxray/test/payloadhider/Loader;->"
	what := `a second app (an APK), org.appxray.test.inner ("hidden second stage (inert)")`
	wantTitle := "Carries a second app in assets/banner.jpg: " + what + " under a name that hides what it is"
	wantEv := []string{
		"asset: assets/banner.jpg: " + what,
		"code: " + loader + "extract(Landroid/content/Context;)Ljava/io/File;: names banner.jpg",
		"code: " + loader + "load(Landroid/content/Context;)Ljava/lang/Object;: calls Ldalvik/system/DexClassLoader;-><init>(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/ClassLoader;)V",
		"code: " + loader + "install(Landroid/content/Context;)V: calls Landroid/content/pm/PackageInstaller;->createSession(Landroid/content/pm/PackageInstaller$SessionParams;)I",
		"code: " + loader + "install(Landroid/content/Context;)V: calls Landroid/content/pm/PackageInstaller$Session;->commit(Landroid/content/IntentSender;)V",
		"code: " + loader + "installByShell(Landroid/content/Context;)V: calls Ljava/lang/Runtime;->exec(Ljava/lang/String;)Ljava/lang/Process;",
	}
	var payload []analysis.Finding
	inner := false
	for _, f := range res.Findings {
		if f.Analyzer == Analyzer.Name {
			payload = append(payload, f)
		}
		for _, ev := range f.Evidence {
			if f.Category == knowledge.DeviceIdentifiers && ev.Location == "assets/banner.jpg!classes.dex Lorg/appxray/test/inner/Payload;->deviceId(Landroid/content/Context;)Ljava/lang/String;" {
				inner = true
			}
		}
	}
	if !inner {
		t.Errorf("no device.identifiers finding in assets/banner.jpg!classes.dex Lorg/appxray/test/inner/Payload;->deviceId: %+v", testapp.Summarise(res.Findings))
	}
	if len(payload) != 1 {
		t.Fatalf("payload findings %+v", payload)
	}
	f := payload[0]
	var got []string
	for _, ev := range f.Evidence {
		got = append(got, string(ev.Kind)+": "+ev.Location+": "+ev.Detail)
	}
	if f.Category != knowledge.BehaviourInstallsApps || f.Title != wantTitle || f.Confidence.Level != scan.LevelMedium || !slices.Equal(got, wantEv) {
		t.Errorf("payload finding %s %q %s\n%s\nwant %s %q medium\n%s", f.Category, f.Title, f.Confidence.Level, strings.Join(got, "\n"),
			knowledge.BehaviourInstallsApps, wantTitle, strings.Join(wantEv, "\n"))
	}
}
