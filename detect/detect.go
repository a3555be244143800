// Package detect lists appxray's detectors and runs them: Scan turns an
// opened app into the scan document that every report format renders. Each
// detector lives in a package of its own under detect/, one per evidence
// channel, beside the analyzers they share (attribution, the code index)
// and those that state what the app is (inventory, signers).
package detect

import (
	"context"
	"path"
	"slices"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/code"
	"appxray/detect/flows"
	"appxray/detect/forms"
	"appxray/detect/inventory"
	detectios "appxray/detect/ios"
	"appxray/detect/manifest"
	"appxray/detect/packers"
	"appxray/detect/payloads"
	"appxray/detect/permissions"
	"appxray/detect/signers"
	"appxray/detect/stringscan"
	"appxray/detect/trackers"
	"appxray/knowledge"
	"appxray/scan"
)

// Version is appxray's version, written into every report. A saved report
// of another version was made by other rules.
const Version = "0.1.0"

// All returns every analyzer a scan runs, in the order their findings are
// best read.
func All() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		inventory.Analyzer,
		signers.Analyzer,
		permissions.Analyzer,
		manifest.Analyzer,
		code.APIs,
		forms.Analyzer,
		stringscan.Analyzer,
		trackers.Analyzer,
		packers.Analyzer,
		payloads.Analyzer,
		flows.Analyzer,
	}
}

// Preload builds the tables the code channel and the flow analysis read
// first, which the first scan would otherwise build on its way: a command
// that scans one app calls it beside opening the app (on a small app that
// is half the work).
func Preload() {
	code.Preload()
	knowledge.Flows()
}

// Scan runs every analyzer over an opened app and assembles the scan
// document. An iOS app (app.KindIPA, app.KindAppDir) is scanned by the
// iOS analyzers (detect/ios). Only a cancelled context or a broken
// analyzer plan is an error; what could not be read is in the document's
// errors.
func Scan(ctx context.Context, a *app.App, cfg *analysis.Config) (*scan.Report, error) {
	if a.IOS != nil {
		r, err := detectios.Scan(ctx, a, cfg)
		if r != nil {
			r.Tool.Version = Version
		}
		return r, err
	}
	res, err := analysis.Run(ctx, a, cfg, All())
	if err != nil {
		return nil, err
	}
	r := scan.New(scan.Tool{Name: "appxray", Version: Version},
		scan.File{Name: path.Base(a.Path), Size: a.Size, SHA256: a.SHA256(), Kind: string(a.Kind)})
	if inv, ok := analysis.Get[*inventory.Result](res, inventory.Analyzer); ok {
		r.File.Parts = inv.Parts
		r.App, r.Permissions, r.Components, r.Dex = inv.App, inv.Permissions, inv.Components, inv.Dex
	}
	if pr, ok := analysis.Get[*permissions.Result](res, permissions.Analyzer); ok {
		r.PermissionDetails = append(r.PermissionDetails, pr.Details...)
	}
	if s, ok := analysis.Get[*signers.Result](res, signers.Analyzer); ok {
		r.Signers, r.Schemes = s.Signers, s.Schemes
	}
	r.Findings = append(r.Findings, res.Findings...)
	for _, err := range res.Errors {
		r.Errors = append(r.Errors, scan.Error{Where: "analysis", Error: err.Error()})
	}
	for _, c := range res.Cuts {
		r.Errors = append(r.Errors, scan.Error{Where: c.Where, Error: c.Analyzer + ": " + c.Err.Error()})
	}
	if fr, ok := analysis.Get[*forms.Result](res, forms.Analyzer); ok {
		r.Fields = append(r.Fields, fr.Fields...)
		r.OptionLists = append(r.OptionLists, fr.OptionLists...)
		for _, n := range fr.Notes {
			r.Errors = append(r.Errors, scan.Error{Where: "forms", Error: n})
		}
	}
	if th, ok := analysis.Get[*trackers.Result](res, trackers.Analyzer); ok {
		for _, h := range th.Hits {
			r.Trackers = append(r.Trackers, *h)
		}
	}
	if pl, ok := analysis.Get[*payloads.Result](res, payloads.Analyzer); ok {
		r.Embedded = append(r.Embedded, pl.Embedded...)
	}
	if pr, ok := analysis.Get[*packers.Result](res, packers.Analyzer); ok {
		r.Protection.Packers = append(r.Protection.Packers, pr.Packers...)
		r.Protection.Obfuscation = pr.Obfuscation
	}
	if sr, ok := analysis.Get[*stringscan.Result](res, stringscan.Analyzer); ok {
		for _, e := range sr.Endpoints {
			r.Endpoints = append(r.Endpoints, *e)
		}
		r.Watchlists = append(r.Watchlists, sr.Watchlists...)
		r.Executables = append(r.Executables, sr.Executables...)
	}
	if fl, ok := analysis.Get[*flows.Result](res, flows.Analyzer); ok {
		r.Flows = append(r.Flows, fl.Flows...)
		sentTo(r.Findings, fl.Flows)
	}
	// Last: the analyzers read parts lazily, and reading may have found
	// anomalies and errors that are only known now.
	for _, an := range a.Anomalies() {
		r.Anomalies = append(r.Anomalies, scan.Anomaly{Part: an.Part, Kind: string(an.Kind), Source: an.Source, Offset: an.Offset,
			Entry: an.Entry, Detail: an.Detail, AndroidRejects: an.AndroidRejects})
	}
	for _, e := range a.Errors() {
		r.Errors = append(r.Errors, scan.Error{Where: e.Where, Error: e.Err.Error()})
	}
	return r, nil
}

// sentTo marks the code channel's findings whose data a flow carries to a
// sink: the flow starts at the finding's evidence (the method that reads)
// with the finding's category. Such a finding gains sent_to, and its
// severity rises one step (low to medium, medium to high): the data is not
// only read but sent on. Low-confidence flows (same entry point, no
// data-flow path) mark nothing.
func sentTo(fs []scan.Finding, fls []scan.Flow) {
	for i := range fs {
		f := &fs[i]
		if f.Analyzer != code.APIs.Name {
			continue
		}
		at := map[string]bool{}
		for _, e := range f.Evidence {
			at[e.Location] = true
		}
		for _, fl := range fls {
			if fl.Source.Kind != "api" || fl.Source.Category != f.Category || len(fl.Path) == 0 || !at[fl.Path[0].Location] || fl.Confidence.Level == scan.LevelLow {
				continue
			}
			dest := fl.Sink.Destination
			if dest == "" {
				dest = "(" + fl.Sink.Kind + ")"
			}
			if fl.Sink.Cleartext {
				dest += " (cleartext)"
			}
			j := slices.IndexFunc(f.SentTo, func(s scan.SentTo) bool { return s.Destination == dest && s.Kind == fl.Sink.Kind })
			if j < 0 {
				f.SentTo = append(f.SentTo, scan.SentTo{Destination: dest, Kind: fl.Sink.Kind})
				j = len(f.SentTo) - 1
			}
			f.SentTo[j].Flows = append(f.SentTo[j].Flows, fl.ID)
		}
		if len(f.SentTo) > 0 {
			switch f.Severity {
			case knowledge.SeverityInfo:
				f.Severity = knowledge.SeverityLow
			case knowledge.SeverityLow:
				f.Severity = knowledge.SeverityMedium
			case knowledge.SeverityMedium:
				f.Severity = knowledge.SeverityHigh
			}
		}
	}
}
