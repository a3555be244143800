package packers

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
	"appxray/internal/testapp"
	"appxray/scan"
)

// withEntries returns the demo app with extra entries, as a packer's build
// would leave them beside the app's own files.
func withEntries(t *testing.T, extra map[string][]byte) []byte {
	t.Helper()
	data, err := os.ReadFile(testapp.Demo(t))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, r); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	names := make([]string, 0, len(extra))
	for n := range extra {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(extra[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func runOn(t *testing.T, data []byte) (*Result, []analysis.Finding) {
	t.Helper()
	ctx := context.Background()
	a, err := app.OpenBytes(ctx, "packed.apk", data, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors {
		t.Error(e)
	}
	r, ok := analysis.Get[*Result](res, Analyzer)
	if !ok {
		t.Fatal("no result")
	}
	return r, res.Findings
}

func TestPackers(t *testing.T) {
	elf := []byte("\x7fELF\x02\x01\x01")
	tests := []struct {
		name     string
		extra    map[string][]byte
		want     []string // packer IDs
		payloads []string
		level    scan.Level
	}{
		{"none", nil, nil, nil, ""},
		{"jiagu by its native loader", map[string][]byte{"lib/arm64-v8a/libjiagu_a64.so": elf}, []string{"jiagu"}, nil, scan.LevelHigh},
		{"ijiami by its encrypted asset", map[string][]byte{"assets/ijiami.dat": []byte("x")}, []string{"ijiami"}, []string{"assets/ijiami.dat"}, scan.LevelHigh},
		// One weak fingerprint is a coincidence; two are a pattern.
		{"one weak DexProtector file", map[string][]byte{"assets/dp.mp3": []byte("x")}, nil, nil, ""},
		{"two weak DexProtector files", map[string][]byte{"assets/dp.mp3": []byte("x"), "assets/classes.dex.dat": []byte("x")}, []string{"dexprotector"}, []string{"assets/classes.dex.dat"}, scan.LevelMedium},
		// A name must match whole: libjiagu.so.bak or mylibjiagu.so is not the loader.
		{"look-alike names", map[string][]byte{"lib/armeabi/mylibjiagu.so": elf, "assets/notijiami.dat": []byte("x")}, nil, nil, ""},
		{"bangcle folder payload", map[string][]byte{"assets/bangcleplugin/container.dex": []byte("dex\n035")}, []string{"bangcle"}, []string{"assets/bangcleplugin/container.dex"}, scan.LevelHigh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, fs := runOn(t, withEntries(t, tt.extra))
			var got []string
			var payloads []string
			for _, p := range r.Packers {
				got = append(got, p.ID)
				payloads = append(payloads, p.Payloads...)
				if len(p.Evidence) == 0 || p.HidesIn == "" {
					t.Errorf("%s: no evidence or place: %+v", p.ID, p)
				}
			}
			if !slices.Equal(got, tt.want) || !slices.Equal(payloads, tt.payloads) {
				t.Errorf("packers %v payloads %v, want %v %v", got, payloads, tt.want, tt.payloads)
			}
			if len(fs) != len(tt.want) {
				t.Fatalf("findings %+v", fs)
			}
			for _, f := range fs {
				if f.Category != "behaviour.packed" || f.Confidence.Level != tt.level || !strings.Contains(f.Title, "the code channel sees only the loader") {
					t.Errorf("finding %+v", f)
				}
				if len(tt.payloads) > 0 && !strings.Contains(f.Title, tt.payloads[0]) {
					t.Errorf("title does not say where the code is: %s", f.Title)
				}
			}
			if r.Packed() != (len(tt.want) > 0) {
				t.Errorf("Packed() = %v", r.Packed())
			}
		})
	}
}

func TestCountName(t *testing.T) {
	o := &scan.Obfuscation{}
	for _, d := range []string{"La;", "Lcom/x/ab;", "Lcom/x/Main;", "Lcom/x/Main$a;", "Lcom/x/R;", "Lcom/x/单曲播放;", "Ldo;", "Lcom/x/a-b;"} {
		countName(o, d)
	}
	// R is not counted; a, ab, Main$a renamed; do and a-b unusual; the
	// Chinese name is an ordinary Java name.
	if o.Classes != 7 || o.Renamed != 3 || o.Unusual != 2 || !slices.Equal(o.Sample, []string{"Ldo;", "Lcom/x/a-b;"}) {
		t.Errorf("%+v", o)
	}
}
