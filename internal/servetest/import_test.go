package servetest

import (
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"appxray/internal/testapp"
)

// TestImportBatch imports a directory that appxray scan --out wrote: its
// apps are in the workspace, searchable, marked imported.
func TestImportBatch(t *testing.T) {
	demo := testapp.Demo(t)
	out := t.TempDir()
	if b, err := exec.Command(binary, "scan", "--out", out, demo).CombinedOutput(); err != nil {
		t.Fatalf("appxray scan --out: %v\n%s", err, b)
	}
	_, base := serve(t, nil, "--data", t.TempDir(), "--workers", "0", "--import", out)
	a := waitStatus(t, base, fileSum(t, demo), 10*time.Second, "imported")
	if a.App.Analyses != 1 {
		t.Fatalf("imported: %+v", a.App)
	}
	res, err := http.Get(base + "/api/apps?category=special")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), `"total": 1`) {
		t.Fatalf("search after import: %.300s", b)
	}
}
