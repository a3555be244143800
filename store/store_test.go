package store

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"appxray/app"
	"appxray/detect"
	"appxray/internal/pgtest"
	"appxray/internal/testapp"
	"appxray/scan"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// backends runs fn against a fresh, migrated SQLite database and a fresh,
// migrated PostgreSQL database.
func backends(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := Open(context.Background(), "", t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		db, err := Open(context.Background(), pgtest.Database(t), "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		fn(t, db)
	})
}

var demoReport = sync.OnceValues(func() (*scan.Report, error) {
	ctx := context.Background()
	a, err := app.Open(ctx, testapp.DemoPath(), app.DefaultOptions())
	if err != nil {
		return nil, err
	}
	defer a.Close()
	return detect.Scan(ctx, a, nil)
})

func demo(t *testing.T) (*scan.Report, []byte) {
	t.Helper()
	testapp.Demo(t)
	rep, err := demoReport()
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	return rep, js
}

func upload(t *testing.T, db *DB, sum, name string) (App, bool) {
	t.Helper()
	var a App
	var created bool
	err := db.InTx(context.Background(), func(tx *Tx) error {
		var err error
		a, created, err = tx.AddUpload(context.Background(), sum, 1234, name, "alice")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a, created
}

func TestMigrateTwice(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatalf("second migration: %v", err)
		}
		v, err := db.schemaVersion(context.Background())
		if err != nil || v != SchemaVersion() {
			t.Fatalf("schema version %d, %v; want %d", v, err, SchemaVersion())
		}
	})
}

func TestUploadOnceReportOncePerVersion(t *testing.T) {
	rep, js := demo(t)
	sum := rep.File.SHA256
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		a, created := upload(t, db, sum, "../../evil/../demo.apk")
		if !created || a.Status != StatusQueued || a.Name != "demo.apk" || !a.HasFile {
			t.Fatalf("first upload: %+v created=%v", a, created)
		}
		if _, created := upload(t, db, sum, "again.apk"); created {
			t.Fatal("the same content created a second row")
		}
		if err := db.MarkRunning(ctx, sum, 1); err != nil {
			t.Fatal(err)
		}
		saved, err := db.SaveReport(ctx, sum, rep, js, false)
		if err != nil || !saved {
			t.Fatalf("save: %v %v", saved, err)
		}
		saved, err = db.SaveReport(ctx, sum, rep, js, false)
		if err != nil || saved {
			t.Fatalf("second save of the same version: saved=%v err=%v", saved, err)
		}
		a, err = db.Get(ctx, sum)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != StatusDone || a.Analyses != 1 || a.Package != rep.App.Package || a.AnalysedVersion != detect.Version || a.Findings != len(rep.Findings) {
			t.Fatalf("after analysis: %+v", a)
		}
		if len(a.Special) == 0 {
			t.Fatal("the demo app has special categories; none recorded")
		}
		if ok, _ := db.Analysed(ctx, sum, detect.Version); !ok {
			t.Fatal("Analysed = false")
		}
		if ok, _ := db.Analysed(ctx, sum, "9.9.9"); ok {
			t.Fatal("Analysed by another version = true")
		}
		got, err := db.Report(ctx, sum)
		if err != nil || string(got) != string(js) {
			t.Fatalf("report read back differs (%v)", err)
		}
		// Re-analysis by a newer version is stored; a forced one too.
		newer := *rep
		newer.Tool.Version = "99.0.0"
		if saved, _ := db.SaveReport(ctx, sum, &newer, js, false); !saved {
			t.Fatal("a newer version's report was not stored")
		}
		if saved, _ := db.SaveReport(ctx, sum, &newer, js, true); !saved {
			t.Fatal("a forced analysis was not stored")
		}
		stale, err := db.Stale(ctx, detect.Version)
		if err != nil || len(stale) != 1 {
			t.Fatalf("stale = %v, %v", stale, err)
		}
		// A failure after done does not undo the report.
		db.MarkFailed(ctx, sum, "late failure")
		if a, _ := db.Get(ctx, sum); a.Status != StatusDone {
			t.Fatalf("status %s after a late failure", a.Status)
		}
		if err := db.Delete(ctx, sum); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Get(ctx, sum); !errors.Is(err, ErrNotFound) {
			t.Fatalf("after delete: %v", err)
		}
		if res, _ := db.Search(ctx, Query{Category: "special"}); res.Total != 0 || len(res.Facets) != 0 {
			t.Fatalf("facts left after delete: %+v", res)
		}
	})
}

func TestFailedAttempts(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		sum := sumOf([]byte("corrupt"))
		upload(t, db, sum, "corrupt.apk")
		db.MarkRunning(ctx, sum, 1)
		db.MarkAttemptFailed(ctx, sum, 1, "attempt 1: blob store down")
		a, _ := db.Get(ctx, sum)
		if a.Status != StatusQueued || a.Attempts != 1 || !strings.Contains(a.Error, "blob store down") {
			t.Fatalf("after a failed attempt: %+v", a)
		}
		db.MarkFailed(ctx, sum, "zip: not a ZIP file")
		a, _ = db.Get(ctx, sum)
		if a.Status != StatusFailed || a.Error != "zip: not a ZIP file" {
			t.Fatalf("after failing: %+v", a)
		}
		if _, err := db.Report(ctx, sum); !errors.Is(err, ErrNotFound) {
			t.Fatalf("report of a failed app: %v", err)
		}
		counts, _ := db.StatusCounts(ctx)
		if counts[StatusFailed] != 1 {
			t.Fatalf("counts %v", counts)
		}
	})
}

func TestSearch(t *testing.T) {
	rep, js := demo(t)
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		sum := rep.File.SHA256
		upload(t, db, sum, "demo.apk")
		if _, err := db.SaveReport(ctx, sum, rep, js, false); err != nil {
			t.Fatal(err)
		}
		// A second app with nothing in it.
		other := sumOf([]byte("other"))
		upload(t, db, other, "other.apk")
		empty := scan.New(scan.Tool{Name: "appxray", Version: detect.Version}, scan.File{SHA256: other})
		empty.App.Package = "org.example.empty"
		empty.App.Label = "Empty"
		ejs, _ := json.Marshal(empty)
		if _, err := db.SaveReport(ctx, other, empty, ejs, false); err != nil {
			t.Fatal(err)
		}

		facts := Facts(rep)
		first := func(kind string) string {
			for _, f := range facts {
				if f.Kind == kind {
					return f.Value
				}
			}
			t.Fatalf("the demo report has no %s fact", kind)
			return ""
		}
		special := first(FactSpecial)
		var host string
		for _, e := range rep.Endpoints {
			if strings.Count(e.Host, ".") >= 2 {
				host = e.Host
				break
			}
		}
		if host == "" {
			t.Fatal("the demo report names no host with a subdomain")
		}
		parent := host[strings.Index(host, ".")+1:]
		var label string
		for _, f := range rep.Fields {
			for _, l := range f.Labels {
				if hasUnsegmented(l) {
					label = strings.Trim(l, ":： ")
				}
			}
		}
		if label == "" {
			t.Fatal("the demo report has no Chinese field label")
		}
		match := []Query{
			{Category: special},
			{Category: "special"},
			{Category: first(FactCategory)},
			{Permission: first(FactPermission)},
			{Host: host},
			{Host: strings.ToUpper(parent)},
			{Signer: first(FactSigner)},
			{Package: rep.App.Package},
			{Label: strings.ToUpper(rep.App.Label[:3])},
			{Text: label},
			{Text: label[:len(label)-len(string([]rune(label)[len([]rune(label))-1:]))]},
			{Category: special, Host: host, Status: StatusDone},
		}
		if len(rep.Trackers) > 0 {
			match = append(match, Query{Tracker: rep.Trackers[0].Name})
		}
		for _, q := range match {
			res, err := db.Search(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			if res.Total != 1 || len(res.Apps) != 1 || res.Apps[0].SHA256 != sum {
				t.Errorf("%+v: %d apps, want the demo app alone", q, res.Total)
			}
		}
		for _, q := range []Query{
			{Category: "person.nonexistent"},
			{Host: "example.invalid"},
			{Host: "%"},
			{Text: "zzzznotthere"},
			{Text: `" OR 1=1 --`},
			{Text: "NEAR(a b)"},
			{Label: "_"},
			{Signer: strings.Repeat("0", 64)},
			{Category: special, Package: "org.example.empty"},
		} {
			res, err := db.Search(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			if res.Total != 0 {
				t.Errorf("%+v: %d apps, want none", q, res.Total)
			}
		}
		all, err := db.Search(ctx, Query{})
		if err != nil || all.Total != 2 {
			t.Fatalf("all: %d, %v", all.Total, err)
		}
		cats := all.Facets[FactCategory]
		if len(cats) == 0 || !cats[0].Special || cats[0].Title == "" {
			t.Fatalf("category facets do not start with a special category: %+v", cats)
		}
		seenPlain := false
		for _, c := range cats {
			if !c.Special {
				seenPlain = true
			} else if seenPlain {
				t.Fatalf("special category %s after a plain one", c.Value)
			}
			if c.Count != 1 {
				t.Fatalf("facet %s counts %d, want 1", c.Value, c.Count)
			}
		}
		// Paging.
		page, _ := db.Search(ctx, Query{Limit: 1, Offset: 1})
		if page.Total != 2 || len(page.Apps) != 1 {
			t.Fatalf("page: %+v", page)
		}
		vs, err := db.Versions(ctx, rep.App.Package)
		if err != nil || len(vs) != 1 {
			t.Fatalf("versions: %v %v", vs, err)
		}
	})
}

func TestImportReport(t *testing.T) {
	rep, js := demo(t)
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		a, err := db.ImportReport(ctx, rep, js, "bob")
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != StatusImported || a.HasFile || a.Package != rep.App.Package {
			t.Fatalf("imported: %+v", a)
		}
		if res, _ := db.Search(ctx, Query{Category: "special"}); res.Total != 1 {
			t.Fatal("an imported report is not searchable")
		}
		// Its file arrives later: now it can be analysed.
		a, created := upload(t, db, rep.File.SHA256, "demo.apk")
		if created || !a.HasFile {
			t.Fatalf("upload after import: %+v created=%v", a, created)
		}
		bad := *rep
		bad.File.SHA256 = "../../x"
		if _, err := db.ImportReport(ctx, &bad, js, "bob"); err == nil {
			t.Fatal("a report without a valid hash was imported")
		}
	})
}

func TestUsersTokensSessionsAudit(t *testing.T) {
	backends(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if has, _ := db.HasUsers(ctx); has {
			t.Fatal("a new workspace has users")
		}
		if _, err := db.CreateUser(ctx, "alice", RoleAdmin, "short"); err == nil {
			t.Fatal("a short password was accepted")
		}
		if _, err := db.CreateUser(ctx, "../alice", RoleAdmin, "long enough password"); err == nil {
			t.Fatal("a bad name was accepted")
		}
		if _, err := db.CreateUser(ctx, "alice", "root", "long enough password"); err == nil {
			t.Fatal("an unknown role was accepted")
		}
		u, err := db.CreateUser(ctx, "alice", RoleAnalyst, "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateUser(ctx, "alice", RoleAnalyst, "correct horse battery"); err == nil {
			t.Fatal("a second alice")
		}
		if has, _ := db.HasUsers(ctx); !has {
			t.Fatal("HasUsers = false")
		}
		if _, err := db.Authenticate(ctx, "alice", "wrong password!!"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := db.Authenticate(ctx, "nobody", "correct horse battery"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("unknown user: %v", err)
		}
		if got, err := db.Authenticate(ctx, "alice", "correct horse battery"); err != nil || got.ID != u.ID {
			t.Fatalf("right password: %v %v", got, err)
		}
		var stored string
		db.q().queryRow(ctx, `SELECT password FROM users WHERE id = $1`, u.ID).Scan(&stored)
		if strings.Contains(stored, "correct horse") || !strings.HasPrefix(stored, "pbkdf2-sha256$600000$") {
			t.Fatalf("password stored as %q", stored)
		}

		secret, tok, err := db.CreateToken(ctx, u.ID, "laptop")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.TokenUser(ctx, secret); err != nil || got.Name != "alice" || got.Role != RoleAnalyst {
			t.Fatalf("token user: %v %v", got, err)
		}
		if _, err := db.TokenUser(ctx, secret+"x"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("wrong token: %v", err)
		}
		var hashes []string
		rs, _ := db.q().query(ctx, `SELECT hash || prefix FROM tokens`)
		for rs.Next() {
			var h string
			rs.Scan(&h)
			hashes = append(hashes, h)
		}
		rs.Close()
		if len(hashes) != 1 || strings.Contains(hashes[0], secret) {
			t.Fatalf("the token is stored in the clear: %v", hashes)
		}
		toks, _ := db.Tokens(ctx, u.ID)
		if len(toks) != 1 || toks[0].ID != tok.ID || toks[0].LastUsedAt.IsZero() {
			t.Fatalf("tokens: %+v", toks)
		}
		if err := db.RevokeToken(ctx, u.ID+1, tok.ID); err == nil {
			t.Fatal("another user revoked alice's token")
		}
		if err := db.RevokeToken(ctx, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TokenUser(ctx, secret); !errors.Is(err, ErrBadCredentials) {
			t.Fatal("a revoked token still works")
		}

		sess, err := db.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.SessionUser(ctx, sess); err != nil || got.ID != u.ID {
			t.Fatalf("session: %v %v", got, err)
		}
		expired, _ := db.CreateSession(ctx, u.ID, -time.Second)
		if _, err := db.SessionUser(ctx, expired); !errors.Is(err, ErrBadCredentials) {
			t.Fatal("an expired session works")
		}
		db.DeleteSession(ctx, sess)
		if _, err := db.SessionUser(ctx, sess); !errors.Is(err, ErrBadCredentials) {
			t.Fatal("a deleted session works")
		}

		if err := db.SetRole(ctx, "alice", RoleViewer); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UserByName(ctx, "alice"); got.Role != RoleViewer {
			t.Fatalf("role %s", got.Role)
		}

		for _, act := range []string{"upload", "view", "delete"} {
			if err := db.Audit(ctx, "alice", act, "abc", "", "127.0.0.1"); err != nil {
				t.Fatal(err)
			}
		}
		log, err := db.AuditLog(ctx, "", "", 0)
		if err != nil || len(log) != 3 || log[0].Action != "delete" {
			t.Fatalf("audit: %+v %v", log, err)
		}
		if log, _ := db.AuditLog(ctx, "view", "", 0); len(log) != 1 {
			t.Fatalf("audit filtered: %+v", log)
		}

		k1, err := db.Setting(ctx, "k", func() string { return "one" })
		k2, _ := db.Setting(ctx, "k", func() string { return "two" })
		if err != nil || k1 != "one" || k2 != "one" {
			t.Fatalf("setting %q %q %v", k1, k2, err)
		}
		if err := db.DeleteUser(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		if users, _ := db.Users(ctx); len(users) != 0 {
			t.Fatalf("users: %v", users)
		}
	})
}

func TestFactsOfDemo(t *testing.T) {
	rep, _ := demo(t)
	facts := Facts(rep)
	if !slices.IsSortedFunc(facts, func(a, b Fact) int { return strings.Compare(a.Kind+"\x00"+a.Value, b.Kind+"\x00"+b.Value) }) {
		t.Fatal("facts not sorted")
	}
	kinds := map[string]int{}
	for _, f := range facts {
		kinds[f.Kind]++
	}
	for _, k := range []string{FactCategory, FactSpecial, FactPermission, FactHost, FactSigner} {
		if kinds[k] == 0 {
			t.Errorf("no %s fact from the demo app", k)
		}
	}
	text := SearchText(rep)
	if !strings.Contains(text, rep.App.Package) {
		t.Error("search text lacks the package")
	}
}
