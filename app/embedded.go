package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"

	"appxray/zipapk"
)

// Embedded is a payload an app carries in one of its entries, found by the
// entry's content whatever its name ("assets/a33.jpg" that is an APK,
// "assets/firehelper.jar" that is a JAR encrypted with a byte-wise XOR):
// a second app, or code the first loads at run time. Embedded APKs and
// JARs become parts of the app (Part.Embedded), and their DEX files and
// bare embedded DEX files join App.Dex, so that every channel reads them;
// their evidence names the carrying entry ("assets/a33.jpg!classes.dex").
type Embedded struct {
	// Location is the carrying entry as evidence names it.
	Location string
	Kind     PayloadKind
	// Cipher is the XOR the entry is encoded with; the zero value when it
	// is stored as it is.
	Cipher XORCipher
	// Size is the entry's uncompressed size.
	Size int64
	// HasManifest tells an embedded APK from a JAR of DEX files.
	HasManifest bool
	// Part is the embedded APK or JAR, nil for a bare DEX.
	Part *Part

	carrier *Part
	entry   *zipapk.Entry
}

// maxEmbedDepth bounds payloads inside payloads.
const maxEmbedDepth = 2

// Embedded lists the payloads the app carries, in the order of their
// carrying entries.
func (a *App) Embedded() []*Embedded { return a.embedded }

// findEmbedded sniffs every entry of the given parts that Android does not
// itself load as the app's code or resources, and opens the payloads it
// finds as parts (APKs, JARs) or as DEX jobs (bare DEX files).
func (a *App) findEmbedded(ctx context.Context, parts []*Part, depth int) {
	for _, p := range parts {
		found := a.sniffEntries(ctx, p)
		for i, e := range p.Zip.Entries {
			if ctx.Err() != nil {
				return
			}
			kind, cipher := found[i].kind, found[i].cipher
			if kind == PayloadNone {
				continue
			}
			em := &Embedded{Location: p.Location(e.Name), Kind: kind, Cipher: cipher, Size: int64(e.UncompressedSize), carrier: p, entry: e}
			if kind != PayloadZIP {
				a.embedded = append(a.embedded, em)
				continue
			}
			if depth > maxEmbedDepth {
				a.addError(em.Location, fmt.Errorf("a payload nested more than %d deep: not opened", maxEmbedDepth))
				continue
			}
			np, err := a.openEmbeddedZip(p, e, cipher, em.Location)
			if err != nil {
				a.addError(em.Location, err)
				continue
			}
			if np == nil {
				continue // a ZIP of neither an app nor code: data, not a payload
			}
			em.Part, em.HasManifest = np, np.Zip.Lookup("AndroidManifest.xml") != nil
			a.embedded = append(a.embedded, em)
			a.Parts = append(a.Parts, np)
			a.findEmbedded(ctx, []*Part{np}, depth+1)
		}
	}
}

// sniffed is what an entry's head says it holds (PayloadNone: nothing to
// open as a payload).
type sniffed struct {
	kind   PayloadKind
	cipher XORCipher
}

// sniffEntries tells every entry of p by its head, the entries split into
// runs that the workers read beside each other (each through a window of
// its own: the heads of neighbouring entries are read together).
func (a *App) sniffEntries(ctx context.Context, p *Part) []sniffed {
	es := p.Zip.Entries
	out := make([]sniffed, len(es))
	runs := min(a.opt.workers(), max(1, len(es)/256))
	var wg sync.WaitGroup
	for r := range runs {
		wg.Go(func() {
			hr := p.Zip.NewHeadReader()
			for i := len(es) * r / runs; i < len(es)*(r+1)/runs; i++ {
				if i&63 == 0 && ctx.Err() != nil {
					return
				}
				e := es[i]
				if e.IsDir() || p.Zip.Lookup(e.Name) != e || ownEntry(p, e.Name) || e.UncompressedSize < 32 {
					continue
				}
				head, err := hr.ReadHead(e, SniffLen)
				if err != nil || len(head) == 0 {
					continue
				}
				kind, cipher := Sniff(head), XORCipher{}
				if kind == PayloadNone {
					var ok bool
					if cipher, kind, ok = SniffXOR(head); !ok {
						continue
					}
				}
				if kind == PayloadELF && cipher == (XORCipher{}) {
					// Native code in plain sight is the strings channel's
					// (bundled executables); an encrypted one is hidden.
					continue
				}
				out[i] = sniffed{kind, cipher}
			}
		})
	}
	wg.Wait()
	return out
}

// ownEntry reports whether an entry is one Android loads as the app's own
// code, manifest, resources or signature, which the other readers read.
func ownEntry(p *Part, name string) bool {
	switch {
	case name == "AndroidManifest.xml", name == "resources.arsc", dexEntryRank(name) > 0:
		return true
	case strings.HasPrefix(name, "META-INF/") && !strings.Contains(name[len("META-INF/"):], "/"):
		return true
	case strings.HasPrefix(name, "lib/") && strings.HasSuffix(name, ".so"):
		return true // native libraries are ELF by nature
	}
	return false
}

// openEmbeddedZip opens the ZIP in entry e of p, decoding its XOR first;
// it returns nil for a ZIP that holds neither a manifest nor DEX files.
func (a *App) openEmbeddedZip(p *Part, e *zipapk.Entry, cipher XORCipher, loc string) (*Part, error) {
	var raw io.ReaderAt
	var size int64
	if cipher == (XORCipher{}) {
		r, n, err := a.nestedBytes(p.Zip, p.raw, e)
		if err != nil {
			return nil, err
		}
		raw, size = r, n
	} else {
		if a.opt.MaxNestedAPK > 0 && e.UncompressedSize > uint64(a.opt.MaxNestedAPK) {
			return nil, fmt.Errorf("payload of %d bytes exceeds the limit of %d", e.UncompressedSize, a.opt.MaxNestedAPK)
		}
		data, err := p.Zip.ReadFile(e)
		if err != nil {
			return nil, err
		}
		cipher.Decode(data, 0)
		raw, size = bytes.NewReader(data), int64(len(data))
	}
	z, err := zipapk.NewReader(raw, size, a.opt.Zip)
	if err != nil {
		return nil, fmt.Errorf("a ZIP by its first bytes, but unreadable: %w", err)
	}
	if a.budget != nil {
		z.ShareBudget(a.budget)
	}
	if z.Lookup("AndroidManifest.xml") == nil && !hasDex(z) {
		return nil, nil
	}
	return &Part{Name: loc, Zip: z, app: a, raw: raw, Embedded: true}, nil
}

func hasDex(z *zipapk.Reader) bool {
	for _, e := range z.Entries {
		if strings.EqualFold(path.Ext(e.Name), ".dex") {
			return true
		}
	}
	return false
}

// embeddedDexJobs lists the bare DEX payloads, after the app's own DEX
// files and those of embedded parts.
func (a *App) embeddedDexJobs() []dexJob {
	var jobs []dexJob
	for _, em := range a.embedded {
		if em.Kind == PayloadDEX {
			jobs = append(jobs, dexJob{part: em.carrier, entry: em.entry, cipher: em.Cipher, bare: true})
		}
	}
	return jobs
}
