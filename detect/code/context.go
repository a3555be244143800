package code

import (
	"slices"
	"strings"
	"sync"

	"appxray/analysis"
	"appxray/app"
	"appxray/knowledge"
)

// weakenedPrefix marks the note of a rule copy that the context made weak;
// the rest of the note is why.
const weakenedPrefix = "\x00weakened: "

// weakened returns a weak copy of a rule, saying why.
func weakened(r *knowledge.APIRule, why string) *knowledge.APIRule {
	c := *r
	c.Confidence = knowledge.Weak
	c.Note = weakenedPrefix + why
	return &c
}

// callContext decides what a call proves from what else the app does:
// the same API is strong in one place and plumbing in another.
type callContext struct {
	perms map[string]bool
	// classCats lists, per calling class, the categories its strong calls
	// reach and the rules it calls.
	classCats  map[string]map[knowledge.Category]bool
	classRules map[string]map[string]bool
	class      func(Site) string
	// ownRules are the rules the app's own code (not an SDK's) calls.
	ownRules map[string]bool
	// smsIn is why the app gets incoming SMS ("" if it does not).
	smsIn string
	ix    *IndexResult
	// launchers are the launcher activities the manifest declares, as
	// descriptors; bareDex is set when there is no manifest.
	launchers map[string]bool
	bareDex   bool
}

func newContext(pass *analysis.Pass, ix *IndexResult) *callContext {
	cx := &callContext{perms: map[string]bool{}, classCats: map[string]map[knowledge.Category]bool{}, classRules: map[string]map[string]bool{}, ix: ix, launchers: map[string]bool{}}
	if info := pass.App.Info(); info != nil {
		for _, p := range info.Permissions {
			cx.perms[p] = true
		}
		for _, ip := range info.ImpliedPermissions {
			cx.perms[ip.Name] = true
		}
		for _, c := range info.Components {
			if (c.Kind == "activity" || c.Kind == "activity-alias") && launcherFilter(c) {
				cx.launchers["L"+strings.ReplaceAll(c.Name, ".", "/")+";"] = true
				if c.TargetActivity != "" {
					cx.launchers["L"+strings.ReplaceAll(c.TargetActivity, ".", "/")+";"] = true
				}
			}
		}
	} else {
		cx.perms = nil // a bare DEX: no manifest to hold the code to
		cx.bareDex = true
	}
	cx.ownRules = map[string]bool{}
	for _, c := range ix.Calls {
		cls := ix.Class(c.Site)
		if ix.SDK(c.Site) == "" {
			cx.ownRules[c.Rule.Class+"->"+c.Rule.Member] = true
			if c.Category == knowledge.DeviceSMS && c.Strong() && cx.smsIn == "" {
				cx.smsIn = "the app reads SMS (" + ix.Location(c.Site) + ")"
			}
		}
		if cx.classRules[cls] == nil {
			cx.classRules[cls] = map[string]bool{}
			cx.classCats[cls] = map[knowledge.Category]bool{}
		}
		cx.classRules[cls][c.Rule.Class+"->"+c.Rule.Member] = true
		if c.Category != "" && c.Strong() {
			cx.classCats[cls][c.Category] = true
		}
	}
	cx.class = ix.Class
	if cx.perms != nil && cx.perms["android.permission.RECEIVE_SMS"] {
		cx.smsIn = "the app requests RECEIVE_SMS"
	}
	return cx
}

// permsFor maps a device category to the permissions that open it.
var permsFor = sync.OnceValue(func() map[knowledge.Category][]string {
	m := map[knowledge.Category][]string{}
	for _, p := range knowledge.Permissions() {
		for _, c := range p.Categories {
			m[c] = append(m[c], p.Name)
		}
	}
	return m
})

// needsPermission lists the device categories whose APIs fail without one
// of the permissions that open them; for the others (files on old
// releases, network state) a missing permission proves nothing.
var needsPermission = map[knowledge.Category]bool{
	knowledge.DeviceContacts: true, knowledge.DeviceSMS: true, knowledge.DeviceCallLog: true,
	knowledge.DeviceCalendar: true, knowledge.DeviceLocation: true, knowledge.DeviceCamera: true,
	knowledge.DeviceMicrophone: true, knowledge.DevicePhoneNumber: true, knowledge.DeviceIdentifiers: true,
	knowledge.DeviceNetwork: true, knowledge.BehaviourSMSSend: true,
}

// strengthened returns a strong copy of a weak rule that the context
// confirms, saying why.
func strengthened(r *knowledge.APIRule, why string) *knowledge.APIRule {
	c := *r
	c.Confidence = knowledge.Strong
	c.Note = strongPrefix + why
	return &c
}

// strongPrefix marks the note of a rule copy the context made strong.
const strongPrefix = "\x00strengthened: "

// adjust returns the rule as the call's context shows it: a weak rule the
// context confirms made strong, a strong one it undermines made weak.
func (cx *callContext) adjust(c Call) *knowledge.APIRule {
	why := cx.weaken(c)
	switch {
	case why == "":
		return c.Rule
	case strings.HasPrefix(why, "+"):
		return strengthened(c.Rule, why[1:])
	}
	return weakened(c.Rule, why)
}

// weaken returns why a call proves less than its rule says here, "" when
// it proves what the rule says, or "+" and why when the context confirms
// what a weak rule alone does not.
func (cx *callContext) weaken(c Call) string {
	if c.Weak {
		return c.WeakWhy
	}
	cls := cx.class(c.Site)
	rule := c.Rule.Class + "->" + c.Rule.Member
	switch rule {
	case "Landroid/content/BroadcastReceiver;->abortBroadcast":
		// SMS_RECEIVED is the ordered broadcast apps abort; a receiver of
		// an app that gets SMS hides them from the messaging app.
		if cx.classCats[cls][knowledge.DeviceSMS] {
			return "+a receiver that reads SMS aborts the broadcast: the messaging app never sees them"
		}
		if cx.smsIn != "" {
			return "+" + cx.smsIn + " and a receiver aborts the ordered SMS broadcast, hiding messages from the messaging app"
		}
		return "aborts a broadcast, but the app gets no SMS: it may hide any broadcast"
	case "Ljava/io/File;->listFiles", "Ljava/io/File;->list":
		r := cx.classRules[cls]
		if r["Landroid/os/Environment;->getExternalStorageDirectory"] || r["Landroid/os/Environment;->getExternalStoragePublicDirectory"] ||
			cx.ownRules["Landroid/os/Environment;->getExternalStorageDirectory"] || cx.ownRules["Landroid/os/Environment;->getExternalStoragePublicDirectory"] {
			return "+the app's code opens shared storage and lists folders"
		}
		return "lists a folder, but the app's code never opens shared storage"
	case "Landroid/content/pm/PackageManager;->setComponentEnabledSetting":
		return cx.hides(c, cls)
	case "Landroid/view/WindowManager;->addView", "Landroid/view/ViewManager;->addView":
		if cx.perms != nil && cx.perms["android.permission.SYSTEM_ALERT_WINDOW"] {
			return "+the app requests SYSTEM_ALERT_WINDOW, so its windows can cover other apps"
		}
		return "adds a window, but without SYSTEM_ALERT_WINDOW it cannot go over other apps"
	}
	if c.Rule.Confidence == knowledge.Weak || cx.perms == nil || (!needsPermission[c.Category] && len(c.Rule.Permissions) == 0) {
		return ""
	}
	need := permsFor()[c.Category]
	if len(c.Rule.Permissions) > 0 {
		need = c.Rule.Permissions
	}
	if len(need) == 0 || slices.ContainsFunc(need, func(p string) bool { return cx.perms[p] }) {
		return ""
	}
	short := make([]string, 0, len(need))
	for _, p := range need {
		short = append(short, strings.TrimPrefix(p, "android.permission."))
		if len(short) == 4 {
			break
		}
	}
	return "the app requests no permission that opens this (" + strings.Join(short, ", ") + "), so the call fails or returns nothing"
}

// launcherFilter reports whether a component has a MAIN/LAUNCHER filter.
func launcherFilter(c app.Component) bool {
	for _, f := range c.IntentFilters {
		if slices.Contains(f.Actions, "android.intent.action.MAIN") && slices.Contains(f.Categories, "android.intent.category.LAUNCHER") {
			return true
		}
	}
	return false
}

// Component states passed to setComponentEnabledSetting that turn a
// component off.
const (
	stateDisabled     = 2 // COMPONENT_ENABLED_STATE_DISABLED
	stateDisabledUser = 3 // COMPONENT_ENABLED_STATE_DISABLED_USER
)

// hides decides a setComponentEnabledSetting call: it hides the app when
// it turns off (a literal DISABLED state) the launcher activity, or the
// activity that runs the call in a bare DEX (no manifest to name the
// launcher), or, when the ComponentName's class cannot be read, when the
// launcher activity itself makes the call.
func (cx *callContext) hides(c Call, cls string) string {
	states := cx.ix.ArgLiterals(c.Site, 2)
	if !slices.Contains(states, stateDisabled) && !slices.Contains(states, stateDisabledUser) {
		return ""
	}
	var named []string
	if fr := cx.ix.SiteFrame(c.Site); fr != nil {
		for _, v := range fr.Flatten(fr.Arg(c.Site.PC, 1)) {
			if v.Kind == ValClass {
				if t, err := fr.File.TypeName(v.Index); err == nil {
					named = append(named, t)
				}
			}
		}
	}
	h := cx.ix.Hierarchy
	activity := h != nil && h.IsSubtype(cls, "Landroid/app/Activity;")
	for _, n := range named {
		switch {
		case cx.launchers[n]:
			return "+it disables its launcher activity " + n + ", which takes its icon off the launcher"
		case n == cls && activity && cx.bareDex:
			return "+the activity " + n + " disables itself (a bare DEX has no manifest to name its launcher entry)"
		}
	}
	if len(named) == 0 && cx.launchers[cls] {
		return "+its launcher activity " + cls + " disables one of its components, as apps that hide their icon do"
	}
	return "disables a component that is not shown to be its launcher entry"
}
