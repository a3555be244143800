package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/knowledge"
	"appxray/scan"
)

// screenshotDir is where TestHTMLInBrowser leaves full-page screenshots of
// the reports it opens, for a person to look at (git-ignored).
var screenshotDir = filepath.Join(corpus.Root(), ".corpus", "screenshots")

// chromium finds Debian's Chromium, skipping (or, with
// APPXRAY_REQUIRE_CORPUS=1, failing) the test when it is not installed.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	corpus.Missing(t, "needs Chromium (apt-get install chromium)")
	return ""
}

// largestCorpusApp is the corpus APK with the most bytes.
func largestCorpusApp(t *testing.T) string {
	var best string
	var size int64
	for _, f := range corpus.APKs(t) {
		if st, err := os.Stat(f); err == nil && st.Size() > size {
			best, size = f, st.Size()
		}
	}
	return best
}

// TestHTMLInBrowser opens the HTML reports of the demo app, of the largest
// corpus app, of a real dropper that hides its second stage XOR-encoded
// in its assets (xHelper, parsed only) and of the demo iOS app, plain and
// FairPlay-encrypted, in headless Chromium and checks what a reader meets:
// the headings, the special categories, no console error (a blocked
// resource or a CSP violation would log one), no network request, every
// <details> opening from the keyboard, and evidence visible when printed.
// It saves a full-page screenshot of each into .corpus/screenshots/.
func TestHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	largest := largestCorpusApp(t)
	ipa, _ := writeDemoIPA(t, t.TempDir(), false)
	encrypted, _ := writeDemoIPA(t, t.TempDir(), true)
	apps := []struct{ name, path string }{
		{"demo-ijop", testapp.DemoPath()},
		{strings.TrimSuffix(filepath.Base(largest), filepath.Ext(largest)), largest},
		{"xhelper", corpus.File(t, "../shared/corpus-dev/xHelper/69344c280d9c6efe22758c2e008920f0823f5bacef27e9c4eb3eab28117d927d.apk")},
		{"ios-tracker", ipa},
		{"ios-tracker-encrypted", encrypted},
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	for _, a := range apps {
		name, path := a.name, a.path
		t.Run(name, func(t *testing.T) {
			rep, err := Scan(context.Background(), path, defaultConfig(t))
			if err != nil {
				t.Fatal(err)
			}
			page := filepath.Join(t.TempDir(), name+".html")
			if err := os.WriteFile(page, render(t, "html", rep), 0o644); err != nil {
				t.Fatal(err)
			}
			checkInBrowser(t, actx, rep, "file://"+page, filepath.Join(screenshotDir, name+".png"))
		})
	}
}

func checkInBrowser(t *testing.T, actx context.Context, rep *scan.Report, url, shot string) {
	var mu sync.Mutex
	var consoleErrors, requests []string
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			requests = append(requests, e.Request.URL)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				consoleErrors = append(consoleErrors, fmt.Sprintf("console.%s", e.Type))
			}
		case *runtime.EventExceptionThrown:
			consoleErrors = append(consoleErrors, "exception: "+e.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning {
				consoleErrors = append(consoleErrors, fmt.Sprintf("%s: %s (%s)", e.Entry.Level, e.Entry.Text, e.Entry.URL))
			}
		}
	}))
	defer cancel()
	// The first Run starts the browser and lives as long as ctx; limit the
	// later steps instead.
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{})
		return err
	})); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("footer")); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}

	h2, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("main h2")].map(h => h.textContent.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"In short", "Findings per category", "What it records about people", "What it takes from the device",
		"Where it goes", "What it looks for", "Whom it talks to", "What else it does", "Technical details"}
	if len(rep.Embedded) > 0 {
		want = slices.Insert(want, len(want)-1, "Hidden inside")
	}
	if rep.Declared != nil {
		want = slices.Insert(want, len(want)-1, "Declared and detected")
	}
	var specials []string
	for _, c := range knowledge.Categories() {
		for _, f := range rep.Findings {
			if f.Category == c.ID && c.Special && !slices.Contains(specials, c.Title) {
				specials = append(specials, c.Title)
			}
		}
	}
	if len(specials) > 0 {
		want = slices.Insert(want, 1, "Special categories")
	}
	if !slices.Equal(h2, want) {
		t.Errorf("headings %q, want %q", h2, want)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#special li strong")].map(s => s.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(shown, specials) && !(len(shown) == 0 && len(specials) == 0) {
		t.Errorf("special categories shown %q, want %q", shown, specials)
	}
	landmarks, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("header, nav, main, footer").length`))
	if landmarks != 4 {
		t.Errorf("%d landmarks, want header, nav, main and footer", landmarks)
	}

	// Every <details> opens from the keyboard: focus its summary, press Enter.
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("details").length`))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		focused, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const s = document.querySelectorAll("details")[%d].querySelector(":scope > summary"); s.focus(); return document.activeElement === s })()`, i)))
		if err != nil {
			t.Fatal(err)
		}
		if !focused {
			t.Errorf("details %d: its summary takes no focus", i)
			continue
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		open, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelectorAll("details")[%d].open`, i)))
		if err != nil {
			t.Fatal(err)
		}
		if !open {
			t.Errorf("details %d does not open with Enter", i)
		}
	}
	// Nothing wider than the window, every <details> open: a reader should
	// never scroll sideways.
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const out = [], w = document.documentElement.clientWidth + 1;
		const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let n; (n = walk.nextNode()) && out.length < 5; ) {
			const r = document.createRange(); r.selectNodeContents(n);
			if (r.getBoundingClientRect().right > w) out.push(n.parentElement.tagName + ": " + n.textContent.slice(0, 60));
		}
		return out })()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(wide) > 0 {
		t.Errorf("wider than the window: %q", wide)
	}
	t.Logf("%d <details> opened by keyboard", n)

	// Closed again, and printed: the evidence is on paper all the same.
	if n > 0 {
		hidden, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
			document.querySelectorAll("details").forEach(d => d.open = false);
			return [...document.querySelectorAll("details .body")].filter(b => b.checkVisibility()).length })()`))
		if err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		})); err != nil {
			t.Fatal(err)
		}
		printed, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("details .body")].filter(b => b.checkVisibility() && b.offsetHeight > 0).length`))
		if err != nil {
			t.Fatal(err)
		}
		if hidden != 0 || printed != n {
			t.Errorf("closed evidence: %d of %d visible on screen (want 0), %d printed (want all)", hidden, n, printed)
		}
		if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
			return err
		})); err != nil {
			t.Fatal(err)
		}
	}

	// The screenshot is of the page as a reader first sees it: loaded anew,
	// every <details> closed, screen media.
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("footer")); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", shot)

	mu.Lock()
	defer mu.Unlock()
	if len(consoleErrors) > 0 {
		t.Errorf("console: %q", consoleErrors)
	}
	for _, r := range requests {
		if r != url {
			t.Errorf("the page requested %s", r)
		}
	}
}
