package apksig

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
	"strings"
)

// ZipContents is the access to ZIP entries ReadAPK needs, so that this
// package stays independent of any one ZIP reader.
type ZipContents interface {
	// Names lists the entry names in central directory order.
	Names() []string
	// Open returns the uncompressed contents of the named entry.
	Open(name string) (io.ReadCloser, error)
}

// Digester is what a ZipContents implements when it may already know an
// entry's digest, made while the entry was read whole for another use: the
// v1 check then compares that digest instead of inflating the entry again.
// A digest must be of the bytes Open would return for the name.
type Digester interface {
	Digest(name string, h crypto.Hash) ([]byte, bool)
}

// ManifestDigests returns the hashes the entry sections of a MANIFEST.MF
// name digests with (SHA-256, SHA-1, …), each once: what a reader must
// compute of an entry for the v1 check to use it (Digester).
func ManifestDigests(manifest []byte) []crypto.Hash {
	_, sections := parseManifest(manifest)
	var out []crypto.Hash
	for _, sec := range sections {
		for _, d := range jarDigests {
			if _, ok := sec.Attrs[d.prefix+"-digest"]; ok && !slices.Contains(out, d.hash) {
				out = append(out, d.hash)
			}
		}
	}
	return out
}

// readV1Files extracts the META-INF files ParseV1 needs.
func (l Limits) readV1Files(z ZipContents) (map[string][]byte, []error) {
	files := map[string][]byte{}
	var errs []error
	n := 0
	for _, name := range z.Names() {
		if !IsV1File(name) {
			continue
		}
		if n++; n > 3*l.MaxV1Files {
			errs = append(errs, limitErr(0, "META-INF signature files", "MaxV1Files", int64(l.MaxV1Files)))
			break
		}
		b, err := readEntry(z, name, l.MaxFileSize)
		if err != nil {
			errs = append(errs, fmt.Errorf("apksig: reading %s: %w", name, err))
			continue
		}
		files[name] = b
	}
	return files, errs
}

func readEntry(z ZipContents, name string, max int64) ([]byte, error) {
	rc, err := z.Open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, &LimitError{Limit: "MaxFileSize", Value: max}
	}
	return b, nil
}

// isSignatureRelated reports whether a JAR signature does not cover the
// entry: the manifest, signature files and blocks, and directories.
func isSignatureRelated(name string) bool {
	return name == ManifestName || IsV1File(name) || strings.HasSuffix(name, "/")
}

// verifyV1Entries checks MANIFEST.MF against the APK's entries: every
// section names an entry that exists and whose digests match, and every
// entry is covered. It returns problems common to all v1 signers.
func verifyV1Entries(manifest []byte, z ZipContents) []string {
	var problems []string
	buf := make([]byte, 64<<10)
	_, sections := parseManifest(manifest)
	byName := map[string]map[string]string{}
	for i, sec := range sections {
		if sec.Name == "" {
			problems = append(problems, fmt.Sprintf("malformed %s: section #%d has no Name", ManifestName, i+2))
			continue
		}
		byName[sec.Name] = sec.Attrs
	}
	present := map[string]bool{}
	for _, name := range z.Names() {
		present[name] = true
		if isSignatureRelated(name) {
			continue
		}
		attrs, ok := byName[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("entry %q is not covered by %s", name, ManifestName))
			continue
		}
		if p := checkEntryDigests(z, name, attrs, buf); p != "" {
			problems = append(problems, p)
		}
	}
	for name := range byName {
		if !present[name] {
			problems = append(problems, fmt.Sprintf("entry %q named in %s is not in the APK", name, ManifestName))
		}
	}
	return problems
}

// checkEntryDigests verifies every digest attribute of an entry's manifest
// section, hashing the entry once for all of them.
func checkEntryDigests(z ZipContents, name string, attrs map[string]string, buf []byte) string {
	type want struct {
		alg  string
		hash []byte
		kind crypto.Hash
		h    interface {
			io.Writer
			Sum([]byte) []byte
		}
	}
	var wants []want
	for _, d := range jarDigests {
		v, ok := attrs[d.prefix+"-digest"]
		if !ok {
			continue
		}
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
		if err != nil {
			return fmt.Sprintf("malformed %s digest of %q in %s", d.prefix, name, ManifestName)
		}
		wants = append(wants, want{alg: d.prefix, hash: b, kind: d.hash})
	}
	if len(wants) == 0 {
		return fmt.Sprintf("no digest of %q in %s", name, ManifestName)
	}
	if dg, ok := z.(Digester); ok {
		known := true
		for _, w := range wants {
			sum, ok := dg.Digest(name, w.kind)
			if !ok {
				known = false
				break
			}
			if !bytes.Equal(sum, w.hash) {
				return fmt.Sprintf("%s digest of %q does not match %s", w.alg, name, ManifestName)
			}
		}
		if known {
			return ""
		}
	}
	ws := make([]io.Writer, len(wants))
	for i := range wants {
		wants[i].h = wants[i].kind.New()
		ws[i] = wants[i].h
	}
	rc, err := z.Open(name)
	if err != nil {
		return fmt.Sprintf("reading %q: %v", name, err)
	}
	_, err = io.CopyBuffer(io.MultiWriter(ws...), rc, buf)
	rc.Close()
	if err != nil {
		return fmt.Sprintf("reading %q: %v", name, err)
	}
	for _, w := range wants {
		if !bytes.Equal(w.h.Sum(nil), w.hash) {
			return fmt.Sprintf("%s digest of %q does not match %s", w.alg, name, ManifestName)
		}
	}
	return ""
}
