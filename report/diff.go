package report

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"appxray/knowledge"
	"appxray/scan"
)

// Diff is what changed between two reports: two versions of an app, or two
// apps.
type Diff struct {
	Old     DiffSide `json:"old"`
	New     DiffSide `json:"new"`
	Changes []Change `json:"changes"`
}

// DiffSide identifies one of the two reports.
type DiffSide struct {
	File string `json:"file"`
	// Kind is the input's kind (scan.File's): "apk", "aab", "ipa"….
	Kind        string `json:"kind"`
	SHA256      string `json:"sha256"`
	Package     string `json:"package"`
	VersionName string `json:"version_name"`
	VersionCode int64  `json:"version_code"`
	// Build is an iOS app's CFBundleVersion; Team the team of its
	// provisioning profile.
	Build   string   `json:"build,omitempty"`
	Team    string   `json:"team,omitempty"`
	Label   string   `json:"label"`
	Signers []string `json:"signers"` // certificate SHA-256s
	Tool    string   `json:"tool_version"`
}

// ios reports whether the side is an iOS app.
func (s DiffSide) ios() bool { return s.Kind == "ipa" || s.Kind == "app-directory" }

// Change kinds.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// Change is one difference: in a section ("permissions"), an item was
// added, removed or changed, with what it was and what it is.
type Change struct {
	Section string `json:"section"`
	Change  string `json:"change"`
	Item    string `json:"item"`
	Before  string `json:"before,omitempty"`
	After   string `json:"after,omitempty"`
}

// Diff sections, in the order a reader asks about them.
var diffSections = []string{"identity", "signer", "profile", "permissions", "permission_use", "components", "url_schemes", "queried_schemes", "background_modes",
	"trackers", "categories", "fields", "option_lists", "flows", "hosts", "watchlists", "embedded", "protection", "anomalies"}

var diffSectionTitles = map[string]string{
	"identity":         "Identity and version",
	"signer":           "Signer",
	"profile":          "Provisioning profile",
	"url_schemes":      "URL schemes it opens",
	"queried_schemes":  "Apps it checks for (URL schemes)",
	"background_modes": "Background modes",
	"permissions":      "Permissions",
	"permission_use":   "Whether its code uses its permissions",
	"components":       "Components and their exposure",
	"trackers":         "Trackers and SDKs",
	"categories":       "Categories found",
	"fields":           "Form fields",
	"option_lists":     "Option lists",
	"flows":            "Where it goes",
	"hosts":            "Hosts",
	"watchlists":       "Watchlists",
	"embedded":         "Hidden inside",
	"protection":       "Packers and protectors",
	"anomalies":        "Tricks and anomalies",
}

func side(r *scan.Report) DiffSide {
	s := DiffSide{File: r.File.Name, Kind: r.File.Kind, SHA256: r.File.SHA256, Package: r.App.Package, VersionName: r.App.VersionName,
		VersionCode: r.App.VersionCode, Build: r.App.Build, Label: r.App.Label, Signers: []string{}, Tool: r.Tool.Version}
	if r.Profile != nil {
		s.Team = r.Profile.TeamID
	}
	for _, sg := range r.Signers {
		s.Signers = append(s.Signers, sg.SHA256)
	}
	return s
}

// Compare computes what changed from old to new.
func Compare(old, new *scan.Report) *Diff {
	d := &Diff{Old: side(old), New: side(new), Changes: []Change{}}
	add := func(c Change) { d.Changes = append(d.Changes, c) }
	field := func(sec, item, a, b string) {
		if a != b {
			add(Change{Section: sec, Change: Changed, Item: item, Before: a, After: b})
		}
	}
	field("identity", "package", old.App.Package, new.App.Package)
	field("identity", "version_name", old.App.VersionName, new.App.VersionName)
	if isIOS(old) && isIOS(new) {
		// An iOS app's version code is its build when that is a number:
		// the build says it, whatever it is.
		field("identity", "build", old.App.Build, new.App.Build)
	} else {
		field("identity", "version_code", strconv.FormatInt(old.App.VersionCode, 10), strconv.FormatInt(new.App.VersionCode, 10))
		field("identity", "build", old.App.Build, new.App.Build)
	}
	field("identity", "label", old.App.Label, new.App.Label)
	field("identity", "minimum_os", old.App.MinimumOS, new.App.MinimumOS)
	field("identity", "min_sdk", old.App.MinSDK, new.App.MinSDK)
	field("identity", "target_sdk", old.App.TargetSDK, new.App.TargetSDK)
	field("identity", "debuggable", strconv.FormatBool(old.App.Debuggable), strconv.FormatBool(new.App.Debuggable))
	field("identity", "uses_cleartext_traffic", boolPtr(old.App.UsesCleartextTraffic), boolPtr(new.App.UsesCleartextTraffic))

	signers := func(r *scan.Report) map[string]string {
		m := map[string]string{}
		for _, s := range r.Signers {
			m[s.SHA256] = s.Subject + " (sha256 " + s.SHA256 + ")" + wellKnown(s)
		}
		return m
	}
	oldSigners, newSigners := signers(old), signers(new)
	if !sameKeys(oldSigners, newSigners) {
		add(Change{Section: "signer", Change: Changed, Item: "signing certificates", Before: joinValues(oldSigners), After: joinValues(newSigners)})
	}

	mapDiff(add, "profile", profileMap(old.Profile), profileMap(new.Profile))

	setDiff(add, "permissions", toSet(old.Permissions), toSet(new.Permissions))

	// A permission both versions hold whose use changed: the new version's
	// code now calls what it guards, or no longer does. Added and removed
	// permissions are told above.
	use := func(r *scan.Report) map[string]string {
		m := map[string]string{}
		for _, d := range r.PermissionDetails {
			v := d.Status
			if d.Implied != "" {
				v += ", implied"
			}
			m[d.Name] = v
		}
		return m
	}
	oldUse, newUse := use(old), use(new)
	for name, a := range oldUse {
		if b, ok := newUse[name]; ok && a != b {
			add(Change{Section: "permission_use", Change: Changed, Item: name, Before: a, After: b})
		}
	}

	comps := func(r *scan.Report) map[string]string {
		m := map[string]string{}
		c := r.Components
		for kind, list := range map[string][]scan.Component{"activity": c.Activities, "service": c.Services, "receiver": c.Receivers, "provider": c.Providers} {
			for _, comp := range list {
				m[kind+" "+comp.Name] = exposure(comp)
			}
		}
		return m
	}
	mapDiff(add, "components", comps(old), comps(new))
	setDiff(add, "url_schemes", toSet(old.App.URLSchemes), toSet(new.App.URLSchemes))
	setDiff(add, "queried_schemes", toSet(old.App.QueriedSchemes), toSet(new.App.QueriedSchemes))
	setDiff(add, "background_modes", toSet(old.App.BackgroundModes), toSet(new.App.BackgroundModes))

	trackers := func(r *scan.Report) map[string]string {
		m := map[string]string{}
		for _, t := range r.Trackers {
			hosts := slices.Clone(t.Hosts)
			sort.Strings(hosts)
			v := strings.Join(t.Categories, ", ")
			if len(hosts) > 0 {
				v += "; hosts " + strings.Join(hosts, ", ")
			}
			m[t.Name] = v
		}
		return m
	}
	mapDiff(add, "trackers", trackers(old), trackers(new))

	cats := func(r *scan.Report) map[string]string {
		n := map[knowledge.Category]int{}
		for _, f := range r.Findings {
			n[f.Category]++
		}
		m := map[string]string{}
		for c, k := range n {
			label := c.Title()
			if c.Special() {
				label += ", special category"
			}
			m[string(c)] = label + ": " + plural(k, "finding", "findings")
		}
		return m
	}
	mapDiff(add, "categories", cats(old), cats(new))

	fields := func(r *scan.Report) map[string]string {
		m := map[string]string{}
		for _, f := range r.Fields {
			var cs []string
			for _, c := range f.Categories {
				cs = append(cs, string(c))
			}
			v := defaultText(f.Labels)
			if len(cs) > 0 {
				v += " [" + strings.Join(cs, ", ") + "]"
			}
			m[f.Evidence.Location] = strings.TrimSpace(v)
		}
		return m
	}
	mapDiff(add, "fields", fields(old), fields(new))

	lists := func(r *scan.Report) map[string]string {
		m := map[string]string{}
		for _, ol := range r.OptionLists {
			def := ""
			if ls := locales(ol.Options); len(ls) > 0 {
				def = strings.Join(ol.Options[ls[0]], ", ")
			}
			m[ol.Source] = def
		}
		return m
	}
	mapDiff(add, "option_lists", lists(old), lists(new))

	hosts := func(r *scan.Report) map[string]string {
		m := map[string]string{}
		for _, h := range hostList(r) {
			v := "encrypted"
			if h.Cleartext {
				v = "cleartext"
			}
			if h.Tracker != "" {
				v += ", " + h.Tracker
			}
			m[h.Host] = v
		}
		return m
	}
	mapDiff(add, "hosts", hosts(old), hosts(new))

	flows := func(r *scan.Report) map[string]string {
		m := map[string]string{}
		for _, fl := range r.Flows {
			k := sourceLabel(fl.Source) + " → " + destLabel(fl.Sink)
			if fl.SDK != "" {
				k += " (in " + fl.SDK + ")"
			}
			v := string(fl.Confidence.Level) + " confidence"
			if old, ok := m[k]; ok && scan.Level(strings.TrimSuffix(old, " confidence")).Rank() < fl.Confidence.Level.Rank() {
				v = old
			}
			m[k] = v
		}
		return m
	}
	mapDiff(add, "flows", flows(old), flows(new))

	watch := func(r *scan.Report) map[string]string {
		m := map[string]string{}
		for _, w := range r.Watchlists {
			m[w.Kind+" in "+w.Evidence.Location] = plural(w.Size, "entry", "entries")
		}
		return m
	}
	mapDiff(add, "watchlists", watch(old), watch(new))

	embedded := func(r *scan.Report) map[string]string {
		m := map[string]string{}
		for _, e := range r.Embedded {
			_, what := kindWords(e.Kind)
			v := what
			if e.Package != "" {
				v += ", " + e.Package
			}
			if e.Encoding != "" {
				v += ", encoded: " + e.Encoding
			}
			m[e.Location] = v
		}
		return m
	}
	mapDiff(add, "embedded", embedded(old), embedded(new))

	// A packer is told by its name; what it hides (FairPlay: which
	// executables it encrypts) is its value, so that a change there shows.
	packers := func(r *scan.Report) map[string]string {
		m := map[string]string{}
		for _, p := range r.Protection.Packers {
			if p.ID == fairPlayID {
				m[p.Name] = p.Kind + "; encrypts " + encryptedList(appendEncrypted(nil, p))
				continue
			}
			m[p.Name] = p.Kind + "; " + p.Encrypted(packerWhere(p))
		}
		return m
	}
	mapDiff(add, "protection", packers(old), packers(new))

	anomalies := func(r *scan.Report) map[string]string {
		m := map[string]string{}
		for _, g := range groupAnomalies(r.Anomalies) {
			m[g.Title+" ("+g.Kind+")"] = plural(len(g.List), "place", "places")
		}
		return m
	}
	mapDiff(add, "anomalies", anomalies(old), anomalies(new))

	order := map[string]int{}
	for i, s := range diffSections {
		order[s] = i
	}
	sort.SliceStable(d.Changes, func(i, j int) bool {
		a, b := d.Changes[i], d.Changes[j]
		if order[a.Section] != order[b.Section] {
			return order[a.Section] < order[b.Section]
		}
		if a.Section == "identity" {
			return false // keep the identity fields in the order above
		}
		return a.Item < b.Item
	})
	return d
}

// SignerChanged reports whether the two apps are signed by different keys.
func (d *Diff) SignerChanged() bool {
	for _, c := range d.Changes {
		if c.Section == "signer" {
			return true
		}
	}
	return false
}

// profileMap is a provisioning profile's facts by name, none for no
// profile, so that a profile added or dropped shows field by field.
func profileMap(p *scan.Profile) map[string]string {
	m := map[string]string{}
	if p == nil {
		return m
	}
	for k, v := range map[string]string{"team": profileTeam(p), "type": p.Type, "name": p.Name, "app_id": p.AppID,
		"created": p.Created, "expires": p.Expires, "certificates": strconv.Itoa(p.Certificates)} {
		if v != "" {
			m[k] = v
		}
	}
	m["devices"] = strconv.Itoa(p.Devices)
	if p.AllDevices {
		m["devices"] = "any device"
	}
	return m
}

func exposure(c scan.Component) string {
	var parts []string
	if c.Exported {
		if c.Permission != "" {
			parts = append(parts, "exported, guarded by "+c.Permission)
		} else {
			parts = append(parts, "exported to any app")
		}
	} else {
		parts = append(parts, "not exported")
	}
	if !c.Enabled {
		parts = append(parts, "disabled")
	}
	return strings.Join(parts, ", ")
}

func boolPtr(b *bool) string {
	if b == nil {
		return "unset"
	}
	return strconv.FormatBool(*b)
}

func toSet(items []string) map[string]string {
	m := map[string]string{}
	for _, s := range items {
		m[s] = ""
	}
	return m
}

func setDiff(add func(Change), sec string, a, b map[string]string) { mapDiff(add, sec, a, b) }

// mapDiff compares two keyed sections: keys only in a are removed, only in
// b added, and in both with different values changed.
func mapDiff(add func(Change), sec string, a, b map[string]string) {
	for k, av := range a {
		bv, ok := b[k]
		switch {
		case !ok:
			add(Change{Section: sec, Change: Removed, Item: k, Before: clip(av)})
		case av != bv:
			add(Change{Section: sec, Change: Changed, Item: k, Before: clip(av), After: clip(bv)})
		}
	}
	for k, bv := range b {
		if _, ok := a[k]; !ok {
			add(Change{Section: sec, Change: Added, Item: k, After: clip(bv)})
		}
	}
}

// clip shortens a value for a change list: the reports hold it whole.
func clip(s string) string {
	const max = 300
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + " …"
}

func sameKeys(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

func joinValues(m map[string]string) string {
	if len(m) == 0 {
		return "none"
	}
	vs := make([]string, 0, len(m))
	for _, v := range m {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	return strings.Join(vs, "; ")
}

// DiffFormats are the renderings of a diff, by the name --format takes.
var DiffFormats = map[string]func(io.Writer, *Diff) error{
	"text":     DiffText,
	"json":     DiffJSON,
	"markdown": DiffMarkdown,
	"html":     DiffHTML,
}

// DiffJSON writes the diff as one JSON document.
func DiffJSON(w io.Writer, d *Diff) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

func sideName(s DiffSide) string {
	name := s.Label
	if name == "" {
		name = s.File
	}
	switch {
	case s.Package != "" && s.ios() && s.Build != "":
		name += fmt.Sprintf(" (%s %s, build %s)", s.Package, orDash(s.VersionName), s.Build)
	case s.Package != "" && s.ios():
		name += fmt.Sprintf(" (%s %s)", s.Package, orDash(s.VersionName))
	case s.Package != "":
		name += fmt.Sprintf(" (%s %s, version code %d)", s.Package, orDash(s.VersionName), s.VersionCode)
	}
	return name
}

const signerWarning = "The signing certificate changed. Android refuses to install an update signed by another key unless the old key vouches for the new one (APK Signature Scheme v3 rotation); a new signer usually means another developer or a repackaged app."

// iosTeamWarning and iosCertificateNote say what a change of signer means
// for an iOS app, where the team counts: a developer's certificates are
// renewed every year or so, its team stays.
const (
	iosTeamWarning     = "The team that signs the app changed (its provisioning profile names another team): the new file was signed under another developer account, by another developer or by someone who re-signed the app."
	iosCertificateNote = "The certificates that may sign the app changed within the same team: Apple developers renew and add certificates routinely, so this alone says little about who made the app."
)

// SignerWarning says what a change of signer means, "" when the signer is
// the same; loud is set when it should be said first and loudly (another
// key on Android, another team on iOS).
func (d *Diff) SignerWarning() (text string, loud bool) {
	if d.Old.ios() && d.New.ios() {
		if d.Old.Team != d.New.Team {
			return iosTeamWarning, true
		}
		if d.SignerChanged() {
			return iosCertificateNote, false
		}
		return "", false
	}
	if d.SignerChanged() {
		return signerWarning, true
	}
	return "", false
}

// bySection groups changes by section, in order.
func (d *Diff) bySection() [][]Change {
	var out [][]Change
	for _, s := range diffSections {
		var cs []Change
		for _, c := range d.Changes {
			if c.Section == s {
				cs = append(cs, c)
			}
		}
		if len(cs) > 0 {
			out = append(out, cs)
		}
	}
	return out
}

// DiffText writes the diff as plain text.
func DiffText(w io.Writer, d *Diff) error {
	p := &printer{w: w}
	p.f("old  %s\n     %s, sha256 %s\n", sideName(d.Old), d.Old.File, d.Old.SHA256)
	p.f("new  %s\n     %s, sha256 %s\n", sideName(d.New), d.New.File, d.New.SHA256)
	if w, loud := d.SignerWarning(); loud {
		p.f("\n")
		p.wrap("  ! ", w)
	} else if w != "" {
		p.f("\n")
		p.wrap("  ", w)
	}
	if len(d.Changes) == 0 {
		p.f("\nNo changes.\n")
		return p.err
	}
	p.f("\n%s\n", plural(len(d.Changes), "change", "changes"))
	for _, cs := range d.bySection() {
		p.f("\n%s\n", diffSectionTitles[cs[0].Section])
		for _, c := range cs {
			switch c.Change {
			case Added:
				p.f("  + %s%s\n", c.Item, paren(c.After))
			case Removed:
				p.f("  - %s%s\n", c.Item, paren(c.Before))
			default:
				p.f("  ~ %s: %s → %s\n", c.Item, orDash(c.Before), orDash(c.After))
			}
		}
	}
	return p.err
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// DiffMarkdown writes the diff as GitHub-flavoured Markdown.
func DiffMarkdown(w io.Writer, d *Diff) error {
	p := &printer{w: w}
	p.f("# What changed\n\n| | Old | New |\n|---|---|---|\n")
	p.f("| App | %s | %s |\n", mdCell(sideName(d.Old)), mdCell(sideName(d.New)))
	p.f("| File | %s | %s |\n", mdCell(d.Old.File), mdCell(d.New.File))
	p.f("| SHA-256 | %s | %s |\n\n", mdCode(d.Old.SHA256), mdCode(d.New.SHA256))
	if w, loud := d.SignerWarning(); loud {
		p.f("> **Warning:** %s\n\n", w)
	} else if w != "" {
		p.f("%s\n\n", w)
	}
	if len(d.Changes) == 0 {
		p.f("No changes.\n")
		return p.err
	}
	p.f("%s.\n\n", plural(len(d.Changes), "change", "changes"))
	for _, cs := range d.bySection() {
		p.f("## %s\n\n| Change | Item | Before | After |\n|---|---|---|---|\n", diffSectionTitles[cs[0].Section])
		for _, c := range cs {
			p.f("| %s | %s | %s | %s |\n", c.Change, mdCode(c.Item), mdCell(c.Before), mdCell(c.After))
		}
		p.f("\n")
	}
	return p.err
}

type htmlDiff struct {
	D        *Diff
	CSP      string
	CSS      template.CSS
	Old, New string
	Signer   string // said loudly
	Note     string // said plainly
	Sections []htmlDiffSection
}

type htmlDiffSection struct {
	ID, Title string
	Changes   []Change
}

// DiffHTML writes the diff as one self-contained page, under the same
// policy as the report: no script, no request.
func DiffHTML(w io.Writer, d *Diff) error {
	page := htmlDiff{D: d, CSP: htmlCSP, CSS: template.CSS(htmlCSS), Old: sideName(d.Old), New: sideName(d.New)}
	if w, loud := d.SignerWarning(); loud {
		page.Signer = w
	} else {
		page.Note = w
	}
	for _, cs := range d.bySection() {
		page.Sections = append(page.Sections, htmlDiffSection{ID: "diff-" + cs[0].Section, Title: diffSectionTitles[cs[0].Section], Changes: cs})
	}
	if err := htmlPageTemplate().ExecuteTemplate(w, "diffpage", page); err != nil {
		return fmt.Errorf("report: HTML diff: %w", err)
	}
	return nil
}
