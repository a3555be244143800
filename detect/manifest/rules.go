package manifest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/permissions"
	"appxray/knowledge"
	"appxray/scan"
)

// check runs every rule over the input.
func check(in *input) []analysis.Finding {
	if in == nil || in.Info == nil {
		return nil
	}
	c := newCollector()
	checkPermissions(in, c)
	checkComponents(in, c)
	checkCleartext(in, c)
	out := c.findings()
	out = append(out, checkQueries(in)...)
	out = append(out, checkHidden(in)...)
	out = append(out, checkExposed(in)...)
	out = append(out, checkDebuggable(in)...)
	return out
}

// ---- requested permissions ----

// checkPermissions maps each requested permission through the knowledge
// table. Permissions the table does not know, or maps to no category, say
// nothing about people's data and are left out.
func checkPermissions(in *input, c *collector) {
	for _, name := range in.Info.Permissions {
		p, ok := knowledge.PermissionByName(name)
		if !ok || len(p.Categories) == 0 {
			continue
		}
		lvl := p.ProtectionLevel
		appop := lvl.Has(knowledge.ProtectionFlagAppop)
		strong := lvl.Dangerous() || appop || lvl.Signature()
		conf := confMedium
		if lvl.Signature() && !appop {
			// Android grants these only to platform-signed or privileged
			// system apps: an ordinary install asks in vain.
			conf = confLow
		}
		ev := in.permEvidence(name)
		label := lvl.String()
		implied := in.implied(name)
		for _, cat := range p.Categories {
			sev := analysis.Medium
			switch {
			case strong:
				sev = analysis.High
			case cat.Group() == knowledge.GroupBehaviour:
				sev = analysis.Low
			}
			cconf, note := in.permUse(name, cat, conf)
			c.perm(cat, name, label, implied, sev, cconf, ev)
			c.permNote(cat, note)
		}
	}
}

// permUse lowers a permission's confidence for a category the visible
// code never reaches: requested is not used. Where the code cannot be
// seen the request stands, and the note says why.
func (in *input) permUse(name string, cat knowledge.Category, conf scan.Level) (scan.Level, string) {
	if in.Usage == nil || conf == confLow {
		return conf, ""
	}
	// A receiver of the broadcast the permission guards uses it; READ_PHONE_STATE's
	// call-state broadcast says nothing of the identifiers it also opens.
	if d, ok := in.Usage.Detail(name); ok && d.Status == permissions.Used && strings.HasPrefix(d.Why, "the manifest declares") && name != "android.permission.READ_PHONE_STATE" {
		return conf, d.Why
	}
	u := in.Usage.Reached(cat)
	switch {
	case u != nil && u.Own != "":
		return conf, "the app's code calls its APIs (" + u.Own + ")"
	case !in.Usage.Visible() && in.Usage.HiddenKind == permissions.HiddenLoaded:
		// The app's own code is all there to read and never uses it; code
		// it fetches later might, but nothing shows that it does.
		return confLow, "unused by the code the app carries; " + in.Usage.Hidden + ", which might"
	case !in.Usage.Visible():
		return conf, "the code that would use it cannot be read: " + in.Usage.Hidden
	case u != nil && len(u.SDKs) > 0:
		return confLow, "unused by the app: only third-party code (" + strings.Join(u.SDKs, ", ") + ") calls its APIs"
	}
	return confLow, "unused: the visible code never calls its APIs"
}

// implied returns why Android grants an old app the permission without it
// being written in the manifest, or "" if it was requested.
func (in *input) implied(name string) string {
	if _, ok := in.Doc.Perms[name]; ok {
		return ""
	}
	for _, ip := range in.Info.ImpliedPermissions {
		if ip.Name == name {
			return ip.Reason
		}
	}
	return ""
}

func (in *input) permEvidence(name string) analysis.Evidence {
	if why := in.implied(name); why != "" {
		// Point at what causes it: the requested permission the reason
		// names, else the SDK levels.
		line := in.Doc.SDKLine
		if i := strings.LastIndex(why, "requested "); i >= 0 {
			cause := strings.Fields(why[i+len("requested "):])
			if len(cause) > 0 {
				if pe, ok := in.Doc.Perms["android.permission."+cause[0]]; ok {
					line = pe.Line
				}
			}
		}
		return in.evidence(line, fmt.Sprintf("implied %s (not written in the manifest; Android grants it because: %s)", name, clean(why)))
	}
	pe, ok := in.Doc.Perms[name]
	if !ok {
		pe = permElem{Elem: "uses-permission", Line: in.Info.PermissionLines[name]}
	}
	return in.evidence(pe.Line, tag(pe.Elem, "android:name", name, "android:maxSdkVersion", pe.MaxSDK))
}

// ---- receivers and system-bound services ----

// Broadcast actions that deliver a message or a call to the receiver.
var (
	smsActions = []string{
		"android.provider.Telephony.SMS_RECEIVED",
		"android.provider.Telephony.SMS_DELIVER",
		"android.provider.Telephony.WAP_PUSH_RECEIVED",
		"android.provider.Telephony.WAP_PUSH_DELIVER",
		"android.intent.action.DATA_SMS_RECEIVED",
		"android.provider.Telephony.SMS_CB_RECEIVED",
	}
	callActions = []string{
		"android.intent.action.PHONE_STATE",
		"android.intent.action.NEW_OUTGOING_CALL",
	}
	bootActions = []string{
		"android.intent.action.BOOT_COMPLETED",
		"android.intent.action.LOCKED_BOOT_COMPLETED",
		"android.intent.action.QUICKBOOT_POWERON",
		"com.htc.intent.action.QUICKBOOT_POWERON",
	}
)

const (
	actionNotifListener  = "android.service.notification.NotificationListenerService"
	actionDeviceAdmin    = "android.app.action.DEVICE_ADMIN_ENABLED"
	metaDeviceAdmin      = "android.app.device_admin"
	permDeviceAdmin      = "android.permission.BIND_DEVICE_ADMIN"
	permNotifListener    = "android.permission.BIND_NOTIFICATION_LISTENER_SERVICE"
	actionMain           = "android.intent.action.MAIN"
	categoryLauncher     = "android.intent.category.LAUNCHER"
	categoryLeanbackLnch = "android.intent.category.LEANBACK_LAUNCHER"
)

// filtersWith returns the component's intent filters that name one of the
// actions.
func filtersWith(c app.Component, actions ...string) []app.IntentFilter {
	var out []app.IntentFilter
	for _, f := range c.IntentFilters {
		for _, a := range f.Actions {
			if slices.Contains(actions, a) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// role is what one component contributes to one category.
type role struct {
	cat            knowledge.Category
	phrase, reason string
	sev            analysis.Severity
	filters        []app.IntentFilter
	// weak marks a role that alone does not show the category (a
	// receiver that only watches the call state).
	weak bool
	// needsCode marks a role whose category holds only if the app's code
	// does something with what the system hands it (an input method sees
	// keys; whether it reads the text of other apps is in its code).
	needsCode bool
}

// componentRoles lists what the component declares itself to be: an SMS,
// call or boot receiver, a device admin, an accessibility service, a
// notification listener, or any other service the system binds to with a
// BIND_ permission the knowledge table maps to a category.
func componentRoles(comp app.Component, name string) []role {
	var roles []role
	add := func(r role) {
		for _, have := range roles {
			if have.cat == r.cat {
				return
			}
		}
		roles = append(roles, r)
	}
	switch comp.Kind {
	case "receiver":
		if fs := filtersWith(comp, smsActions...); len(fs) > 0 {
			add(role{cat: knowledge.DeviceSMS, phrase: "receives incoming SMS in " + name, reason: "a receiver is registered for the SMS broadcast, which hands it each incoming message", sev: analysis.High, filters: fs})
		}
		if fs := filtersWith(comp, "android.intent.action.NEW_OUTGOING_CALL"); len(fs) > 0 {
			add(role{cat: knowledge.BehaviourCalls, phrase: "sees outgoing calls in " + name, reason: "a receiver is registered for the outgoing-call broadcast, which carries the number dialled and lets the receiver change or cancel the call", sev: analysis.Medium, filters: fs})
		} else if fs := filtersWith(comp, callActions...); len(fs) > 0 {
			add(role{cat: knowledge.BehaviourCalls, phrase: "watches calls in " + name, reason: "a receiver is registered for the phone-state broadcast, which carries the call state and number; watching calls does not place, answer or end them, which takes code", sev: analysis.Medium, filters: fs, weak: true})
		}
		if fs := filtersWith(comp, bootActions...); len(fs) > 0 {
			add(role{cat: knowledge.BehaviourBoot, phrase: "starts at boot in " + name, reason: "a receiver is registered for the boot-completed broadcast", sev: analysis.Medium, filters: fs})
		}
		fs := filtersWith(comp, actionDeviceAdmin)
		_, meta := comp.MetaData[metaDeviceAdmin]
		if comp.Permission == permDeviceAdmin || len(fs) > 0 || meta {
			add(role{cat: knowledge.BehaviourDeviceAdmin, phrase: "device administrator receiver " + name, reason: "a device-admin receiver (BIND_DEVICE_ADMIN, DEVICE_ADMIN_ENABLED or android.app.device_admin meta-data) lets the app ask to become device administrator", sev: analysis.High, filters: fs})
		}
	case "service":
		if comp.AccessibilityService() {
			add(role{cat: knowledge.BehaviourAccessibility, phrase: "accessibility service " + name, reason: "an accessibility service can read and act on every screen once the user enables it", sev: analysis.High, filters: filtersWith(comp, app.ActionAccessibilityService)})
		}
		if fs := filtersWith(comp, actionNotifListener); len(fs) > 0 || comp.Permission == permNotifListener {
			add(role{cat: knowledge.DeviceNotifications, phrase: "notification listener " + name, reason: "a notification listener receives the notifications of every app once the user enables it", sev: analysis.High, filters: fs})
		}
	}
	if strings.HasPrefix(comp.Permission, "android.permission.BIND_") {
		if p, ok := knowledge.PermissionByName(comp.Permission); ok {
			for _, cat := range p.Categories {
				reason := p.Note
				if reason == "" {
					reason = "only the system holds " + shortPerm(comp.Permission) + ", so the component is a service the system binds to"
				}
				sev := analysis.Medium
				if cat.Group() != knowledge.GroupBehaviour {
					sev = analysis.High
				}
				add(role{cat: cat, phrase: fmt.Sprintf("%s %s bound by the system with %s", comp.Kind, name, shortPerm(comp.Permission)), reason: reason, sev: sev, filters: comp.IntentFilters,
					needsCode: rolesNeedingCode[comp.Permission]})
			}
		}
	}
	return roles
}

// rolesNeedingCode are the system-bound roles that show a category only
// when the app's code acts on what the system hands it: a keyboard is
// handed key presses and the field it types into, but reading the text
// other apps hold (or keeping what is typed) is up to its code.
var rolesNeedingCode = map[string]bool{
	"android.permission.BIND_INPUT_METHOD": true,
}

func checkComponents(in *input, c *collector) {
	pkg := in.Info.Package
	for _, comp := range in.Info.Components {
		name := shortClass(pkg, comp.Name)
		for _, r := range componentRoles(comp, name) {
			sev, phrase, reason := r.sev, r.phrase, strings.TrimSuffix(r.reason, ".")
			if !comp.Enabled {
				sev = sev.Lower()
				phrase += " (disabled in the manifest)"
			}
			conf := confHigh
			switch {
			case r.weak:
				conf = confLow
			case r.needsCode && in.Usage != nil:
				switch u := in.Usage.Reached(r.cat); {
				case u != nil && u.Own != "":
					reason += "; the app's code reads it (" + u.Own + ")"
				case in.Usage.Visible():
					conf = confLow
					reason += "; but the app's code never reads the text of the fields it types into"
				}
			}
			c.fact(r.cat, in.sdk(comp.Name), phrase, sev, conf, reason, in.compEvidence(comp, r.filters))
		}
	}
}

// maxRenderedItems bounds the actions and categories rendered per filter.
const maxRenderedItems = 8

// compEvidence renders a component's start tag and the intent filters that
// matter, at the component's line.
func (in *input) compEvidence(c app.Component, filters []app.IntentFilter) analysis.Evidence {
	exported, enabled := "", ""
	if c.ExportedSet {
		exported = strconv.FormatBool(c.Exported)
	}
	if !c.Enabled {
		enabled = "false"
	}
	var b strings.Builder
	b.WriteString(tag(c.Kind, "android:name", c.Name, "android:exported", exported, "android:enabled", enabled,
		"android:permission", c.Permission, "android:readPermission", c.ReadPermission,
		"android:writePermission", c.WritePermission, "android:authorities", c.Authorities))
	for i, f := range filters {
		if i == maxRenderedItems {
			fmt.Fprintf(&b, " … %d more intent filters", len(filters)-i)
			break
		}
		b.WriteString(" ")
		b.WriteString(renderFilter("intent-filter", f))
	}
	if !c.ExportedSet && c.Exported {
		b.WriteString(" (exported by default: android:exported is not set and it has an intent filter)")
	}
	return in.evidence(c.Line, b.String())
}

// renderFilter writes an intent filter (or a <queries> <intent>) compactly
// on one line.
func renderFilter(elem string, f app.IntentFilter) string {
	var b strings.Builder
	prio := ""
	if f.Priority != 0 {
		prio = strconv.Itoa(f.Priority)
	}
	b.WriteString(tag(elem, "android:priority", prio))
	n := 0
	item := func(el, attr, v string) {
		n++
		if n > maxRenderedItems {
			if n == maxRenderedItems+1 {
				b.WriteString("…")
			}
			return
		}
		b.WriteString(selfClose(tag(el, attr, v)))
	}
	for _, a := range f.Actions {
		item("action", "android:name", a)
	}
	for _, cat := range f.Categories {
		item("category", "android:name", cat)
	}
	for _, d := range f.Data {
		n++
		if n <= maxRenderedItems {
			b.WriteString(renderData(d))
		} else if n == maxRenderedItems+1 {
			b.WriteString("…")
		}
	}
	b.WriteString("</" + elem + ">")
	return b.String()
}

// renderData turns app.IntentFilter's flattened data
// ("scheme://host:port/path mimeType=type") back into attributes. Which
// of path, pathPrefix or pathPattern was written is not kept, so the path
// goes in an unprefixed "path" attribute.
func renderData(d string) string {
	var mime string
	if i := strings.Index(d, "mimeType="); i >= 0 {
		mime, d = d[i+len("mimeType="):], strings.TrimSpace(d[:i])
	}
	var scheme, host, port, path string
	rest := d
	if i := strings.Index(rest, "://"); i >= 0 {
		scheme, rest = rest[:i], rest[i+3:]
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest, path = rest[:i], rest[i:]
	}
	host = rest
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		host, port = rest[:i], rest[i+1:]
	}
	return selfClose(tag("data", "android:scheme", scheme, "android:host", host, "android:port", port, "path", path, "android:mimeType", mime))
}

func selfClose(t string) string { return strings.TrimSuffix(t, ">") + "/>" }

// ---- <queries> ----

const maxListDetail = 4000

// checkQueries reports the apps the manifest declares it looks for, by
// name, by intent and by provider authority, with the well-known ones
// named.
func checkQueries(in *input) []analysis.Finding {
	info := in.Info
	var pkgs []string
	for _, p := range info.QueriedPackages {
		if !slices.Contains(pkgs, p) {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) == 0 && len(info.QueriedIntents) == 0 && len(info.QueriedProviders) == 0 {
		return nil
	}
	var ev []analysis.Evidence
	var parts, named []string
	sev := analysis.Low
	if len(pkgs) > 0 {
		sev = analysis.Medium
		var known []string
		for _, p := range pkgs {
			if w, ok := wellKnownApp(p); ok {
				known = append(known, w.Name)
				named = append(named, fmt.Sprintf("%s = %s (%s)", p, w.Name, w.Kind))
			}
		}
		s := fmt.Sprintf("queries %d %s by package name", len(pkgs), plural(len(pkgs), "app", "apps"))
		if len(known) > 0 {
			s += ", among them " + listNames(known)
		}
		parts = append(parts, s)
		// The whole list, verbatim, in one piece of evidence; then one
		// piece per package so that each can be found at its line.
		var lb strings.Builder
		for i, p := range pkgs {
			if lb.Len() > maxListDetail {
				fmt.Fprintf(&lb, " … and %d more", len(pkgs)-i)
				break
			}
			if i > 0 {
				lb.WriteString(", ")
			}
			lb.WriteString(clean(p))
		}
		list := lb.String()
		ev = append(ev, in.evidence(in.Doc.QueriesLine, "<queries> packages: "+list))
		for _, p := range pkgs {
			ev = append(ev, in.evidence(in.Doc.QueryLines[p], selfClose(tag("package", "android:name", p))))
		}
	}
	if n := len(info.QueriedIntents); n > 0 {
		parts = append(parts, fmt.Sprintf("queries apps that handle %d %s", n, plural(n, "intent", "intents")))
		for _, f := range info.QueriedIntents {
			ev = append(ev, in.evidence(f.Line, renderFilter("intent", f)))
		}
	}
	if n := len(info.QueriedProviders); n > 0 {
		parts = append(parts, fmt.Sprintf("queries %d content %s by authority", n, plural(n, "provider", "providers")))
		for _, p := range info.QueriedProviders {
			ev = append(ev, in.evidence(in.Doc.ProviderQueryLines[p], selfClose(tag("provider", "android:authorities", p))))
		}
	}
	title := "Looks for specific apps: " + strings.Join(parts, "; ")
	if len(ev) > maxEvidence+1 {
		title += fmt.Sprintf(" (%d declarations, first %d shown)", len(ev)-1, maxEvidence)
		ev = ev[:maxEvidence+1]
	}
	reason := "<queries> declares the apps this app needs to see on Android 11 and later; it can then tell whether they are installed"
	if len(named) > 0 {
		reason += "; well-known apps: " + strings.Join(named, ", ")
	}
	return []analysis.Finding{{
		Category:   knowledge.BehaviourAppWatchlist,
		Title:      title,
		Severity:   sev,
		Confidence: analysis.Confidence{Level: confHigh, Reason: reason},
		Evidence:   ev,
	}}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ---- launcher entry ----

func isLauncher(c app.Component) bool {
	if c.Kind != "activity" && c.Kind != "activity-alias" {
		return false
	}
	for _, f := range c.IntentFilters {
		if slices.Contains(f.Actions, actionMain) &&
			(slices.Contains(f.Categories, categoryLauncher) || slices.Contains(f.Categories, categoryLeanbackLnch)) {
			return true
		}
	}
	return false
}

// checkHidden reports an app without an enabled launcher entry.
func checkHidden(in *input) []analysis.Finding {
	var disabled []app.Component
	for _, c := range in.Info.Components {
		if !isLauncher(c) {
			continue
		}
		if c.Enabled {
			return nil
		}
		disabled = append(disabled, c)
	}
	const android10 = "; on Android 10 and later the launcher shows an app-details icon in its place unless the app is a system app or requests no permission"
	f := analysis.Finding{Category: knowledge.BehaviourHidden, Severity: analysis.Medium}
	if len(disabled) > 0 {
		var names []string
		for _, c := range disabled {
			names = append(names, shortClass(in.Info.Package, c.Name))
			if len(f.Evidence) < maxEvidence {
				f.Evidence = append(f.Evidence, in.compEvidence(c, filtersWithLauncher(c)))
			}
		}
		f.Title = "Hides itself: its launcher entry " + listNames(names) + " is disabled in the manifest"
		f.Confidence = analysis.Confidence{Level: confMedium, Reason: "the only launcher activities have android:enabled=\"false\"; the app can enable them at run time, or never" + android10}
		return []analysis.Finding{f}
	}
	f.Title = "Hides itself: no launcher activity"
	f.Confidence = analysis.Confidence{Level: confMedium, Reason: "no activity or activity-alias has an intent filter with action MAIN and category LAUNCHER, so the app puts no icon of its own in the launcher and is started by the system, other apps or adb" + android10}
	if kind, c := pickedInSettings(in.Info); kind != "" {
		f.Severity = analysis.Low
		f.Confidence = analysis.Confidence{Level: confLow, Reason: "the app has no launcher activity, but it is " + kind + " (" + shortClass(in.Info.Package, c.Name) + "), which the user picks in the system settings: such apps need no icon of their own"}
	}
	if in.Doc.InstrumentationLine > 0 && !hasActivity(in.Info) {
		// A test package: am instrument runs it against the package it
		// tests; with no activity there is nothing for an icon to open.
		target := in.Doc.InstrumentationTarget
		if target == "" {
			target = "another package"
		}
		f.Severity = analysis.Low
		f.Confidence = analysis.Confidence{Level: confLow, Reason: "the app has no activity at all and declares <instrumentation> testing " + target + ": a test package, which am instrument runs, needs no icon"}
		f.Evidence = []analysis.Evidence{in.evidence(in.Doc.InstrumentationLine, "<instrumentation> testing "+target+"; no <activity> or <activity-alias>")}
		return []analysis.Finding{f}
	}
	line, detail := in.Doc.AppLine, "<application> declares no activity with MAIN and LAUNCHER"
	if line == 0 {
		line, detail = in.Doc.ManifestLine, "<manifest> declares no activity with MAIN and LAUNCHER"
	}
	f.Evidence = []analysis.Evidence{in.evidence(line, detail)}
	return []analysis.Finding{f}
}

// hasActivity reports whether the manifest declares any activity or
// activity-alias.
func hasActivity(info *app.Info) bool {
	for _, c := range info.Components {
		if c.Kind == "activity" || c.Kind == "activity-alias" {
			return true
		}
	}
	return false
}

// settingsRoles are the services the user picks in the system settings
// rather than from the launcher, by the permission the system binds them
// with.
var settingsRoles = map[string]string{
	"android.permission.BIND_INPUT_METHOD":      "a keyboard (input method)",
	"android.permission.BIND_WALLPAPER":         "a live wallpaper",
	"android.permission.BIND_DREAM_SERVICE":     "a screen saver (dream)",
	"android.permission.BIND_TV_INPUT":          "a TV input",
	"android.permission.BIND_PRINT_SERVICE":     "a print service",
	"android.permission.BIND_TEXT_SERVICE":      "a spell checker",
	"android.permission.BIND_VOICE_INTERACTION": "a voice assistant",
}

// pickedInSettings returns what the app is when one of its services is a
// role the user picks in the system settings, and that service.
func pickedInSettings(info *app.Info) (string, app.Component) {
	for _, c := range info.Components {
		if c.Kind != "service" || !c.Enabled {
			continue
		}
		if k, ok := settingsRoles[c.Permission]; ok {
			return k, c
		}
	}
	return "", app.Component{}
}

func filtersWithLauncher(c app.Component) []app.IntentFilter {
	var out []app.IntentFilter
	for _, f := range c.IntentFilters {
		if slices.Contains(f.Actions, actionMain) {
			out = append(out, f)
		}
	}
	return out
}

// ---- debuggable ----

func checkDebuggable(in *input) []analysis.Finding {
	if !in.Info.Debuggable {
		return nil
	}
	return []analysis.Finding{{
		Category: knowledge.BehaviourExposed,
		Title:    "Exposes data: debuggable build (android:debuggable=\"true\")",
		Severity: analysis.Medium,
		Confidence: analysis.Confidence{Level: confLow, Reason: "a debuggable app lets anyone with adb access attach a debugger and run commands as the app (run-as), " +
			"reading its private files and databases; that takes a person with the unlocked phone and a computer, not another app"},
		Evidence: []analysis.Evidence{in.evidence(in.Doc.AppLine, tag("application", "android:debuggable", "true"))},
	}}
}

// ---- target SDK ----

// targetSDK returns the effective target API level: targetSdkVersion,
// else minSdkVersion, else 1, as PackageParser defaults them. A codename
// (a preview build) counts as newer than any release.
func targetSDK(info *app.Info) (level int, written string) {
	for _, s := range []string{info.TargetSDK, info.MinSDK} {
		if s == "" {
			continue
		}
		if n, err := strconv.Atoi(s); err == nil {
			return n, s
		}
		return 1 << 20, s
	}
	return 1, ""
}
