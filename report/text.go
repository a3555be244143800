package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"appxray/scan"
)

// Text writes the plain-text summary: the first page of a report. It opens
// with the verdict in sentences and the special categories, then the facts
// about the file, then each section with one line per finding and the first
// place to check.
func Text(w io.Writer, r *scan.Report) error {
	v := newView(r)
	p := &printer{w: w}
	a := r.App
	p.f("%s\n", v.Name)
	if a.Package != "" {
		line := a.Package + ", version " + versionWords(r)
		if req := requiresWords(r); req != "" {
			line += ", for " + req
		}
		p.f("%s\n", line)
	}

	p.f("\nIn short\n")
	for _, s := range v.Verdict {
		p.wrap("  ", s)
	}

	if len(v.Special) > 0 {
		p.f("\nSpecial categories\n")
		p.wrap("  ", specialNote)
		for _, s := range v.Special {
			p.f("  - %s: %s\n", s.Title, specialWhat(s))
		}
	}

	p.f("\nAbout the file\n")
	hash := "sha256 " + r.File.SHA256
	if r.File.SHA256 == "" && r.File.Kind == "app-directory" {
		hash = "no sha256 (a directory has none of its own)"
	}
	p.f("  file      %s, %d bytes, %s, %s\n", r.File.Name, r.File.Size, r.File.Kind, hash)
	if parts := partsWords(r); parts != "" {
		p.hang(fmt.Sprintf("  %-9s ", partsLabel(r)), "            ", parts)
	}
	if req := requiresWords(r); req != "" {
		p.f("  requires  %s\n", req)
	}
	if a.MinSDK != "" || a.TargetSDK != "" {
		p.f("  sdk       min %s, target %s\n", orDash(a.MinSDK), orDash(a.TargetSDK))
	}
	if len(a.Labels) > 1 {
		var locs []string
		for _, l := range locales(a.Labels) {
			if l != "" {
				locs = append(locs, l)
			}
		}
		p.f("  labels    %d locales (%s)\n", len(locs), strings.Join(locs, " "))
	}
	if isIOS(r) && len(r.Signers) > 0 {
		// The profile names the certificates that may sign the app; the
		// code signature says which did, and the report does not hold it.
		which := "the certificate"
		if n := len(r.Signers); n > 1 {
			which = fmt.Sprintf("one of the %d certificates", n)
		}
		p.f("  signed    by %s its provisioning profile allows:\n", which)
		for _, s := range r.Signers {
			p.f("    - %s sha256 %s\n", s.Subject, s.SHA256)
		}
	} else {
		for _, s := range r.Signers {
			p.f("  signed    %s [%s] sha256 %s%s%s\n", s.Subject, strings.Join(s.Schemes, ", "), s.SHA256, ofPart(s), wellKnown(s))
		}
	}
	if len(r.Signers) == 0 && r.File.Kind != "dex" {
		p.f("  signed    %s\n", noSignerWords(r))
	}
	if isIOS(r) {
		writeIOSFacts(p, v)
	} else {
		writeAndroidFacts(p, v)
	}

	shown := map[string]string{}
	for _, id := range []sectionID{secPerson, secDevice, secFlows, secLooksFor, secOther} {
		if id == secFlows {
			writeFlows(p, v)
			continue
		}
		s := v.Sections[id]
		if s.Empty() && !(id == secLooksFor && len(r.Watchlists)+len(r.App.QueriedSchemes)+len(r.App.QueriedPackages) > 0) {
			continue
		}
		p.f("\n%s\n", s.Title)
		writeSection(p, v, s, shown)
		if id == secLooksFor {
			writeWatchlists(p, r)
		}
	}
	writeContacts(p, v, v.Sections[secTalks], shown)
	writePayloads(p, v)

	if len(v.Tricks) > 0 {
		p.f("\nTricks and anomalies (%d)\n", len(r.Anomalies))
		p.wrap("  ", tricksIntro(r))
		for _, g := range v.Tricks {
			p.f("  - %s (%s; %s; found in %s)\n", g.Title, g.Kind, plural(len(g.List), "place", "places"), g.FoundIn())
			p.wrap("      ", g.Says)
			if w := g.RejectsWords(); w != "" {
				p.wrap("      ", w)
			}
			for i, an := range g.List {
				if i == 3 {
					p.f("      … %d more in the JSON report\n", len(g.List)-3)
					break
				}
				p.f("      %s: %s\n", anomalyWhere(an), an.Detail)
			}
		}
	}
	if len(r.Errors) > 0 {
		p.f("\nCould not read (%d)\n", len(r.Errors))
		for _, e := range r.Errors {
			p.f("  %s: %s\n", e.Where, e.Error)
		}
	}
	for _, d := range declarations(r) {
		writeDeclaredText(p, d)
	}
	return p.err
}

// writeAndroidFacts prints what the manifest and the code of an Android
// app hold.
func writeAndroidFacts(p *printer, v *view) {
	r := v.r
	c := r.Components
	p.f("  manifest  %s; %s, %s, %s, %s\n", plural(len(r.Permissions), "permission", "permissions"),
		plural(len(c.Activities), "activity", "activities"), plural(len(c.Services), "service", "services"),
		plural(len(c.Receivers), "receiver", "receivers"), plural(len(c.Providers), "provider", "providers"))
	if u := unusedPermissions(r); len(u) > 0 {
		p.f("  unused    %s requested but never used by the app's own code: %s\n", plural(len(u), "permission", "permissions"), strings.Join(u, ", "))
	}
	implied := v.Perms.implied
	for _, d := range r.PermissionDetails {
		if d.Implied != "" {
			unused := ""
			if d.Status == "unused" {
				unused = "; the app's own code never uses it"
			}
			p.f("  implied   %s: the app does not request it, Android grants it because of %s%s\n", shortPerm(d.Name), impliedReason(d.Implied, implied), unused)
		}
	}
	for _, pk := range r.Protection.Packers {
		p.f("  packed    %s (%s): the real code is encrypted in %s\n", pk.Name, pk.Kind, orDash(packerWhere(pk)))
	}
	writeHidden(p, v)
	if o := r.Protection.Obfuscation; o != nil && o.Classes > 0 && (o.Renamed > 0 || o.Unusual > 0) {
		p.f("  renamed   %d of %s with one- or two-letter names, %d no Java source can spell\n", o.Renamed, plural(o.Classes, "class", "classes"), o.Unusual)
	}
	classes, methods := 0, 0
	for _, d := range r.Dex {
		classes += d.Classes
		methods += d.Methods
	}
	p.f("  code      %s, %s, %s\n", plural(len(r.Dex), "DEX file", "DEX files"), plural(classes, "class", "classes"), plural(methods, "method reference", "method references"))
}

func writeHidden(p *printer, v *view) {
	if len(v.Payloads) > 0 {
		p.f("  hidden    %s inside (see Hidden inside)\n", plural(len(v.Payloads), "app or piece of code", "apps or pieces of code"))
	}
}

// writeIOSFacts prints what the provisioning profile, the Info.plist and
// the executables of an iOS app hold, and what appxray cannot see in them.
func writeIOSFacts(p *printer, v *view) {
	r := v.r
	const indent = "            "
	if pr := r.Profile; pr != nil {
		s := upperFirst(profileKind(pr)) + "; team " + profileTeam(pr)
		if pr.Name != "" {
			s += "; “" + pr.Name + "”"
		}
		if pr.AppID != "" {
			s += " for " + pr.AppID
		}
		var dates []string
		if pr.Created != "" {
			dates = append(dates, "created "+day(pr.Created))
		}
		if pr.Expires != "" {
			dates = append(dates, "expires "+day(pr.Expires))
		}
		if len(dates) > 0 {
			s += "; " + strings.Join(dates, ", ")
		}
		p.hang("  profile   ", indent, s)
	}
	p.hang("  plist     ", indent, plistWords(r, len(usageDescriptions(r))))
	if bs := iosBundles(r); len(bs) > 0 {
		p.hang("  bundles   ", indent, "embedded frameworks and extensions with findings in them: "+strings.Join(bs, ", "))
	}
	p.hang("  code      ", indent, machOWords)
	p.hang("  fairplay  ", indent, fairPlayWords(r))
	for _, pk := range r.Protection.Packers {
		if pk.ID != fairPlayID {
			p.hang("  packed    ", indent, packerWords(pk))
		}
	}
	writeHidden(p, v)
}

// ofPart says which part a signer signs when it is not the app itself (a
// split, or an app the app carries), so that one key signing both reads
// as two signatures, not as a repeat.
func ofPart(s scan.Signer) string {
	if s.Part == "" {
		return ""
	}
	return " (signs " + s.Part + ")"
}

func wellKnown(s scan.Signer) string {
	if s.WellKnownKey == "" {
		return ""
	}
	return " — a well-known public key (" + s.WellKnownKey + "): anyone can sign with it"
}

// specialWhat says what shows a special category: "8 form fields, 3 option
// lists (words: 宗教, religion)".
func specialWhat(s specialView) string {
	var parts []string
	if s.Fields > 0 {
		parts = append(parts, plural(s.Fields, "form field", "form fields"))
	}
	if s.Lists > 0 {
		parts = append(parts, plural(s.Lists, "option list", "option lists"))
	}
	if len(parts) == 0 {
		parts = append(parts, plural(len(s.Findings), "finding", "findings"))
	}
	out := strings.Join(parts, ", ")
	if len(s.Terms) > 0 {
		out += " (words: " + strings.Join(s.Terms, ", ") + ")"
	}
	return out
}

// writeSection prints a section's findings: the app's own, those in SDK
// code, and the permissions requested but never used.
func writeSection(p *printer, v *view, s *sectionView, shown map[string]string) {
	writeGroups(p, v, s.App, "  ", shown)
	if len(s.SDK) > 0 {
		p.f("  In third-party SDK code:\n")
		writeGroups(p, v, s.SDK, "    ", shown)
	}
	if len(s.Unused) > 0 {
		p.f("  Requested, but its own code never uses it:\n")
		for _, u := range s.Unused {
			where := ""
			if len(u.Finding.Evidence) > 0 {
				where = "  [" + u.Finding.Evidence[0].Location + "]"
			}
			p.f("    - %s: %s%s\n", u.Finding.Category.Title(), strings.Join(u.Permissions, ", "), where)
		}
	}
}

// writeGroups prints findings under a heading per category, one line each
// with the first place to check. A finding resting on exactly the evidence
// of one already printed (one permission that reaches two categories) says
// so instead of repeating it as news. A finding whose data a flow carries
// on says where; one that rests on a permission Android implies says so.
func writeGroups(p *printer, v *view, gs []catGroup, indent string, shown map[string]string) {
	for _, g := range gs {
		head := g.Title
		if g.Special {
			head += " — special category"
		}
		p.f("%s%s (%s)\n", indent, head, g.Category)
		for _, f := range g.Findings {
			sdk := ""
			if f.SDK != "" {
				sdk = " — " + f.SDK
			}
			where := ""
			if len(f.Evidence) > 0 {
				where = "  [" + plainPlace(f.Evidence[0].Location)
				if n := len(f.Evidence) - 1; n > 0 {
					where += fmt.Sprintf(" and %d more", n)
				}
				where += "]"
			}
			also := ""
			if key, ok := manifestKey(f); ok {
				if first, ok := shown[key]; ok && first != g.Title {
					also = " (the same permission as under " + first + ")"
					where = ""
				} else if !ok {
					shown[key] = g.Title
				}
			}
			p.f("%s  - %s%s (%s, %s)%s%s\n", indent, plainTitle(f), sdk, severityWord(f.Severity), evidenceWord(f.Confidence.Level), also, where)
			if sent, _ := sentWhere(f, v.Flows, v.r.Flows); sent != "" {
				p.wrap(indent+"      ", "→ "+sent)
			}
			if imp := v.Perms.impliedBy(f); imp != "" {
				p.wrap(indent+"      ", "rests on "+imp)
			}
		}
	}
}

// writeFlows prints where the data goes: each destination with what goes
// there, and for each the first path a reader can check.
func writeFlows(p *printer, v *view) {
	fv := v.Flows
	if fv.Empty() {
		if isIOS(v.r) {
			// Not traced at all: say so, rather than leave it out.
			p.f("\n%s\n", sectionTitles[secFlows])
			p.wrap("  ", noFlows(v.r))
		}
		return
	}
	p.f("\n%s\n", sectionTitles[secFlows])
	p.wrap("  ", flowsNote)
	writeDests(p, fv.App, "  ", true)
	if len(fv.SDK) > 0 {
		// SDK code's paths run through the SDK's insides: the other
		// formats show them.
		p.f("  In third-party SDK code (the paths are in the JSON, HTML and Markdown reports):\n")
		writeDests(p, fv.SDK, "    ", false)
	}
}

const flowsNote = "Paths along which data the app reads (a form field, a device read) reaches a place it leaves by; each path names the methods it passes, with the instruction offset to check with dexdump -d."

func writeDests(p *printer, ds []flowDest, indent string, paths bool) {
	const maxDests = 15
	band := -1
	for i, d := range ds {
		if i == maxDests {
			p.f("%s… %d more places in the JSON report\n", indent, len(ds)-maxDests)
			break
		}
		b := 1
		if d.Leaves {
			b = 0
		}
		if b != band {
			band = b
			p.f("%s%s\n", indent, []string{"Leaves the phone:", "Stays on the phone:"}[b])
		}
		p.hang(indent+"  ", indent+"    ", "to "+d.Label+": "+d.SourceLabels())
		for _, s := range d.Sources {
			fl := s.Flows[0]
			label := s.Label
			if s.What != "" {
				label += " (" + s.What + ")"
			}
			if s.SDK != "" {
				label += " — in " + s.SDK
			}
			if !paths {
				p.hang(indent+"    - ", indent+"      ", label+" ("+evidenceWord(s.Best)+")")
				continue
			}
			p.hang(indent+"    - ", indent+"      ", label+": "+flowWords(fl))
			for _, st := range fl.Path {
				p.wrap(indent+"        ", fmt.Sprintf("%s pc 0x%x: %s", plainPlace(st.Location), st.PC, plainWhat(st.What)))
			}
			if n := len(s.Flows) - 1; n > 0 {
				p.f("%s        … %s in the JSON report\n", indent, plural(n, "more path", "more paths"))
			}
		}
	}
}

// writePayloads prints the apps and code the app carries inside it.
func writePayloads(p *printer, v *view) {
	if len(v.Payloads) == 0 {
		return
	}
	p.f("\n%s\n", sectionTitles[secHidden])
	for _, pl := range v.Payloads {
		p.hang("  - ", "    ", pl.Sentence)
		if len(pl.Handling) > 0 {
			p.f("      The app's code that names, loads or installs it:\n")
			for _, e := range pl.Handling {
				d := ""
				if e.Detail != "" {
					d = ": " + plainWhat(e.Detail)
				}
				p.wrap("        ", plainPlace(e.Location)+d)
			}
		}
		if len(pl.Inside) > 0 {
			p.f("      What its code does:\n")
			for _, g := range pl.Inside {
				for _, f := range g.Findings {
					t := plainTitle(f)
					if t != g.Title {
						t = g.Title + ": " + t
					}
					p.wrap("        ", fmt.Sprintf("%s (%s)  [%s]", t, evidenceWord(f.Confidence.Level), plainPlace(f.Evidence[0].Location)))
				}
			}
		}
	}
}

// manifestKey identifies a finding that rests on the manifest alone (a
// permission request) by its evidence, so that a permission reaching two
// categories is explained once.
func manifestKey(f scan.Finding) (string, bool) {
	var b strings.Builder
	for _, e := range f.Evidence {
		if e.Kind != scan.EvManifest {
			return "", false
		}
		b.WriteString(e.Location)
		b.WriteByte(0)
		b.WriteString(e.Detail)
		b.WriteByte(0)
	}
	return b.String(), b.Len() > 0
}

func writeWatchlists(p *printer, r *scan.Report) {
	if q := r.App.QueriedSchemes; len(q) > 0 {
		p.f("  Apps it checks for, by URL scheme (LSApplicationQueriesSchemes):\n")
		p.wrap("    ", strings.Join(q, ", "))
	}
	if q := r.App.QueriedPackages; len(q) > 0 {
		p.f("  Apps its manifest asks Android about (<queries>):\n")
		p.wrap("    ", strings.Join(q, ", "))
	}
	lists := carriedLists(r)
	if len(lists) == 0 {
		return
	}
	p.f("  Lists it carries:\n")
	for _, w := range lists {
		sdk := ""
		if w.SDK != "" {
			sdk = " — " + w.SDK
		}
		sample := strings.Join(w.Sample, ", ")
		if len(w.Sample) < w.Size {
			sample += fmt.Sprintf(", … (%d more)", w.Size-len(w.Sample))
		}
		p.f("    - %d %s%s  [%s]\n", w.Size, w.Kind, sdk, w.Evidence.Location)
		p.wrap("        ", sample)
	}
}

// writeContacts says whom the app talks to: the trackers it carries, the
// hosts it names (app hosts apart from SDK hosts) and unencrypted traffic.
func writeContacts(p *printer, v *view, s *sectionView, shown map[string]string) {
	r := v.r
	if len(r.Trackers) == 0 && len(r.Endpoints) == 0 && s.Empty() {
		return
	}
	p.f("\n%s\n", s.Title)
	for _, t := range r.Trackers {
		var what []string
		if t.Classes > 0 {
			what = append(what, plural(t.Classes, "class", "classes"))
		}
		if len(t.Hosts) > 0 {
			what = append(what, "hosts "+strings.Join(t.Hosts, ", "))
		}
		p.f("  - SDK %s (%s): %s\n", t.Name, strings.Join(t.Categories, ", "), strings.Join(what, "; "))
	}
	hosts := hostList(r)
	if len(hosts) > 0 {
		p.f("  hosts named (%d):\n", len(hosts))
	}
	for i, h := range hosts {
		if i == 25 {
			p.f("    … %d more in the JSON report\n", len(hosts)-25)
			break
		}
		flags := ""
		if h.Cleartext {
			flags += " [cleartext]"
		}
		if h.Tracker != "" {
			flags += " [" + h.Tracker + "]"
		}
		p.f("    %s%s  (%s)\n", h.Host, flags, plainPlace(h.Where))
	}
	writeSection(p, v, s, shown)
}

// host is one host the app names, with every URL of it.
type host struct {
	Host      string
	Cleartext bool
	Tracker   string
	Where     string // the first place it was found
	URLs      []string
	Places    int
	Evidence  []scan.Evidence
}

func hostList(r *scan.Report) []*host {
	byName := map[string]*host{}
	var out []*host
	for _, e := range r.Endpoints {
		h, ok := byName[e.Host]
		if !ok {
			h = &host{Host: e.Host, Tracker: e.Tracker}
			if len(e.FoundIn) > 0 {
				h.Where = e.FoundIn[0].Location
			}
			byName[e.Host] = h
			out = append(out, h)
		}
		h.Cleartext = h.Cleartext || e.Cleartext
		if e.URL != "" {
			h.URLs = append(h.URLs, e.URL)
		}
		h.Places += e.Places
		h.Evidence = append(h.Evidence, e.FoundIn...)
		if h.Tracker == "" {
			h.Tracker = e.Tracker
		}
	}
	return out
}

func writeDeclaredText(p *printer, d scan.Declared) {
	p.f("\nDeclared and detected\n")
	p.wrap("  ", declaredIntro(d))
	if len(d.NotDeclared) == 0 {
		p.f("  Everything detected with at least medium confidence is declared.\n")
	} else {
		p.f("  Detected but not declared:\n")
		for _, u := range d.NotDeclared {
			p.hang("    - ", "      ", fmt.Sprintf("%s (%s): %s%s", u.Category.Title(), u.Category, plural(len(u.Findings), "finding", "findings"), coveredBy(d, u.DataTypes)))
		}
	}
	if len(d.NotSeen) == 0 {
		p.f("  Every declared data type was seen.\n")
	} else {
		p.f("  Declared but not seen:\n")
		for _, it := range d.NotSeen {
			p.f("    - %s\n", it.Label)
		}
		p.wrap("    ", declaredCaveat)
	}
}

func coveredBy(d scan.Declared, types []string) string {
	if len(types) == 0 {
		return "; " + declaredNone(d)
	}
	return "; declare as " + strings.Join(types, " or ")
}

const declaredCaveat = "Static analysis cannot prove that an app does not collect something: code loaded at run time, code on a server, or code appxray cannot read may collect what it declares."

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// wrap prints s in lines of at most 80 columns after indent.
func (p *printer) wrap(indent, s string) { p.hang(indent, indent, s) }

// hang prints s in lines of at most 80 columns, the first after first
// ("    - "), the others after indent.
func (p *printer) hang(first, indent, s string) {
	const width = 80
	line, start := first, len(first)
	for _, word := range strings.Fields(s) {
		if len(line) > start && len(line)+1+len(word) > width {
			p.f("%s\n", line)
			line, start = indent, len(indent)
		}
		if len(line) > start {
			line += " "
		}
		line += word
	}
	if len(line) > start {
		p.f("%s\n", line)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
