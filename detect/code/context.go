package code

import (
	"context"
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
	// sharedPath is the first place the app's own code loads a path of
	// shared storage ("/sdcard/…"), "" if none.
	sharedPath string
	// lists caches, per class, where it lists a folder of shared storage.
	lists map[string]string
	// a11y names an accessibility service the manifest declares, "" if
	// none; uiAutomation is set when the app's code names UiAutomation.
	a11y         string
	uiAutomation bool
}

// usesUiAutomation reports whether the app's code names UiAutomation,
// through which instrumented code reads and acts on every window.
func usesUiAutomation(ix *IndexResult) bool {
	for _, d := range ix.Dex {
		if d == nil || d.File == nil {
			continue
		}
		if _, ok := d.File.FindType("Landroid/app/UiAutomation;"); ok {
			return true
		}
	}
	return false
}

// storagePerm reports whether the app requests (or is granted) access to
// shared storage; true for a bare DEX, which has no manifest to say.
func (cx *callContext) storagePerm() bool {
	if cx.perms == nil {
		return true
	}
	return cx.perms["android.permission.READ_EXTERNAL_STORAGE"] || cx.perms["android.permission.WRITE_EXTERNAL_STORAGE"] || cx.perms["android.permission.MANAGE_EXTERNAL_STORAGE"]
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
			if cx.a11y == "" && c.AccessibilityService() {
				cx.a11y = c.Name
			}
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
	cx.uiAutomation = usesUiAutomation(ix)
	cx.sharedPath = ix.sharedPathLiteral()
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
		switch origin, at := cx.ix.dirOrigin(context.Background(), c.Site, 0, argDepth); origin {
		case dirPrivate:
			return "lists a folder of the app's own (" + at + "), not shared storage"
		case dirShared:
			return "+it lists a folder of shared storage (" + at + ")"
		case dirIntent:
			if cx.storagePerm() {
				return "+it lists a folder named by the intent it receives (" + at + "), with the storage permission the app requests"
			}
		}
		r := cx.classRules[cls]
		if r["Landroid/os/Environment;->getExternalStorageDirectory"] || r["Landroid/os/Environment;->getExternalStoragePublicDirectory"] ||
			cx.ownRules["Landroid/os/Environment;->getExternalStorageDirectory"] || cx.ownRules["Landroid/os/Environment;->getExternalStoragePublicDirectory"] {
			return "+the app's code opens shared storage and lists folders"
		}
		if cx.sharedPath != "" && cx.storagePerm() {
			return "+the app's code names shared storage (" + cx.sharedPath + "), requests the storage permission and lists folders"
		}
		return "lists a folder, but the app's code never opens shared storage"
	case "Ldalvik/system/BaseDexClassLoader;-><init>":
		// The app's own class loader, built on BaseDexClassLoader with a
		// path to DEX code, loads that code: a multidex or framework
		// helper is library code, attributed apart.
		if h := cx.ix.Hierarchy; h != nil && h.Defined(cls) && h.Super(cls) == "Ldalvik/system/BaseDexClassLoader;" && strings.Contains(cx.ix.MethodName(c.Site.Dex, c.Site.Method), "-><init>(") {
			return "+the app's own class " + cls + " extends BaseDexClassLoader: a class loader of its own for DEX code"
		}
		return ""
	case "Ljavax/crypto/CipherOutputStream;-><init>":
		return cx.encryptsFiles(c)
	case "Landroid/content/pm/PackageManager;->setComponentEnabledSetting":
		return cx.hides(c, cls)
	case "Landroid/view/accessibility/AccessibilityNodeInfo;->performAction", "Landroid/view/accessibility/AccessibilityEvent;->getText":
		// Only an accessibility service, or UiAutomation (code run as
		// instrumentation, as test frameworks are), gets other apps'
		// screen elements and events; without either, the nodes are the
		// app's own views.
		if cx.perms != nil && cx.a11y == "" && !cx.uiAutomation {
			return "the app declares no accessibility service and its code never names UiAutomation, so the screen elements and events are its own views'"
		}
		return ""
	case "Landroid/view/WindowManager;->addView", "Landroid/view/ViewManager;->addView":
		saw := cx.perms == nil || cx.perms["android.permission.SYSTEM_ALERT_WINDOW"]
		switch t, name := cx.windowType(c); {
		case name != "" && (saw || t == typeToast):
			return "+it adds a window of type " + name + ", which is drawn over other apps"
		case name != "":
			return "adds a window of type " + name + ", but without SYSTEM_ALERT_WINDOW it cannot go over other apps"
		}
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

// fileStreams are the calls whose result (or new object) writes to a file.
var fileStreams = map[string]bool{
	"Ljava/io/FileOutputStream;-><init>": true, "Landroid/content/Context;->openFileOutput": true,
	"Landroid/content/ContentResolver;->openOutputStream": true, "Ljava/io/RandomAccessFile;-><init>": true,
}

// listsShared returns where a class lists a folder of shared storage
// (its listing calls are strong in this context), "" if nowhere.
func (cx *callContext) listsShared(class string) string {
	if cx.lists == nil {
		cx.lists = map[string]string{}
		for _, c := range cx.ix.Calls {
			k := c.Rule.Class + "->" + c.Rule.Member
			if k != "Ljava/io/File;->listFiles" && k != "Ljava/io/File;->list" {
				continue
			}
			cls := cx.ix.Class(c.Site)
			if _, done := cx.lists[cls]; done || cx.ix.SDK(c.Site) != "" {
				continue
			}
			if why := cx.weaken(c); strings.HasPrefix(why, "+") {
				cx.lists[cls] = cx.ix.Location(c.Site)
			}
		}
	}
	return cx.lists[class]
}

// encryptsFiles decides a CipherOutputStream: it encrypts the user's
// files when it wraps a file's stream and the code that calls the method
// (up to two levels of callers) lists shared storage.
func (cx *callContext) encryptsFiles(c Call) string {
	fr := cx.ix.SiteFrame(c.Site)
	if fr == nil {
		return ""
	}
	file := false
	for _, v := range fr.Flatten(fr.Arg(c.Site.PC, 1)) {
		if v.Kind == ValField || v.Kind == ValStatic {
			// A stream kept in a field: its declared type tells.
			if ref, err := fr.File.Field(v.Index); err == nil && (ref.Type == "Ljava/io/FileOutputStream;" || ref.Type == "Ljava/io/RandomAccessFile;") {
				file = true
			}
			continue
		}
		if v.Kind != ValNew && v.Kind != ValResult {
			continue
		}
		for _, in := range fr.Invokes {
			ref, err := fr.File.Method(in.Method)
			if err != nil || !fileStreams[ref.Class+"->"+ref.Name] {
				continue
			}
			if (v.Kind == ValResult && in.PC == v.PC) || (v.Kind == ValNew && len(in.Args) > 0 && slices.Contains(in.Args[0], v)) {
				file = true
			}
		}
	}
	if !file {
		return "encrypts a stream that is not shown to be a file"
	}
	seen := map[Site]bool{}
	var up func(s Site, depth int) string
	up = func(s Site, depth int) string {
		if seen[s] {
			return ""
		}
		seen[s] = true
		if at := cx.listsShared(cx.ix.Class(s)); at != "" {
			return at
		}
		if depth == 0 {
			return ""
		}
		for i, caller := range cx.ix.Callers(context.Background(), s.Dex, s.Method) {
			if i == maxArgCallers {
				break
			}
			if at := up(caller, depth-1); at != "" {
				return at
			}
		}
		return ""
	}
	if at := up(c.Site, argDepth); at != "" {
		return "+it encrypts what it writes to a file, for code that lists shared storage (" + at + "): a cipher over the user's files"
	}
	return "encrypts a file, but the files are not shown to come from shared storage"
}

// Window types that are drawn over other apps (WindowManager.LayoutParams).
const typeToast = 2005

var overlayTypes = map[int]string{
	2002: "TYPE_PHONE", 2003: "TYPE_SYSTEM_ALERT", 2005: "TYPE_TOAST", 2006: "TYPE_SYSTEM_OVERLAY",
	2007: "TYPE_PRIORITY_PHONE", 2010: "TYPE_SYSTEM_ERROR", 2038: "TYPE_APPLICATION_OVERLAY",
}

// windowType returns the overlay window type (and its name) of the layout
// parameters an addView call passes (slot 2), read from the LayoutParams
// constructor's literals or a literal stored in its type field; 0 and ""
// when none is seen.
func (cx *callContext) windowType(c Call) (int, string) {
	fr := cx.ix.SiteFrame(c.Site)
	if fr == nil {
		return 0, ""
	}
	var lits []int64
	for _, v := range fr.Flatten(fr.Arg(c.Site.PC, 2)) {
		if v.Kind == ValLiteral {
			lits = append(lits, v.Lit)
		}
	}
	for _, p := range fr.Puts {
		if ref, err := fr.File.Field(p.Field); err == nil && ref.Class == "Landroid/view/WindowManager$LayoutParams;" && ref.Name == "type" {
			lits = append(lits, Literals(p.Values)...)
		}
	}
	for _, l := range lits {
		if n, ok := overlayTypes[int(l)]; ok {
			return int(l), n
		}
	}
	return 0, ""
}
