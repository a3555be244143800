// Package ios is the model of an iOS app as appxray reads it: an .ipa
// (a ZIP holding Payload/Name.app/) or an unzipped .app directory, opened
// without running anything. It gathers, per bundle (the app, each
// Frameworks/*.framework and each PlugIns/*.appex), the Info.plist and its
// localisations (<lang>.lproj/InfoPlist.strings), identity and versions,
// the purpose texts of the privacy-sensitive permissions
// (NS…UsageDescription) in every language, URL schemes, the apps it checks
// for (LSApplicationQueriesSchemes), App Transport Security, background
// modes, the executable's Mach-O facts and entitlements; and for the app,
// the privacy manifests (PrivacyInfo.xcprivacy) of every bundle, the
// provisioning profile and the compiled nibs and storyboards.
//
// A part that cannot be read is recorded in App.Errors and the rest is
// still read.
package ios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"appxray/macho"
	"appxray/mobileprovision"
	"appxray/nib"
	"appxray/plist"
	"appxray/zipapk"
)

// ErrLimit is matched by errors caused by Options limits of this package.
var ErrLimit = errors.New("ios: limit exceeded")

// ErrNoApp is returned when the input holds no Payload/*.app with an
// Info.plist.
var ErrNoApp = errors.New("ios: no Payload/*.app/Info.plist: not an iOS app")

// Options bounds the work on one app; zero fields mean the defaults.
type Options struct {
	Zip     zipapk.Limits
	Plist   plist.Limits
	MachO   macho.Limits
	Profile mobileprovision.Limits
	Nib     nib.Limits
	// MaxFileSize bounds one file read whole (executables included).
	MaxFileSize int64
	// MaxFiles bounds the files of a directory given as the app.
	MaxFiles int
	// MaxBundles bounds the frameworks and extensions read.
	MaxBundles int
}

func (o Options) withDefaults() Options {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = 1 << 30
	}
	if o.MaxFiles <= 0 {
		o.MaxFiles = 200_000
	}
	if o.MaxBundles <= 0 {
		o.MaxBundles = 1024
	}
	return o
}

// App is an opened iOS app.
type App struct {
	// Root is the app bundle's path in the input, with a trailing slash:
	// "Payload/Demo.app/" for an IPA, "Demo.app/" for a directory.
	Root   string
	Bundle *Bundle // the app itself
	// Frameworks and PlugIns are the embedded bundles, in path order.
	Frameworks []*Bundle
	PlugIns    []*Bundle
	// Libraries are the loose dylibs of Frameworks/ (the Swift runtime…).
	Libraries []string
	// PrivacyManifests are every PrivacyInfo.xcprivacy in the app, the
	// app's own first.
	PrivacyManifests []*PrivacyManifest
	Profile          *mobileprovision.Profile
	ProfilePath      string
	Nibs             []*Nib
	// Errors lists what could not be read, each naming its file.
	Errors []error

	src    source
	opt    Options
	zipr   *zipapk.Reader
	closer io.Closer
}

// Nib is one compiled nib, alone or inside a compiled storyboard.
type Nib struct {
	Path    string // relative to the input
	Archive *nib.Archive
}

// Open opens an .ipa file or an unzipped .app directory.
func Open(name string, opt Options) (*App, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("ios: %w", err)
	}
	if st.IsDir() {
		return OpenDir(name, opt)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("ios: %w", err)
	}
	a, err := OpenIPA(f, st.Size(), opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	a.closer = f
	return a, nil
}

// Close releases the file Open opened; ReadFile fails after it.
func (a *App) Close() error {
	if a.closer == nil {
		return nil
	}
	return a.closer.Close()
}

// OpenIPA opens an IPA of the given size. Every file the model needs is
// read before it returns; r is used afterwards only by ReadFile.
func OpenIPA(r io.ReaderAt, size int64, opt Options) (*App, error) {
	opt = opt.withDefaults()
	z, err := zipapk.NewReader(r, size, opt.Zip)
	if err != nil {
		return nil, fmt.Errorf("ios: %w", err)
	}
	return OpenZip(z, opt)
}

// OpenZip opens an IPA whose container is already read; ReadFile reads
// through z afterwards.
func OpenZip(z *zipapk.Reader, opt Options) (*App, error) {
	opt = opt.withDefaults()
	src := newZipSource(z)
	root := ""
	for _, f := range src.files() {
		if r, ok := appRoot(f.Name); ok {
			root = r
			break
		}
	}
	if root == "" {
		return nil, ErrNoApp
	}
	a := &App{Root: root, src: src, opt: opt, zipr: z}
	a.read()
	return a, nil
}

// appRoot returns the app bundle an IPA entry's name is the Info.plist of:
// "Payload/Demo.app/" for "Payload/Demo.app/Info.plist".
func appRoot(name string) (string, bool) {
	dir, file := path.Split(name)
	if file == "Info.plist" && strings.HasPrefix(dir, "Payload/") && strings.Count(dir, "/") == 2 && strings.HasSuffix(dir, ".app/") {
		return dir, true
	}
	return "", false
}

// IsIPA reports whether entry names are an IPA's: one of them is
// Payload/Name.app/Info.plist.
func IsIPA(names []string) bool {
	for _, n := range names {
		if _, ok := appRoot(n); ok {
			return true
		}
	}
	return false
}

// IsAppDir reports whether dir is an unzipped app bundle: a directory
// holding an Info.plist file (a regular file, not a link).
func IsAppDir(dir string) bool {
	st, err := os.Lstat(filepath.Join(dir, "Info.plist"))
	return err == nil && st.Mode().IsRegular()
}

// OpenDir opens an unzipped .app directory.
func OpenDir(dir string, opt Options) (*App, error) {
	opt = opt.withDefaults()
	src, err := newDirSource(dir, opt.MaxFiles)
	if err != nil {
		return nil, err
	}
	root := path.Base(strings.TrimRight(strings.ReplaceAll(dir, "\\", "/"), "/")) + "/"
	if !src.byName[root+"Info.plist"] {
		return nil, ErrNoApp
	}
	a := &App{Root: root, src: src, opt: opt}
	a.read()
	return a, nil
}

// Files lists every file of the input, by path.
func (a *App) Files() []File { return a.src.files() }

// ReadFile reads a file of the input by its path, within MaxFileSize.
func (a *App) ReadFile(name string) ([]byte, error) { return a.src.read(name, a.opt.MaxFileSize) }

func (a *App) errf(format string, args ...any) {
	a.Errors = append(a.Errors, fmt.Errorf(format, args...))
}

// read assembles the model.
func (a *App) read() {
	all := a.src.files()
	a.Bundle = a.bundle(a.Root, KindApp)
	type sub struct {
		dir  string
		kind string
	}
	var subs []sub
	seen := map[string]bool{}
	for _, f := range under(all, a.Root) {
		parts := strings.Split(f.Name, "/")
		switch {
		case len(parts) >= 3 && parts[0] == "Frameworks" && strings.HasSuffix(parts[1], ".framework"):
			d := "Frameworks/" + parts[1] + "/"
			if !seen[d] {
				seen[d] = true
				subs = append(subs, sub{d, KindFramework})
			}
		case len(parts) == 2 && parts[0] == "Frameworks" && strings.HasSuffix(parts[1], ".dylib"):
			a.Libraries = append(a.Libraries, parts[1])
		case len(parts) >= 3 && parts[0] == "PlugIns" && strings.HasSuffix(parts[1], ".appex"):
			d := "PlugIns/" + parts[1] + "/"
			if !seen[d] {
				seen[d] = true
				subs = append(subs, sub{d, KindExtension})
			}
		}
	}
	sort.Slice(subs, func(i, j int) bool { return subs[i].dir < subs[j].dir })
	for i, s := range subs {
		if i >= a.opt.MaxBundles {
			a.errf("ios: more than %d embedded bundles; the rest not read: %w", a.opt.MaxBundles, ErrLimit)
			break
		}
		b := a.bundle(a.Root+s.dir, s.kind)
		if s.kind == KindFramework {
			a.Frameworks = append(a.Frameworks, b)
		} else {
			a.PlugIns = append(a.PlugIns, b)
		}
	}
	// A nib directory (Name.nib/) holds one archive per iOS version range
	// (objects-13.0+.nib, runtime.nib…) of the same interface: one is read,
	// runtime.nib if present, else the first.
	nibDirs := map[string]string{}
	for _, f := range under(all, a.Root) {
		if dir, file := path.Split(f.Name); strings.HasSuffix(dir, ".nib/") && strings.HasSuffix(file, ".nib") {
			if cur, ok := nibDirs[dir]; !ok || (file == "runtime.nib" && cur != "runtime.nib") {
				nibDirs[dir] = file
			}
		}
	}
	for _, f := range under(all, a.Root) {
		name := a.Root + f.Name
		switch dir, file := path.Split(f.Name); {
		case file == "PrivacyInfo.xcprivacy":
			a.privacyManifest(name)
		case f.Name == "embedded.mobileprovision":
			a.profile(name)
		case strings.HasSuffix(f.Name, ".nib"):
			if chosen, ok := nibDirs[dir]; ok && chosen != file {
				continue
			}
			a.nib(name)
		}
	}
	sort.SliceStable(a.PrivacyManifests, func(i, j int) bool {
		return a.PrivacyManifests[i].Path == a.Root+"PrivacyInfo.xcprivacy" && a.PrivacyManifests[j].Path != a.Root+"PrivacyInfo.xcprivacy"
	})
}

func (a *App) readPlist(name string) (*plist.Value, error) {
	data, err := a.src.read(name, a.opt.MaxFileSize)
	if err != nil {
		return nil, err
	}
	v, _, err := plist.Parse(data, a.opt.Plist)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}

func (a *App) profile(name string) {
	data, err := a.src.read(name, a.opt.MaxFileSize)
	if err != nil {
		a.errf("ios: %w", err)
		return
	}
	p, err := mobileprovision.Parse(data, a.opt.Profile)
	if err != nil {
		a.errf("ios: %s: %w", name, err)
		return
	}
	a.Profile, a.ProfilePath = p, name
}

func (a *App) nib(name string) {
	data, err := a.src.read(name, a.opt.MaxFileSize)
	if err != nil {
		a.errf("ios: %w", err)
		return
	}
	if !bytes.HasPrefix(data, []byte("NIBArchive")) {
		// Keyed archives (pre-iOS 6 nibs) are not read.
		a.errf("ios: %s: %w", name, nib.ErrNotNIBArchive)
		return
	}
	arc, err := nib.Parse(data, a.opt.Nib)
	if err != nil {
		a.errf("ios: %s: %w", name, err)
		return
	}
	a.Nibs = append(a.Nibs, &Nib{Path: name, Archive: arc})
}
