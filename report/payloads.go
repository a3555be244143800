package report

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"appxray/knowledge"
	"appxray/scan"
)

// Payloads hidden inside (issue 7): the apps and code an app carries in
// its files, what their code does (the findings whose evidence lies under
// "<carrier>!…") and the app's code that names, loads or installs them.
// Protection: packers and protectors, renamed code, and the tricks the
// decoders found, grouped by kind.

// payloadView is one embedded app or piece of code.
type payloadView struct {
	E scan.Embedded
	// What says what it is: "a second app", "hidden code".
	What string
	// Sentence says it plainly, with its encoding and what its code does.
	Sentence string
	// Handling is the app's own code that names, loads or installs it, as
	// the payloads analyzer found it.
	Handling []scan.Evidence
	// Inside groups the findings whose evidence lies inside it, each with
	// only that evidence.
	Inside []catGroup
	Anchor string
}

// Count is the number of findings with evidence inside the payload.
func (p payloadView) Count() int {
	n := 0
	for _, g := range p.Inside {
		n += len(g.Findings)
	}
	return n
}

// kindWords says what an embedded file is.
func kindWords(kind string) (what, detail string) {
	switch kind {
	case "apk":
		return "a second app", "an Android app (APK)"
	case "jar":
		return "hidden code", "a JAR of DEX code"
	case "dex":
		return "hidden code", "a DEX file of code"
	case "elf":
		return "a native program", "a native executable or library (ELF)"
	}
	return "an embedded file", kind
}

// namedAs reports whether a file's name says what it holds.
func namedAs(location, kind string) bool {
	ext := strings.ToLower(path.Ext(location))
	switch kind {
	case "apk":
		return ext == ".apk"
	case "jar":
		return slices.Contains([]string{".jar", ".zip", ".apk", ".aar"}, ext)
	case "dex":
		return slices.Contains([]string{".dex", ".odex"}, ext)
	case "elf":
		return ext == ".so" || ext == "" || ext == ".bin"
	}
	return true
}

// inPayload reports whether an evidence location lies inside the embedded
// file at carrier: "assets/a.jpg!classes.dex L…".
func inPayload(loc, carrier string) bool { return strings.HasPrefix(loc, carrier+"!") }

func newPayloads(r *scan.Report) []payloadView {
	var out []payloadView
	for i, e := range r.Embedded {
		p := payloadView{E: e, Anchor: fmt.Sprintf("payload-%d", i+1)}
		what, detail := kindWords(e.Kind)
		p.What = what
		var inside []scan.Finding
		for _, f := range r.Findings {
			// The payloads analyzer's own finding about this file: its
			// other evidence is the code that names, loads or installs it.
			if f.Analyzer == "payloads" && len(f.Evidence) > 0 && f.Evidence[0].Location == e.Location {
				for _, ev := range f.Evidence[1:] {
					if !slices.Contains(p.Handling, ev) {
						p.Handling = append(p.Handling, ev)
					}
				}
				continue
			}
			var evs []scan.Evidence
			for _, ev := range f.Evidence {
				if inPayload(ev.Location, e.Location) {
					evs = append(evs, ev)
				}
			}
			if len(evs) > 0 {
				g := f
				g.Evidence = evs
				inside = append(inside, g)
			}
		}
		p.Inside = groupFindings(inside)

		var b strings.Builder
		fmt.Fprintf(&b, "The app carries %s in %s: %s", what, e.Location, detail)
		if e.Package != "" {
			fmt.Fprintf(&b, ", package %s", e.Package)
			if e.Label != "" && e.Label != e.Package {
				fmt.Fprintf(&b, " (“%s”)", e.Label)
			}
			if e.Permissions > 0 {
				fmt.Fprintf(&b, ", asking for %s", plural(e.Permissions, "permission", "permissions"))
			}
		}
		if !namedAs(e.Location, e.Kind) {
			b.WriteString(", under a name that does not say so")
		}
		read := " appxray read its code like the app's own"
		if e.Encoding != "" {
			fmt.Fprintf(&b, ". It is encoded (%s) so that it cannot be seen for what it is", e.Encoding)
			read = "; appxray decoded it and read its code like the app's own"
		}
		switch does := payloadDoes(p.Inside); {
		case len(e.Dex) == 0 && e.Encoding != "":
			b.WriteString("; appxray decoded it.")
		case len(e.Dex) == 0:
			b.WriteString(".")
		case does != "":
			if e.Encoding == "" {
				b.WriteString(".")
			}
			fmt.Fprintf(&b, "%s: %s.", read, does)
		default:
			if e.Encoding == "" {
				b.WriteString(".")
			}
			if len(p.Inside) > 0 {
				// Only weak evidence: said as such, and listed below.
				b.WriteString(read + " and found only weak evidence of what it records or takes.")
			} else {
				b.WriteString(read + " and found nothing it records or takes.")
			}
		}
		p.Sentence = b.String()
		out = append(out, p)
	}
	return out
}

// payloadDoes says what a payload's code does, from its sure findings:
// "it reads device identifiers and installed apps; it starts at boot".
func payloadDoes(gs []catGroup) string {
	var reads, records, does []string
	for _, g := range gs {
		if !slices.ContainsFunc(g.Findings, sure) {
			continue
		}
		switch g.Category.Group() {
		case knowledge.GroupPerson:
			records = append(records, lowerFirst(g.Title))
		case knowledge.GroupDevice:
			reads = append(reads, lowerFirst(g.Title))
		default:
			if p, ok := doesPhrase[g.Category]; ok {
				does = append(does, p)
			} else {
				does = append(does, lowerFirst(g.Title))
			}
		}
	}
	var parts []string
	if len(records) > 0 {
		parts = append(parts, "it records "+list(records, 6))
	}
	if len(reads) > 0 {
		parts = append(parts, "it reads "+list(reads, 6))
	}
	if len(does) > 0 {
		parts = append(parts, "it "+list(does, 4))
	}
	return strings.Join(parts, "; ")
}

// payloadVerdict is the verdict's sentence about what the app carries.
func payloadVerdict(ps []payloadView) string {
	if len(ps) == 0 {
		return ""
	}
	var out []string
	for i, p := range ps {
		if i == 3 {
			out = append(out, fmt.Sprintf("It carries %d more.", len(ps)-3))
			break
		}
		s := "It carries " + p.What + " in " + p.E.Location
		if p.E.Package != "" {
			s += " (" + p.E.Package + ")"
		}
		if p.E.Encoding != "" {
			s += ", encoded to hide it"
		}
		if does := payloadDoes(p.Inside); does != "" {
			s += "; " + strings.Replace(does, "it ", "its code ", 1)
		}
		out = append(out, s+".")
	}
	if len(ps) == 1 {
		out = append(out, "appxray opened it and read it as part of the app (see Hidden inside).")
	} else {
		out = append(out, "appxray opened them and read them as part of the app (see Hidden inside).")
	}
	return strings.Join(out, " ")
}

// packerSentence is the verdict's sentence about packers and protectors:
// where the real code is, and that what the report does not show proves
// nothing.
func packerSentence(ps []scan.Packer) string {
	var packers, protectors, where, out []string
	for _, p := range ps {
		if p.ID == fairPlayID {
			out = append(out, fmt.Sprintf("Its executables are encrypted by %s (%s): %s. That this report does not show a behaviour proves nothing: the encrypted code may do it.",
				p.Name, encryptedList(appendEncrypted(nil, p)), fairPlayHides))
			continue
		}
		if p.Kind == "protector" {
			protectors = append(protectors, p.Name)
		} else {
			packers = append(packers, p.Name)
		}
		if w := packerWhere(p); w != "" && !slices.Contains(where, w) {
			where = append(where, w)
		}
	}
	if len(packers)+len(protectors) == 0 {
		return strings.Join(out, " ")
	}
	var by []string
	if len(packers) > 0 {
		by = append(by, "packed by "+join(packers))
	}
	if len(protectors) > 0 {
		by = append(by, "protected by "+join(protectors))
	}
	s := "Its code is " + join(by)
	// A packer encrypts the code; a protector may encrypt all, some or
	// none of it, so only a packer's loader is said to be all there is.
	switch {
	case len(where) > 0 && len(packers) > 0:
		s += ": the real code is encrypted in " + strings.Join(where, "; and in ")
	case len(where) > 0:
		s += ": some or all of the code may be encrypted in " + strings.Join(where, "; and in ")
	}
	if len(packers) > 0 {
		s += "; the code channel sees only the loader."
	} else {
		s += "; the code channel may see only part of the code."
	}
	s += " That this report does not show a behaviour proves nothing: the hidden code may do it."
	return strings.Join(append([]string{s}, out...), " ")
}

// packerHides says what one packer or protector hides, after its name
// and kind: the place of the real code and what the code channel sees,
// or, for FairPlay, the executables it encrypts and what that keeps from
// appxray.
func packerHides(p scan.Packer) string {
	if p.ID == fairPlayID {
		return "encrypts " + encryptedList(appendEncrypted(nil, p)) + ": " + fairPlayHides
	}
	return p.Encrypted(orDash(packerWhere(p))) + "; " + p.Seen()
}

// packerWords is a packer or protector with what it hides.
func packerWords(p scan.Packer) string {
	return p.Name + " (" + p.Kind + "): " + packerHides(p)
}

// anomalyGroup is the anomalies of one kind.
type anomalyGroup struct {
	Kind    string
	Title   string
	Says    string
	Trick   bool
	Rejects int // how many Android refuses the file (or class) for
	Sources []string
	List    []scan.Anomaly
}

// groupAnomalies groups anomalies by kind, known tricks first, then by
// number.
func groupAnomalies(as []scan.Anomaly) []anomalyGroup {
	idx := map[string]int{}
	var out []anomalyGroup
	for _, a := range as {
		i, ok := idx[a.Kind]
		if !ok {
			i = len(out)
			idx[a.Kind] = i
			g := anomalyGroup{Kind: a.Kind, Title: a.Kind, Says: "appxray noted this departure from the format; the detail of each says what it is."}
			if k, ok := knowledge.AnomalyKindInfo(a.Kind); ok {
				g.Title, g.Says, g.Trick = k.Title, k.Says, k.Trick
			}
			out = append(out, g)
		}
		g := &out[i]
		g.List = append(g.List, a)
		if a.AndroidRejects {
			g.Rejects++
		}
		if src := a.Source; src != "" && !slices.Contains(g.Sources, src) {
			g.Sources = append(g.Sources, src)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Trick != out[j].Trick {
			return out[i].Trick
		}
		return len(out[i].List) > len(out[j].List)
	})
	return out
}

// sourceWords names what found an anomaly.
var sourceWords = map[string]string{
	"zip":       "the ZIP container",
	"xml":       "a compiled XML file",
	"manifest":  "the manifest as Android's package manager reads it",
	"resources": "the resource table",
	"dex":       "the code (DEX)",
	"signature": "the signatures",
}

// FoundIn says which readers found the group's anomalies.
func (g anomalyGroup) FoundIn() string {
	var ws []string
	for _, s := range g.Sources {
		if w, ok := sourceWords[s]; ok {
			ws = append(ws, w)
		} else {
			ws = append(ws, s)
		}
	}
	return join(ws)
}

// RejectsWords says what Android does about the group, "" when it accepts
// every one.
func (g anomalyGroup) RejectsWords() string {
	switch {
	case g.Rejects == 0:
		return ""
	case g.Rejects == len(g.List) && len(g.List) == 1:
		return "Android refuses the file (or, in code, the class) because of it."
	case g.Rejects == len(g.List):
		return "Android refuses the file (or, in code, the class) because of each of them."
	}
	return fmt.Sprintf("Android refuses the file (or, in code, the class) because of %d of them.", g.Rejects)
}

// anomalyWhere names an anomaly's place: the entry (within its part) and
// the offset.
func anomalyWhere(a scan.Anomaly) string {
	where := a.Entry
	if a.Part != "" {
		if where != "" {
			where = a.Part + "!" + where
		} else {
			where = a.Part
		}
	}
	if where == "" {
		where = "the file"
	}
	if a.Offset >= 0 {
		where += fmt.Sprintf(" at 0x%x", a.Offset)
	}
	return where
}

// trickSentence is the verdict's sentence about the tricks found.
func trickSentence(gs []anomalyGroup) string {
	var titles []string
	n := 0
	for _, g := range gs {
		if g.Trick {
			titles = append(titles, lowerFirst(g.Title))
			n += len(g.List)
		}
	}
	if n == 0 {
		return ""
	}
	verb := "make"
	if len(titles) == 1 {
		verb = "makes"
	}
	return fmt.Sprintf("Its file is built with %s that %s analysis tools misread apps (%s); appxray reads it as Android does (see Technical details).",
		plural(len(titles), "kind of trick", "kinds of tricks"), verb, list(titles, 4))
}

// obfuscationWords says how much of the code is renamed, "" when none is.
func obfuscationWords(o *scan.Obfuscation) string {
	if o == nil || o.Classes == 0 || (o.Renamed == 0 && o.Unusual == 0) {
		return ""
	}
	s := fmt.Sprintf("%d of its %s have one- or two-letter names, as renaming tools (ProGuard, R8, DexGuard) leave them", o.Renamed, plural(o.Classes, "class", "classes"))
	if o.Renamed == 0 {
		s = fmt.Sprintf("Of its %s", plural(o.Classes, "class", "classes"))
	}
	if o.Unusual > 0 {
		if o.Renamed == 0 {
			s += fmt.Sprintf(", %d have names no Java source can spell: a renaming tool's work", o.Unusual)
		} else {
			s += fmt.Sprintf("; %d have names no Java source can spell", o.Unusual)
		}
	}
	return upperFirst(s) + ". Renaming hides what code is for, not what it calls: the Android APIs it reaches keep their names."
}

// packerWhere says where a packer keeps the real code: the files the
// fingerprints name, else the packer's usual place.
func packerWhere(p scan.Packer) string {
	if len(p.Payloads) > 0 {
		return join(p.Payloads)
	}
	return p.HidesIn
}
