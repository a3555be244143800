package report

import (
	"fmt"
	"io"
	"strings"

	"appxray/scan"
)

// Markdown writes the report as GitHub-flavoured Markdown for an issue
// tracker or a research memo: the same sections as the HTML page, tables
// for forms and hosts, evidence as nested lists that read well as plain
// text too.
func Markdown(w io.Writer, r *scan.Report) error {
	v := newView(r)
	p := &printer{w: w}
	a := r.App
	p.f("# %s\n\n", mdText(v.Name))
	p.f("| | |\n|---|---|\n")
	ios := isIOS(r)
	if a.Package != "" {
		label := "Package"
		if ios {
			label = "Bundle ID"
		}
		p.f("| %s | %s |\n", label, mdCode(a.Package))
		p.f("| Version | %s |\n", mdCell(versionWords(r)))
	}
	if req := requiresWords(r); req != "" {
		p.f("| Requires | %s |\n", req)
	}
	p.f("| File | %s, %s, %s |\n", mdCell(r.File.Name), byteSize(r.File.Size), mdCell(fileKindWords(r.File.Kind)))
	if parts := partsWords(r); parts != "" {
		p.f("| %s | %s |\n", upperFirst(partsLabel(r)), mdCell(parts))
	}
	if r.File.SHA256 != "" {
		p.f("| SHA-256 | %s |\n", mdCode(r.File.SHA256))
	} else {
		p.f("| SHA-256 | %s |\n", mdCell(hashWords(r)))
	}
	var signers []string
	for _, s := range r.Signers {
		signers = append(signers, mdCell(s.Subject)+mdCell(ofPart(s))+mdCell(wellKnown(s)))
	}
	switch {
	case len(signers) > 0 && ios:
		which := "the certificate"
		if len(signers) > 1 {
			which = fmt.Sprintf("one of the %d certificates", len(signers))
		}
		p.f("| Signed by | %s its provisioning profile allows:<br>%s |\n", which, strings.Join(signers, "<br>"))
	case len(signers) > 0:
		p.f("| Signed by | %s |\n", strings.Join(signers, "<br>"))
	case r.File.Kind != "dex":
		p.f("| Signed by | **%s** |\n", mdCell(noSignerWords(r)))
	}
	if pr := r.Profile; pr != nil {
		p.f("| Provisioning profile | %s |\n", mdCell(profileShort(pr)))
	}

	p.f("\n## In short\n\n")
	for _, s := range v.Verdict {
		p.f("%s\n\n", mdText(s))
	}
	if len(v.Special) > 0 {
		p.f("## Special categories\n\n> %s\n\n", specialNote)
		for _, s := range v.Special {
			p.f("- **%s**: %s\n", s.Title, mdText(specialWhat(s)))
		}
		p.f("\n")
	}
	if len(v.Counts) > 0 {
		p.f("## Findings per category\n\n| Category | Findings |\n|---|---:|\n")
		for _, c := range v.Counts {
			t := c.Title
			if c.Special {
				t = "**" + t + "** (special)"
			}
			p.f("| %s | %d |\n", t, c.N)
		}
		p.f("\n")
	}

	for _, id := range []sectionID{secPerson, secDevice, secFlows, secLooksFor, secTalks, secOther, secHidden} {
		s := v.Sections[id]
		switch id {
		case secFlows:
			mdFlows(p, v)
			continue
		case secHidden:
			mdPayloads(p, v)
			continue
		}
		p.f("## %s\n\n", s.Title)
		extra := false
		switch id {
		case secPerson:
			extra = mdForms(p, r)
		case secLooksFor:
			extra = mdLooksFor(p, r)
		case secTalks:
			extra = mdTalksTo(p, r)
		}
		if s.Empty() {
			if !extra {
				p.f("Nothing found.\n\n")
			}
			continue
		}
		level := "###"
		if len(s.SDK) > 0 || len(s.Unused) > 0 || extra {
			if len(s.App) > 0 {
				p.f("### Findings in the app's own code and files\n\n")
			}
			level = "####"
		}
		mdGroups(p, v, s.App, level)
		if len(s.SDK) > 0 {
			p.f("### In third-party SDK code\n\n")
			mdGroups(p, v, s.SDK, "####")
		}
		if len(s.Unused) > 0 {
			p.f("### Requested, but its own code never uses it\n\n")
			for _, u := range s.Unused {
				loc := ""
				if len(u.Finding.Evidence) > 0 {
					loc = " (" + mdCode(u.Finding.Evidence[0].Location) + ")"
				}
				var perms []string
				for _, n := range u.Permissions {
					perms = append(perms, mdCode(n))
				}
				p.f("- **%s**: %s%s\n", u.Finding.Category.Title(), strings.Join(perms, ", "), loc)
			}
			p.f("\n")
		}
	}
	ds := declarations(r)
	for _, d := range ds {
		mdDeclared(p, d, len(ds) > 1)
	}
	mdTechnical(p, r)
	p.f("---\n\nWritten by appxray %s from the app file alone; appxray never runs the app. Static analysis cannot prove an absence: code loaded at run time is not seen.\n", r.Tool.Version)
	return p.err
}

func mdGroups(p *printer, v *view, gs []catGroup, level string) {
	for _, g := range gs {
		special := ""
		if g.Special {
			special = " — special category"
		}
		p.f("%s %s%s (%s)\n\n", level, g.Title, special, mdCode(string(g.Category)))
		for _, f := range g.Findings {
			sdk := ""
			if f.SDK != "" {
				sdk = " — " + mdText(f.SDK)
			}
			p.f("- **%s** %s%s (%s: %s)\n", severityWord(f.Severity), mdText(plainTitle(f)), sdk, evidenceWord(f.Confidence.Level), mdText(f.Confidence.Reason))
			if sent, _ := sentWhere(f, v.Flows, v.r.Flows); sent != "" {
				p.f("  - **→ %s**\n", mdText(sent))
			}
			if imp := v.Perms.impliedBy(f); imp != "" {
				p.f("  - rests on a permission Android implies: %s\n", mdText(imp))
			}
			for i, e := range f.Evidence {
				if i == 10 {
					p.f("  - … %d more in the JSON report\n", len(f.Evidence)-10)
					break
				}
				detail := ""
				if e.Detail != "" {
					detail = " — " + mdText(humanDetail(e.Detail))
				}
				p.f("  - %s %s%s\n", e.Kind, mdCode(e.Location), detail)
			}
		}
		p.f("\n")
	}
}

// mdFlows writes where the data goes: each destination as a heading, each
// thing that goes there as an item, its paths as numbered lists.
func mdFlows(p *printer, v *view) {
	p.f("## %s\n\n", sectionTitles[secFlows])
	fv := v.Flows
	if fv.Empty() {
		p.f("%s\n\n", noFlows(v.r))
		return
	}
	p.f("> %s\n\n", flowsNote)
	band := -1
	for _, d := range fv.App {
		b := 1
		if d.Leaves {
			b = 0
		}
		if b != band {
			band = b
			p.f("### %s\n\n", []string{"Leaves the phone", "Stays on the phone"}[b])
		}
		mdDest(p, d)
	}
	if len(fv.SDK) > 0 {
		p.f("### In third-party SDK code\n\n")
		for _, d := range fv.SDK {
			mdDest(p, d)
		}
	}
}

func mdDest(p *printer, d flowDest) {
	p.f("#### to %s\n\n", mdText(d.Label))
	for _, s := range d.Sources {
		what := ""
		if s.What != "" {
			what = " (" + mdText(s.What) + ")"
		}
		if s.SDK != "" {
			what += " — in " + mdText(s.SDK)
		}
		p.f("- **%s**%s\n", mdText(s.Label), what)
		for i, fl := range s.Flows {
			n := ""
			if len(s.Flows) > 1 {
				n = fmt.Sprintf(" %d", i+1)
			}
			p.f("  - path%s, %s\n", n, mdText(flowWords(fl)))
			for j, st := range fl.Path {
				p.f("    %d. %s — %s pc 0x%x\n", j+1, mdText(plainWhat(st.What)), mdCode(st.Location), st.PC)
			}
		}
	}
	p.f("\n")
}

// mdPayloads writes the apps and code the app carries inside it.
func mdPayloads(p *printer, v *view) {
	if len(v.Payloads) == 0 {
		return
	}
	p.f("## %s\n\n", sectionTitles[secHidden])
	for _, pl := range v.Payloads {
		p.f("### %s in %s\n\n%s\n\n", upperFirst(pl.What), mdCode(pl.E.Location), mdText(pl.Sentence))
		if pl.E.Encoding != "" {
			p.f("- Encoding: %s\n", mdText(pl.E.Encoding))
		}
		if len(pl.E.Dex) > 0 {
			var ds []string
			for _, d := range pl.E.Dex {
				ds = append(ds, mdCode(d))
			}
			p.f("- Its code: %s\n", strings.Join(ds, ", "))
		}
		p.f("- Size: %d bytes\n\n", pl.E.Size)
		if len(pl.Handling) > 0 {
			p.f("#### The app's code that names, loads or installs it\n\n")
			for _, e := range pl.Handling {
				detail := ""
				if e.Detail != "" {
					detail = " — " + mdText(humanDetail(e.Detail))
				}
				p.f("- %s %s%s\n", e.Kind, mdCode(e.Location), detail)
			}
			p.f("\n")
		}
		if len(pl.Inside) > 0 {
			p.f("#### What its code does\n\n")
			mdGroups(p, v, pl.Inside, "#####")
		}
	}
}

func mdForms(p *printer, r *scan.Report) bool {
	forms, plain := htmlForms(r.Fields)
	lists := htmlLists(r.OptionLists)
	if len(forms) > 0 {
		p.f("### Forms\n\n")
		for _, f := range forms {
			mdForm(p, f)
		}
	}
	if len(plain) > 0 {
		var names []string
		for _, f := range plain {
			names = append(names, mdCode(f.Name))
		}
		p.f("%s with no field in a category: %s.\n\n", plural(len(plain), "Form", "Forms"), strings.Join(names, ", "))
	}
	if len(lists) > 0 {
		p.f("### Option lists\n\n")
		for _, l := range lists {
			title := mdCode(l.Source)
			if l.Title != nil {
				title = mdText(l.Title.Text) + " (" + mdCode(l.Source) + ")"
			}
			var cats []string
			for _, c := range l.Cats {
				cats = append(cats, c.Title)
			}
			if len(cats) > 0 {
				title += " — " + strings.Join(cats, ", ")
			}
			p.f("#### %s\n\n", title)
			for i, o := range l.Options {
				p.f("%d. %s\n", i+1, mdText(o.Text))
			}
			p.f("\n")
			if len(l.Others) > 0 {
				p.f("| Language | Options |\n|---|---|\n")
				for _, o := range l.Others {
					p.f("| %s | %s |\n", o.Locale, mdCell(o.Text))
				}
				p.f("\n")
			}
		}
	}
	return len(forms)+len(plain)+len(lists) > 0
}

func mdForm(p *printer, f htmlForm) {
	p.f("#### %s\n\n| Label | Other languages | Asks for | Field |\n|---|---|---|---|\n", mdCode(f.Name))
	for _, fl := range f.Fields {
		var others []string
		for _, o := range fl.Others {
			others = append(others, o.Locale+": "+mdCell(o.Text))
		}
		var cats []string
		for _, c := range fl.Cats {
			t := c.Title
			if c.Special {
				t = "**" + t + "** (special)"
			}
			cats = append(cats, t)
		}
		label := mdCell(fl.Label.Text)
		if label == "" {
			label = "*(no label)*"
		}
		where := mdCode(fl.Where)
		if fl.Input != "" {
			where += "<br>" + mdCell(fl.Input)
		}
		p.f("| %s | %s | %s | %s |\n", label, strings.Join(others, "<br>"), strings.Join(cats, ", "), where)
	}
	p.f("\n")
}

func mdLooksFor(p *printer, r *scan.Report) bool {
	if q := r.App.QueriedSchemes; len(q) > 0 {
		var items []string
		for _, s := range q {
			items = append(items, mdCode(s))
		}
		p.f("### Apps it checks for\n\n%s\n\n%s\n\n", mdText(queriedSchemesNote), strings.Join(items, ", "))
	}
	for _, w := range carriedLists(r) {
		sdk := ""
		if w.SDK != "" {
			sdk = " — in " + mdText(w.SDK)
		}
		p.f("### %d %s%s\n\nIn %s.\n\n", w.Size, w.Kind, sdk, mdCode(w.Evidence.Location))
		var items []string
		for _, s := range w.Sample {
			items = append(items, mdCode(s))
		}
		p.f("%s", strings.Join(items, ", "))
		if len(w.Sample) < w.Size {
			p.f(", … (%d more in the file)", w.Size-len(w.Sample))
		}
		p.f("\n\n")
	}
	if q := r.App.QueriedPackages; len(q) > 0 {
		var items []string
		for _, s := range q {
			items = append(items, mdCode(s))
		}
		p.f("Its manifest asks Android about these apps (`<queries>`): %s.\n\n", strings.Join(items, ", "))
	}
	return len(r.Watchlists)+len(r.App.QueriedPackages)+len(r.App.QueriedSchemes) > 0
}

func mdTalksTo(p *printer, r *scan.Report) bool {
	if len(r.Trackers) > 0 {
		p.f("### Trackers and third-party SDKs\n\n| SDK | Kind | Classes | Hosts |\n|---|---|---:|---|\n")
		for _, t := range r.Trackers {
			var hosts []string
			for _, h := range t.Hosts {
				hosts = append(hosts, mdCode(h))
			}
			p.f("| %s | %s | %d | %s |\n", mdCell(t.Name), mdCell(strings.Join(t.Categories, ", ")), t.Classes, strings.Join(hosts, ", "))
		}
		p.f("\n")
	}
	hosts := hostList(r)
	if len(hosts) > 0 {
		p.f("### Hosts it names\n\n| Host | Encrypted | SDK | First found in |\n|---|---|---|---|\n")
		for _, h := range hosts {
			enc := "yes"
			if h.Cleartext {
				enc = "**no (http://)**"
			}
			p.f("| %s | %s | %s | %s |\n", mdCode(h.Host), enc, mdCell(h.Tracker), mdCode(h.Where))
		}
		p.f("\n")
	}
	return len(r.Trackers)+len(hosts) > 0
}

func mdDeclared(p *printer, d scan.Declared, several bool) {
	title := "Declared and detected"
	if several {
		title += ": " + declaredShort(d)
	}
	p.f("## %s\n\n%s\n\n### Detected but not declared\n\n", mdText(title), mdText(declaredIntro(d)))
	if len(d.NotDeclared) == 0 {
		p.f("Everything appxray found with at least medium confidence is declared.\n\n")
	} else {
		p.f("| Category | Findings | Would be declared as |\n|---|---:|---|\n")
		for _, u := range d.NotDeclared {
			as := declaredNone(d)
			if len(u.DataTypes) > 0 {
				as = strings.Join(u.DataTypes, ", or ")
			}
			p.f("| %s | %d | %s |\n", u.Category.Title(), len(u.Findings), mdCell(as))
		}
		p.f("\n")
	}
	p.f("### Declared but not seen\n\n")
	if len(d.NotSeen) == 0 {
		p.f("appxray saw something of every declared data type.\n\n")
		return
	}
	for _, it := range d.NotSeen {
		p.f("- %s\n", mdText(it.Label))
	}
	p.f("\n> %s\n\n", declaredCaveat)
}

func mdTechnical(p *printer, r *scan.Report) {
	p.f("## Technical details\n\n")
	if isIOS(r) {
		mdIOSTechnical(p, r)
	} else {
		mdAndroidTechnical(p, r)
	}
	for _, e := range r.Executables {
		p.f("- Native file %s (%s, %s)\n", mdCode(e.Path), e.Type, e.Machine)
	}
	p.f("\n")
	if isIOS(r) {
		mdUsage(p, r)
	}
	if len(r.PermissionDetails) > 0 {
		p.f("### Permissions (%d)\n\n| Permission | Requested | Used by the visible code | Why |\n|---|---|---|---|\n", len(r.Permissions))
		for _, d := range r.PermissionDetails {
			how := "—" // neither a manifest line nor Android's reason is known
			switch {
			case d.Implied != "":
				how = "no: Android implies it (" + d.Implied + ")"
			case d.Line > 0:
				how = fmt.Sprintf("line %d", d.Line)
			}
			used := map[string]string{"used": "yes", "unused": "**no**"}[d.Status]
			if used == "" {
				used = "cannot tell"
			}
			p.f("| %s | %s | %s | %s |\n", mdCode(shortPerm(d.Name)), mdCell(how), used, mdCell(plainWhat(humanDetail(d.Why))))
		}
		p.f("\n")
	}
	if len(r.Protection.Packers) > 0 {
		p.f("> That this report does not show a behaviour proves nothing: the encrypted code may do it.\n\n")
	}
	if gs := groupAnomalies(r.Anomalies); len(gs) > 0 {
		p.f("### Tricks and anomalies\n\n%s\n\n", tricksNote(r))
		for _, g := range gs {
			trick := ""
			if g.Trick {
				trick = ", a trick"
			}
			p.f("#### %s (%d; %s%s)\n\n%s", mdText(g.Title), len(g.List), mdCode(g.Kind), trick, mdText(g.Says))
			if w := g.RejectsWords(); w != "" {
				p.f(" **%s**", mdText(w))
			}
			p.f(" Found in %s.\n\n", g.FoundIn())
			for i, an := range g.List {
				if i == 10 {
					p.f("- … %d more in the JSON report\n", len(g.List)-10)
					break
				}
				rej := ""
				if an.AndroidRejects {
					rej = " (Android refuses it)"
				}
				p.f("- %s: %s%s\n", mdCode(anomalyWhere(an)), mdText(an.Detail), rej)
			}
			p.f("\n")
		}
	}
	if len(r.Errors) > 0 {
		p.f("### Could not read\n\n")
		for _, e := range r.Errors {
			p.f("- %s: %s\n", mdCode(e.Where), mdText(e.Error))
		}
		p.f("\n")
	}
}

// mdEscaper escapes the characters that would start Markdown or HTML
// markup in running text. Underscores are left alone: inside a word (the
// ids and resource names reports are full of) GitHub does not read them as
// emphasis, and escaped they would not read well as plain text.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "|", `\|`, "\n", " ", "\r", " ",
)

func mdText(s string) string {
	s = mdEscaper.Replace(s)
	if strings.HasPrefix(s, "#") {
		s = `\` + s // not a heading
	}
	return s
}

// mdCell is text for a table cell (mdText already escapes the pipe).
func mdCell(s string) string { return mdText(s) }

// mdCode is inline code; a backtick inside takes a longer fence, and a pipe
// is escaped so that the code can stand in a table.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("\n", " ", "\r", " ", "|", `\|`).Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if fence != "`" || strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fmt.Sprintf("%s %s %s", fence, s, fence)
	}
	return fence + s + fence
}

// mdAndroidTechnical lists what the manifest and the DEX code hold.
func mdAndroidTechnical(p *printer, r *scan.Report) {
	a := r.App
	p.f("- SDK levels: minimum %s, target %s\n", orDash(a.MinSDK), orDash(a.TargetSDK))
	p.f("- Debuggable: %v\n", a.Debuggable)
	if a.UsesCleartextTraffic != nil {
		p.f("- `android:usesCleartextTraffic`: %v\n", *a.UsesCleartextTraffic)
	}
	if a.NetworkSecurityConfig != "" {
		p.f("- Network security config: %s\n", mdCode(a.NetworkSecurityConfig))
	}
	if a.SharedUserID != "" {
		p.f("- Shared user ID: %s\n", mdCode(a.SharedUserID))
	}
	if len(r.PermissionDetails) == 0 {
		var perms []string
		for _, s := range r.Permissions {
			perms = append(perms, mdCode(s))
		}
		p.f("- Permissions (%d): %s\n", len(perms), strings.Join(perms, ", "))
	}
	if u := unusedPermissions(r); len(u) > 0 {
		p.f("- Requested, but its visible code never uses them: %s\n", strings.Join(u, ", "))
	}
	for _, pk := range r.Protection.Packers {
		p.f("- Packed by %s\n", mdText(packerWords(pk)))
	}
	if o := obfuscationWords(r.Protection.Obfuscation); o != "" {
		p.f("- Renamed code: %s\n", mdText(o))
	}
	c := r.Components
	for _, k := range []struct {
		name string
		list []scan.Component
	}{{"Activities", c.Activities}, {"Services", c.Services}, {"Receivers", c.Receivers}, {"Providers", c.Providers}} {
		var exported []string
		for _, comp := range k.list {
			if comp.Exported {
				exported = append(exported, mdCode(comp.Name))
			}
		}
		p.f("- %s: %d", k.name, len(k.list))
		if len(exported) > 0 {
			p.f(", exported: %s", strings.Join(exported, ", "))
		}
		p.f("\n")
	}
	for _, s := range r.Signers {
		p.f("- Signer: %s, certificate SHA-256 %s, schemes %s%s%s\n", mdText(s.Subject), mdCode(s.SHA256), strings.Join(s.Schemes, ", "), mdText(ofPart(s)), mdText(wellKnown(s)))
	}
	classes := 0
	for _, d := range r.Dex {
		classes += d.Classes
	}
	p.f("- Code: %s, %s\n", plural(len(r.Dex), "DEX file", "DEX files"), plural(classes, "class", "classes"))
}

// mdIOSTechnical lists what the Info.plist, the provisioning profile and
// the executables of an iOS app hold, and what appxray cannot see.
func mdIOSTechnical(p *printer, r *scan.Report) {
	a := r.App
	codes := func(ss []string) string {
		if len(ss) == 0 {
			return "none"
		}
		var out []string
		for _, s := range ss {
			out = append(out, mdCode(s))
		}
		return strings.Join(out, ", ")
	}
	p.f("- Minimum iOS: %s\n", mdText(orDash(a.MinimumOS)))
	p.f("- Version %s, build %s\n", mdText(orDash(a.VersionName)), mdText(orDash(a.Build)))
	p.f("- URL schemes it opens: %s\n", codes(a.URLSchemes))
	p.f("- URL schemes of the apps it checks for: %s\n", codes(a.QueriedSchemes))
	p.f("- Background modes: %s\n", codes(a.BackgroundModes))
	p.f("- App Transport Security: %s\n", mdText(atsWords(r)))
	if pr := r.Profile; pr != nil {
		var facts []string
		for _, f := range profileFacts(pr) {
			v := mdText(f[1])
			if f[0] == "File" || f[0] == "App ID" {
				v = mdCode(f[1])
			}
			facts = append(facts, f[0]+": "+v)
		}
		p.f("- Provisioning profile: %s\n", strings.Join(facts, "; "))
	} else {
		p.f("- Provisioning profile: none in the app (an App Store download carries none)\n")
	}
	for _, s := range r.Signers {
		p.f("- Certificate the profile allows to sign: %s, SHA-256 %s, %s %d bits, valid %s to %s\n", mdText(s.Subject), mdCode(s.SHA256), s.KeyAlgorithm, s.KeySize, s.NotBefore, s.NotAfter)
	}
	p.f("- Code: %s\n", mdText(machOWords))
	p.f("- FairPlay: %s\n", mdText(fairPlayWords(r)))
	if bs := iosBundles(r); len(bs) > 0 {
		p.f("- Embedded frameworks and extensions with findings in them: %s\n", codes(bs))
	}
	for _, pk := range r.Protection.Packers {
		if pk.ID != fairPlayID {
			p.f("- Packed by %s\n", mdText(packerWords(pk)))
		}
	}
}

// mdUsage tabulates an iOS app's usage descriptions.
func mdUsage(p *printer, r *scan.Report) {
	us := usageDescriptions(r)
	p.f("### Usage descriptions (%d)\n\nThe purpose texts iOS shows when the app asks for access; an app can ask only for what it gives a text for.\n\n", len(us))
	if len(us) == 0 {
		return
	}
	p.f("| Key | For | What the app says | Other languages |\n|---|---|---|---|\n")
	for _, u := range us {
		key := mdCode(u.Key)
		if u.Embedded {
			key += " (in " + mdCode(u.Where) + ")"
		}
		var others []string
		for _, l := range locales(u.Texts) {
			if l != "" {
				others = append(others, l+": "+mdCell(u.Texts[l]))
			}
		}
		says, ok := u.Texts[""]
		if !ok {
			says = "*(only in a localisation)*"
		} else {
			says = mdCell(says)
		}
		p.f("| %s | %s | %s | %s |\n", key, mdCell(u.What), says, strings.Join(others, "<br>"))
	}
	p.f("\n")
}
