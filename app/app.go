// Package app opens any input appxray accepts (an APK, a split set, an
// Android App Bundle, a bare DEX, a JAR or AAR holding classes.dex, an iOS
// app as an .ipa or an unzipped .app directory) and assembles the model
// that analyses read: the ZIP container with its anomalies, the manifest,
// the resource table, the DEX files and the signatures; for an iOS app, the
// iOS model (appxray/ios).
//
// Parts of the model are decoded lazily and at most once, so an analysis that
// needs no DEX file does not pay for inflating one. A part that cannot be read
// becomes an Error on the App; the rest of the app is still analysed, as far as
// Android itself would go.
package app

import (
	"bytes"
	"cmp"
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"appxray/aab"
	"appxray/apksig"
	"appxray/arsc"
	"appxray/axml"
	"appxray/dex"
	"appxray/internal/pages"
	"appxray/ios"
	"appxray/pbres"
	"appxray/zipapk"
)

// Kind is the kind of input file.
type Kind string

// Input kinds.
const (
	KindAPK      Kind = "apk"           // a single APK
	KindSplitSet Kind = "split-set"     // .apks, .xapk, .apkm: a ZIP of APKs
	KindDEX      Kind = "dex"           // a bare DEX file
	KindJAR      Kind = "jar"           // a JAR or AAR holding classes.dex
	KindAAB      Kind = "aab"           // an Android App Bundle: one part per module (bundle.go)
	KindIPA      Kind = "ipa"           // an iOS app archive (App.IOS; ios.go)
	KindAppDir   Kind = "app-directory" // an unzipped iOS .app directory (App.IOS)
)

// Options bound the work done on one input. Each decoder's Limits is plain
// data whose zero value means that decoder's defaults; a zero MaxNestedAPK
// means no bound beyond Zip's.
type Options struct {
	Zip  zipapk.Limits
	XML  axml.Limits
	ARSC arsc.Limits
	DEX  dex.Limits
	Sig  apksig.Limits
	// Proto bounds the decoding of an App Bundle's proto XML and tables,
	// Bundle its layout.
	Proto  pbres.Limits
	Bundle aab.Limits
	// IOS bounds the reading of an iOS app; its Zip is taken from Zip
	// when zero.
	IOS ios.Options
	// MaxNestedAPK bounds the size of one compressed APK inside a split
	// set, which has to be inflated into memory to be read (a stored one is
	// read in place).
	MaxNestedAPK int64
	// Workers bounds the goroutines that reading one input uses at once:
	// the whole-file hash beside the rest of the opening, DEX files
	// inflated and parsed together. 0 means GOMAXPROCS; 1 reads
	// everything in sequence, as a batch scanning several apps at once
	// wants.
	Workers int
	// MaxInflationRatio bounds what one input may inflate in all, over all
	// its parts and reads: this many times its size, plus 16 MiB. It keeps
	// the memory a small hostile file can cost in proportion to the file
	// (zip bombs spread over many entries or nested archives). Zero means
	// no bound beyond each Reader's own.
	MaxInflationRatio int64
}

// inflationFloor is added to MaxInflationRatio times the input size.
const inflationFloor = 16 << 20

// maxSplitDepth bounds split sets nested inside split sets.
const maxSplitDepth = 2

// DefaultOptions returns safe limits for untrusted input.
//
// Beyond each decoder's defaults they cap what one document or table may
// hold (XML nodes and attributes, type chunks) well above any real app, so
// that a hostile file cannot turn a little input into much memory.
func DefaultOptions() Options {
	o := Options{
		Zip:               zipapk.DefaultLimits(),
		XML:               axml.DefaultLimits(),
		ARSC:              arsc.DefaultLimits(),
		DEX:               dex.DefaultLimits(),
		Sig:               apksig.DefaultLimits(),
		MaxNestedAPK:      1 << 30,
		MaxInflationRatio: 64,
	}
	// Real entries past 1 MiB compress at most some 20:1 (DEX 3:1); a
	// tighter ratio than zipapk's own stops a bomb, and the buffer sized
	// for it, an order of magnitude sooner.
	o.Zip.MaxRatio = 100
	o.XML.MaxNodes = 1 << 17
	o.XML.MaxAttributes = 1 << 18
	o.ARSC.MaxTypeChunks = 1 << 15
	return o
}

// Error is a problem met while reading one part of the app. The app is still
// analysed without that part.
type Error struct {
	Where string // the part: "AndroidManifest.xml", "classes2.dex", "signatures"…
	Err   error
}

func (e *Error) Error() string { return e.Where + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// App is an opened input.
type App struct {
	Path string
	Size int64
	Kind Kind

	// Parts are the APKs that make up the app, or the modules of an App
	// Bundle, base first. A bare DEX and an iOS app have none.
	Parts []*Part

	// IOS is the iOS app, for KindIPA and KindAppDir (which have no
	// Parts); nil for Android inputs.
	IOS *ios.App

	opt     Options
	closer  io.Closer
	hash    *hashing    // the input's SHA-256, computed beside the analysis
	raw     io.ReaderAt // the input's bytes
	bareDEX []byte
	budget  *zipapk.Budget // shared by the readers of every part

	bundleZip    *zipapk.Reader // the whole bundle (KindAAB)
	bundleConfig *aab.BundleConfig
	iosZip       *zipapk.Reader // the IPA's container (KindIPA)

	mu   sync.Mutex
	errs []*Error

	embedded []*Embedded // payloads found by content (embedded.go)

	pages pages.Pool // the bytes of the DEX files Dex loads
	// held are the plain DEX entries Dex inflated, by part and entry, for
	// the v1 digest check to read instead of inflating them again; cleared
	// at Close, before pages frees them.
	held      map[heldKey][]byte
	dexOnce   sync.Once
	loadOnce  sync.Once
	load      *dexLoad // set by loadOnce (StartDex or Dex), waited for by Close
	dexs      []*DexFile
	dexLoaded bool
	eachDone  bool      // EachDex has run once: its anomalies are recorded
	dexAnoms  []Anomaly // of the DEX files EachDex visited
}

// Part is one APK of the app: the only one, or the base or a split of a set.
type Part struct {
	// Name is the APK's entry name inside a split set ("base.apk"), the
	// carrying entry of an embedded APK or JAR ("assets/a33.jpg"), or ""
	// for a single APK.
	Name string
	Zip  *zipapk.Reader
	// Embedded marks an APK or JAR the app carries inside an entry rather
	// than one it is made of (see App.Embedded).
	Embedded bool

	app    *App
	raw    io.ReaderAt   // the APK's bytes, for the v2/v3 whole-file digests
	bundle *bundleModule // a module of an App Bundle (bundle.go), or nil

	manOnce  sync.Once
	manifest *axml.Document

	resOnce   sync.Once
	resources *arsc.Table

	sigOnce sync.Once
	sigs    *apksig.Result

	// v1Hashes are the hashes MANIFEST.MF's entry digests use when the
	// part's signature check hashes every entry (DigestsEntries), else
	// none; digests are those hashes of the entries read whole for the
	// analysis (ReadFileSniff), for the v1 check (under mu).
	v1Once   sync.Once
	v1Hashes []crypto.Hash
	digests  map[digestKey][]byte

	mu           sync.Mutex
	xmlAnomalies []Anomaly // warnings of documents read through XML
	xmlDropped   int

	manAnomOnce sync.Once
	manAnoms    []Anomaly
}

// DexFile is one parsed DEX file.
type DexFile struct {
	// Location names the file the way evidence does: "classes2.dex", or
	// "split_feature.apk!classes.dex" inside a split set.
	Location string
	Size     int
	File     *dex.File

	part, entry string // Part.Name and the entry name, for anomalies
}

// Open opens the input at path. Only a failure to recognise or open the
// container at all is returned as an error; problems inside it are recorded
// in Errors.
func Open(ctx context.Context, filename string, opt Options) (*App, error) {
	st, err := os.Stat(filename)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return openAppDir(ctx, filename, opt)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", filename)
	}
	f, err := os.Open(filename)
	if err != nil {
		return nil, err
	}
	a, err := open(ctx, f, st.Size(), opt)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	a.Path = filename
	a.closer = f
	return a, nil
}

// OpenBytes opens an input held in memory.
func OpenBytes(ctx context.Context, name string, data []byte, opt Options) (*App, error) {
	a, err := open(ctx, bytes.NewReader(data), int64(len(data)), opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	a.Path = name
	return a, nil
}

// open opens the input r of size bytes. Its SHA-256 is computed beside
// the opening and the analysis (SHA256 waits for it), unless opt.Workers
// is 1.
func open(ctx context.Context, r io.ReaderAt, size int64, opt Options) (*App, error) {
	h := &hashing{done: make(chan struct{})}
	if opt.workers() == 1 {
		h.sum, h.err = hashAll(ctx, r, size)
		close(h.done)
		if h.err != nil {
			return nil, h.err
		}
		a, err := openInput(ctx, r, size, opt)
		if a != nil {
			a.hash = h
		}
		return a, err
	}
	hctx, cancel := context.WithCancel(ctx)
	h.cancel = cancel
	go func() {
		defer close(h.done)
		h.sum, h.err = hashAll(hctx, r, size)
	}()
	a, err := openInput(ctx, r, size, opt)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		h.stop()
		return nil, err
	}
	a.hash = h
	return a, nil
}

// hashing is the SHA-256 of the input, done once done is closed.
type hashing struct {
	done     chan struct{}
	cancel   context.CancelFunc
	sum      string
	err      error
	reported sync.Once
}

// stop cancels the hashing and waits for it.
func (h *hashing) stop() {
	if h.cancel != nil {
		h.cancel()
	}
	<-h.done
}

// SHA256 returns the hex SHA-256 of the whole input, waiting for it to be
// computed. If the input could not be read to its end, it is "" and the
// failure is one of the app's Errors.
func (a *App) SHA256() string {
	h := a.hash
	if h == nil {
		return ""
	}
	<-h.done
	if h.err != nil {
		h.reported.Do(func() { a.addError("input", h.err) })
		return ""
	}
	return h.sum
}

// openInput recognises the input and opens its parts (open hashes it).
func openInput(ctx context.Context, r io.ReaderAt, size int64, opt Options) (*App, error) {
	a := &App{Size: size, opt: opt, raw: r}

	var magic [4]byte
	if _, err := r.ReadAt(magic[:], 0); err != nil {
		return nil, fmt.Errorf("reading magic: %w", err)
	}
	if string(magic[:]) == "dex\n" {
		if size > int64(opt.Zip.MaxEntrySize) && opt.Zip.MaxEntrySize > 0 {
			return nil, fmt.Errorf("DEX file of %d bytes exceeds the limit of %d", size, opt.Zip.MaxEntrySize)
		}
		buf := make([]byte, size)
		if _, err := r.ReadAt(buf, 0); err != nil {
			return nil, fmt.Errorf("reading DEX: %w", err)
		}
		a.Kind = KindDEX
		a.bareDEX = buf
		return a, nil
	}

	z, err := zipapk.NewReader(r, size, opt.Zip)
	if err != nil {
		return nil, fmt.Errorf("not an APK, split set or DEX file: %w", err)
	}
	if opt.MaxInflationRatio > 0 {
		a.budget = zipapk.NewBudget(opt.MaxInflationRatio*size + inflationFloor)
		z.ShareBudget(a.budget)
	}
	switch {
	case z.Lookup("AndroidManifest.xml") != nil:
		a.Kind = KindAPK
		a.Parts = []*Part{{Zip: z, app: a, raw: r}}
	case isBundle(z):
		a.Kind = KindAAB
		if err := a.openBundle(z); err != nil {
			return nil, err
		}
	case isIPA(z):
		a.Kind = KindIPA
		if err := a.openIPA(z); err != nil {
			return nil, err
		}
		return a, nil
	case hasNestedAPKs(z):
		a.Kind = KindSplitSet
		if err := a.openSplits(ctx, z, r); err != nil {
			return nil, err
		}
	case z.Lookup("classes.dex") != nil:
		a.Kind = KindJAR
		a.Parts = []*Part{{Zip: z, app: a, raw: r}}
	default:
		return nil, errors.New("a ZIP file with neither AndroidManifest.xml, nested APKs, classes.dex, an App Bundle's modules nor an iOS app's Payload/*.app")
	}
	a.findEmbedded(ctx, a.Parts, 1)
	return a, nil
}

// readStep is how much of the input hashAll reads at a time.
const readStep = 64 << 10

func hashAll(ctx context.Context, r io.ReaderAt, size int64) (string, error) {
	h := sha256.New()
	// A small buffer: SHA-256 runs as fast, and in a batch a megabyte per
	// app was a quarter of all the bytes allocated, so of the GC's work.
	buf := make([]byte, readStep)
	for off := int64(0); off < size; {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n := int64(len(buf))
		if size-off < n {
			n = size - off
		}
		if _, err := r.ReadAt(buf[:n], off); err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading input at %d: %w", off, err)
		}
		h.Write(buf[:n])
		off += n
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hasNestedAPKs(z *zipapk.Reader) bool {
	for _, e := range z.Entries {
		if strings.EqualFold(path.Ext(e.Name), ".apk") {
			return true
		}
	}
	return false
}

// openSplits opens every APK of a split set (r is the set's bytes) and
// orders them base first: the base is the APK whose manifest declares no
// split name. A stored APK is read in place; a compressed one is inflated
// into memory, within the shared inflation budget. A split set inside the
// set is opened the same way, its APKs named "inner.apks!x.apk".
func (a *App) openSplits(ctx context.Context, outer *zipapk.Reader, r io.ReaderAt) error {
	parts, err := a.nestedParts(ctx, outer, r, "", 1)
	if err != nil {
		return err
	}
	if len(parts) == 0 {
		return errors.New("split set holds no readable APK")
	}
	// The base is the APK without a split name; split="" is none too
	// (ApkLiteParseUtils reads the attribute without a namespace and
	// takes an empty name as none).
	base := -1
	for i, p := range parts {
		m := p.Manifest()
		if m == nil || m.Root == nil {
			continue
		}
		if SplitName(m) == "" {
			if base < 0 || path.Base(p.Name) == "base.apk" {
				base = i
			}
		}
	}
	if base < 0 {
		a.addError("split set", errors.New("no base APK (every manifest names a split)"))
		base = 0
	}
	parts[0], parts[base] = parts[base], parts[0]
	sort.SliceStable(parts[1:], func(i, j int) bool { return parts[1+i].Name < parts[1+j].Name })
	a.Parts = parts
	return nil
}

// nestedParts opens the APKs of the split set z (read from r), their
// names prefixed with prefix, descending into nested split sets up to
// maxSplitDepth.
func (a *App) nestedParts(ctx context.Context, z *zipapk.Reader, r io.ReaderAt, prefix string, depth int) ([]*Part, error) {
	var parts []*Part
	for _, e := range z.Entries {
		if !nestedName(e.Name) || z.Lookup(e.Name) != e {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := prefix + e.Name
		raw, size, err := a.nestedBytes(z, r, e)
		if err != nil {
			a.addError(name, err)
			continue
		}
		nz, err := zipapk.NewReader(raw, size, a.opt.Zip)
		if err != nil {
			a.addError(name, err)
			continue
		}
		if a.budget != nil {
			nz.ShareBudget(a.budget)
		}
		if nz.Lookup("AndroidManifest.xml") == nil && hasNestedAPKs(nz) {
			if depth >= maxSplitDepth {
				a.addError(name, fmt.Errorf("split set nested more than %d deep: not opened", maxSplitDepth))
				continue
			}
			inner, err := a.nestedParts(ctx, nz, raw, name+"!", depth+1)
			if err != nil {
				return nil, err
			}
			parts = append(parts, inner...)
			continue
		}
		parts = append(parts, &Part{Name: name, Zip: nz, app: a, raw: raw})
	}
	return parts, nil
}

// nestedName reports whether an entry of a split set may hold an APK or
// another split set.
func nestedName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".apk", ".apks", ".xapk", ".apkm":
		return true
	}
	return false
}

// nestedBytes gives access to the APK stored in entry e of z (whose file
// is r): the bytes in place when the entry is stored, else its inflated
// copy.
func (a *App) nestedBytes(z *zipapk.Reader, r io.ReaderAt, e *zipapk.Entry) (io.ReaderAt, int64, error) {
	if e.Method == zipapk.Store && e.Err() == nil && e.DataOffset >= 0 && e.UncompressedSize <= uint64(z.Size()-e.DataOffset) {
		return io.NewSectionReader(r, e.DataOffset, int64(e.UncompressedSize)), int64(e.UncompressedSize), nil
	}
	if a.opt.MaxNestedAPK > 0 && e.UncompressedSize > uint64(a.opt.MaxNestedAPK) {
		return nil, 0, fmt.Errorf("nested APK of %d bytes exceeds the limit of %d", e.UncompressedSize, a.opt.MaxNestedAPK)
	}
	data, err := z.ReadFile(e)
	if err != nil {
		return nil, 0, err
	}
	return bytes.NewReader(data), int64(len(data)), nil
}

// Close releases the input file and the bytes of the DEX files Dex
// loaded: none of those files may be used after it.
func (a *App) Close() error {
	if a.hash != nil {
		a.hash.stop()
	}
	a.loadOnce.Do(func() {}) // no load starts after Close
	if a.load != nil {
		a.load.wg.Wait()
	}
	a.mu.Lock()
	a.held = nil
	a.mu.Unlock()
	a.pages.Free()
	if a.closer != nil {
		return a.closer.Close()
	}
	return nil
}

func (a *App) addError(where string, err error) {
	a.mu.Lock()
	a.errs = append(a.errs, &Error{Where: where, Err: err})
	a.mu.Unlock()
}

// Errors lists the problems met so far, in the order they were met.
func (a *App) Errors() []*Error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]*Error(nil), a.errs...)
}

// Base is the base APK, or nil for a bare DEX.
func (a *App) Base() *Part {
	if len(a.Parts) == 0 {
		return nil
	}
	return a.Parts[0]
}

// Location names an entry of a part the way evidence does: the entry
// itself in a single APK, "split.apk!entry" in a split set, and the
// bundle's own entry in an App Bundle module ("base/dex/classes.dex").
func (p *Part) Location(entry string) string {
	if p.bundle != nil {
		return p.bundle.location(entry)
	}
	if p.Name == "" {
		return entry
	}
	return p.Name + "!" + entry
}

// ReadEntry reads a whole entry of the part, within the limits. In an App
// Bundle module it returns what the APK would hold: binary XML for proto
// XML, resources.arsc for resources.pb.
func (p *Part) ReadEntry(name string) ([]byte, error) {
	e := p.Zip.Lookup(name)
	if e == nil {
		return nil, fmt.Errorf("%s: %w", p.Location(name), os.ErrNotExist)
	}
	if p.bundle != nil && name == "resources.arsc" {
		return p.apkForm(name, nil)
	}
	data, err := p.Zip.ReadFile(e)
	if err != nil || p.bundle == nil {
		return data, err
	}
	return p.apkForm(name, data)
}

// Manifest is the part's decoded AndroidManifest.xml, or nil if it has none
// or it cannot be read (the reason is in the app's Errors).
func (p *Part) Manifest() *axml.Document {
	p.manOnce.Do(func() {
		if p.Zip.Lookup("AndroidManifest.xml") == nil {
			return
		}
		data, err := p.ReadEntry("AndroidManifest.xml")
		if err != nil {
			p.app.addError(p.Location("AndroidManifest.xml"), err)
			return
		}
		// A bundle's manifest is proto XML, which ReadEntry lays out as
		// binary XML.
		doc, err := axml.Parse(data, p.app.opt.XML)
		if err != nil {
			p.app.addError(p.Location("AndroidManifest.xml"), err)
			if doc == nil || doc.Root == nil {
				return
			}
		}
		p.manifest = doc
	})
	return p.manifest
}

// Resources is the part's resource table, or nil.
func (p *Part) Resources() *arsc.Table {
	p.resOnce.Do(func() {
		if p.Zip.Lookup("resources.arsc") == nil {
			return
		}
		var t *arsc.Table
		var err error
		if p.bundle != nil {
			t, err = p.bundleResources()
		} else {
			var data []byte
			if data, err = p.ReadEntry("resources.arsc"); err != nil {
				p.app.addError(p.Location("resources.arsc"), err)
				return
			}
			t, err = arsc.Parse(data, p.app.opt.ARSC)
		}
		if err != nil {
			p.app.addError(p.Location("resources.arsc"), err)
			if t == nil {
				return
			}
		}
		p.resources = t
	})
	return p.resources
}

// Signatures are the part's signers. An App Bundle is signed as one JAR:
// its base module reports the bundle's signature, the other modules none
// (nil).
func (p *Part) Signatures() *apksig.Result {
	p.sigOnce.Do(func() {
		z := p.Zip
		if p.bundle != nil {
			if z = p.bundle.sig; z == nil {
				return
			}
		}
		// A bundle's signature zip holds no entry Dex loaded: heldContents
		// reads all of it from z.
		res, err := p.app.opt.Sig.ReadZipFrom(z, p.raw, heldContents{apksig.Contents(z), p})
		if err != nil {
			where := p.Location("signatures")
			if p.bundle != nil {
				where = "signatures" // the whole bundle's
			}
			p.app.addError(where, err)
		}
		p.sigs = res
	})
	return p.sigs
}

// XML reads and decodes a binary XML entry of the part. The document's
// warnings become anomalies of the app (see App.Anomalies).
func (p *Part) XML(name string) (*axml.Document, error) {
	data, err := p.ReadEntry(name)
	if err != nil {
		return nil, err
	}
	return p.DecodeXML(name, data)
}

// DecodeXML decodes binary XML already read from the part's entry name,
// recording its warnings as XML does. In an App Bundle module it also
// takes the entry's proto XML as stored (pbres), which ReadEntry would
// have laid out as binary XML.
func (p *Part) DecodeXML(name string, data []byte) (*axml.Document, error) {
	if p.bundle != nil && !isBinaryXML(data) {
		bin, err := p.apkForm(name, data)
		if err != nil {
			return nil, err
		}
		data = bin
	}
	doc, err := axml.Parse(data, p.app.opt.XML)
	if err != nil {
		return doc, fmt.Errorf("%s: %w", p.Location(name), err)
	}
	if len(doc.Warnings) > 0 {
		p.recordXML(name, p.warnings(name, SourceXML, doc.Warnings))
	}
	return doc, nil
}

// Manifest is the base APK's manifest.
func (a *App) Manifest() *axml.Document {
	if b := a.Base(); b != nil {
		return b.Manifest()
	}
	return nil
}

// Resources is the base APK's resource table.
func (a *App) Resources() *arsc.Table {
	if b := a.Base(); b != nil {
		return b.Resources()
	}
	return nil
}

// dexEntryRank orders classes.dex, classes2.dex, … as Android loads them; it
// returns 0 for names that are not primary or secondary DEX files.
func dexEntryRank(name string) int {
	rest, ok := strings.CutPrefix(name, "classes")
	if !ok {
		return 0
	}
	num, ok := strings.CutSuffix(rest, ".dex")
	if !ok {
		return 0
	}
	if num == "" {
		return 1
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 2 || strconv.Itoa(n) != num {
		return 0
	}
	return n
}

// Dex returns every DEX file of the app, in load order (classes.dex,
// classes2.dex, … of the base, then of each split), inflating and parsing
// them concurrently on first use. A DEX file that cannot be read is an Error
// and is left out.
func (a *App) Dex(ctx context.Context) []*DexFile {
	a.dexOnce.Do(func() {
		d := a.startDexLoad(ctx).wait()
		a.mu.Lock()
		a.dexs, a.dexLoaded = d, true
		a.mu.Unlock()
	})
	return a.dexs
}

// StartDex starts loading the DEX files (as Dex does) in the background and
// returns at once; Dex then waits for that load. A scan that will read the
// code calls it as soon as the app is open: inflating the largest DEX file
// is the longest single step of most scans, and started before the
// analyzers' goroutines it runs beside them instead of queueing behind
// them. Close waits for it. ctx bounds the load as Dex's would. An app
// without DEX files (an iOS app) starts nothing.
func (a *App) StartDex(ctx context.Context) { a.startDexLoad(ctx) }

// heldKey names a DEX entry of a part.
type heldKey struct {
	part  *Part
	entry string
}

// heldContents reads a part's entries for the v1 digest check, a DEX file
// Dex has loaded from the bytes the app holds (the same bytes the entry
// inflates to: ReadFileTo read it to its end through the same reader).
type heldContents struct {
	apksig.ZipContents
	p *Part
}

func (c heldContents) Open(name string) (io.ReadCloser, error) {
	a := c.p.app
	a.mu.Lock()
	b, ok := a.held[heldKey{c.p, name}]
	a.mu.Unlock()
	if ok {
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	return c.ZipContents.Open(name)
}

// Digest is the digest of the entry the v1 check opens by name, if an
// analysis read it whole (Part.ReadFileSniff).
func (c heldContents) Digest(name string, h crypto.Hash) ([]byte, bool) {
	c.p.mu.Lock()
	defer c.p.mu.Unlock()
	b, ok := c.p.digests[digestKey{name, h}]
	return b, ok
}

// digestKey names one digest of one entry of a part.
type digestKey struct {
	entry string
	hash  crypto.Hash
}

// ReadFileSniff is the zip's ReadFileSniff (zipapk.Reader) for an analysis
// that reads entries of the part. An entry it reads whole is hashed as the
// v1 check will want it when that check hashes every entry
// (DigestsEntries), so that the check does not inflate it a second time;
// hashing is several times faster than inflating.
func (p *Part) ReadFileSniff(e *zipapk.Entry, n int, keep func(head []byte) bool) ([]byte, bool, error) {
	data, whole, err := p.Zip.ReadFileSniff(e, n, keep)
	if err == nil && whole {
		p.keepDigests(e, data)
	}
	return data, whole, err
}

// ReadFile is the zip's ReadFile, keeping the entry's digests for the v1
// check as ReadFileSniff does.
func (p *Part) ReadFile(e *zipapk.Entry) ([]byte, error) {
	data, err := p.Zip.ReadFile(e)
	if err == nil {
		p.keepDigests(e, data)
	}
	return data, err
}

// keepDigests hashes data, all of entry e, for the v1 check.
func (p *Part) keepDigests(e *zipapk.Entry, data []byte) {
	// Only the entry the check opens by this name, and only if what was
	// read is all of it.
	if uint64(len(data)) != e.UncompressedSize || p.Zip.Lookup(e.Name) != e {
		return
	}
	if hs := p.entryHashes(); len(hs) > 0 {
		sums := make([][]byte, len(hs))
		for i, h := range hs {
			d := h.New()
			d.Write(data)
			sums[i] = d.Sum(nil)
		}
		p.mu.Lock()
		if p.digests == nil {
			p.digests = map[digestKey][]byte{}
		}
		for i, h := range hs {
			p.digests[digestKey{e.Name, h}] = sums[i]
		}
		p.mu.Unlock()
	}
}

// entryHashes are the hashes the v1 check will compute of every entry, or
// none when it computes none.
func (p *Part) entryHashes() []crypto.Hash {
	p.v1Once.Do(func() {
		if !p.DigestsEntries() {
			return
		}
		e := p.Zip.Lookup(apksig.ManifestName)
		if e == nil || e.UncompressedSize > maxManifestMF {
			return
		}
		if b, err := p.Zip.ReadFile(e); err == nil {
			for _, h := range apksig.ManifestDigests(b) {
				if h.Available() {
					p.v1Hashes = append(p.v1Hashes, h)
				}
			}
		}
	})
	return p.v1Hashes
}

// maxManifestMF bounds the MANIFEST.MF entryHashes reads: a manifest
// larger than this is left to the v1 check alone.
const maxManifestMF = 16 << 20

// DigestsEntries reports whether checking the part's signatures hashes
// every entry: it is signed with v1 and has no APK Signing Block (Android
// checks the v1 digests only then), or the options ask for the v1 digests
// whatever else signs it. A caller that loads the DEX files
// anyway (Dex) does so first, so that they are hashed from memory rather
// than inflated twice.
func (p *Part) DigestsEntries() bool {
	sig := p.app.opt.Sig
	if p.bundle != nil || !sig.VerifyV1Entries && (p.Zip.SigningBlock != nil || !sig.VerifyContent) {
		return false
	}
	for _, e := range p.Zip.Entries {
		if apksig.IsV1File(e.Name) {
			return true
		}
	}
	return false
}

// dexJob is one DEX entry of one part.
type dexJob struct {
	part   *Part
	entry  *zipapk.Entry
	rank   int
	cipher XORCipher // the payload's XOR, zero for a plain file
	bare   bool      // a DEX payload found by content, whatever its name
}

// read inflates the job's entry into a buffer from alloc (nil: the heap)
// and undoes its XOR.
func (j dexJob) read(alloc func(int) []byte) ([]byte, error) {
	data, err := j.part.Zip.ReadFileTo(j.entry, alloc)
	if err == nil {
		j.cipher.Decode(data, 0)
	}
	return data, err
}

// dexJobs lists the DEX entries of every part in load order.
func (a *App) dexJobs() []dexJob {
	var jobs []dexJob
	for _, p := range a.Parts {
		var pj []dexJob
		for _, e := range p.Zip.Entries {
			if r := dexEntryRank(e.Name); r > 0 && p.Zip.Lookup(e.Name) == e {
				pj = append(pj, dexJob{part: p, entry: e, rank: r})
			}
		}
		sort.Slice(pj, func(i, j int) bool { return pj[i].rank < pj[j].rank })
		jobs = append(jobs, pj...)
	}
	return append(jobs, a.embeddedDexJobs()...)
}

// EachDex calls fn for every DEX file of the app, in the order Dex lists
// them, inflating and parsing one at a time and letting each go once fn
// returns: peak memory is about the largest DEX file, not their sum. Use
// it rather than Dex when the files need not be held together (fn must
// not keep the DexFile). The anomalies of each file, those its walk found
// included, are recorded when fn returns (App.Anomalies). If Dex has
// already loaded the files, EachDex goes through those. An error from fn
// stops the walk and is returned; a DEX file that cannot be read is an
// Error of the app, and the others are still visited.
func (a *App) EachDex(ctx context.Context, fn func(*DexFile) error) error {
	a.mu.Lock()
	loaded, dexs := a.dexLoaded, a.dexs
	first := !a.eachDone
	a.eachDone = true
	a.mu.Unlock()
	if loaded {
		for _, d := range dexs {
			if err := fn(d); err != nil {
				return err
			}
		}
		return nil
	}
	visit := func(files []*DexFile) error {
		for _, d := range files {
			err := fn(d)
			if first {
				an := fromWarnings(d.part, d.entry, SourceDex, d.File.AllWarnings())
				if n := d.File.DroppedWarnings(); n > 0 {
					an = append(an, Anomaly{Part: d.part, Source: SourceDex, Anomaly: zipapk.Anomaly{
						Kind: zipapk.LimitExceeded, Entry: d.entry, Detail: fmt.Sprintf("%d further DEX warnings not recorded", n)}})
				}
				a.mu.Lock()
				a.dexAnoms = append(a.dexAnoms, an...)
				a.mu.Unlock()
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	if a.Kind == KindDEX {
		return visit(a.parseDexQuiet(first, "", path.Base(a.Path), a.bareDEX))
	}
	for _, j := range a.dexJobs() {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := j.read(nil)
		if err != nil {
			if first {
				a.addError(j.part.Location(j.entry.Name), err)
			}
			continue
		}
		if err := visit(a.parseDexQuiet(first, j.part.Name, j.entry.Name, data)); err != nil {
			return err
		}
	}
	return nil
}

// parseDexQuiet is parseDex recording its error only when record is set.
func (a *App) parseDexQuiet(record bool, part, entry string, data []byte) []*DexFile {
	if record {
		return a.parseDex(part, entry, data)
	}
	files, _ := dex.ParseAll(data, a.opt.DEX)
	var out []*DexFile
	for i, f := range files {
		e := entry
		if i > 0 {
			e = fmt.Sprintf("%s#%d", entry, i+1)
		}
		out = append(out, &DexFile{Location: a.entryLocation(part, e), Size: len(data), File: f, part: part, entry: e})
	}
	return out
}

// dexLoad is the loading of the app's DEX files: workers inflate and
// parse them, the largest first, into out (in load order).
type dexLoad struct {
	wg  sync.WaitGroup
	out [][]*DexFile
}

// startDexLoad starts the load once and returns it.
func (a *App) startDexLoad(ctx context.Context) *dexLoad {
	a.loadOnce.Do(func() {
		l := &dexLoad{}
		a.load = l
		if a.Kind == KindDEX {
			l.out = make([][]*DexFile, 1)
			l.wg.Go(func() { l.out[0] = a.parseDex("", path.Base(a.Path), a.bareDEX) })
			return
		}
		jobs := a.dexJobs()
		l.out = make([][]*DexFile, len(jobs))
		// The largest files first, so that the longest inflation, most
		// often the critical path of the whole scan, starts at once.
		order := make([]int, len(jobs))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(x, y int) int {
			return cmp.Compare(jobs[y].entry.UncompressedSize, jobs[x].entry.UncompressedSize)
		})
		var next atomic.Int64
		for range min(a.opt.workers(), len(jobs)) {
			l.wg.Go(func() {
				for {
					k := next.Add(1) - 1
					if k >= int64(len(order)) {
						return
					}
					i := order[k]
					if err := ctx.Err(); err != nil {
						a.addError(jobs[i].part.Location(jobs[i].entry.Name), err)
						continue
					}
					l.out[i] = a.loadDexJob(jobs[i])
				}
			})
		}
	})
	return a.load
}

// loadDexJob inflates and parses one DEX entry into the app's pages.
func (a *App) loadDexJob(j dexJob) []*DexFile {
	// The files are held until the app is closed, so their bytes are kept
	// off the heap (internal/pages): a heap twice their size would
	// otherwise be let grow around them.
	data, err := j.read(a.pages.Alloc)
	if err != nil {
		a.addError(j.part.Location(j.entry.Name), err)
		return nil
	}
	out := a.parseDex(j.part.Name, j.entry.Name, data)
	if len(out) == 0 {
		a.pages.Drop(data)
	} else if j.cipher == (XORCipher{}) && !j.bare && j.part.bundle == nil {
		a.mu.Lock()
		if a.held == nil {
			a.held = map[heldKey][]byte{}
		}
		a.held[heldKey{j.part, j.entry.Name}] = data
		a.mu.Unlock()
	}
	for _, d := range out {
		pages.Own(&a.pages, d.File, data)
	}
	return out
}

// wait waits for the load and lists its files in load order.
func (l *dexLoad) wait() []*DexFile {
	l.wg.Wait()
	var res []*DexFile
	for _, d := range l.out {
		res = append(res, d...)
	}
	return res
}

// parseDex parses a DEX file, the entry of a part (or a bare DEX when part
// is ""), or each section of a version 041 container (named "classes.dex#2"
// and on after the first).
func (a *App) parseDex(part, entry string, data []byte) []*DexFile {
	loc := a.entryLocation(part, entry)
	files, err := dex.ParseAll(data, a.opt.DEX)
	if err != nil {
		a.addError(loc, err)
	}
	var out []*DexFile
	for i, f := range files {
		name := loc
		if i > 0 {
			name = fmt.Sprintf("%s#%d", loc, i+1)
		}
		size := len(data)
		if len(files) > 1 {
			size = int(f.Header.FileSize)
		}
		e := entry
		if i > 0 {
			e = fmt.Sprintf("%s#%d", entry, i+1)
		}
		out = append(out, &DexFile{Location: name, Size: size, File: f, part: part, entry: e})
	}
	return out
}

// workers is Workers, or GOMAXPROCS when it is 0.
func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return max(1, runtime.GOMAXPROCS(0))
}

// entryLocation names the entry of the part named part the way evidence
// does (Part.Location); part "" is a bare DEX file.
func (a *App) entryLocation(part, entry string) string {
	if part == "" {
		return entry
	}
	for _, p := range a.Parts {
		if p.Name == part {
			return p.Location(entry)
		}
	}
	return part + "!" + entry
}
