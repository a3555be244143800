package apksig

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"appxray/internal/corpus"
	"appxray/zipapk"
)

// openAPK reads an APK's signatures through zipapk. zipErr reports files
// zipapk cannot open; for those ReadAPK runs without ZIP contents (no v1).
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
	z, zipErr := zipapk.NewReader(f, st.Size(), zipapk.DefaultLimits())
	if zipErr != nil {
		res, err = lim.ReadAPK(f, st.Size(), nil)
		return res, zipErr, err
	}
	res, err = lim.ReadZip(z, f)
	return res, nil, err
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

// v1FilesFromPath extracts the META-INF signature files of an APK.
func v1FilesFromPath(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	z, err := zipapk.NewReader(f, st.Size(), zipapk.DefaultLimits())
	if err != nil {
		return nil, err
	}
	files, errs := DefaultLimits().readV1Files(zipapkContents{z})
	if len(errs) > 0 {
		return files, errs[0]
	}
	return files, nil
}
