// Package permissions decides, for every permission an app requests (or
// that Android implies for an old app), whether its visible code uses it:
// whether the app's own code calls an API of a category the permission
// opens. A permission requested but never used is a fact about the
// manifest, not evidence that the app collects the data; where the code
// cannot be seen (packed, encrypted, loaded at run time) the question stays
// open and the report says why.
package permissions

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/code"
	"appxray/detect/packers"
	"appxray/knowledge"
	"appxray/scan"
)

// Analyzer decides permission use.
var Analyzer = &analysis.Analyzer{
	Name:       "permissions",
	Doc:        "decides for each requested or implied permission whether the app's visible code uses the APIs it guards",
	Requires:   []*analysis.Analyzer{code.Index, packers.Analyzer},
	ResultType: analysis.TypeOf[*Result](),
	Run:        run,
}

// Statuses of a permission.
const (
	Used    = "used"
	Unused  = "unused"
	Unknown = "unknown"
)

// Kinds of hidden code (Result.HiddenKind).
const (
	HiddenNoCode = "no code"
	HiddenPacked = "packed"
	HiddenCut    = "cut"
	// HiddenLoaded: the app loads code at run time that it does not carry
	// (it downloads it); the code it carries is all visible.
	HiddenLoaded = "loaded"
)

// Use is how the code reaches one category.
type Use struct {
	// Own is the first call site in the app's own code (by a rule that is
	// not weak), "" if none.
	Own string
	// SDKs names the SDKs whose code reaches it, when the app's does not.
	SDKs []string
}

// Result is the permission usage of one app.
type Result struct {
	// Details has one entry per requested or implied permission, in the
	// manifest's order.
	Details []scan.PermissionDetail
	// Hidden is why the code cannot be fully seen, "" when it can, and
	// HiddenKind which of the reasons it is.
	Hidden     string
	HiddenKind string

	uses map[knowledge.Category]*Use
	// weakOwn names, per category the app's own code reaches only by
	// weak rules, the first such call site: a weak API does not prove a
	// permission's use (a path to shared storage, then plain file I/O),
	// nor does it let the permission be called unused.
	weakOwn map[knowledge.Category]string
	// byPerm names, for a permission that an API rule names as the one
	// that opens it (a cell-tower read needs a location permission), the
	// first call site in the app's own code.
	byPerm map[string]string
}

// Reached returns how the code reaches a category (nil if it does not).
func (r *Result) Reached(c knowledge.Category) *Use {
	if r == nil {
		return nil
	}
	return r.uses[c]
}

// Detail returns the detail of one permission.
func (r *Result) Detail(name string) (scan.PermissionDetail, bool) {
	if r == nil {
		return scan.PermissionDetail{}, false
	}
	for _, d := range r.Details {
		if d.Name == name {
			return d, true
		}
	}
	return scan.PermissionDetail{}, false
}

// Visible reports whether the whole code of the app could be read, so
// that a permission whose APIs it never calls is really unused.
func (r *Result) Visible() bool { return r != nil && r.Hidden == "" }

func run(pass *analysis.Pass) (any, error) {
	ix := analysis.ResultOf[*code.IndexResult](pass, code.Index)
	pk := analysis.ResultOf[*packers.Result](pass, packers.Analyzer)
	r := &Result{Details: []scan.PermissionDetail{}, uses: map[knowledge.Category]*Use{}, weakOwn: map[knowledge.Category]string{}, byPerm: map[string]string{}}
	loads := ""
	for _, c := range ix.Calls {
		if c.Category == "" {
			continue
		}
		if !c.Strong() {
			if r.weakOwn[c.Category] == "" && ix.SDK(c.Site) == "" {
				r.weakOwn[c.Category] = ix.Location(c.Site)
			}
			continue
		}
		u := r.uses[c.Category]
		if u == nil {
			u = &Use{}
			r.uses[c.Category] = u
		}
		sdk := ix.SDK(c.Site)
		if sdk == "" {
			if u.Own == "" {
				u.Own = ix.Location(c.Site)
			}
			for _, p := range c.Rule.Permissions {
				if r.byPerm[p] == "" {
					r.byPerm[p] = ix.Location(c.Site)
				}
			}
			if c.Category == knowledge.BehaviourDynamicCode && loads == "" {
				loads = ix.Location(c.Site)
			}
		} else if !slices.Contains(u.SDKs, sdk) {
			u.SDKs = append(u.SDKs, sdk)
		}
	}
	carried := ""
	for _, d := range ix.Dex {
		if strings.Contains(d.Location, "!") {
			carried = d.Location
			break
		}
	}
	switch {
	case len(ix.Dex) == 0:
		r.Hidden, r.HiddenKind = "the app carries no DEX code to read", HiddenNoCode
	case pk != nil && pk.Packed():
		r.Hidden, r.HiddenKind = "the app's code is packed ("+pk.Packers[0].Name+"): what it unpacks at run time cannot be read", HiddenPacked
	case len(ix.Cut) > 0:
		r.Hidden, r.HiddenKind = "the code of "+strings.Join(ix.Cut, ", ")+" could not be read to its end", HiddenCut
	case loads != "" && carried == "":
		r.Hidden, r.HiddenKind = "the app loads code at run time ("+loads+") that is not in the package", HiddenLoaded
	}
	info := pass.App.Info()
	if info == nil {
		return r, nil
	}
	facts := manifestUses(info)
	add := func(name, implied string) {
		d := scan.PermissionDetail{Name: name, Implied: implied, Line: info.PermissionLines[name]}
		if implied != "" {
			d.Line = 0
		}
		p, ok := knowledge.PermissionByName(name)
		if ok {
			d.Categories = slices.Clone(p.Categories)
		}
		fact := facts[name]
		if fact == "" && r.byPerm[name] != "" {
			fact = "the app's code calls an API this permission opens: " + r.byPerm[name]
		}
		d.Status, d.Why = r.decide(d.Categories, fact)
		r.Details = append(r.Details, d)
	}
	for _, p := range permissionList(info) {
		add(p.name, p.implied)
	}
	return r, nil
}

// listed is one permission the app gets: requested, or implied with
// Android's reason.
type listed struct{ name, implied string }

// permissionList is every permission the app gets, once each, in the
// order of info.Permissions, each implied one with the reason Android
// grants it. info.Permissions already holds the implied permissions
// (app.Info says so): a permission is implied when ImpliedPermissions
// names it and the manifest does not request it.
func permissionList(info *app.Info) []listed {
	why := map[string]string{}
	for _, ip := range info.ImpliedPermissions {
		if _, requested := info.PermissionLines[ip.Name]; !requested && why[ip.Name] == "" {
			why[ip.Name] = ip.Reason
		}
	}
	var out []listed
	seen := map[string]bool{}
	for _, name := range info.Permissions {
		if !seen[name] {
			seen[name] = true
			out = append(out, listed{name, why[name]})
		}
	}
	// An Info built without the implied permissions in Permissions still
	// lists them.
	for _, ip := range info.ImpliedPermissions {
		if !seen[ip.Name] && why[ip.Name] != "" {
			seen[ip.Name] = true
			out = append(out, listed{ip.Name, why[ip.Name]})
		}
	}
	return out
}

// decide says whether a permission opening cats is used.
func (r *Result) decide(cats []knowledge.Category, fact string) (string, string) {
	if fact != "" {
		return Used, fact
	}
	if len(cats) == 0 {
		return Unknown, "no category of the taxonomy depends on this permission, so its use is not checked"
	}
	var sdkOnly []string
	for _, c := range cats {
		if u := r.uses[c]; u != nil {
			if u.Own != "" {
				return Used, fmt.Sprintf("the app's code reaches %s: %s", c, u.Own)
			}
			for _, s := range u.SDKs {
				if !slices.Contains(sdkOnly, s) {
					sdkOnly = append(sdkOnly, s)
				}
			}
		}
	}
	for _, c := range cats {
		if site := r.weakOwn[c]; site != "" {
			return Unknown, fmt.Sprintf("the app's code reaches %s only by APIs that do not prove the permission's use: %s", c, site)
		}
	}
	if !r.Visible() {
		return Unknown, r.Hidden
	}
	names := make([]string, len(cats))
	for i, c := range cats {
		names[i] = string(c)
	}
	if len(sdkOnly) > 0 {
		sort.Strings(sdkOnly)
		return Unused, "only third-party code uses it (" + strings.Join(sdkOnly, ", ") + "); the app's own code never calls the APIs of " + strings.Join(names, ", ")
	}
	return Unused, "the visible code never calls the APIs of " + strings.Join(names, ", ")
}

// manifestUses names, per permission, a manifest declaration through which
// the system itself uses it for the app: a receiver of the broadcast it
// guards, a service bound with it.
func manifestUses(info *app.Info) map[string]string {
	out := map[string]string{}
	for _, c := range info.Components {
		if c.Kind != "receiver" {
			continue
		}
		for _, f := range c.IntentFilters {
			for _, a := range f.Actions {
				if p, ok := broadcastPermission[a]; ok && out[p] == "" {
					out[p] = "the manifest declares receiver " + scan.Printable(c.Name) + " for " + a
				}
			}
		}
	}
	return out
}

// broadcastPermission maps a broadcast to the permission its receivers
// need: declaring such a receiver uses the permission.
var broadcastPermission = map[string]string{
	"android.provider.Telephony.SMS_RECEIVED":      "android.permission.RECEIVE_SMS",
	"android.provider.Telephony.SMS_DELIVER":       "android.permission.RECEIVE_SMS",
	"android.intent.action.DATA_SMS_RECEIVED":      "android.permission.RECEIVE_SMS",
	"android.provider.Telephony.WAP_PUSH_RECEIVED": "android.permission.RECEIVE_WAP_PUSH",
	"android.provider.Telephony.WAP_PUSH_DELIVER":  "android.permission.RECEIVE_WAP_PUSH",
	"android.intent.action.BOOT_COMPLETED":         "android.permission.RECEIVE_BOOT_COMPLETED",
	"android.intent.action.LOCKED_BOOT_COMPLETED":  "android.permission.RECEIVE_BOOT_COMPLETED",
	"android.intent.action.PHONE_STATE":            "android.permission.READ_PHONE_STATE",
	"android.intent.action.NEW_OUTGOING_CALL":      "android.permission.PROCESS_OUTGOING_CALLS",
}
