package manifest

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"appxray/analysis"
	"appxray/app"
	"appxray/knowledge"
)

// weakness says why a guard permission does not keep other apps out, or
// returns "" when it does. No permission at all is weak; so is a
// permission any app is granted at install: the app's own with protection
// level normal, or a normal platform permission. A custom permission the
// app does not declare is assumed to protect (it is declared elsewhere, by
// the app's vendor or the platform, and appxray cannot see how).
func weakness(perm string, declared map[string]app.DeclaredPermission) string {
	if perm == "" {
		return "no android:permission"
	}
	if d, ok := declared[perm]; ok {
		if knowledge.ProtectionLevel(d.ProtectionLevel).Base() == knowledge.ProtectionNormal {
			return fmt.Sprintf("its permission %s is declared by the app itself with protectionLevel normal, which any app may request", perm)
		}
		return ""
	}
	if p, ok := knowledge.PermissionByName(perm); ok && p.ProtectionLevel.Base() == knowledge.ProtectionNormal {
		return fmt.Sprintf("its permission %s is a normal platform permission, granted to any app that asks", shortPerm(perm))
	}
	return ""
}

// exposure tells whether an exported component is open to any app and
// how: the reason, and for a provider whether reads and writes are open.
func exposure(c app.Component, declared map[string]app.DeclaredPermission) (why string, read, write bool) {
	if c.Kind != "provider" {
		w := weakness(c.Permission, declared)
		return w, w != "", w != ""
	}
	rp, wp := c.Permission, c.Permission
	if c.ReadPermission != "" {
		rp = c.ReadPermission
	}
	if c.WritePermission != "" {
		wp = c.WritePermission
	}
	rw, ww := weakness(rp, declared), weakness(wp, declared)
	switch {
	case rw != "" && ww != "" && rw == ww:
		return rw, true, true
	case rw != "" && ww != "":
		return "reads: " + rw + "; writes: " + ww, true, true
	case rw != "":
		return "reads: " + rw, true, false
	case ww != "":
		return "writes: " + ww, false, true
	}
	return "", false, false
}

// dataWords are identifier tokens that name a kind of personal data; an
// exported receiver or service whose name or custom action contains one
// probably hands that data out (io.appium.settings' SmsReader,
// ClipboardReceiver, LocationInfoReceiver). Words that name settings
// rather than data (wifi, bluetooth, locale, animation) are left out.
var dataWords = map[string]string{
	"sms":       "SMS",
	"mms":       "MMS",
	"location":  "location",
	"gps":       "location",
	"clipboard": "clipboard",
	"contact":   "contacts",
	"contacts":  "contacts",
	"calllog":   "call log",
	"calendar":  "calendar",
	"account":   "accounts",
	"accounts":  "accounts",
	"imei":      "device identifiers",
	"imsi":      "device identifiers",
	"keylogger": "keystrokes",
	"password":  "passwords",
	"passwords": "passwords",
}

// tokens splits an identifier at non-alphanumerics and camelCase
// boundaries, lower-cased: "LocationInfoReceiver" → location info receiver,
// "GPSTracker" → gps tracker.
func tokens(s string) []string {
	var out []string
	rs := []rune(s)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			out = append(out, strings.ToLower(string(rs[start:end])))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := rs[i-1]
		switch {
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush(i)
			start = i
		case unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			flush(i)
			start = i
		case unicode.IsDigit(r) != unicode.IsDigit(prev):
			flush(i)
			start = i
		}
	}
	flush(len(rs))
	return out
}

// maxTokenInput bounds the identifier length tokenised per name.
const maxTokenInput = 256

// dataHint names the personal data a component's name or actions point
// to, with what pointed to it; "" if nothing does.
func dataHint(c app.Component, pkg string) string {
	if fs := filtersWith(c, smsActions...); len(fs) > 0 {
		return "it receives the SMS broadcast"
	}
	if fs := filtersWith(c, callActions...); len(fs) > 0 {
		return "it receives the phone-state or outgoing-call broadcast"
	}
	simple := c.Name
	if i := strings.LastIndexByte(simple, '.'); i >= 0 {
		simple = simple[i+1:]
	}
	if w := firstDataWord(simple); w != "" {
		return fmt.Sprintf("its name %q names %s", clean(simple), w)
	}
	for _, f := range c.IntentFilters {
		for _, a := range f.Actions {
			if strings.HasPrefix(a, "android.") || strings.HasPrefix(a, "com.android.") {
				continue
			}
			rest := a
			if pkg != "" {
				rest = strings.TrimPrefix(rest, pkg+".")
			}
			if w := firstDataWord(rest); w != "" {
				return fmt.Sprintf("its action %q names %s", clean(a), w)
			}
		}
	}
	return ""
}

func firstDataWord(s string) string {
	if len(s) > maxTokenInput {
		s = s[:maxTokenInput]
	}
	for _, t := range tokens(s) {
		if w, ok := dataWords[t]; ok {
			return w
		}
	}
	return ""
}

// isEntryPoint tells an activity that is exported because it is meant to
// be started from outside: the launcher (MAIN) entry.
func isEntryPoint(c app.Component) bool {
	for _, f := range c.IntentFilters {
		if slices.Contains(f.Actions, actionMain) {
			return true
		}
	}
	return false
}

// checkExposed reports exported components that any app can reach: one
// finding per provider, receiver and service (ranked by what they may
// hand out), and one for all such activities together.
func checkExposed(in *input) []analysis.Finding {
	declared := map[string]app.DeclaredPermission{}
	for _, d := range in.Info.DeclaredPermissions {
		declared[d.Name] = d
	}
	pkg := in.Info.Package
	var out []analysis.Finding
	var acts []app.Component
	for _, c := range in.Info.Components {
		if !c.Exported {
			continue
		}
		why, read, write := exposure(c, declared)
		if why == "" {
			continue
		}
		name := shortClass(pkg, c.Name)
		how := "android:exported=\"true\""
		if !c.ExportedSet {
			how = "exported by default (it has an intent filter and android:exported is not set)"
			if c.Kind == "provider" {
				how = "exported by default (targetSdkVersion below 17 and android:exported is not set)"
			}
		}
		f := analysis.Finding{Category: knowledge.BehaviourExposed}
		switch c.Kind {
		case "activity", "activity-alias":
			if !isEntryPoint(c) {
				acts = append(acts, c)
			}
			continue
		case "provider":
			// Any app may call a provider's methods, but stubs hand out or
			// change nothing.
			stub := func(name string, absentOK bool) bool {
				if in.Stub == nil {
					return false
				}
				found, stub := in.Stub(c.Name, name)
				return stub || absentOK && !found
			}
			noWrite := write && stub("insert", false) && stub("update", false) && stub("delete", false)
			noRead := read && stub("query", false) && stub("openFile", true) && stub("openAssetFile", true)
			mode := "readable and writable"
			switch {
			case read && !write:
				mode = "readable"
			case write && !read:
				mode = "writable"
			}
			au := c.Authorities
			if au == "" {
				au = name
			}
			f.Title = fmt.Sprintf("Exposes data to other apps: content provider %s is %s by any app", clean(au), mode)
			f.Severity = analysis.High
			f.Confidence = analysis.Confidence{Level: confHigh, Reason: how + "; " + why}
			switch {
			case (noRead || !read) && (noWrite || !write):
				f.Confidence = analysis.Confidence{Level: confLow, Reason: how + "; " + why + "; but its code hands out and takes nothing: query, insert, update and delete only return or throw"}
			case noWrite && read:
				f.Title = fmt.Sprintf("Exposes data to other apps: content provider %s is readable by any app", clean(au))
				f.Confidence.Reason += "; its insert, update and delete only return or throw, so writes change nothing"
			case noRead && write:
				f.Title = fmt.Sprintf("Exposes data to other apps: content provider %s is writable by any app", clean(au))
				f.Confidence.Reason += "; its query and file methods only return or throw, so reads get nothing"
			}
		default:
			f.Title = fmt.Sprintf("Exposes data to other apps: %s %s can be called by any app", c.Kind, name)
			f.Severity = analysis.Medium
			reason := how + "; " + why
			if h := dataHint(c, pkg); h != "" {
				f.Severity = analysis.High
				f.Title += " (" + h + ")"
				reason += "; " + h + ", so it likely hands that data to, or takes it from, the caller"
			}
			// Any app can start it and send it data; whether it hands data
			// back is in its code, which the manifest does not show.
			f.Confidence = analysis.Confidence{Level: confLow, Reason: reason + "; any app can start it, but whether it hands data back to the caller is not shown by the manifest"}
			if at, ok := in.HandsBack[c.Name]; ok && c.Kind == "receiver" {
				f.Confidence = analysis.Confidence{Level: confMedium, Reason: reason + "; " + at + ", which hands the data back to whichever app sent the broadcast"}
			}
		}
		if !c.Enabled {
			f.Severity = f.Severity.Lower()
			f.Title += " (disabled in the manifest)"
		}
		f.Evidence = []analysis.Evidence{in.compEvidence(c, c.IntentFilters)}
		f.SDK = in.sdk(c.Name)
		out = append(out, f)
	}
	// Activities go in one finding for the app's own and one per SDK.
	var sdks []string
	bySDK := map[string][]app.Component{}
	for _, c := range acts {
		s := in.sdk(c.Name)
		if _, ok := bySDK[s]; !ok {
			sdks = append(sdks, s)
		}
		bySDK[s] = append(bySDK[s], c)
	}
	for _, sdk := range sdks {
		acts := bySDK[sdk]
		var names []string
		var ev []analysis.Evidence
		for _, c := range acts {
			names = append(names, shortClass(pkg, c.Name))
			if len(ev) < maxEvidence {
				ev = append(ev, in.compEvidence(c, c.IntentFilters))
			}
		}
		title := fmt.Sprintf("Exposes data to other apps: %d %s can be started by any app without a permission: %s",
			len(acts), plural(len(acts), "activity", "activities"), listNames(names))
		if len(acts) > len(ev) {
			title += fmt.Sprintf(" (first %d shown)", len(ev))
		}
		out = append(out, analysis.Finding{
			Category: knowledge.BehaviourExposed,
			Title:    title,
			Severity: analysis.Low,
			Confidence: analysis.Confidence{Level: confLow, Reason: "exported activities without a protecting permission accept intents, and the data in them, from any app; " +
				"most are deep links or share targets and hand nothing back"},
			Evidence: ev,
			SDK:      sdk,
		})
	}
	return out
}
