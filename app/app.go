// Package app opens any input appxray accepts (an APK, a split set, a bare DEX,
// a JAR or AAR holding classes.dex) and assembles the model that analyses read:
// the ZIP container with its anomalies, the manifest, the resource table, the
// DEX files and the signatures.
//
// Parts of the model are decoded lazily and at most once, so an analysis that
// needs no DEX file does not pay for inflating one. A part that cannot be read
// becomes an Error on the App; the rest of the app is still analysed, as far as
// Android itself would go.
package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"appxray/apksig"
	"appxray/arsc"
	"appxray/axml"
	"appxray/dex"
	"appxray/zipapk"
)

// Kind is the kind of input file.
type Kind string

// Input kinds.
const (
	KindAPK      Kind = "apk"       // a single APK
	KindSplitSet Kind = "split-set" // .apks, .xapk, .apkm: a ZIP of APKs
	KindDEX      Kind = "dex"       // a bare DEX file
	KindJAR      Kind = "jar"       // a JAR or AAR holding classes.dex
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
	// MaxNestedAPK bounds the size of one APK inside a split set, which has to
	// be held in memory to be read.
	MaxNestedAPK int64
}

// DefaultOptions returns safe limits for untrusted input.
func DefaultOptions() Options {
	return Options{
		Zip:          zipapk.DefaultLimits(),
		XML:          axml.DefaultLimits(),
		ARSC:         arsc.DefaultLimits(),
		DEX:          dex.DefaultLimits(),
		Sig:          apksig.DefaultLimits(),
		MaxNestedAPK: 1 << 30,
	}
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
	Path   string
	Size   int64
	SHA256 string
	Kind   Kind

	// Parts are the APKs that make up the app, base first. A bare DEX has none.
	Parts []*Part

	opt     Options
	closer  io.Closer
	bareDEX []byte

	mu   sync.Mutex
	errs []*Error

	dexOnce sync.Once
	dexs    []*DexFile
}

// Part is one APK of the app: the only one, or the base or a split of a set.
type Part struct {
	// Name is the APK's entry name inside a split set ("base.apk"), or "" for
	// a single APK.
	Name string
	Zip  *zipapk.Reader

	app *App
	raw io.ReaderAt // the APK's bytes, for the v2/v3 whole-file digests

	manOnce  sync.Once
	manifest *axml.Document

	resOnce   sync.Once
	resources *arsc.Table

	sigOnce sync.Once
	sigs    *apksig.Result

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
		return nil, fmt.Errorf("%s is a directory: scan one file at a time (batch mode is not available yet)", filename)
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

func open(ctx context.Context, r io.ReaderAt, size int64, opt Options) (*App, error) {
	a := &App{Size: size, opt: opt}
	sum, err := hashAll(ctx, r, size)
	if err != nil {
		return nil, err
	}
	a.SHA256 = sum

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
	switch {
	case z.Lookup("AndroidManifest.xml") != nil:
		a.Kind = KindAPK
		a.Parts = []*Part{{Zip: z, app: a, raw: r}}
	case hasNestedAPKs(z):
		a.Kind = KindSplitSet
		if err := a.openSplits(ctx, z); err != nil {
			return nil, err
		}
	case z.Lookup("classes.dex") != nil:
		a.Kind = KindJAR
		a.Parts = []*Part{{Zip: z, app: a, raw: r}}
	default:
		return nil, errors.New("a ZIP file with neither AndroidManifest.xml, nested APKs nor classes.dex")
	}
	return a, nil
}

func hashAll(ctx context.Context, r io.ReaderAt, size int64) (string, error) {
	h := sha256.New()
	buf := make([]byte, 1<<20)
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

// openSplits reads every APK of a split set into memory and orders them base
// first: the base is the APK whose manifest declares no split name.
func (a *App) openSplits(ctx context.Context, outer *zipapk.Reader) error {
	var parts []*Part
	for _, e := range outer.Entries {
		if !strings.EqualFold(path.Ext(e.Name), ".apk") {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if a.opt.MaxNestedAPK > 0 && e.UncompressedSize > uint64(a.opt.MaxNestedAPK) {
			a.addError(e.Name, fmt.Errorf("nested APK of %d bytes exceeds the limit of %d", e.UncompressedSize, a.opt.MaxNestedAPK))
			continue
		}
		data, err := outer.ReadFile(e)
		if err != nil {
			a.addError(e.Name, err)
			continue
		}
		br := bytes.NewReader(data)
		z, err := zipapk.NewReader(br, int64(len(data)), a.opt.Zip)
		if err != nil {
			a.addError(e.Name, err)
			continue
		}
		parts = append(parts, &Part{Name: e.Name, Zip: z, app: a, raw: br})
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

// Close releases the input file.
func (a *App) Close() error {
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

// Location names an entry of a part the way evidence does.
func (p *Part) Location(entry string) string {
	if p.Name == "" {
		return entry
	}
	return p.Name + "!" + entry
}

// ReadEntry reads a whole entry of the part, within the limits.
func (p *Part) ReadEntry(name string) ([]byte, error) {
	e := p.Zip.Lookup(name)
	if e == nil {
		return nil, fmt.Errorf("%s: %w", p.Location(name), os.ErrNotExist)
	}
	return p.Zip.ReadFile(e)
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
		data, err := p.ReadEntry("resources.arsc")
		if err != nil {
			p.app.addError(p.Location("resources.arsc"), err)
			return
		}
		t, err := arsc.Parse(data, p.app.opt.ARSC)
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

// Signatures are the part's signers.
func (p *Part) Signatures() *apksig.Result {
	p.sigOnce.Do(func() {
		res, err := p.app.opt.Sig.ReadZip(p.Zip, p.raw)
		if err != nil {
			p.app.addError(p.Location("signatures"), err)
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
// recording its warnings as XML does.
func (p *Part) DecodeXML(name string, data []byte) (*axml.Document, error) {
	doc, err := axml.Parse(data, p.app.opt.XML)
	if err != nil {
		return doc, fmt.Errorf("%s: %w", p.Location(name), err)
	}
	if len(doc.Warnings) > 0 {
		an := fromWarnings(p.Name, name, SourceXML, doc.Warnings)
		p.mu.Lock()
		if room := maxXMLAnomalies - len(p.xmlAnomalies); room < len(an) {
			if room > 0 {
				p.xmlAnomalies = append(p.xmlAnomalies, an[:room]...)
			}
			if p.xmlDropped == 0 {
				p.xmlAnomalies = append(p.xmlAnomalies, Anomaly{Part: p.Name, Source: SourceXML, Anomaly: zipapk.Anomaly{
					Kind: zipapk.TooManyAnomalies, Entry: name, Detail: fmt.Sprintf("further XML anomalies of %s not recorded", p.Location("res/"))}})
			}
			p.xmlDropped += len(an) - max(room, 0)
		} else {
			p.xmlAnomalies = append(p.xmlAnomalies, an...)
		}
		p.mu.Unlock()
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
		d := a.loadDex(ctx)
		a.mu.Lock()
		a.dexs = d
		a.mu.Unlock()
	})
	return a.dexs
}

func (a *App) loadDex(ctx context.Context) []*DexFile {
	if a.Kind == KindDEX {
		return a.parseDex("", path.Base(a.Path), a.bareDEX)
	}
	type job struct {
		part  *Part
		entry *zipapk.Entry
		rank  int
	}
	var jobs []job
	for _, p := range a.Parts {
		var pj []job
		for _, e := range p.Zip.Entries {
			if r := dexEntryRank(e.Name); r > 0 && p.Zip.Lookup(e.Name) == e {
				pj = append(pj, job{p, e, r})
			}
		}
		sort.Slice(pj, func(i, j int) bool { return pj[i].rank < pj[j].rank })
		jobs = append(jobs, pj...)
	}
	out := make([][]*DexFile, len(jobs))
	sem := make(chan struct{}, workers())
	var wg sync.WaitGroup
	for i, j := range jobs {
		if ctx.Err() != nil {
			a.addError(j.part.Location(j.entry.Name), ctx.Err())
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			loc := j.part.Location(j.entry.Name)
			data, err := j.part.Zip.ReadFile(j.entry)
			if err != nil {
				a.addError(loc, err)
				return
			}
			out[i] = a.parseDex(j.part.Name, j.entry.Name, data)
		}()
	}
	wg.Wait()
	var res []*DexFile
	for _, d := range out {
		res = append(res, d...)
	}
	return res
}

// parseDex parses a DEX file, the entry of a part (or a bare DEX when part
// is ""), or each section of a version 041 container (named "classes.dex#2"
// and on after the first).
func (a *App) parseDex(part, entry string, data []byte) []*DexFile {
	loc := entry
	if part != "" {
		loc = part + "!" + entry
	}
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

func workers() int { return max(1, runtime.GOMAXPROCS(0)) }
