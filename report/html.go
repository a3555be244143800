package report

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"
	"sync"

	"appxray/scan"
)

//go:embed html.tmpl
var htmlTemplate string

//go:embed html.css
var htmlCSS string

// htmlPageTemplate is parsed on first use, not when the program starts:
// a scan that writes no HTML does not pay for it.
var htmlPageTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"textOf":    func(s string) htmlText { return textIn("", s) },
		"severity":  severityWord,
		"evidence":  evidenceWord,
		"add":       func(a, b int) int { return a + b },
		"shortPerm": shortPerm,
		"human":     humanDetail,
		"hex":       func(n uint32) string { return fmt.Sprintf("0x%x", n) },
		"where":     anomalyWhere,
		"plainWhat": plainWhat,
	}).Parse(htmlTemplate))
})

// htmlCSP allows the page its one stylesheet, by hash, and nothing else: no
// script, no image, font or frame, no request of any kind.
var htmlCSP = func() string {
	sum := sha256.Sum256([]byte(htmlCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
}()

// HTML writes the report as one self-contained page for a reader who is not
// an engineer: the verdict first, the special categories, a chart, then the
// sections, each finding opening to its evidence. It loads nothing, runs no
// script and prints with every piece of evidence visible.
func HTML(w io.Writer, r *scan.Report) error {
	if err := htmlPageTemplate().ExecuteTemplate(w, "page", newHTMLPage(r)); err != nil {
		return fmt.Errorf("report: HTML: %w", err)
	}
	return nil
}

// htmlText is text with the language it is in ("" for the page's English).
type htmlText struct {
	Locale string
	Lang   string
	Text   string
}

func textIn(locale, s string) htmlText {
	return htmlText{Locale: locale, Lang: langOf(locale, s), Text: s}
}

// localized splits a per-locale map into the default text and the others.
func localized(m map[string]string) (htmlText, []htmlText) {
	var def htmlText
	var others []htmlText
	for i, l := range locales(m) {
		t := textIn(l, m[l])
		if i == 0 {
			def = t
			continue
		}
		if t.Locale == "" {
			t.Locale = "default"
		}
		others = append(others, t)
	}
	return def, others
}

type htmlPage struct {
	R           *scan.Report
	Tool        string
	Name        string
	NameText    htmlText
	Size        string
	CSP         string
	CSS         template.CSS
	Verdict     []string
	SpecialNote string
	Special     []htmlSpecial
	Chart       htmlChart
	Sections    []htmlSection
	Forms       []htmlForm
	PlainForms  []htmlForm
	Lists       []htmlList
	PlainLists  []htmlList
	Hosts       []htmlHost
	Cleartext   string
	Labels      []htmlText
	Components  []htmlComponents
	FlowsNote   string
	FlowBands   []htmlBand // the app's own code, by band
	SDKDests    []flowDest // SDK code
	NoFlows     string
	Payloads    []htmlPayload
	Unused      []string
	Packers     []htmlPacker
	Renamed     string
	Tricks      []anomalyGroup

	// What the identity block says for the app's kind.
	IOS          bool
	Platform     string
	KindWords    string
	Version      string
	Requires     string
	Hash         string
	Parts        string
	PartsLabel   string
	NoSigner     string
	ProfileShort string
	ProfileFacts [][2]string
	// An iOS app's Info.plist and code.
	Usage        []htmlUsage
	MachO        string
	FairPlay     string
	Bundles      []string
	ATS          string
	QueriedNote  string
	TricksNote   string
	CarriedLists []scan.Watchlist
	Declarations []htmlDeclared
}

// htmlUsage is one usage description, its texts by language.
type htmlUsage struct {
	usageDesc
	Default htmlText
	Others  []htmlText
}

// htmlDeclared is one declaration set against what was found.
type htmlDeclared struct {
	scan.Declared
	ID, Title, Intro, None string
}

// htmlBand is the destinations on one side of the phone's edge.
type htmlBand struct {
	Title string
	Note  string
	Dests []flowDest
}

type htmlPayload struct {
	payloadView
	Title  string
	Groups []htmlGroup
}

type htmlPacker struct {
	scan.Packer
	Where string
	Words string // what it hides, after its name and kind
}

type htmlSpecial struct {
	Title  string
	What   string
	Terms  []htmlText
	Anchor string
}

type htmlSection struct {
	ID         sectionID
	Title      string
	Groups     []htmlGroup
	SDKGroups  []htmlGroup
	Unused     []unusedPerm
	HasContent bool
}

type htmlGroup struct {
	Level    int
	Anchor   string
	Title    string
	Special  bool
	Findings []htmlFinding
}

type htmlFinding struct {
	scan.Finding
	Title string
	// Sent says where a flow carries the finding's data, Dests links to
	// each destination; Implied names a permission Android implies that
	// the finding rests on.
	Sent    string
	Dests   []*flowDest
	Implied string
}

type htmlForm struct {
	Name   string
	Fields []htmlField
}

type htmlField struct {
	Label  htmlText
	Others []htmlText
	Cats   []htmlCat
	Where  string
	Input  string
}

type htmlCat struct {
	Title   string
	Special bool
}

type htmlList struct {
	Source  string
	Title   *htmlText
	Options []htmlText // the first options in the default locale
	Rest    []htmlText // the others, behind a <details>
	Joined  htmlText   // every option, joined, for a compact line
	Others  []htmlText // each locale's options, joined
	UsedBy  []string
	Cats    []htmlCat
}

type htmlHost struct {
	*host
	More int
}

type htmlComponents struct {
	Title    string
	List     []scan.Component
	Exported int
}

func newHTMLPage(r *scan.Report) *htmlPage {
	v := newView(r)
	p := &htmlPage{
		R:           r,
		Tool:        r.Tool.Version,
		Name:        v.Name,
		NameText:    textIn("", v.Name),
		Size:        byteSize(r.File.Size),
		CSP:         htmlCSP,
		CSS:         template.CSS(htmlCSS),
		Verdict:     v.Verdict,
		SpecialNote: specialNote,
		Chart:       newChart(v.Counts),
		IOS:         isIOS(r),
		Platform:    platformWords(r),
		KindWords:   fileKindWords(r.File.Kind),
		Version:     versionWords(r),
		Requires:    requiresWords(r),
		Hash:        hashWords(r),
		Parts:       partsWords(r),
		PartsLabel:  upperFirst(partsLabel(r)),
		NoSigner:    noSignerWords(r),
		QueriedNote: queriedSchemesNote,
		TricksNote:  tricksNote(r),
	}
	p.CarriedLists = carriedLists(r)
	if pr := r.Profile; pr != nil {
		p.ProfileShort = profileShort(pr)
		p.ProfileFacts = profileFacts(pr)
	}
	if p.IOS {
		for _, u := range usageDescriptions(r) {
			def, others := localized(u.Texts)
			if _, ok := u.Texts[""]; !ok {
				// Only localisations give it: none is the default.
				others = append([]htmlText{def}, others...)
				def = htmlText{}
			}
			p.Usage = append(p.Usage, htmlUsage{usageDesc: u, Default: def, Others: others})
		}
		p.MachO = machOWords
		if xs := fairPlay(r); len(xs) > 0 {
			p.FairPlay = "encrypts " + encryptedList(xs)
		}
		p.Bundles = iosBundles(r)
		p.ATS = atsWords(r)
	}
	ds := declarations(r)
	for i, d := range ds {
		hd := htmlDeclared{Declared: d, ID: "declared", Title: "Declared and detected", Intro: declaredIntro(d), None: declaredNone(d)}
		if i > 0 {
			hd.ID = fmt.Sprintf("declared-%d", i+1)
		}
		if len(ds) > 1 {
			hd.Title += ": " + declaredShort(d)
		}
		p.Declarations = append(p.Declarations, hd)
	}
	// The special categories link to their evidence: the app's own group if
	// there is one, else the SDK's.
	for _, s := range v.Special {
		sec := v.Sections[sectionOf(s.Category)]
		anchor := ""
		for _, g := range sec.App {
			if g.Category == s.Category {
				anchor = g.Anchor(false)
			}
		}
		if anchor == "" {
			anchor = catGroup{Category: s.Category}.Anchor(true)
		}
		hs := htmlSpecial{Title: s.Title, What: specialCounts(s), Anchor: anchor}
		for _, t := range s.Terms {
			hs.Terms = append(hs.Terms, textIn("", t))
		}
		p.Special = append(p.Special, hs)
	}
	p.Forms, p.PlainForms = htmlForms(r.Fields)
	for _, l := range htmlLists(r.OptionLists) {
		if len(l.Cats) > 0 {
			p.Lists = append(p.Lists, l)
		} else {
			p.PlainLists = append(p.PlainLists, l)
		}
	}
	for _, h := range hostList(r) {
		p.Hosts = append(p.Hosts, htmlHost{host: h, More: h.Places - 1})
	}
	for _, id := range []sectionID{secPerson, secDevice, secFlows, secLooksFor, secTalks, secOther, secHidden} {
		s := v.Sections[id]
		hs := htmlSection{ID: id, Title: s.Title, Unused: s.Unused}
		switch id {
		case secPerson:
			hs.HasContent = len(p.Forms)+len(p.PlainForms)+len(p.Lists)+len(p.PlainLists) > 0
		case secLooksFor:
			hs.HasContent = len(r.Watchlists)+len(r.App.QueriedPackages)+len(r.App.QueriedSchemes) > 0
		case secTalks:
			hs.HasContent = len(r.Trackers)+len(r.Endpoints) > 0
		case secFlows:
			hs.HasContent = true // says so when there is no flow
		case secHidden:
			if len(v.Payloads) == 0 {
				continue
			}
			hs.HasContent = true
		}
		level := 3
		if len(s.SDK) > 0 || len(s.Unused) > 0 || hs.HasContent {
			level = 4
		}
		hs.Groups = htmlGroups(v, s.App, level, false)
		hs.SDKGroups = htmlGroups(v, s.SDK, 4, true)
		p.Sections = append(p.Sections, hs)
	}
	p.FlowsNote = flowsNote
	if v.Flows.Empty() {
		p.NoFlows = noFlows(r)
	}
	var leave, stay []flowDest
	for _, d := range v.Flows.App {
		if d.Leaves {
			leave = append(leave, d)
		} else {
			stay = append(stay, d)
		}
	}
	if len(leave) > 0 {
		p.FlowBands = append(p.FlowBands, htmlBand{Title: "Leaves the phone", Note: "Data sent to a server, an SDK, a web page or by SMS.", Dests: leave})
	}
	if len(stay) > 0 {
		p.FlowBands = append(p.FlowBands, htmlBand{Title: "Stays on the phone", Note: "Data written to files, settings, databases or the system log, or handed to other apps, where other code may take it further.", Dests: stay})
	}
	p.SDKDests = v.Flows.SDK
	for _, pl := range v.Payloads {
		hp := htmlPayload{payloadView: pl, Title: upperFirst(pl.What) + " in " + pl.E.Location}
		for _, g := range htmlGroups(v, pl.Inside, 5, false) {
			g.Anchor = pl.Anchor + "-" + g.Anchor
			hp.Groups = append(hp.Groups, g)
		}
		p.Payloads = append(p.Payloads, hp)
	}
	p.Unused = unusedPermissions(r)
	for _, pk := range r.Protection.Packers {
		p.Packers = append(p.Packers, htmlPacker{Packer: pk, Where: packerWhere(pk), Words: packerHides(pk)})
	}
	p.Renamed = obfuscationWords(r.Protection.Obfuscation)
	p.Tricks = v.Tricks
	switch {
	case r.App.UsesCleartextTraffic == nil:
		p.Cleartext = "not set in the manifest (Android's default for the target SDK applies)"
	case *r.App.UsesCleartextTraffic:
		p.Cleartext = "allowed to every host (android:usesCleartextTraffic=\"true\")"
	default:
		p.Cleartext = "not allowed (android:usesCleartextTraffic=\"false\")"
	}
	_, p.Labels = localized(r.App.Labels)
	c := r.Components
	for _, k := range []struct {
		title string
		list  []scan.Component
	}{{"Activities", c.Activities}, {"Services", c.Services}, {"Receivers", c.Receivers}, {"Providers", c.Providers}} {
		hc := htmlComponents{Title: k.title, List: k.list}
		for _, comp := range k.list {
			if comp.Exported {
				hc.Exported++
			}
		}
		p.Components = append(p.Components, hc)
	}
	return p
}

func specialCounts(s specialView) string {
	var parts []string
	if s.Fields > 0 {
		parts = append(parts, plural(s.Fields, "form field asks for it", "form fields ask for it"))
	}
	if s.Lists > 0 {
		parts = append(parts, plural(s.Lists, "option list offers it", "option lists offer it"))
	}
	if len(parts) == 0 {
		parts = append(parts, plural(len(s.Findings), "finding", "findings"))
	}
	return strings.Join(parts, "; ")
}

func htmlGroups(v *view, gs []catGroup, level int, sdk bool) []htmlGroup {
	var out []htmlGroup
	for _, g := range gs {
		hg := htmlGroup{Level: level, Anchor: g.Anchor(sdk), Title: g.Title, Special: g.Special}
		for _, f := range g.Findings {
			hf := htmlFinding{Finding: f, Title: plainTitle(f), Implied: v.Perms.impliedBy(f)}
			hf.Sent, hf.Dests = sentWhere(f, v.Flows, v.r.Flows)
			hg.Findings = append(hg.Findings, hf)
		}
		out = append(out, hg)
	}
	return out
}

// htmlForms groups fields by the layout or page they are in, forms with a
// field in a category first, in the order the scan found them.
func htmlForms(fields []scan.Field) (withCats, plain []htmlForm) {
	idx := map[string]int{}
	var forms []htmlForm
	hasCat := map[string]bool{}
	for _, f := range fields {
		i, ok := idx[f.Layout]
		if !ok {
			i = len(forms)
			idx[f.Layout] = i
			forms = append(forms, htmlForm{Name: f.Layout})
		}
		labels := f.Labels
		for _, alt := range []map[string]string{f.Hint, f.Text, f.Description} {
			if len(labels) == 0 {
				labels = alt
			}
		}
		def, others := localized(labels)
		hf := htmlField{Label: def, Others: others, Where: fieldWhere(f)}
		var input []string
		if f.InputType != "" {
			input = append(input, "input "+f.InputType)
		}
		if f.Autofill != "" {
			input = append(input, "autofill "+f.Autofill)
		}
		if f.Entries != "" {
			input = append(input, "choices "+f.Entries)
		}
		hf.Input = strings.Join(input, "; ")
		for _, c := range f.Categories {
			hf.Cats = append(hf.Cats, htmlCat{Title: c.Title(), Special: c.Special()})
			hasCat[f.Layout] = true
		}
		forms[i].Fields = append(forms[i].Fields, hf)
	}
	for _, f := range forms {
		if hasCat[f.Name] {
			withCats = append(withCats, f)
		} else {
			plain = append(plain, f)
		}
	}
	return withCats, plain
}

// fieldWhere names a field the way its evidence does, without the file the
// table is already about.
func fieldWhere(f scan.Field) string {
	loc := f.Evidence.Location
	if rest, ok := strings.CutPrefix(loc, f.Layout+" "); ok {
		return rest
	}
	return loc
}

func htmlLists(lists []scan.OptionList) []htmlList {
	var out []htmlList
	for _, ol := range lists {
		hl := htmlList{Source: ol.Source, UsedBy: ol.UsedBy}
		if len(ol.Title) > 0 {
			t, _ := localized(ol.Title)
			hl.Title = &t
		}
		for i, l := range locales(ol.Options) {
			if i == 0 {
				// A long list shows its first options and keeps the rest
				// one click away, so that a page stays readable.
				const shown = 15
				for j, o := range ol.Options[l] {
					if j < shown || len(ol.Options[l]) <= shown+3 {
						hl.Options = append(hl.Options, textIn(l, o))
					} else {
						hl.Rest = append(hl.Rest, textIn(l, o))
					}
				}
				hl.Joined = textIn(l, strings.Join(ol.Options[l], " · "))
				continue
			}
			joined := strings.Join(ol.Options[l], " · ")
			t := textIn(l, joined)
			if t.Locale == "" {
				t.Locale = "default"
			}
			hl.Others = append(hl.Others, t)
		}
		for _, c := range ol.Categories {
			hl.Cats = append(hl.Cats, htmlCat{Title: c.Title(), Special: c.Special()})
		}
		out = append(out, hl)
	}
	return out
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB (%d bytes)", float64(n)/(1<<20), n)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB (%d bytes)", float64(n)/(1<<10), n)
	}
	return fmt.Sprintf("%d bytes", n)
}

// htmlChart is the inline SVG bar chart of findings per category.
type htmlChart struct {
	Bars []catCount
	SVG  template.HTML
}

func newChart(cs []catCount) htmlChart {
	if len(cs) == 0 {
		return htmlChart{}
	}
	const (
		labelW = 250
		barW   = 360
		rowH   = 22
		pad    = 8
	)
	maxN := 1
	for _, c := range cs {
		maxN = max(maxN, c.N)
	}
	height := len(cs)*rowH + 2*pad
	width := labelW + barW + 60
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="chart-title chart-desc">`, width, height, width, height)
	var desc []string
	for _, c := range cs {
		desc = append(desc, fmt.Sprintf("%s %d", c.Title, c.N))
	}
	fmt.Fprintf(&b, `<title id="chart-title">Findings per category</title><desc id="chart-desc">%s</desc>`, html.EscapeString(strings.Join(desc, "; ")))
	for i, c := range cs {
		y := pad + i*rowH
		class := "bar-" + string(c.Group)
		if c.Special {
			class = "bar-special"
		}
		w := max(2, c.N*barW/maxN)
		label := c.Title
		if c.Special {
			label += " (special)"
		}
		fmt.Fprintf(&b, `<g><title>%s: %d</title><text x="%d" y="%d" text-anchor="end">%s</text><rect class="%s" x="%d" y="%d" width="%d" height="%d"></rect><text x="%d" y="%d">%d</text></g>`,
			html.EscapeString(c.Title), c.N, labelW-8, y+15, html.EscapeString(label), class, labelW, y+3, w, rowH-6, labelW+w+6, y+15, c.N)
	}
	b.WriteString(`</svg>`)
	return htmlChart{Bars: cs, SVG: template.HTML(b.String())}
}
