package server

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"appxray/internal/corpus"
	"appxray/internal/pgtest"
	"appxray/internal/testapp"
	"appxray/store"
)

// screenshots is where TestBrowser leaves its screenshots (git-ignored).
var screenshots = filepath.Join(corpus.Root(), ".corpus", "screenshots", "serve")

// TestBrowser walks through the workspace as a person does, in headless
// Chromium, on PostgreSQL: log in, upload the demo app, wait for its
// report, search by a special category, open two versions of one package
// and their diff. No page may log a console error (a CSP violation logs
// one) or ask for anything but this server.
func TestBrowser(t *testing.T) {
	var bin string
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		corpus.Missing(t, "needs Chromium (apt-get install chromium)")
	}
	demo := testapp.Demo(t)
	older := corpus.File(t, "/usr/share/doc/androguard/examples/tests/lineageos_nexus5_framework-res.apk")
	newer := corpus.File(t, "/usr/share/android-framework-res/framework-res.apk")
	w := newWS(t, pgtest.Database(t), wsOptions{})
	if _, err := w.db.CreateUser(context.Background(), "ana", store.RoleAnalyst, "a long passphrase"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // the server notices the account
	if err := os.MkdirAll(screenshots, 0o755); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	var mu sync.Mutex
	var problems []string
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if !strings.HasPrefix(e.Request.URL, w.url) && !strings.HasPrefix(e.Request.URL, "data:") {
				problems = append(problems, "request to "+e.Request.URL)
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				problems = append(problems, "console error: "+string(e.Type))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				problems = append(problems, "log: "+e.Entry.Text+" ("+e.Entry.URL+")")
			}
		}
	}))
	defer cancel()
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
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			buf, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(screenshots, name), buf, 0o644)
		})
	}
	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel chromedp.CSS) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	// Anyone unauthenticated lands on the login form.
	step("login page",
		chromedp.Navigate(w.url+"/apps"),
		chromedp.WaitVisible(chromedp.ID("password")),
		shot("01-login.png"),
		chromedp.SendKeys(chromedp.ID("name"), "ana"),
		chromedp.SendKeys(chromedp.ID("password"), "a long passphrase"),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS("form.ax-search")),
	)
	// Upload the demo app; the page follows the job and shows the report.
	step("upload",
		chromedp.Navigate(w.url+"/upload"),
		chromedp.WaitVisible(chromedp.ID("file")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{demo}),
		shot("02-upload.png"),
		chromedp.Submit(chromedp.ID("file")),
		chromedp.WaitVisible(chromedp.ID("verdict")),
		shot("03-app-report.png"),
	)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	title, _ := chromedp.Run(ctx, chromedp.Title())
	// Search by a special category.
	step("search",
		chromedp.Navigate(w.url+"/apps"),
		chromedp.WaitVisible(chromedp.ID("category")),
		chromedp.SetValue(chromedp.ID("category"), "person.religion"),
		chromedp.Submit(chromedp.ID("category")),
		chromedp.WaitVisible(chromedp.CSS("table.ax-table")),
		shot("04-search-religion.png"),
	)
	results := text(".ax-results")
	// Two versions of one package, side by side, then their diff.
	step("upload two versions",
		chromedp.Navigate(w.url+"/upload"),
		chromedp.WaitVisible(chromedp.ID("file")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{newer, older}),
		chromedp.Submit(chromedp.ID("file")),
		chromedp.WaitVisible(chromedp.Search(`//h1[text()="Uploaded"]`)),
	)
	if !strings.Contains(title, "IJOP demo") || !strings.Contains(loc, "/apps/") {
		t.Errorf("after the upload: %s %q", loc, title)
	}
	if !strings.Contains(results, "IJOP demo (inert)") || !strings.Contains(results, "Religion") {
		t.Errorf("search by religion shows: %.300s", results)
	}
	// Wait for both analyses, then compare.
	c := w.script()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var res struct{ Total int }
		c.json(w.db2api(t, "/api/apps?package=android&status=done"), &res)
		if res.Total == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the two framework-res versions were not analysed in time")
		}
		time.Sleep(200 * time.Millisecond)
	}
	step("versions",
		chromedp.Navigate(w.url+"/packages/android"),
		chromedp.WaitVisible(chromedp.CSS("table.ax-versions")),
		shot("05-versions.png"),
	)
	versions := text("table.ax-versions")
	step("diff",
		chromedp.Click(chromedp.Search(`//button[contains(., "Compare the two chosen versions")]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[text()="What changed"]`)),
		shot("06-diff.png"),
	)
	diff := text("body")
	if !strings.Contains(versions, "7.1.2") || !strings.Contains(versions, "10.0.0") || !strings.Contains(versions, "signer changed") {
		t.Errorf("versions table: %.500s", versions)
	}
	if !strings.Contains(diff, "7.1.2") || !strings.Contains(diff, "10.0.0") || !strings.Contains(diff, "Comparing") {
		t.Errorf("diff page: %.500s", diff)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("screenshots in %s", screenshots)
}

// db2api reads an API page as the local script would: the workspace has
// accounts, so it asks with an admin token.
func (w *ws) db2api(t *testing.T, path string) resp {
	t.Helper()
	u, err := w.db.UserByName(context.Background(), "browser-check")
	if err != nil {
		u, err = w.db.CreateUser(context.Background(), "browser-check", store.RoleViewer, "another long passphrase")
		if err != nil {
			t.Fatal(err)
		}
	}
	secret, _, err := w.db.CreateToken(context.Background(), u.ID, "check")
	if err != nil {
		t.Fatal(err)
	}
	c := &client{w: w, c: noRedirect(nil), token: secret}
	return c.get(path)
}
