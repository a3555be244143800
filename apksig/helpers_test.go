package apksig

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"appxray/internal/corpus"
)

// openAPK reads an APK's signatures, extracting META-INF files with
// archive/zip (until appxray/zipapk is used here). zipErr reports files
// archive/zip cannot open; their v1 files are then unavailable.
func openAPK(t testing.TB, path string, lim Limits) (res *Result, zipErr, err error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	var z ZipContents
	zr, zipErr := zip.NewReader(f, st.Size())
	if zipErr == nil {
		z = stdZip{zr}
	}
	res, err = lim.ReadAPK(f, st.Size(), z)
	return res, zipErr, err
}

// stdZip adapts archive/zip to ZipContents.
type stdZip struct{ r *zip.Reader }

func (s stdZip) Names() []string {
	names := make([]string, len(s.r.File))
	for i, f := range s.r.File {
		names[i] = f.Name
	}
	return names
}

func (s stdZip) Open(name string) (io.ReadCloser, error) {
	for _, f := range s.r.File {
		if f.Name == name {
			return f.Open()
		}
	}
	return nil, fmt.Errorf("no entry %q", name)
}

// oracleSigner is one "Signer #n" of apksigner verify --print-certs -v.
type oracleSigner struct {
	DN, SHA256, SHA1, MD5, KeyAlg, KeySize string
}

type oracle struct {
	Verifies bool
	Schemes  map[string]bool // "v1", "v2", "v3" → verified
	Signers  []*oracleSigner
	Errors   []string // ERROR lines and exceptions
	Text     string
	MinSDK24 bool // rerun with --min-sdk-version 24
}

func runApksigner(t testing.TB, path string, extra ...string) *oracle {
	args := append([]string{"verify", "--print-certs", "-v"}, extra...)
	res := corpus.Tool(t, "apksigner", append(args, path)...)
	o := &oracle{Schemes: map[string]bool{}, Text: string(res.Stdout) + string(res.Stderr)}
	sc := bufio.NewScanner(bytes.NewReader(append(append([]byte{}, res.Stdout...), res.Stderr...)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "Verifies":
			o.Verifies = true
		case strings.HasPrefix(line, "Verified using v"):
			// "Verified using v1 scheme (JAR signing): true"
			o.Schemes[strings.Fields(line)[2]] = strings.HasSuffix(line, ": true")
		case strings.HasPrefix(line, "ERROR") || strings.HasPrefix(line, "Exception"):
			o.Errors = append(o.Errors, line)
		case strings.HasPrefix(line, "Signer #"):
			var n int
			if _, err := fmt.Sscanf(line, "Signer #%d", &n); err != nil || n < 1 {
				continue
			}
			for len(o.Signers) < n {
				o.Signers = append(o.Signers, &oracleSigner{})
			}
			s := o.Signers[n-1]
			_, rest, _ := strings.Cut(line, " ")
			_, rest, _ = strings.Cut(rest, " ")
			key, val, _ := strings.Cut(rest, ": ")
			switch key {
			case "certificate DN":
				s.DN = val
			case "certificate SHA-256 digest":
				s.SHA256 = val
			case "certificate SHA-1 digest":
				s.SHA1 = val
			case "certificate MD5 digest":
				s.MD5 = val
			case "key algorithm":
				s.KeyAlg = val
			case "key size (bits)":
				s.KeySize = val
			}
		}
	}
	if res.ExitCode != 0 {
		o.Verifies = false
	}
	return o
}
