// Package aabtest builds Android App Bundles for tests: it converts an APK to
// aapt2's protocol-buffer form with Debian's aapt2 and lays the result out
// as bundletool does (BundleConfig.pb, base/manifest/AndroidManifest.xml,
// base/dex/, base/res/, base/resources.pb, base/assets/, base/lib/,
// base/root/).
package aabtest

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"

	"appxray/internal/corpus"
)

// CacheDir is where converted APKs are kept between runs, keyed by the
// content of the original: beside the corpus oracle cache.
func CacheDir() (string, error) {
	return filepath.Join(corpus.Root(), ".corpus", "aapt2-proto"), nil
}

// ErrNoAapt2 is returned when aapt2 is not installed.
var ErrNoAapt2 = fmt.Errorf("aapt2 not found (apt-get install aapt2)")

// ConvertError is aapt2's refusal to convert an APK, with what it said.
type ConvertError struct {
	APK    string
	Output string
	Err    error
}

func (e *ConvertError) Error() string {
	return fmt.Sprintf("aapt2 convert %s: %v: %s", e.APK, e.Err, strings.TrimSpace(e.Output))
}

func (e *ConvertError) Unwrap() error { return e.Err }

// Convert returns the path of apk converted to the proto format, running
// `aapt2 convert --output-format proto` unless the cache has it. A refusal
// is remembered too, so it is asked only once.
func Convert(apk string) (string, error) {
	aapt2, err := exec.LookPath("aapt2")
	if err != nil {
		return "", ErrNoAapt2
	}
	data, err := os.ReadFile(apk)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	dir, err := CacheDir()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	out := filepath.Join(dir, hex.EncodeToString(sum[:16])+".apk")
	failed := out + ".failed"
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	if msg, err := os.ReadFile(failed); err == nil {
		return "", &ConvertError{APK: apk, Output: string(msg), Err: fmt.Errorf("refused earlier")}
	}
	tmp := out + ".tmp"
	cmd := exec.Command(aapt2, "convert", "--output-format", "proto", "-o", tmp, apk)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		if _, ok := err.(*exec.ExitError); ok {
			os.WriteFile(failed, msg, 0o644)
		}
		return "", &ConvertError{APK: apk, Output: string(msg), Err: err}
	}
	return out, os.Rename(tmp, out)
}

// Demo feature module: its name, and the endpoint its asset names.
const (
	DemoFeature         = "scanner"
	DemoFeatureEndpoint = "http://scanner.example.cn/upload"
)

// DemoBundle returns the demo app (testdata/demo-ijop.apk) as an App
// Bundle built without aapt2: its base module holds the committed proto
// manifest and table (pbres/testdata, aapt2's conversion of the same
// APK) and the APK's other files (its layouts stay binary XML, as aapt2
// leaves a file it does not compile), and a feature module DemoFeature
// holds a proto manifest naming its split, the demo's classes.dex again
// and an asset naming DemoFeatureEndpoint.
func DemoBundle(root string) ([]byte, error) {
	apk := filepath.Join(root, "testdata", "demo-ijop.apk")
	manifest, err := os.ReadFile(filepath.Join(root, "pbres", "testdata", "demo-manifest.xml.pb"))
	if err != nil {
		return nil, err
	}
	table, err := os.ReadFile(filepath.Join(root, "pbres", "testdata", "demo-resources.pb"))
	if err != nil {
		return nil, err
	}
	zr, err := zip.OpenReader(apk)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) error {
		w, err := zw.Create(name)
		if err == nil {
			_, err = w.Write(data)
		}
		return err
	}
	if err := add("BundleConfig.pb", BundleConfig()); err != nil {
		return nil, err
	}
	if err := add("base/manifest/AndroidManifest.xml", manifest); err != nil {
		return nil, err
	}
	if err := add("base/resources.pb", table); err != nil {
		return nil, err
	}
	var dex []byte
	for _, f := range zr.File {
		dst := Module("base", f.Name)
		if dst == "" || f.Name == "AndroidManifest.xml" || f.Name == "resources.arsc" || strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		if f.Name == "classes.dex" {
			dex = data
		}
		if err := add(dst, data); err != nil {
			return nil, err
		}
	}
	feature := Element("manifest", 1, [][2]string{{"package", "org.appxray.demo.ijop"}, {"split", DemoFeature}})
	for _, f := range []struct {
		name string
		data []byte
	}{
		{DemoFeature + "/manifest/AndroidManifest.xml", feature},
		{DemoFeature + "/dex/classes.dex", dex},
		{DemoFeature + "/assets/scanner/endpoints.txt", []byte(DemoFeatureEndpoint + "\n")},
	} {
		if err := add(f.name, f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Element encodes an XmlNode holding an element (Resources.proto): its
// name, plain attributes (name, value) and child nodes, at the given line.
func Element(name string, line uint64, attrs [][2]string, children ...[]byte) []byte {
	var el []byte
	el = protowire.AppendTag(el, 3, protowire.BytesType) // XmlElement.name
	el = protowire.AppendString(el, name)
	for _, a := range attrs {
		var at []byte
		at = protowire.AppendTag(at, 2, protowire.BytesType) // XmlAttribute.name
		at = protowire.AppendString(at, a[0])
		at = protowire.AppendTag(at, 3, protowire.BytesType) // XmlAttribute.value
		at = protowire.AppendString(at, a[1])
		el = protowire.AppendTag(el, 4, protowire.BytesType)
		el = protowire.AppendBytes(el, at)
	}
	for _, c := range children {
		el = protowire.AppendTag(el, 5, protowire.BytesType) // XmlElement.child
		el = protowire.AppendBytes(el, c)
	}
	var n []byte
	n = protowire.AppendTag(n, 1, protowire.BytesType) // XmlNode.element
	n = protowire.AppendBytes(n, el)
	pos := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), line) // SourcePosition.line_number
	n = protowire.AppendTag(n, 3, protowire.BytesType)                                     // XmlNode.source
	return protowire.AppendBytes(n, pos)
}

// FrameworkRes is the framework that aapt2 links feature modules against.
const FrameworkRes = "/usr/share/android-framework-res/framework-res.apk"

// Feature links a feature module with aapt2 (`aapt2 link --proto-format`)
// from its manifest's source text, adds the given files (classes.dex,
// assets/…, lib/…, as an APK names them) and returns the path of the
// proto-format APK it wrote in dir, for Build's features.
func Feature(dir, name, manifest string, files map[string][]byte) (string, error) {
	aapt2, err := exec.LookPath("aapt2")
	if err != nil {
		return "", ErrNoAapt2
	}
	if _, err := os.Stat(FrameworkRes); err != nil {
		return "", fmt.Errorf("linking feature %s: %w (apt-get install android-framework-res)", name, err)
	}
	src := filepath.Join(dir, name+"-AndroidManifest.xml")
	if err := os.WriteFile(src, []byte(manifest), 0o644); err != nil {
		return "", err
	}
	linked := filepath.Join(dir, name+"-linked.apk")
	cmd := exec.Command(aapt2, "link", "--proto-format", "-o", linked, "--manifest", src, "-I", FrameworkRes)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", &ConvertError{APK: src, Output: string(msg), Err: err}
	}
	zr, err := zip.OpenReader(linked)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			return "", err
		}
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			return "", err
		}
		if _, err := w.Write(files[n]); err != nil {
			return "", err
		}
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	out := filepath.Join(dir, name+".apk")
	return out, os.WriteFile(out, buf.Bytes(), 0o644)
}

// Module is the layout of one bundle module: where an APK entry goes.
// It returns "" for entries bundletool drops (the signature files).
func Module(module, name string) string {
	switch {
	case name == "AndroidManifest.xml":
		return module + "/manifest/AndroidManifest.xml"
	case name == "resources.pb":
		return module + "/resources.pb"
	case strings.HasPrefix(name, "META-INF/"):
		return ""
	case strings.HasSuffix(name, ".dex") && !strings.Contains(name, "/"):
		return module + "/dex/" + name
	case strings.HasPrefix(name, "res/"), strings.HasPrefix(name, "assets/"), strings.HasPrefix(name, "lib/"):
		return module + "/" + name
	}
	return module + "/root/" + name
}

// BundleConfig encodes a minimal BundleConfig message (bundletool's
// config.proto): bundletool { version = "1.15.6" }.
func BundleConfig() []byte {
	var tool []byte
	tool = protowire.AppendTag(tool, 2, protowire.BytesType) // Bundletool.version
	tool = protowire.AppendString(tool, "1.15.6")
	var cfg []byte
	cfg = protowire.AppendTag(cfg, 1, protowire.BytesType) // BundleConfig.bundletool
	return protowire.AppendBytes(cfg, tool)
}

// Build returns an .aab holding the proto-format APK at path as its base
// module, plus the features given as module name → proto-format APK path.
func Build(base string, features map[string]string) ([]byte, error) {
	return build(base, "", features)
}

// BuildLike is Build with the base module's files in the order of the
// original APK's entries (aapt2 convert writes its own order), so that
// whatever a scan lists in container order lists alike for the APK and
// its bundle.
func BuildLike(orig, base string) ([]byte, error) {
	return build(base, orig, nil)
}

func build(base, orig string, features map[string]string) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("BundleConfig.pb")
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(BundleConfig()); err != nil {
		return nil, err
	}
	mods := []struct{ name, path, orig string }{{"base", base, orig}}
	var names []string
	for name := range features {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		mods = append(mods, struct{ name, path, orig string }{name, features[name], ""})
	}
	for _, m := range mods {
		if err := addModule(zw, m.name, m.path, m.orig); err != nil {
			return nil, fmt.Errorf("module %s: %w", m.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func addModule(zw *zip.Writer, module, path, orig string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	files := zr.File
	if orig != "" {
		or, err := zip.OpenReader(orig)
		if err != nil {
			return err
		}
		rank := map[string]int{}
		for i, f := range or.File {
			if _, ok := rank[f.Name]; !ok {
				rank[f.Name] = i
			}
		}
		or.Close()
		files = append([]*zip.File(nil), files...)
		sort.SliceStable(files, func(i, j int) bool {
			ri, ok := rank[files[i].Name]
			if !ok {
				ri = len(rank)
			}
			rj, ok := rank[files[j].Name]
			if !ok {
				rj = len(rank)
			}
			return ri < rj
		})
	}
	seen := map[string]bool{}
	for _, f := range files {
		dst := Module(module, f.Name)
		if dst == "" || seen[dst] || strings.HasSuffix(f.Name, "/") {
			continue
		}
		seen[dst] = true
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		w, err := zw.Create(dst)
		if err == nil {
			_, err = io.Copy(w, rc)
		}
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return nil
}
