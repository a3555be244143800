package app

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"

	"appxray/aab"
	"appxray/arsc"
	"appxray/axml"
	"appxray/pbres"
	"appxray/res"
	"appxray/zipapk"
)

// An Android App Bundle (KindAAB) is one ZIP of modules (aab): base/ and
// each feature or asset module, each holding what an APK built from it
// holds, under other names and in aapt2's protocol-buffer forms. Each
// module is a Part whose Zip is a view of the bundle (zipapk.Reader.View)
// under the names the APK would give its files (AndroidManifest.xml,
// classes.dex, res/…, assets/…, lib/…, resources.arsc for resources.pb),
// so that every channel reads a module as it reads an APK; ReadEntry,
// Manifest, Resources and DecodeXML give the binary forms of the proto
// files (pbres). Evidence names the bundle's own entries:
// Location("classes.dex") is "base/dex/classes.dex",
// Location("AndroidManifest.xml") "base/manifest/AndroidManifest.xml",
// Location("resources.arsc") "base/resources.pb", so that a reader finds
// each place with unzip.
//
// A decoder's offset in bytes appxray converted (binary XML laid out from
// proto XML, a table flattened from resources.pb) is no position in the
// file: such anomalies carry the offset -1 (positionless); those of the
// proto decoder itself keep their offset in the bundle's entry.

// bundleModule is what a module of a bundle adds to its Part.
type bundleModule struct {
	mod *aab.Module
	// locs maps a name in the part's view to the bundle's entry name.
	locs map[string]string
	// sig is the bundle's own reader, whose signature (jarsigner's, over
	// the whole bundle) the base module reports; nil for other modules.
	sig *zipapk.Reader

	tableOnce  sync.Once
	table      []byte // resources.pb flattened as resources.arsc
	tableWarns []error
	tableErr   error

	// converted lists the view names whose bytes ReadEntry converted, and
	// noted those whose proto warnings are recorded.
	converted map[string]bool
	noted     map[string]bool
}

// Module is the App Bundle module the part is, nil outside a bundle.
func (p *Part) Module() *aab.Module {
	if p.bundle == nil {
		return nil
	}
	return p.bundle.mod
}

// BundleConfig is a bundle's BundleConfig.pb (KindAAB), nil otherwise or
// when it cannot be read.
func (a *App) BundleConfig() *aab.BundleConfig { return a.bundleConfig }

// isBundle reports whether the ZIP's entry names are an App Bundle's.
func isBundle(z *zipapk.Reader) bool {
	names := make([]string, 0, len(z.Entries))
	for _, e := range z.Entries {
		names = append(names, e.Name)
	}
	return aab.IsBundle(names)
}

// openBundle makes one Part per module of the bundle z (read from its
// file r), the base first.
func (a *App) openBundle(z *zipapk.Reader) error {
	var names []string
	for _, e := range z.Entries {
		if !e.IsDir() && z.Lookup(e.Name) == e {
			names = append(names, e.Name)
		}
	}
	layout, err := aab.ReadLayout(names, a.opt.Bundle)
	if err != nil {
		return err
	}
	a.bundleZip = z
	if e := z.Lookup(layout.Config); e != nil {
		data, err := z.ReadFile(e)
		if err == nil {
			a.bundleConfig, err = aab.ParseBundleConfig(data)
		}
		if err != nil {
			a.addError(layout.Config, err)
		}
	}
	for i, m := range layout.Modules {
		bm := &bundleModule{mod: m, locs: map[string]string{}, converted: map[string]bool{}, noted: map[string]bool{}}
		// The module's own directories first, root/ after: a file of
		// root/ that would take the name of the manifest, a DEX file, the
		// table or a file of res/, assets/ or lib/ is not the APK's.
		view := map[string]string{}
		for _, root := range []bool{false, true} {
			for _, n := range m.Files {
				if strings.HasPrefix(n, m.Name+"/root/") != root {
					continue
				}
				p, ok := m.APKPath(n)
				if !ok {
					continue
				}
				if p == "resources.pb" {
					p = "resources.arsc"
				}
				if prev, taken := bm.locs[p]; taken {
					a.addError(n, fmt.Errorf("takes the name %s in the APK, which %s holds: not read", p, prev))
					continue
				}
				bm.locs[p], view[n] = n, p
			}
		}
		if i == 0 {
			bm.sig = z
		}
		pz := z.View(func(name string) (string, bool) {
			p, ok := view[name]
			return p, ok
		})
		a.Parts = append(a.Parts, &Part{Name: m.Name, Zip: pz, app: a, raw: a.raw, bundle: bm})
	}
	return nil
}

// location is the bundle entry a view name stands for.
func (b *bundleModule) location(entry string) string {
	if loc, ok := b.locs[entry]; ok {
		return loc
	}
	if base, n, ok := strings.Cut(entry, "#"); ok { // a section of a DEX container
		if loc, ok := b.locs[base]; ok {
			return loc + "#" + n
		}
	}
	return b.mod.Name + "/" + entry
}

// isBinaryXML tells Android binary XML by its first chunk header.
func isBinaryXML(b []byte) bool {
	return len(b) >= 8 && b[0] == 0x03 && b[1] == 0x00 && b[2] == 0x08 && b[3] == 0x00
}

// protoXMLName reports whether a module's entry (by its name in the view)
// is compiled XML, which a bundle holds as proto XML: the manifest and
// every res/**.xml but those of res/raw/, which are not compiled.
func protoXMLName(name string) bool {
	return name == "AndroidManifest.xml" ||
		strings.HasPrefix(name, "res/") && !strings.HasPrefix(name, "res/raw/") && strings.HasSuffix(strings.ToLower(name), ".xml")
}

// looksLikeText tells an XML text file (which aapt2 leaves as it is) from
// a proto message that failed to decode.
func looksLikeText(b []byte) bool {
	b = bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}

// apkForm returns an entry of a bundle module as the APK holds it: proto
// XML laid out as binary XML, resources.pb as resources.arsc, every other
// file as it is. Warnings of the proto decoder are recorded once per entry
// (the manifest's with the manifest, see Anomalies).
func (p *Part) apkForm(name string, data []byte) ([]byte, error) {
	b := p.bundle
	if name == "resources.arsc" {
		tab, _, err := p.flatTable()
		if err != nil {
			return nil, err
		}
		return bytes.Clone(tab), nil
	}
	if !protoXMLName(name) || isBinaryXML(data) {
		return data, nil
	}
	d, err := pbres.ParseXML(data, p.app.opt.Proto)
	if err != nil {
		if name != "AndroidManifest.xml" && looksLikeText(data) {
			return data, nil // an XML text file aapt2 did not compile
		}
		return nil, fmt.Errorf("%s: %w", p.Location(name), err)
	}
	bin := d.Binary()
	p.mu.Lock()
	b.converted[name] = true
	first := !b.noted[name]
	b.noted[name] = true
	p.mu.Unlock()
	if first && len(d.Warnings) > 0 {
		p.recordXML(name, p.warnings(name, SourceXML, d.Warnings))
	}
	return bin, nil
}

// flatTable flattens the module's resources.pb once.
func (p *Part) flatTable() ([]byte, []error, error) {
	b := p.bundle
	b.tableOnce.Do(func() {
		e := p.Zip.Lookup("resources.arsc")
		if e == nil {
			b.tableErr = fmt.Errorf("%s: %w", p.Location("resources.arsc"), errNoEntry)
			return
		}
		raw, err := p.Zip.ReadFile(e)
		if err != nil {
			b.tableErr = err
			return
		}
		t, err := pbres.ParseTable(raw, p.app.opt.Proto)
		if err != nil {
			b.tableErr = err
			return
		}
		b.table, b.tableWarns = t.Binary()
		b.tableWarns = append(b.tableWarns, t.Warnings...)
		p.mu.Lock()
		b.converted["resources.arsc"] = true
		p.mu.Unlock()
	})
	return b.table, b.tableWarns, b.tableErr
}

var errNoEntry = errors.New("no such entry")

// bundleResources reads a bundle module's table.
func (p *Part) bundleResources() (*arsc.Table, error) {
	data, warns, err := p.flatTable()
	if err != nil {
		return nil, err
	}
	t, err := arsc.Parse(data, p.app.opt.ARSC)
	if t != nil {
		t.Warnings = append(t.Warnings, warns...)
	}
	return t, err
}

// convertedEntry reports whether the part's entry was read in a form
// appxray converted it to, whose offsets are in no file.
func (p *Part) convertedEntry(name string) bool {
	if p.bundle == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.bundle.converted[name]
}

// warnings turns a decoder's warnings about one entry of the part into
// anomalies: offsets inside converted bytes become -1, those the proto
// decoder gives (in the bundle's entry) stay.
func (p *Part) warnings(entry, source string, ws []error) []Anomaly {
	an := fromWarnings(p.Name, entry, source, ws)
	if !p.convertedEntry(entry) {
		return an
	}
	for i := range an {
		if i < len(ws) && !protoOffset(ws[i]) {
			an[i].Offset = -1
		}
	}
	return an
}

// protoOffset reports whether the outermost format error of a warning is
// the proto decoder's, whose offset lies in the entry as stored, rather
// than a binary decoder's, whose offset lies in converted bytes.
func protoOffset(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch e.(type) {
		case *pbres.FormatError:
			return true
		case *axml.FormatError, *arsc.FormatError, *res.FormatError:
			return false
		}
	}
	return false
}

// recordXML adds anomalies of XML documents read through the part, within
// maxXMLAnomalies.
func (p *Part) recordXML(name string, an []Anomaly) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if room := maxXMLAnomalies - len(p.xmlAnomalies); room < len(an) {
		if room > 0 {
			p.xmlAnomalies = append(p.xmlAnomalies, an[:room]...)
		}
		if p.xmlDropped == 0 {
			p.xmlAnomalies = append(p.xmlAnomalies, Anomaly{Part: p.Name, Source: SourceXML, Anomaly: zipapk.Anomaly{
				Kind: zipapk.TooManyAnomalies, Entry: name, Detail: fmt.Sprintf("further XML anomalies of %s not recorded", p.Location("res/"))}})
		}
		p.xmlDropped += len(an) - max(room, 0)
		return
	}
	p.xmlAnomalies = append(p.xmlAnomalies, an...)
}

// bundleEntries renames the entries of a bundle module's anomalies from
// the view's names to the bundle's own.
func (a *App) bundleEntries(out []Anomaly) {
	if a.Kind != KindAAB {
		return
	}
	byName := map[string]*Part{}
	for _, p := range a.Parts {
		if p.bundle != nil {
			byName[p.Name] = p
		}
	}
	for i := range out {
		if p := byName[out[i].Part]; p != nil && out[i].Entry != "" && out[i].Source != SourceZip && out[i].Source != SourceSignature {
			out[i].Entry = p.bundle.location(out[i].Entry)
		}
	}
}
