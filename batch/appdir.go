package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"appxray/app"
)

// isAppDir reports whether a directory is an unzipped iOS app: named
// Name.app, with its Info.plist at its top. A batch scans it as one app
// and does not walk into it.
func isAppDir(path string) bool {
	return strings.HasSuffix(strings.ToLower(filepath.Base(path)), ".app") && app.IsAppDir(path)
}

// dirDigest names an .app directory, which has no SHA-256 of its own, by
// the SHA-256 of its regular files' paths (relative to it, with slashes),
// sizes and contents, in lexical order: the same app unzipped anywhere has
// the same digest, and any changed file changes it.
func dirDigest(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return err
		}
		io.WriteString(h, filepath.ToSlash(rel)+"\x00"+strconv.FormatInt(st.Size(), 10)+"\x00")
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("batch: hashing %s: %w", dir, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
