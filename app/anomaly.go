package app

import (
	"errors"
	"fmt"
	"strings"

	"appxray/apksig"
	"appxray/arsc"
	"appxray/axml"
	"appxray/dex"
	"appxray/pbres"
	"appxray/res"
	"appxray/zipapk"
)

// Anomaly is a place where a part of the app departs from what a well-formed
// APK holds, or from what Android accepts: the container's anomalies
// (zipapk) and every decoder's warnings.
type Anomaly struct {
	Part string // "" for a single APK; the module in an App Bundle
	zipapk.Anomaly
	// Source names what found the anomaly: SourceZip for the container
	// (Offset is then a file offset), or a decoder, whose Offset is within
	// the uncompressed data of Entry (for SourceSignature, a file offset
	// again). In an App Bundle, Entry is the bundle's entry
	// ("base/dex/classes.dex"), and an Offset of -1 says the decoder read
	// bytes appxray converted from the proto form (no position in the
	// file).
	Source string
}

// Sources of anomalies.
const (
	SourceZip       = "zip"       // zipapk: the ZIP container
	SourceXML       = "xml"       // axml: AndroidManifest.xml and other binary XML
	SourceManifest  = "manifest"  // the manifest as PackageManager reads it (ReadInfo)
	SourceResources = "resources" // arsc: resources.arsc
	SourceDex       = "dex"       // dex: each DEX file
	SourceSignature = "signature" // apksig: the v1/v2/v3 signatures
)

// Anomaly kinds of the decoders, beside the container's (zipapk). Each is
// named after what Android does; Anomaly.AndroidRejects says whether
// Android refuses the file (or, for a DEX class, the class) because of it.
const (
	// XMLMalformed: a binary XML document departs from what ResXMLTree
	// expects (bad chunks, unbalanced tags, odd attribute records). With
	// AndroidRejects, PackageManager fails to parse it.
	XMLMalformed zipapk.AnomalyKind = "XMLMalformed"
	// StringUnterminated: strings of a string pool lack their NUL
	// terminator. Android up to 4.4 read them by length (as appxray does);
	// Android 5 and later cannot read them, so a manifest built this way
	// installs only on old releases.
	StringUnterminated zipapk.AnomalyKind = "StringUnterminated"
	// StringReaderMismatch: PackageManager's string reader (StringBlock)
	// and the native one (ResStringPool::stringAt, what aapt prints) read
	// a string differently; appxray reports what PackageManager reads.
	StringReaderMismatch zipapk.AnomalyKind = "StringReaderMismatch"
	// StringUnreadable: a fact of the manifest (a permission, a component,
	// the package name) is held in a string Android cannot read; the fact
	// is left out rather than shown as a placeholder.
	StringUnreadable zipapk.AnomalyKind = "StringUnreadable"
	// ManifestRootNotManifest: the manifest's root element is not
	// <manifest>; PackageManager refuses the APK.
	ManifestRootNotManifest zipapk.AnomalyKind = "ManifestRootNotManifest"
	// AttributeHidden: an attribute Android does not see: out of resource
	// ID order (the framework's sorted merge skips it), named like a
	// framework attribute without its resource ID, or a package or split
	// attribute with a namespace. aapt and other tools still print it.
	AttributeHidden zipapk.AnomalyKind = "AttributeHidden"
	// ResourceTableMalformed: resources.arsc departs from what LoadedArsc
	// reads. With AndroidRejects, Android refuses the table (a truncated
	// table among others), and with it the APK.
	ResourceTableMalformed zipapk.AnomalyKind = "ResourceTableMalformed"
	// DexMalformed: a DEX file departs from the format. With
	// AndroidRejects, ART's dex file verifier refuses the whole file.
	DexMalformed zipapk.AnomalyKind = "DexMalformed"
	// DexHeaderRejected: the DEX header is one ART refuses (version,
	// checksum, header or file size): the file is never loaded.
	DexHeaderRejected zipapk.AnomalyKind = "DexHeaderRejected"
	// DexClassRejected: a class whose code ART's method verifier
	// hard-fails; it throws VerifyError when loaded, while the rest of the
	// file runs.
	DexClassRejected zipapk.AnomalyKind = "DexClassRejected"
	// DexLEB128NonCanonical: a LEB128 number whose fifth byte carries high
	// bits; ART ignores them, and appxray reads it as ART does (a trick
	// that made other readers drop the class).
	DexLEB128NonCanonical zipapk.AnomalyKind = "DexLEB128NonCanonical"
	// DexSharedCode: several methods share one code item, each walked once
	// (dexlayout does it legitimately; packers to multiply the work of
	// analysers).
	DexSharedCode zipapk.AnomalyKind = "DexSharedCode"
	// SignatureProblem: a signature scheme is present but does not verify,
	// or the signing data is malformed. With AndroidRejects, Android
	// refuses the APK (a broken v2/v3 block beside a valid v1 among them:
	// Android 7.0+ does not fall back to v1).
	SignatureProblem zipapk.AnomalyKind = "SignatureProblem"
)

// maxDecoderAnomalies caps the anomalies one source of one entry adds, and
// maxXMLAnomalies those of all the XML documents of one part read through
// Part.XML.
const (
	maxDecoderAnomalies = 200
	maxXMLAnomalies     = 2000
)

// Anomalies gathers the anomalies of every part: the container's, then
// those of the manifest, the resource table and the signatures (each read
// now if it was not yet), of every XML document read through Part.XML, and
// of every DEX file loaded so far (App.Dex). Call it once the analyses
// have run, so that it includes what they decoded.
func (a *App) Anomalies() []Anomaly {
	var out []Anomaly
	for _, z := range []*zipapk.Reader{a.bundleZip, a.iosZip} {
		if z != nil {
			for _, an := range z.Anomalies() {
				out = append(out, Anomaly{Anomaly: an, Source: SourceZip})
			}
		}
	}
	for _, p := range a.Parts {
		for _, an := range p.Zip.Anomalies() {
			out = append(out, Anomaly{Part: p.Name, Anomaly: an, Source: SourceZip})
		}
		if m := p.Manifest(); m != nil {
			out = append(out, p.warnings("AndroidManifest.xml", SourceXML, m.Warnings)...)
			out = append(out, p.manifestAnomalies()...)
		}
		if t := p.Resources(); t != nil {
			out = append(out, p.warnings("resources.arsc", SourceResources, append(t.Warnings[:len(t.Warnings):len(t.Warnings)], t.StringWarnings()...))...)
		}
		if s := p.Signatures(); s != nil {
			out = append(out, signatureAnomalies(p.Name, s)...)
		}
		p.mu.Lock()
		out = append(out, p.xmlAnomalies...)
		p.mu.Unlock()
	}
	a.mu.Lock()
	dexs := a.dexs
	if !a.dexLoaded {
		out = append(out, a.dexAnoms...)
	}
	a.mu.Unlock()
	for _, d := range dexs {
		out = append(out, fromWarnings(d.part, d.entry, SourceDex, d.File.AllWarnings())...)
		if n := d.File.DroppedWarnings(); n > 0 {
			out = append(out, Anomaly{Part: d.part, Source: SourceDex, Anomaly: zipapk.Anomaly{
				Kind: zipapk.LimitExceeded, Entry: d.entry, Detail: fmt.Sprintf("%d further DEX warnings not recorded", n)}})
		}
	}
	a.bundleEntries(out)
	return out
}

// fromWarnings turns a decoder's warnings into anomalies of one entry.
func fromWarnings(part, entry, source string, ws []error) []Anomaly {
	var out []Anomaly
	for i, w := range ws {
		if i == maxDecoderAnomalies {
			out = append(out, Anomaly{Part: part, Source: source, Anomaly: zipapk.Anomaly{
				Kind: zipapk.TooManyAnomalies, Entry: entry, Detail: fmt.Sprintf("%d further %s warnings not listed", len(ws)-i, source)}})
			break
		}
		out = append(out, Anomaly{Part: part, Source: source, Anomaly: warningAnomaly(source, entry, w)})
	}
	return out
}

// warningAnomaly classifies one decoder warning.
func warningAnomaly(source, entry string, w error) zipapk.Anomaly {
	off, rejects := errorOffset(w)
	an := zipapk.Anomaly{Offset: off, Entry: entry, Detail: w.Error(), AndroidRejects: rejects}
	switch {
	case isLimit(w):
		an.Kind = zipapk.LimitExceeded
	case errors.Is(w, res.ErrUnterminated):
		an.Kind = StringUnterminated
	case errors.Is(w, res.ErrReaderMismatch):
		an.Kind = StringReaderMismatch
	case errors.Is(w, dex.ErrClassRejected):
		an.Kind = DexClassRejected
	case errors.Is(w, dex.ErrHeaderRejected):
		an.Kind = DexHeaderRejected
	case errors.Is(w, dex.ErrNonCanonicalLEB128):
		an.Kind = DexLEB128NonCanonical
	case errors.Is(w, dex.ErrSharedCode):
		an.Kind = DexSharedCode
	case source == SourceXML:
		an.Kind = XMLMalformed
	case source == SourceResources:
		an.Kind = ResourceTableMalformed
	case source == SourceDex:
		an.Kind = DexMalformed
	default:
		an.Kind = SignatureProblem
	}
	return an
}

// isLimit reports whether err comes from a decoder's limit.
func isLimit(err error) bool {
	for _, target := range []error{zipapk.ErrLimit, res.ErrLimit, axml.ErrLimit, arsc.ErrLimit, dex.ErrLimit, apksig.ErrLimit, pbres.ErrLimit} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// errorOffset finds the offset a decoder error names, and whether Android
// rejects what it describes: the outermost FormatError's offset, with the
// verdict of any FormatError on the chain.
func errorOffset(err error) (off int64, rejects bool) {
	found := false
	for e := err; e != nil; e = errors.Unwrap(e) {
		var o int64
		var r, ok bool
		switch fe := e.(type) {
		case *axml.FormatError:
			o, r, ok = fe.Offset, fe.AndroidRejects, true
		case *arsc.FormatError:
			o, r, ok = fe.Offset, fe.AndroidRejects, true
		case *res.FormatError:
			o, r, ok = fe.Offset, fe.AndroidRejects, true
		case *dex.FormatError:
			o, r, ok = fe.Offset, fe.AndroidRejects, true
		case *apksig.FormatError:
			o, ok = fe.Offset, true
		case *pbres.FormatError:
			o, ok = fe.Offset, true
		case *zipapk.FormatError:
			o, ok = fe.Offset, true
		case *zipapk.LimitError:
			o, ok = fe.Offset, true
		}
		if ok {
			if !found {
				off, found = o, true
			}
			rejects = rejects || r
		}
	}
	return off, rejects
}

// signatureAnomalies reports the file-level problems of the signatures and
// those of every signer that did not verify.
func signatureAnomalies(part string, s *apksig.Result) []Anomaly {
	var out []Anomaly
	newer := s.Has(apksig.SchemeV2) || s.Has(apksig.SchemeV3)
	for _, p := range s.Problems {
		an := warningAnomaly(SourceSignature, "", p)
		if an.Kind != zipapk.LimitExceeded {
			an.Kind = SignatureProblem
		}
		var se *apksig.SchemeError
		if errors.As(p, &se) && an.Kind != zipapk.LimitExceeded {
			an.AndroidRejects = true
			an.Detail += "; " + refusing(s, se.Scheme) + " refuse the APK (they do not fall back to an older scheme)"
		}
		out = append(out, Anomaly{Part: part, Source: SourceSignature, Anomaly: an})
	}
	for i, sg := range s.Signers {
		if len(sg.Problems) == 0 && sg.Verified {
			continue
		}
		// Android verifies the strongest scheme present and does not fall
		// back: a v2/v3 signer that fails is refused on the releases that
		// read that scheme; v1 matters only without v2/v3.
		var when string
		rejects := !sg.Verified
		if sg.Scheme == apksig.SchemeV1 {
			rejects = rejects && !newer
		} else {
			when = "; " + refusing(s, sg.Scheme) + " refuse the APK"
		}
		if !rejects {
			when = ""
		}
		name := ""
		if len(sg.Certificates) > 0 && sg.Certificates[0] != nil {
			name = " (" + sg.Certificates[0].Subject + ")"
		}
		off := s.SigningBlockOffset
		if sg.Scheme == apksig.SchemeV1 {
			off = 0
		}
		out = append(out, Anomaly{Part: part, Source: SourceSignature, Anomaly: zipapk.Anomaly{
			Kind: SignatureProblem, Offset: max(off, 0), Entry: sg.SignatureFile, AndroidRejects: rejects,
			Detail: fmt.Sprintf("%s signer %d%s does not verify: %s%s", sg.Scheme, i+1, name, strings.Join(sg.Problems, "; "), when)}})
	}
	return out
}

// refusing names the Android releases that refuse an APK whose signature
// of scheme bad fails: those from the one that reads bad up to the last
// before a newer scheme that does verify takes over (ApkSignatureVerifier
// tries the newest scheme present first and does not fall back).
func refusing(s *apksig.Result, bad apksig.Scheme) string {
	from := apksig.SchemeMinSDK(bad)
	for _, newer := range []apksig.Scheme{apksig.SchemeV2, apksig.SchemeV3} {
		if newer > bad && s.Verified(newer) {
			return fmt.Sprintf("Android %s to %s", release(from), release(apksig.SchemeMinSDK(newer)-1))
		}
	}
	return fmt.Sprintf("Android %s and later", release(from))
}

// release names the Android release of an API level.
func release(api int) string {
	switch api {
	case 24:
		return "7.0"
	case 27:
		return "8.1"
	case 28:
		return "9"
	case 32:
		return "12L"
	case 33:
		return "13"
	}
	return fmt.Sprintf("API %d", api)
}
