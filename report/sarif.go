package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"appxray/knowledge"
	"appxray/scan"
)

// SARIF writes the report as a SARIF 2.1.0 log for code-scanning
// dashboards: one run, one rule per kind of finding (category and
// analyzer), results at the level their severity gives, located in the file
// inside the app and, for code, by class and method.
func SARIF(w io.Writer, r *scan.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(newSARIF(r)); err != nil {
		return fmt.Errorf("report: SARIF: %w", err)
	}
	return nil
}

// The SARIF object model, as much of it as appxray fills.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds"`
	Artifacts          []sarifArtifact             `json:"artifacts"`
	Results            []sarifResult               `json:"results"`
	Properties         map[string]any              `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	SemanticVer    string      `json:"semanticVersion,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifArtifact struct {
	Location sarifArtifactLoc  `json:"location"`
	Length   int64             `json:"length"` // -1 when unknown (a directory)
	MimeType string            `json:"mimeType,omitempty"`
	Hashes   map[string]string `json:"hashes,omitempty"`
}

type sarifArtifactLoc struct {
	URI         string     `json:"uri,omitempty"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	CodeFlows           []sarifCodeFlow   `json:"codeFlows,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties"`
}

// sarifCodeFlow is one flow of the scan document: the path along which the
// finding's data reaches a sink, one location per step.
type sarifCodeFlow struct {
	Message     sarifText         `json:"message"`
	ThreadFlows []sarifThreadFlow `json:"threadFlows"`
	Properties  map[string]any    `json:"properties,omitempty"`
}

type sarifThreadFlow struct {
	Locations []sarifThreadFlowLocation `json:"locations"`
}

type sarifThreadFlowLocation struct {
	Location       sarifLocation `json:"location"`
	ExecutionOrder int           `json:"executionOrder"`
	Importance     string        `json:"importance,omitempty"`
}

type sarifLocation struct {
	ID               *int                   `json:"id,omitempty"`
	PhysicalLocation *sarifPhysical         `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Message          *sarifText             `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine  int    `json:"startLine,omitempty"`
	ByteOffset *int64 `json:"byteOffset,omitempty"`
	ByteLength int64  `json:"byteLength,omitempty"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name,omitempty"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// sarifBase is the uriBaseId of every location: paths are inside the app.
const sarifBase = "APPROOT"

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s knowledge.Severity) string {
	switch s {
	case knowledge.SeverityHigh:
		return "error"
	case knowledge.SeverityMedium:
		return "warning"
	}
	return "note"
}

// sarifRuleID is a finding kind's stable ID: the taxonomy category and the
// analyzer that finds it ("device.sms/manifest").
func sarifRuleID(f scan.Finding) string { return string(f.Category) + "/" + f.Analyzer }

// analyzerHow says, for a rule's help, how an analyzer finds things.
var analyzerHow = map[string]string{
	"manifest":       "read from the app's manifest (permissions, components, queries, flags)",
	"code-apis":      "found in the app's DEX code: calls to the Android APIs that reach the data",
	"forms":          "found in the app's forms: the labels, ids and option lists of its data-entry fields",
	"strings":        "found in the strings, files and native code the app carries",
	"trackers":       "found by matching the app's code against signatures of known SDKs",
	"ios-usage":      "read from the iOS app's Info.plist: the usage descriptions (purpose texts) it gives for access, in every language it carries",
	"ios-code":       "found in the iOS app's executables: the Objective-C classes and selectors, functions and system frameworks they import or link",
	"ios-forms":      "found in the iOS app's forms: the text fields of its compiled nibs and storyboards, with their placeholders and labels",
	"ios-transport":  "read from the iOS app's App Transport Security settings in Info.plist",
	"ios-watchlist":  "read from the iOS app's Info.plist: the URL schemes of the other apps it checks for (LSApplicationQueriesSchemes)",
	"ios-sdks":       "found by matching the iOS app's embedded frameworks, linked libraries and classes against known SDKs",
	"ios-encryption": "read from the iOS app's executables: their FairPlay encryption (LC_ENCRYPTION_INFO)",
	"ios-privacy":    "read from the iOS app's privacy manifests (PrivacyInfo.xcprivacy)",
}

// sarifMIME is the media type of each kind of input: the registered one
// where there is one, a ZIP for the containers that have none of their
// own, bytes for a bare DEX file and an IPA (as Apple serves IPAs); none
// for a directory.
var sarifMIME = map[string]string{
	"apk":           "application/vnd.android.package-archive",
	"split-set":     "application/zip",
	"aab":           "application/zip",
	"jar":           "application/java-archive",
	"dex":           "application/octet-stream",
	"ipa":           "application/octet-stream",
	"app-directory": "",
}

// sarifPaths says, for the run's base, what the paths inside each kind of
// input are.
func sarifPaths(r *scan.Report) string {
	switch r.File.Kind {
	case "aab":
		return "paths are the bundle's entry names, each module's under its name (base/manifest/AndroidManifest.xml, base/dex/classes.dex)."
	case "ipa":
		return "paths are the IPA's entry names (Payload/Name.app/Info.plist)."
	case "app-directory":
		return "paths are relative to the directory that holds the .app (Name.app/Info.plist)."
	case "dex":
		return "the DEX file itself (classes.dex)."
	}
	return "paths are ZIP entry names, and name!entry is an entry of an APK inside a split set."
}

func newSARIF(r *scan.Report) sarifLog {
	what := "The inside of the app file " + r.File.Name + " (sha256 " + r.File.SHA256 + "): "
	art := sarifArtifact{
		Location: sarifArtifactLoc{URI: sarifURI(r.File.Name)},
		Length:   r.File.Size,
		MimeType: sarifMIME[r.File.Kind],
	}
	if r.File.SHA256 != "" {
		art.Hashes = map[string]string{"sha-256": r.File.SHA256}
	}
	if r.File.Kind == "app-directory" {
		// A directory: its URI ends in a slash, and it has neither a
		// length nor a hash of its own.
		what = "The app directory " + r.File.Name + ": "
		art.Location.URI = strings.TrimSuffix(art.Location.URI, "/") + "/"
		art.Length = -1
	}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{Name: "appxray", Version: r.Tool.Version, SemanticVer: r.Tool.Version}},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{
			sarifBase: {Description: &sarifText{Text: what + sarifPaths(r)}},
		},
		Artifacts: []sarifArtifact{art},
		Results:   []sarifResult{},
		Properties: map[string]any{
			"package":      r.App.Package,
			"version_name": r.App.VersionName,
			"version_code": r.App.VersionCode,
		},
	}
	// What hides code from the results: the dashboards have no place for
	// it but the run's properties.
	if len(r.Embedded) > 0 {
		var es []string
		for _, e := range r.Embedded {
			es = append(es, e.Location+" ("+e.Kind+")")
		}
		run.Properties["embedded"] = es
	}
	if len(r.Protection.Packers) > 0 {
		var ps []string
		for _, p := range r.Protection.Packers {
			ps = append(ps, p.Name+": "+packerHides(p))
		}
		run.Properties["packers"] = ps
	}
	if isIOS(r) {
		a := r.App
		for k, v := range map[string]string{"build": a.Build, "minimum_os": a.MinimumOS} {
			if v != "" {
				run.Properties[k] = v
			}
		}
		for k, v := range map[string][]string{"url_schemes": a.URLSchemes, "queried_schemes": a.QueriedSchemes, "background_modes": a.BackgroundModes} {
			if len(v) > 0 {
				run.Properties[k] = v
			}
		}
		if p := r.Profile; p != nil {
			run.Properties["profile"] = map[string]any{"type": p.Type, "team_id": p.TeamID, "team_name": p.TeamName, "expires": p.Expires, "devices": p.Devices, "all_devices": p.AllDevices}
		}
	}
	ruleIndex := map[string]int{}
	var rules []sarifRule
	// Rules in a stable order: the taxonomy's, then the analyzer's name.
	fs := append([]scan.Finding(nil), r.Findings...)
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Category.Order() != fs[j].Category.Order() {
			return fs[i].Category.Order() < fs[j].Category.Order()
		}
		return fs[i].Analyzer < fs[j].Analyzer
	})
	for _, f := range fs {
		id := sarifRuleID(f)
		if _, ok := ruleIndex[id]; ok {
			continue
		}
		ruleIndex[id] = len(rules)
		rules = append(rules, newSARIFRule(f))
	}
	run.Tool.Driver.Rules = rules
	if rules == nil {
		run.Tool.Driver.Rules = []sarifRule{}
	}
	fv := newFlowView(r.Flows)
	for _, f := range r.Findings {
		id := sarifRuleID(f)
		msg := f.Title
		if f.SDK != "" {
			msg += " (in " + f.SDK + ")"
		}
		msg += fmt.Sprintf(". %s confidence: %s.", upperFirst(string(f.Confidence.Level)), f.Confidence.Reason)
		sent, _ := sentWhere(f, fv, r.Flows)
		if sent != "" {
			msg += " " + upperFirst(sent) + "."
		}
		res := sarifResult{
			RuleID:              id,
			RuleIndex:           ruleIndex[id],
			Level:               sarifLevel(f.Severity),
			Message:             sarifText{Text: msg},
			PartialFingerprints: map[string]string{"appxrayFinding/v1": f.ID},
			Properties: map[string]any{
				"category":   string(f.Category),
				"severity":   string(f.Severity),
				"confidence": string(f.Confidence.Level),
				"special":    f.Special,
			},
		}
		if f.SDK != "" {
			res.Properties["sdk"] = f.SDK
		}
		if sent != "" {
			res.Properties["sent_to"] = sent
		}
		for _, fl := range findingFlows(f, r.Flows) {
			res.CodeFlows = append(res.CodeFlows, sarifFlow(fl))
		}
		for i, e := range f.Evidence {
			loc := sarifLoc(e)
			if i == 0 {
				res.Locations = append(res.Locations, loc)
				continue
			}
			n := i
			loc.ID = &n
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		if res.Locations == nil {
			res.Locations = []sarifLocation{}
		}
		run.Results = append(run.Results, res)
	}
	return sarifLog{
		Schema:  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}
}

// sarifFlow is a flow as a code flow: each step a location in its method,
// the read first, the sink last.
func sarifFlow(fl scan.Flow) sarifCodeFlow {
	var locs []sarifThreadFlowLocation
	for i, st := range fl.Path {
		loc := sarifLoc(scan.Evidence{Kind: scan.EvCode, Location: st.Location})
		loc.Message = &sarifText{Text: fmt.Sprintf("%s (pc 0x%x)", st.What, st.PC)}
		imp := "important"
		if i == 0 || i == len(fl.Path)-1 {
			imp = "essential"
		}
		locs = append(locs, sarifThreadFlowLocation{Location: loc, ExecutionOrder: i + 1, Importance: imp})
	}
	if locs == nil {
		locs = []sarifThreadFlowLocation{}
	}
	return sarifCodeFlow{
		Message:     sarifText{Text: fmt.Sprintf("%s %s %s (%s confidence: %s)", upperFirst(sourceLabel(fl.Source)), sinkVerb(knowledge.SinkKind(fl.Sink.Kind)), destLabel(fl.Sink), fl.Confidence.Level, fl.Confidence.Reason)},
		ThreadFlows: []sarifThreadFlow{{Locations: locs}},
		Properties:  map[string]any{"flow": fl.ID, "sink": fl.Sink.Kind},
	}
}

func newSARIFRule(f scan.Finding) sarifRule {
	c := f.Category
	info, _ := c.Info()
	how := analyzerHow[f.Analyzer]
	if how == "" {
		how = "found by the " + f.Analyzer + " analyzer"
	}
	controls := c.MASVS()
	var help, md strings.Builder
	fmt.Fprintf(&help, "%s %s Evidence is %s.", info.Title+":", info.Description, how)
	fmt.Fprintf(&md, "**%s** (`%s`): %s\n\nEvidence is %s.", info.Title, c, info.Description, how)
	if info.Special {
		help.WriteString(" " + specialNote)
		md.WriteString("\n\n" + specialNote)
	}
	for _, id := range controls {
		fmt.Fprintf(&help, " OWASP %s: %s", id, knowledge.MASVSControl(id))
		fmt.Fprintf(&md, "\n\nOWASP **%s**: %s", id, knowledge.MASVSControl(id))
	}
	tags := []string{"privacy", string(c.Group())}
	if info.Special {
		tags = append(tags, "special-category")
	}
	props := map[string]any{
		"category": string(c),
		"group":    string(c.Group()),
		"special":  info.Special,
		"tags":     tags,
	}
	if len(controls) > 0 {
		props["masvs"] = controls
	}
	return sarifRule{
		ID:                   sarifRuleID(f),
		Name:                 ruleName(c, f.Analyzer),
		ShortDescription:     sarifText{Text: info.Title + " (" + f.Analyzer + ")"},
		FullDescription:      sarifText{Text: info.Description},
		Help:                 sarifText{Text: help.String(), Markdown: md.String()},
		DefaultConfiguration: sarifConfig{Level: sarifLevel(c.DefaultSeverity())},
		Properties:           props,
	}
}

// ruleName is a rule's name in the PascalCase SARIF viewers expect:
// "DeviceSmsManifest".
func ruleName(c knowledge.Category, analyzer string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(string(c)+"."+analyzer, func(r rune) bool { return r == '.' || r == '_' || r == '-' }) {
		b.WriteString(upperFirst(part))
	}
	return b.String()
}

func sarifURI(file string) string {
	u := url.URL{Path: file}
	return u.EscapedPath()
}

// sarifLoc turns one piece of evidence into a location: the file inside the
// app, the line or byte offset in it, and for code and resources a logical
// location (the method in smali notation, the resource's name).
func sarifLoc(e scan.Evidence) sarifLocation {
	l := parseLocation(e.Location)
	phys := &sarifPhysical{ArtifactLocation: sarifArtifactLoc{URI: sarifURI(l.File), URIBaseID: sarifBase}}
	switch {
	case l.Line > 0:
		phys.Region = &sarifRegion{StartLine: l.Line}
	case l.Offset >= 0:
		off := l.Offset
		phys.Region = &sarifRegion{ByteOffset: &off, ByteLength: 1}
	}
	loc := sarifLocation{PhysicalLocation: phys}
	if e.Detail != "" {
		loc.Message = &sarifText{Text: e.Detail}
	}
	if l.Symbol != "" {
		loc.LogicalLocations = []sarifLogicalLocation{logicalLocation(e.Kind, l.Symbol)}
	}
	return loc
}

func logicalLocation(kind scan.EvidenceKind, sym string) sarifLogicalLocation {
	switch {
	case kind == scan.EvCode && strings.Contains(sym, ";->"):
		_, member, _ := strings.Cut(sym, ";->")
		name, _, _ := strings.Cut(member, "(")
		k := "function"
		if !strings.Contains(member, "(") {
			k = "member"
		}
		return sarifLogicalLocation{Name: name, FullyQualifiedName: sym, Kind: k}
	case kind == scan.EvCode && strings.HasPrefix(sym, "string #"):
		return sarifLogicalLocation{Name: sym, FullyQualifiedName: sym, Kind: "value"}
	case kind == scan.EvCode && strings.HasPrefix(sym, "L") && strings.HasSuffix(sym, ";"):
		return sarifLogicalLocation{Name: sym, FullyQualifiedName: sym, Kind: "type"}
	case kind == scan.EvLayout:
		return sarifLogicalLocation{Name: sym, FullyQualifiedName: sym, Kind: "element"}
	case strings.HasPrefix(sym, "@"):
		return sarifLogicalLocation{Name: sym, FullyQualifiedName: sym, Kind: "resource"}
	}
	return sarifLogicalLocation{Name: sym, FullyQualifiedName: sym, Kind: "element"}
}
