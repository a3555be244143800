package stringscan

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/knowledge"
	"appxray/scan"
)

func TestScanURLs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"see http://a.example.cn/x?y=1 now", []string{"http://a.example.cn/x?y=1"}},
		{`"https://api.site.com/v1/upload",`, []string{"https://api.site.com/v1/upload"}},
		{"ws://10.0.0.2:8080/live and wss://b.io", []string{"ws://10.0.0.2:8080/live", "wss://b.io"}},
		{"content://sms/inbox file:///sdcard/x", nil}, // not network schemes
		{"://nothing", nil},
		{"http://", nil},
		{"HTTP://UPPER.COM/A.", []string{"HTTP://UPPER.COM/A"}},
	}
	for _, tt := range tests {
		var got []string
		scanURLs([]byte(tt.in), func(u string, _ int) { got = append(got, u) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("scanURLs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		in        string
		host, ip  string
		clear, ok bool
	}{
		{"http://collect.ijop-demo.invalid/api/upload", "collect.ijop-demo.invalid", "", true, true},
		{"https://API.Example.cn:8443/x", "api.example.cn", "", false, true},
		{"http://192.168.1.20:8080/", "192.168.1.20", "192.168.1.20", true, true},
		{"http://[2001:db8::1]/", "2001:db8::1", "2001:db8::1", true, true},
		{"http://schemas.android.com/apk/res/android", "", "", false, false},
		{"http://www.w3.org/2001/XMLSchema", "", "", false, false},
		{"http://%s/format", "", "", false, false},
		// JAXP's feature names end in no top-level domain.
		{"http://javax.xml.transform.dom.DOMResult/feature", "", "", false, false},
		{"http://javax.xml.XMLConstants/feature/secure-processing", "", "", false, false},
		// Private suffixes, special-use names and single labels do name
		// servers.
		{"http://infolifeserver.appspot.com/appversion", "infolifeserver.appspot.com", "", true, true},
		{"http://duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion/", "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion", "", true, true},
		{"http://server/myapp/index.html", "server", "", true, true},
		{"http://cdv_exec/", "", "", false, false},
		{"http://__NO_MATCHING_AD__", "", "", false, false},
		{"http://mmsc.vnet.mobi", "mmsc.vnet.mobi", "", true, true},
	}
	for _, tt := range tests {
		host, ip, clear, ok := parseEndpoint(tt.in)
		if host != tt.host || ip != tt.ip || clear != tt.clear || ok != tt.ok {
			t.Errorf("parseEndpoint(%q) = %q %q %v %v, want %q %q %v %v", tt.in, host, ip, clear, ok, tt.host, tt.ip, tt.clear, tt.ok)
		}
	}
}

func TestBareHost(t *testing.T) {
	yes := []string{"api.umeng.com", "10.1.2.3", "10.1.2.3:8080", "upload.gov.cn", "x.y.example.ru", "10.0.0.172", "smtp.gmail.com"}
	no := []string{"com.example.app", "org.telegram.messenger", "java.vm.info", "android.intent.extra.cc",
		"config.json", "index.html", "ro.build.id", "1.2.3", "0.0.0.0", "Foo.Bar", "a.b", "version.txt",
		// Masks, networks and broadcast addresses; message and
		// configuration keys; example domains; underscores.
		"255.255.255.0", "1.0.0.0", "127.0.0.255", "msg.reserved.id", "base.app.id", "build.info",
		"crashlytics.installation.id", "pump1.example.com", "my_server.example.ru"}
	for _, s := range yes {
		if _, _, ok := bareHost(s); !ok {
			t.Errorf("bareHost(%q) = false, want true", s)
		}
	}
	for _, s := range no {
		if h, _, ok := bareHost(s); ok {
			t.Errorf("bareHost(%q) = %q, want no host", s, h)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		in   string
		want itemKind
	}{
		{"com.whatsapp", itemPackage},
		{"org.telegram.messenger", itemPackage},
		{"com.example.MainActivity", itemOther},
		{"config.json", itemOther},
		{"d41d8cd98f00b204e9800998ecf8427e", itemMD5},
		{"da39a3ee5e6b4b0d3255bfef95601890afd80709", itemSHA1},
		{"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", itemSHA256},
		{"d41d8cd98f00b204e9800998ecf8427z", itemOther},
		{"hello", itemOther},
		// System features and permissions are written like packages.
		{"android.hardware.camera.flash", itemOther},
		{"android.software.leanback", itemOther},
		{"android.permission.READ_SMS", itemOther},
		{"com.android.vending", itemPackage},
	}
	for _, tt := range tests {
		if got := classify(tt.in); got != tt.want {
			t.Errorf("classify(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestPrintableRuns(t *testing.T) {
	b := []byte("\x00\x01su -c ls\x00ab\x00content://sms\xff")
	var got []string
	var offs []int
	printableRuns(b, 6, func(s []byte, off int) { got = append(got, string(s)); offs = append(offs, off) })
	if !slices.Equal(got, []string{"su -c ls", "content://sms"}) || !slices.Equal(offs, []int{2, 14}) {
		t.Errorf("printableRuns = %q at %v", got, offs)
	}
}

// TestDemo asserts the demo app's endpoints and watchlists exactly.
func TestDemo(t *testing.T) {
	res := testapp.Run(t, testapp.DemoPath(), Analyzer)
	r := resultOf(res)
	var hosts []string
	for _, e := range r.Endpoints {
		hosts = append(hosts, e.Host)
		switch e.Host {
		case "collect.ijop-demo.invalid":
			if !e.Cleartext || e.URL != "http://collect.ijop-demo.invalid/api/upload" {
				t.Errorf("demo endpoint %+v", e)
			}
			if e.FoundIn[0].Location != "classes.dex Lorg/appxray/demo/ijop/Uploader;->upload(Ljava/lang/String;)I" {
				t.Errorf("demo endpoint found in %v", e.FoundIn)
			}
		case "alog.umeng.com":
			if e.Cleartext || e.Tracker == "" {
				t.Errorf("umeng endpoint %+v", e)
			}
		}
	}
	if !slices.Equal(hosts, []string{"alog.umeng.com", "collect.ijop-demo.invalid"}) {
		t.Errorf("demo hosts = %q", hosts)
	}
	if len(r.Watchlists) != 3 {
		t.Fatalf("demo watchlists = %+v, want 3", r.Watchlists)
	}
	for _, w := range r.Watchlists {
		switch w.Evidence.Location {
		case "assets/watch/packages.txt line 1":
			if w.Size != 10 || w.Category != knowledge.BehaviourAppWatchlist || w.Sample[0] != "com.whatsapp" {
				t.Errorf("packages watchlist %+v", w)
			}
		case "assets/watch/hashes.txt line 1":
			if w.Size != 12 || w.Category != knowledge.BehaviourContentWatchlist || w.Kind != "MD5 hashes" {
				t.Errorf("hashes watchlist %+v", w)
			}
		case "assets/watch/keywords.txt line 1":
			if w.Size != 9 || w.Category != knowledge.BehaviourContentWatchlist || w.Kind != "keywords" || w.Sample[0] != "古兰经" ||
				!strings.Contains(w.Evidence.Detail, "person.religion (5)") {
				t.Errorf("keywords watchlist %+v", w)
			}
		default:
			t.Errorf("unexpected watchlist %+v", w)
		}
	}
	cats := map[knowledge.Category]bool{}
	for _, f := range res.Findings {
		cats[f.Category] = true
	}
	want := map[knowledge.Category]bool{"behaviour.app_watchlist": true, "behaviour.content_watchlist": true,
		"behaviour.cleartext": true, "device.sms": true}
	for c := range cats {
		if !want[c] {
			t.Errorf("unexpected finding category %s", c)
		}
	}
	for c := range want {
		if !cats[c] {
			t.Errorf("missing finding category %s", c)
		}
	}
	if len(r.Executables) != 0 {
		t.Errorf("demo has no ELF files, got %+v", r.Executables)
	}
}

// corpusWatchlists are every watchlist in the corpus, by file and place.
// a2dp.Vol (and its copy in partialsignature.apk) looks for launchers and
// music apps by package name. Lists of configuration keys (kotlinx's
// scheduler properties) and of library namespaces (AndroidX Test's class-path
// scanner) must not appear here.
var corpusWatchlists = map[string]bool{
	"tests/a2dp.Vol_137.apk classes.dex La2dp/Vol/ProviderList;-><clinit>()V":     true,
	"tests/partialsignature.apk classes.dex La2dp/Vol/ProviderList;-><clinit>()V": true,
	"demo-ijop.apk assets/watch/packages.txt line 1":                              true,
	"demo-ijop.apk assets/watch/hashes.txt line 1":                                true,
	"demo-ijop.apk assets/watch/keywords.txt line 1":                              true,
}

// TestCorpusStrings runs the channel over the whole corpus: no errors, and
// every endpoint carries evidence.
func TestCorpusStrings(t *testing.T) {
	endpoints, watchlists := 0, 0
	seen := map[string]bool{}
	for _, path := range corpus.APKs(t) {
		res, ok := tryRun(t, path)
		if !ok {
			continue
		}
		for _, w := range res.Watchlists {
			watchlists++
			key := corpus.Name(path) + " " + w.Evidence.Location
			if !corpusWatchlists[key] {
				t.Errorf("unexpected watchlist %s at %s: %v", w.Kind, key, w.Sample)
			}
			seen[key] = true
		}
		for _, e := range res.Endpoints {
			endpoints++
			if len(e.FoundIn) == 0 || e.Places < len(e.FoundIn) {
				t.Errorf("%s: endpoint %s without evidence", corpus.Name(path), e.Host)
			}
		}
	}
	for key := range corpusWatchlists {
		if !seen[key] && !strings.HasPrefix(key, "demo-ijop.apk ") {
			t.Errorf("watchlist %s no longer found", key)
		}
	}
	t.Logf("strings: %d endpoints, %d watchlists over the corpus", endpoints, watchlists)
}

// TestBundledExecutable builds an APK carrying a real ELF executable in
// assets/ with a shell command in it, and a .so in lib/.
func TestBundledExecutable(t *testing.T) {
	elfBytes, err := os.ReadFile("/bin/true")
	if err != nil {
		t.Fatalf("need an ELF file to embed: %v", err)
	}
	payload := append(slices.Clone(elfBytes), []byte("\x00pm list packages -f\x00http://203.0.113.9/c2\x00")...)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range map[string][]byte{
		"AndroidManifest.xml":       {0x03, 0x00, 0x08, 0x00},
		"assets/bin/helper":         payload,
		"lib/arm64-v8a/libplain.so": []byte("\x7fELF not really"),
	} {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	ctx := context.Background()
	a, err := app.OpenBytes(ctx, "elf.apk", buf.Bytes(), app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer})
	if err != nil {
		t.Fatal(err)
	}
	r := resultOf(res)
	if len(r.Executables) != 2 {
		t.Fatalf("executables = %+v", r.Executables)
	}
	var helper *Executable
	for i := range r.Executables {
		if r.Executables[i].Path == "assets/bin/helper" {
			helper = &r.Executables[i]
		}
	}
	if helper == nil || !slices.Contains(helper.Strings, "pm list packages -f") {
		t.Fatalf("helper executable = %+v", helper)
	}
	var cats []string
	for _, f := range res.Findings {
		cats = append(cats, string(f.Category))
		for _, e := range f.Evidence {
			if e.Kind != scan.EvNative {
				t.Errorf("%s: evidence kind %s, want native", f.Title, e.Kind)
			}
		}
	}
	for _, c := range []string{"behaviour.native_exec", "device.installed_apps", "behaviour.cleartext"} {
		if !slices.Contains(cats, c) {
			t.Errorf("missing %s in %v", c, cats)
		}
	}
	found := false
	for _, e := range r.Endpoints {
		if e.IP == "203.0.113.9" && e.Cleartext && strings.HasPrefix(e.FoundIn[0].Location, "assets/bin/helper offset 0x") {
			found = true
		}
	}
	if !found {
		t.Errorf("no cleartext endpoint 203.0.113.9 with native evidence among %d", len(r.Endpoints))
	}
}
