package testapp

import (
	"archive/zip"
	"bytes"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Zip rewrites the ZIP archive src: its entries pass through edit (which
// returns the bytes to write, or nil to leave the entry out; a nil edit
// keeps every entry), deflated, and the entries of add follow in name
// order, compressed with method (zip.Deflate, or zip.Store for a payload
// that must sit in the archive as it is). It is how the tests build a
// variant of a real app: a manifest rewritten, a DEX replaced, an asset
// added.
func Zip(t testing.TB, src []byte, edit func(entry string, data []byte) []byte, add map[string][]byte, method uint16) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	write := func(entry string, data []byte, method uint16) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: entry, Method: method})
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			if data = edit(f.Name, data); data == nil {
				continue
			}
		}
		write(f.Name, data, zip.Deflate)
	}
	for _, entry := range slices.Sorted(maps.Keys(add)) {
		write(entry, add[entry], method)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Rewrite is Zip on the APK at src, written as name in a temporary
// directory, the added entries deflated; it returns the new file's path.
func Rewrite(t testing.TB, src, name string, edit func(entry string, data []byte) []byte, add map[string][]byte) string {
	t.Helper()
	in, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, Zip(t, in, edit, add, zip.Deflate), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
