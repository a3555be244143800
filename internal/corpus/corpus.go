// Package corpus gives tests the real APK and DEX files gathered by
// scripts/setup.sh and runs Android's own tools on them as oracles.
//
// A test that needs the corpus or an Android tool says so in one line and
// skips when it is absent, so that a fresh clone passes go test ./...; with
// APPXRAY_REQUIRE_CORPUS=1 (which scripts/test.sh, and so CI, sets) it
// fails instead, so CI cannot pass without having compared anything.
package corpus

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

// Root is the repository root.
func Root() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("corpus: cannot locate source file")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Required reports whether tests must fail, rather than skip, when the
// corpus or a tool is missing.
func Required() bool { return os.Getenv("APPXRAY_REQUIRE_CORPUS") == "1" }

// Missing skips the test for a missing corpus part or tool, or fails it
// when APPXRAY_REQUIRE_CORPUS=1.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...) + " (run scripts/setup.sh)"
	if Required() {
		t.Fatal(msg)
	}
	t.Skip("skipped: " + msg + "; APPXRAY_REQUIRE_CORPUS=1 makes this a failure")
}

// Present reports whether the corpus has been gathered.
func Present() bool {
	_, err := os.Stat(filepath.Join(Root(), ".corpus", "list.txt"))
	return err == nil
}

// File returns a corpus file by its path, absolute or relative to the
// repository root (".corpus/npm/…"), skipping or failing the test when it
// is missing.
func File(t testing.TB, path string) string {
	t.Helper()
	if !filepath.IsAbs(path) {
		path = filepath.Join(Root(), path)
	}
	if _, err := os.Stat(path); err != nil {
		Missing(t, "needs corpus file %s", path)
	}
	return path
}

// Files lists every corpus file (APKs and DEX files).
func Files(t testing.TB) []string {
	t.Helper()
	list := filepath.Join(Root(), ".corpus", "list.txt")
	f, err := os.Open(list)
	if err != nil {
		Missing(t, "needs the real-app corpus: %v", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading %s: %v", list, err)
	}
	if len(out) == 0 {
		t.Fatalf("corpus list %s is empty: run scripts/setup.sh", list)
	}
	return out
}

// APKs lists the corpus APK files.
func APKs(t testing.TB) []string { return withExt(Files(t), ".apk") }

// DEXes lists the bare corpus DEX files.
func DEXes(t testing.TB) []string { return withExt(Files(t), ".dex") }

func withExt(files []string, ext string) []string {
	var out []string
	for _, f := range files {
		if strings.EqualFold(filepath.Ext(f), ext) {
			out = append(out, f)
		}
	}
	return out
}

// Name is a short, stable name for a corpus file, for test names and messages.
func Name(path string) string {
	for _, prefix := range []string{
		"/usr/share/doc/androguard/examples/",
		filepath.Join(Root(), ".corpus", "npm") + "/",
		"/usr/share/",
	} {
		if rest, ok := strings.CutPrefix(path, prefix); ok {
			return rest
		}
	}
	return filepath.Base(path)
}

// NeedTool returns the path of an installed tool (aapt, apktool…),
// skipping or failing the test when it is not installed.
func NeedTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "needs %s, which is not installed", name)
	}
	return path
}

// Result is what an oracle tool printed.
type Result struct {
	Stdout   []byte
	Stderr   []byte
	ExitCode int
}

// Tool runs an Android tool (aapt, dexdump, apksigner…) and caches its output
// under .corpus/oracle, keyed by the command line and the input files' sizes
// and modification times. A missing tool fails the test.
func Tool(t testing.TB, name string, args ...string) Result {
	t.Helper()
	path := NeedTool(t, name)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", name)
	for _, a := range args {
		fmt.Fprintf(h, "%s\x00", a)
		if st, err := os.Stat(a); err == nil && st.Mode().IsRegular() {
			fmt.Fprintf(h, "%d:%d\x00", st.Size(), st.ModTime().UnixNano())
		}
	}
	key := hex.EncodeToString(h.Sum(nil))[:32]
	dir := filepath.Join(Root(), ".corpus", "oracle", key[:2])
	base := filepath.Join(dir, key)
	if out, err := os.ReadFile(base + ".out"); err == nil {
		errb, _ := os.ReadFile(base + ".err")
		codeb, _ := os.ReadFile(base + ".code")
		var code int
		fmt.Sscan(string(codeb), &code)
		return Result{Stdout: out, Stderr: errb, ExitCode: code}
	}
	cmd := exec.Command(path, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	code := 0
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("running %s: %v", name, err)
		}
		code = ee.ExitCode()
	}
	if err := os.MkdirAll(dir, 0o755); err == nil {
		_ = os.WriteFile(base+".err", stderr.Bytes(), 0o644)
		_ = os.WriteFile(base+".code", []byte(fmt.Sprint(code)), 0o644)
		_ = os.WriteFile(base+".out", stdout.Bytes(), 0o644) // written last: its presence marks a complete entry
	}
	return Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), ExitCode: code}
}

// JoinSurrogates rewrites CESU-8 surrogate pairs (how aapt2 stores characters
// outside the BMP in UTF-8 string pools, and how aapt prints them) as the
// UTF-8 of the character they encode, which is what Android hands the app.
func JoinSurrogates(s string) string {
	b := []byte(s)
	var out []byte
	for i := 0; i < len(b); i++ {
		if i+5 < len(b) && b[i] == 0xed && b[i+1]&0xf0 == 0xa0 && b[i+3] == 0xed && b[i+4]&0xf0 == 0xb0 {
			hi := rune(b[i+1]&0x0f)<<6 | rune(b[i+2]&0x3f)
			lo := rune(b[i+4]&0x0f)<<6 | rune(b[i+5]&0x3f)
			out = utf8.AppendRune(out, 0x10000+(hi<<10|lo))
			i += 5
			continue
		}
		out = append(out, b[i])
	}
	return string(out)
}
