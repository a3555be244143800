// Package aab reads the layout of an Android App Bundle (.aab), as
// bundletool writes it: BundleConfig.pb at the top, then one directory per
// module ("base" and every feature or asset module), each with
// manifest/AndroidManifest.xml (proto XML), resources.pb, dex/, res/,
// assets/, lib/, root/ and the assets.pb and native.pb targeting tables;
// BUNDLE-METADATA/ holds tool metadata (ProGuard maps, baseline profiles).
//
// The package works on entry names and on BundleConfig.pb; the manifests
// and tables are read with appxray/pbres, the container with
// appxray/zipapk. Module.APKPath maps a module's entry back to where the
// same file sits in an APK, so that a bundle's files read as an APK's.
package aab

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"appxray/pbres/pbwire"
)

// FormatError reports malformed input and where it was found.
type FormatError struct {
	Offset int64 // in BundleConfig.pb; -1 for layout problems
	Msg    string
	Err    error
}

func (e *FormatError) Error() string {
	s := "aab: " + e.Msg
	if e.Offset >= 0 {
		s += fmt.Sprintf(" at offset 0x%x", e.Offset)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

// ErrLimit is matched (errors.Is) by every error caused by a Limits value.
var ErrLimit = errors.New("aab: limit exceeded")

// LimitError names the limit that stopped reading.
type LimitError struct {
	Limit string
	Value int64
}

func (e *LimitError) Error() string { return fmt.Sprintf("%s (%d) exceeded", e.Limit, e.Value) }

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// ErrNotBundle is returned for entry lists without BundleConfig.pb and
// base/manifest/AndroidManifest.xml.
var ErrNotBundle = errors.New("aab: not an App Bundle (no BundleConfig.pb and base/manifest/AndroidManifest.xml)")

// Limits bounds the work on one bundle. The zero value, and any zero or
// negative field, means the default of DefaultLimits.
type Limits struct {
	MaxModules int
}

// DefaultLimits returns limits far above real bundles (Play allows a few
// dozen modules).
func DefaultLimits() Limits { return Limits{MaxModules: 1024} }

func (l Limits) withDefaults() Limits {
	if l.MaxModules <= 0 {
		l.MaxModules = DefaultLimits().MaxModules
	}
	return l
}

// Bundle types (BundleConfig.type).
const (
	TypeRegular   = 0
	TypeAPEX      = 1
	TypeAssetOnly = 2
)

// BundleConfig is what appxray reads of bundletool's BundleConfig message
// (config.proto): the tool version and the bundle type.
type BundleConfig struct {
	BundletoolVersion string
	Type              uint64
}

// ParseBundleConfig decodes BundleConfig.pb.
func ParseBundleConfig(data []byte) (*BundleConfig, error) {
	c := &BundleConfig{}
	err := fields(data, 0, func(num pbwire.Number, typ pbwire.Type, v uint64, b []byte, off int64) error {
		switch {
		case num == 1 && typ == pbwire.BytesType: // Bundletool
			return fields(b, off, func(num pbwire.Number, typ pbwire.Type, _ uint64, b []byte, _ int64) error {
				if num == 2 && typ == pbwire.BytesType {
					c.BundletoolVersion = string(b)
				}
				return nil
			})
		case num == 8 && typ == pbwire.VarintType:
			c.Type = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// fields walks the fields of one message.
func fields(b []byte, base int64, fn func(pbwire.Number, pbwire.Type, uint64, []byte, int64) error) error {
	pos := 0
	for pos < len(b) {
		off := base + int64(pos)
		num, typ, n, err := pbwire.ConsumeTag(b[pos:])
		if err != nil {
			return &FormatError{Offset: off, Msg: "bad field tag", Err: err}
		}
		pos += n
		var v uint64
		var sub []byte
		subOff := base + int64(pos)
		switch typ {
		case pbwire.VarintType:
			v, n, err = pbwire.ConsumeVarint(b[pos:])
		case pbwire.BytesType:
			sub, n, err = pbwire.ConsumeBytes(b[pos:])
			subOff += int64(n - len(sub))
		default:
			n, err = pbwire.ConsumeFieldValue(num, typ, b[pos:])
		}
		if err != nil {
			return &FormatError{Offset: off, Msg: fmt.Sprintf("bad value of field %d", num), Err: err}
		}
		pos += n
		if err := fn(num, typ, v, sub, subOff); err != nil {
			return err
		}
	}
	return nil
}

// Module is one module of the bundle.
type Module struct {
	Name string // "base", or the feature or asset module's directory name
	// Manifest and Resources are the entry names of the module's proto
	// manifest and resource table, "" when absent.
	Manifest  string
	Resources string
	// Dex lists the module's DEX entries in APK order (classes.dex,
	// classes2.dex…).
	Dex []string
	// Files lists every entry of the module, by entry name.
	Files []string
}

// APKPath returns where a module's entry sits in an APK built from the
// module: base/dex/classes2.dex → classes2.dex, base/root/x → x,
// base/manifest/AndroidManifest.xml → AndroidManifest.xml, base/res/… →
// res/…; resources.pb keeps its name. ok is false for entries of another
// module and for the targeting tables (assets.pb, native.pb), which have no
// APK counterpart.
func (m *Module) APKPath(entry string) (string, bool) {
	rest, ok := strings.CutPrefix(entry, m.Name+"/")
	if !ok || rest == "" {
		return "", false
	}
	switch {
	case rest == "manifest/AndroidManifest.xml":
		return "AndroidManifest.xml", true
	case rest == "resources.pb":
		return "resources.pb", true
	case rest == "assets.pb", rest == "native.pb", rest == "apex.pb":
		return "", false
	}
	dir, file, _ := strings.Cut(rest, "/")
	switch dir {
	case "dex":
		return file, file != ""
	case "root":
		return file, file != ""
	case "res", "assets", "lib", "apex":
		return rest, true
	}
	return "", false
}

// Layout is the bundle's entries grouped by module.
type Layout struct {
	Config   string // "BundleConfig.pb"
	Modules  []*Module
	Metadata []string // BUNDLE-METADATA/… entries
	// Other lists top-level entries outside any module (META-INF/ of a
	// signed bundle, stray files).
	Other []string
}

// Base returns the base module.
func (l *Layout) Base() *Module {
	for _, m := range l.Modules {
		if m.Name == "base" {
			return m
		}
	}
	return nil
}

// IsBundle reports whether entry names are an App Bundle's: it holds
// BundleConfig.pb and base/manifest/AndroidManifest.xml.
func IsBundle(names []string) bool {
	var cfg, manifest bool
	for _, n := range names {
		cfg = cfg || n == "BundleConfig.pb"
		manifest = manifest || n == "base/manifest/AndroidManifest.xml"
	}
	return cfg && manifest
}

// ReadLayout groups a bundle's entry names by module. A directory is a
// module when it holds manifest/AndroidManifest.xml; the base module comes
// first, the others in name order. Directory entries (names ending in
// "/") are ignored.
func ReadLayout(names []string, lim Limits) (*Layout, error) {
	lim = lim.withDefaults()
	if !IsBundle(names) {
		return nil, ErrNotBundle
	}
	l := &Layout{Config: "BundleConfig.pb"}
	mods := map[string]*Module{}
	for _, n := range names {
		if strings.HasSuffix(n, "/manifest/AndroidManifest.xml") && strings.Count(n, "/") == 2 {
			name := strings.TrimSuffix(n, "/manifest/AndroidManifest.xml")
			if name == "" || name == "META-INF" || name == "BUNDLE-METADATA" || mods[name] != nil {
				continue
			}
			if len(mods) >= lim.MaxModules {
				return nil, &FormatError{Offset: -1, Msg: fmt.Sprintf("more than %d modules", lim.MaxModules), Err: &LimitError{Limit: "MaxModules", Value: int64(lim.MaxModules)}}
			}
			mods[name] = &Module{Name: name, Manifest: n}
		}
	}
	for _, n := range names {
		if strings.HasSuffix(n, "/") {
			continue
		}
		top, rest, nested := strings.Cut(n, "/")
		switch {
		case !nested && n == "BundleConfig.pb":
			continue
		case nested && top == "BUNDLE-METADATA":
			l.Metadata = append(l.Metadata, n)
			continue
		}
		m := mods[top]
		if !nested || m == nil {
			l.Other = append(l.Other, n)
			continue
		}
		m.Files = append(m.Files, n)
		switch {
		case rest == "resources.pb":
			m.Resources = n
		case strings.HasPrefix(rest, "dex/") && strings.HasSuffix(rest, ".dex") && !strings.Contains(rest[4:], "/"):
			m.Dex = append(m.Dex, n)
		}
	}
	for _, m := range mods {
		sort.SliceStable(m.Dex, func(i, j int) bool { return dexOrder(m.Dex[i]) < dexOrder(m.Dex[j]) })
		l.Modules = append(l.Modules, m)
	}
	sort.Slice(l.Modules, func(i, j int) bool {
		a, b := l.Modules[i].Name, l.Modules[j].Name
		if (a == "base") != (b == "base") {
			return a == "base"
		}
		return a < b
	})
	return l, nil
}

// dexOrder sorts classes.dex, classes2.dex … classesN.dex as Android
// loads them, and other names after.
func dexOrder(name string) int {
	base := name[strings.LastIndexByte(name, '/')+1:]
	if base == "classes.dex" {
		return 1
	}
	if n, ok := strings.CutPrefix(base, "classes"); ok {
		n = strings.TrimSuffix(n, ".dex")
		v := 0
		for _, c := range n {
			if c < '0' || c > '9' || v > 1<<20 {
				return 1 << 30
			}
			v = v*10 + int(c-'0')
		}
		if v > 1 {
			return v
		}
	}
	return 1 << 30
}
