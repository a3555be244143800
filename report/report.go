// Package report turns an opened app and the findings of a run into one
// document, and renders it as JSON or as a plain-text summary. Every format
// reads the same Report.
package report

import (
	"context"
	"path"
	"sort"
	"strconv"

	"appxray/analysis"
	"appxray/apksig"
	"appxray/app"
	"appxray/detect/forms"
	"appxray/detect/stringscan"
	"appxray/detect/trackers"
)

// Version is appxray's version, printed in every report.
const Version = "0.1.0"

// Report is the whole result of a scan.
type Report struct {
	Tool        Tool                    `json:"tool"`
	File        File                    `json:"file"`
	App         App                     `json:"app"`
	Permissions []string                `json:"permissions"`
	Components  Components              `json:"components"`
	Signers     []Signer                `json:"signers"`
	Schemes     []string                `json:"signature_schemes"`
	Dex         []Dex                   `json:"dex"`
	Findings    []analysis.Finding      `json:"findings"`
	Fields      any                     `json:"fields"`
	OptionLists any                     `json:"option_lists"`
	Trackers    []*trackers.Hit         `json:"trackers"`
	Endpoints   []*stringscan.Endpoint  `json:"endpoints"`
	Watchlists  []stringscan.Watchlist  `json:"watchlists"`
	Executables []stringscan.Executable `json:"executables"`
	Anomalies   []Anomaly               `json:"anomalies"`
	Errors      []Error                 `json:"errors"`
}

// Finding aliases the analysis type for renderers.
type Finding = analysis.Finding

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// File describes the input.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	Kind   string `json:"kind"`
	Parts  []Part `json:"parts,omitempty"`
}

// Part is one APK of a split set.
type Part struct {
	Name  string `json:"name"`
	Split string `json:"split,omitempty"`
}

// App is what the manifest says about the app.
type App struct {
	Package               string            `json:"package"`
	VersionName           string            `json:"version_name"`
	VersionCode           int64             `json:"version_code"`
	MinSDK                string            `json:"min_sdk"`
	TargetSDK             string            `json:"target_sdk"`
	Label                 string            `json:"label"`
	Labels                map[string]string `json:"labels"`
	Debuggable            bool              `json:"debuggable"`
	UsesCleartextTraffic  *bool             `json:"uses_cleartext_traffic,omitempty"`
	NetworkSecurityConfig string            `json:"network_security_config,omitempty"`
	SharedUserID          string            `json:"shared_user_id,omitempty"`
	QueriedPackages       []string          `json:"queried_packages,omitempty"`
}

// Components groups the app's components by kind.
type Components struct {
	Activities []Component `json:"activities"`
	Services   []Component `json:"services"`
	Receivers  []Component `json:"receivers"`
	Providers  []Component `json:"providers"`
}

// Component is one declared component.
type Component struct {
	Name          string         `json:"name"`
	Alias         bool           `json:"alias,omitempty"`
	Exported      bool           `json:"exported"`
	ExportedSet   bool           `json:"exported_explicit"`
	Enabled       bool           `json:"enabled"`
	Permission    string         `json:"permission,omitempty"`
	Authorities   string         `json:"authorities,omitempty"`
	IntentFilters []IntentFilter `json:"intent_filters,omitempty"`
	Line          int            `json:"line"`
}

// IntentFilter is one intent filter of a component.
type IntentFilter struct {
	Actions    []string `json:"actions,omitempty"`
	Categories []string `json:"categories,omitempty"`
	Data       []string `json:"data,omitempty"`
	Priority   int      `json:"priority,omitempty"`
}

// Signer is one signing certificate, with the schemes that carry it.
type Signer struct {
	SHA256       string   `json:"sha256"`
	SHA1         string   `json:"sha1"`
	Subject      string   `json:"subject"`
	Issuer       string   `json:"issuer"`
	Serial       string   `json:"serial"`
	NotBefore    string   `json:"not_before"`
	NotAfter     string   `json:"not_after"`
	KeyAlgorithm string   `json:"key_algorithm"`
	KeySize      int      `json:"key_size,omitempty"`
	Schemes      []string `json:"schemes"`
	WellKnownKey string   `json:"well_known_key,omitempty"`
	Part         string   `json:"part,omitempty"`
}

// Dex summarises one DEX file.
type Dex struct {
	File    string `json:"file"`
	Version int    `json:"version"`
	Size    int    `json:"size"`
	Classes int    `json:"classes"`
	Methods int    `json:"methods"`
	Fields  int    `json:"fields"`
	Strings int    `json:"strings"`
	Types   int    `json:"types"`
}

// Anomaly is a container anomaly.
type Anomaly struct {
	Part   string `json:"part,omitempty"`
	Kind   string `json:"kind"`
	Offset int64  `json:"offset"`
	Entry  string `json:"entry,omitempty"`
	Detail string `json:"detail"`
}

// Error is a part of the input that could not be read.
type Error struct {
	Where string `json:"where"`
	Error string `json:"error"`
}

// Build assembles the report. res may be nil when no analyzer ran.
func Build(ctx context.Context, a *app.App, res *analysis.Result) *Report {
	r := &Report{
		Tool: Tool{Name: "appxray", Version: Version},
		File: File{Name: path.Base(a.Path), Size: a.Size, SHA256: a.SHA256, Kind: string(a.Kind)},
		App:  App{Labels: map[string]string{}},
		// Empty lists, not null, so consumers can iterate without checks.
		Permissions: []string{},
		Signers:     []Signer{},
		Schemes:     []string{},
		Dex:         []Dex{},
		Findings:    []Finding{},
		Anomalies:   []Anomaly{},
		Errors:      []Error{},
		Trackers:    []*trackers.Hit{},
		Fields:      []forms.Field{},
		OptionLists: []forms.OptionList{},
		Endpoints:   []*stringscan.Endpoint{},
		Watchlists:  []stringscan.Watchlist{},
		Executables: []stringscan.Executable{},
	}
	if a.Kind == app.KindSplitSet {
		for _, p := range a.Parts {
			pt := Part{Name: p.Name}
			if m := p.Manifest(); m != nil && m.Root != nil {
				if at, ok := m.Root.Attr("", "split"); ok {
					pt.Split, _ = at.String()
				}
			}
			r.File.Parts = append(r.File.Parts, pt)
		}
	}
	if info := a.Info(); info != nil {
		r.fillInfo(info)
	}
	r.fillSigners(a)
	for _, d := range a.Dex(ctx) {
		h := d.File.Header
		r.Dex = append(r.Dex, Dex{
			File: d.Location, Version: d.File.Header.Version, Size: d.Size,
			Classes: int(h.ClassDefsSize), Methods: int(h.MethodIDsSize), Fields: int(h.FieldIDsSize),
			Strings: int(h.StringIDsSize), Types: int(h.TypeIDsSize),
		})
	}
	for _, an := range a.Anomalies() {
		r.Anomalies = append(r.Anomalies, Anomaly{Part: an.Part, Kind: string(an.Kind), Offset: an.Offset, Entry: an.Entry, Detail: an.Detail})
	}
	if res != nil {
		r.Findings = append(r.Findings, res.Findings...)
		for _, err := range res.Errors {
			r.Errors = append(r.Errors, Error{Where: "analysis", Error: err.Error()})
		}
		if fr, ok := res.Results["forms"].(*forms.Result); ok {
			r.Fields, r.OptionLists = fr.Fields, fr.OptionLists
			for _, n := range fr.Notes {
				r.Errors = append(r.Errors, Error{Where: "forms", Error: n})
			}
		}
		if th, ok := res.Results["trackers"].([]*trackers.Hit); ok {
			r.Trackers = th
		}
		if sr, ok := res.Results["strings"].(*stringscan.Result); ok {
			r.Endpoints, r.Watchlists, r.Executables = sr.Endpoints, sr.Watchlists, sr.Executables
		}
	}
	// Errors last: building the report reads parts lazily and may add some.
	for _, e := range a.Errors() {
		r.Errors = append(r.Errors, Error{Where: e.Where, Error: e.Err.Error()})
	}
	return r
}

func (r *Report) fillInfo(info *app.Info) {
	r.App = App{
		Package: info.Package, VersionName: info.VersionName, VersionCode: info.VersionCode,
		MinSDK: info.MinSDK, TargetSDK: info.TargetSDK, Label: info.Label, Labels: info.Labels,
		Debuggable: info.Debuggable, UsesCleartextTraffic: info.UsesCleartextTraffic,
		NetworkSecurityConfig: info.NetworkSecurityConfig, SharedUserID: info.SharedUserID,
		QueriedPackages: info.QueriedPackages,
	}
	if r.App.Labels == nil {
		r.App.Labels = map[string]string{}
	}
	r.Permissions = append(r.Permissions, info.Permissions...)
	r.Components = Components{Activities: []Component{}, Services: []Component{}, Receivers: []Component{}, Providers: []Component{}}
	for _, c := range info.Components {
		rc := Component{
			Name: c.Name, Exported: c.Exported, ExportedSet: c.ExportedSet, Enabled: c.Enabled,
			Permission: c.Permission, Authorities: c.Authorities, Line: c.Line,
		}
		for _, f := range c.IntentFilters {
			rc.IntentFilters = append(rc.IntentFilters, IntentFilter{Actions: f.Actions, Categories: f.Categories, Data: f.Data, Priority: f.Priority})
		}
		switch c.Kind {
		case "activity":
			r.Components.Activities = append(r.Components.Activities, rc)
		case "activity-alias":
			rc.Alias = true
			r.Components.Activities = append(r.Components.Activities, rc)
		case "service":
			r.Components.Services = append(r.Components.Services, rc)
		case "receiver":
			r.Components.Receivers = append(r.Components.Receivers, rc)
		case "provider":
			r.Components.Providers = append(r.Components.Providers, rc)
		}
	}
}

// fillSigners merges the signers of every scheme by certificate, so that one
// key signing with v1, v2 and v3 is one signer with three schemes.
func (r *Report) fillSigners(a *app.App) {
	schemes := map[string]bool{}
	for _, p := range a.Parts {
		res := p.Signatures()
		if res == nil {
			continue
		}
		byCert := map[string]int{}
		for _, s := range res.Signers {
			if len(s.Certificates) == 0 {
				continue
			}
			c := s.Certificates[0]
			schemes[s.Scheme.String()] = true
			if i, ok := byCert[c.SHA256]; ok {
				r.Signers[i].Schemes = appendUnique(r.Signers[i].Schemes, s.Scheme.String())
				continue
			}
			byCert[c.SHA256] = len(r.Signers)
			r.Signers = append(r.Signers, signerOf(c, s.Scheme, p.Name))
		}
	}
	for s := range schemes {
		r.Schemes = append(r.Schemes, s)
	}
	sort.Strings(r.Schemes)
}

func signerOf(c *apksig.Certificate, scheme apksig.Scheme, part string) Signer {
	return Signer{
		SHA256: c.SHA256, SHA1: c.SHA1, Subject: c.Subject, Issuer: c.Issuer, Serial: c.Serial,
		NotBefore: c.NotBefore.UTC().Format("2006-01-02"), NotAfter: c.NotAfter.UTC().Format("2006-01-02"),
		KeyAlgorithm: c.KeyAlgorithm, KeySize: c.KeySize, Schemes: []string{scheme.String()},
		WellKnownKey: c.WellKnownKey, Part: part,
	}
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
