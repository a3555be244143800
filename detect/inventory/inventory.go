// Package inventory states what an app is, as the report's first page and
// the JSON's app, permissions, components and dex sections show it: the
// input's parts, the manifest's identity and declarations, and a summary of
// each DEX file. It reports no findings; it is what the findings are about.
package inventory

import (
	"appxray/analysis"
	"appxray/app"
	"appxray/scan"
)

// Analyzer reads the app's identity and declarations.
var Analyzer = &analysis.Analyzer{
	Name:       "inventory",
	Doc:        "reads the app's identity, permissions, components, parts and DEX files, as the manifest and the container state them",
	ResultType: analysis.TypeOf[*Result](),
	Run:        run,
}

// Result is what the app is.
type Result struct {
	Parts       []scan.Part
	App         scan.App
	Permissions []string
	Components  scan.Components
	Dex         []scan.Dex
}

func run(pass *analysis.Pass) (any, error) {
	a := pass.App
	r := &Result{
		App:         scan.App{Labels: map[string]string{}},
		Permissions: []string{},
		Components:  scan.Components{Activities: []scan.Component{}, Services: []scan.Component{}, Receivers: []scan.Component{}, Providers: []scan.Component{}},
		Dex:         []scan.Dex{},
	}
	if a.Kind == app.KindSplitSet || a.Kind == app.KindAAB {
		for _, p := range a.Parts {
			pt := scan.Part{Name: p.Name}
			if m := p.Manifest(); m != nil && m.Root != nil {
				if at, ok := m.Root.Attr("", "split"); ok {
					pt.Split, _ = at.String()
				}
			}
			r.Parts = append(r.Parts, pt)
		}
	}
	if info := a.Info(); info != nil {
		r.fill(info)
	}
	for _, d := range a.Dex(pass.Context) {
		h := d.File.Header
		r.Dex = append(r.Dex, scan.Dex{
			File: d.Location, Version: h.Version, Size: d.Size,
			Classes: int(h.ClassDefsSize), Methods: int(h.MethodIDsSize), Fields: int(h.FieldIDsSize),
			Strings: int(h.StringIDsSize), Types: int(h.TypeIDsSize),
		})
	}
	return r, nil
}

func (r *Result) fill(info *app.Info) {
	r.App = scan.App{
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
	for _, c := range info.Components {
		rc := scan.Component{
			Name: c.Name, Exported: c.Exported, ExportedSet: c.ExportedSet, Enabled: c.Enabled,
			Permission: c.Permission, Authorities: c.Authorities, Line: c.Line,
		}
		for _, f := range c.IntentFilters {
			rc.IntentFilters = append(rc.IntentFilters, scan.IntentFilter{Actions: f.Actions, Categories: f.Categories, Data: f.Data, Priority: f.Priority})
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
