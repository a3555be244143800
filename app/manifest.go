package app

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"appxray/arsc"
	"appxray/axml"
	"appxray/res"
	"appxray/zipapk"
)

// AndroidNS is the namespace of the android: attributes.
const AndroidNS = "http://schemas.android.com/apk/res/android"

// Resource IDs of the android: attributes the model reads. Android finds
// attributes by these IDs, not by name, and so do we: obfuscators rename or
// blank the names.
const (
	AttrLabel                 = 0x01010001
	AttrIcon                  = 0x01010002
	AttrName                  = 0x01010003
	AttrPermission            = 0x01010006
	AttrReadPermission        = 0x01010007
	AttrWritePermission       = 0x01010008
	AttrProtectionLevel       = 0x01010009
	AttrPermissionGroup       = 0x0101000a
	AttrEnabled               = 0x0101000e
	AttrDebuggable            = 0x0101000f
	AttrExported              = 0x01010010
	AttrAuthorities           = 0x01010018
	AttrPriority              = 0x0101001c
	AttrTargetActivity        = 0x01010202
	AttrMinSdkVersion         = 0x0101020c
	AttrVersionCode           = 0x0101021b
	AttrVersionName           = 0x0101021c
	AttrTargetSdkVersion      = 0x01010270
	AttrMaxSdkVersion         = 0x01010271
	AttrScheme                = 0x01010027
	AttrHost                  = 0x01010028
	AttrPort                  = 0x01010029
	AttrPath                  = 0x0101002a
	AttrPathPrefix            = 0x0101002b
	AttrPathPattern           = 0x0101002c
	AttrMimeType              = 0x01010026
	AttrUsesCleartextTraffic  = 0x010104ec
	AttrNetworkSecurityConfig = 0x01010527
	AttrVersionCodeMajor      = 0x01010576
	AttrResource              = 0x01010025
)

// Info is what the manifest declares about the app, with resource references
// resolved against the default configuration.
type Info struct {
	Package     string
	VersionName string
	VersionCode int64
	MinSDK      string // usually a number; a codename for preview builds
	TargetSDK   string
	// Label in the default locale, and per locale ("" is the default).
	Label  string
	Labels map[string]string

	// Permissions are the requested permissions and those Android implies
	// (see ImpliedPermissions), sorted and unique: what the app gets to ask for.
	Permissions         []string
	ImpliedPermissions  []ImpliedPermission
	PermissionLines     map[string]int
	DeclaredPermissions []DeclaredPermission
	Components          []Component
	QueriedPackages     []string
	QueriedIntents      []IntentFilter
	QueriedProviders    []string

	Debuggable            bool
	UsesCleartextTraffic  *bool
	NetworkSecurityConfig string // resource name or "@0x…" when it cannot be named
	SharedUserID          string

	// Split is the split name; "" for the base APK, split="" included
	// (PackageParser reads an empty name as none).
	Split string
	// RootElement is the name of the manifest's root element.
	// PackageManager accepts only "manifest" ("No <manifest> tag").
	RootElement string
	// RequestedPermissions are the permissions the manifest requests, in
	// document order, each with its line: the declared ones, as opposed to
	// ImpliedPermissions.
	RequestedPermissions []RequestedPermission
	// Unreadable lists the facts PackageManager cannot read (a string it
	// cannot decode); they are left out of the fields above rather than
	// shown as placeholders.
	Unreadable []Unreadable
	// HiddenAttributes lists attributes aapt and other tools show but
	// Android does not see (see HiddenAttribute).
	HiddenAttributes []HiddenAttribute
}

// ImpliedPermission is a permission an old app gets without asking, as
// PackageParser (and aapt's badging) add it.
type ImpliedPermission struct {
	Name   string
	Reason string // "targetSdkVersion < 4", "requested WRITE_EXTERNAL_STORAGE"…
	// From is the requested permission that implies this one, "" when the
	// target SDK alone does.
	From string
}

// RequestedPermission is one <uses-permission> (or uses-permission-sdk-23).
type RequestedPermission struct {
	Name    string
	Element string // "uses-permission", "uses-permission-sdk-23"…
	Line    int
	// MaxSDK is android:maxSdkVersion (0 if absent): the permission is
	// requested only on platforms up to it.
	MaxSDK int
}

// Unreadable is a fact of the manifest held in a string Android cannot
// read (StringBlock throws, so PackageManager refuses the APK).
type Unreadable struct {
	Element   string // "uses-permission", "activity", "manifest"…
	Attribute string // "name", "package"…
	Line      int
	Offset    int64 // of the attribute record in the manifest
	Reason    string
}

// HiddenAttribute is an attribute Android does not see: one out of
// resource ID order, which the framework's sorted merge (AttributeResolution
// RetrieveAttributes) skips; one named like a framework attribute but
// without its resource ID; a "package" or "split" carrying a namespace.
type HiddenAttribute struct {
	Element   string
	Attribute string
	Line      int
	Offset    int64
	Reason    string
}

// DeclaredPermission is a <permission> the app defines.
type DeclaredPermission struct {
	Name            string
	ProtectionLevel uint32
	Line            int
}

// Component is an activity, activity-alias, service, receiver or provider.
type Component struct {
	Kind     string // the element name
	Name     string // fully qualified class name
	Exported bool
	// ExportedSet tells whether android:exported was written; when it was
	// not, Exported is what Android infers (exported if it has an intent
	// filter, or for a provider if the target SDK is below 17).
	ExportedSet     bool
	Enabled         bool
	Permission      string
	ReadPermission  string
	WritePermission string
	Authorities     string
	TargetActivity  string
	IntentFilters   []IntentFilter
	MetaData        map[string]string
	Line            int
}

// AccessibilityService reports whether the component is a service Android
// can bind as an accessibility service: guarded by
// BIND_ACCESSIBILITY_SERVICE, or filtering the AccessibilityService
// action.
func (c Component) AccessibilityService() bool {
	if c.Kind != "service" {
		return false
	}
	if c.Permission == "android.permission.BIND_ACCESSIBILITY_SERVICE" {
		return true
	}
	for _, f := range c.IntentFilters {
		if slices.Contains(f.Actions, ActionAccessibilityService) {
			return true
		}
	}
	return false
}

// ActionAccessibilityService is the action an accessibility service filters.
const ActionAccessibilityService = "android.accessibilityservice.AccessibilityService"

// IntentFilter is an <intent-filter> (or a <queries> <intent>).
type IntentFilter struct {
	Actions    []string
	Categories []string
	Data       []string // scheme://host:port/path and mimeType=…, as written
	Priority   int
	Line       int
}

// Info reads the base manifest. It returns nil if there is no manifest.
func (a *App) Info() *Info {
	doc := a.Manifest()
	if doc == nil || doc.Root == nil {
		return nil
	}
	return ReadInfo(doc, a.Resources())
}

// ReadInfo derives Info from a manifest document and (optionally) the
// resource table its references point into.
//
// It reads as PackageManager reads (ParsingPackageUtils, ApkLiteParseUtils):
// framework attributes by resource ID through the framework's sorted merge
// (axml.Element.FrameworkAttr), never by name; package and split as
// literal strings of the attribute without a namespace; the name of a
// uses-permission as a literal string only (TypedArray.
// getNonResourceString); booleans as TypedArray.getBoolean takes them.
// What it cannot read, or what Android does not see, is listed in
// Info.Unreadable and Info.HiddenAttributes.
func ReadInfo(doc *axml.Document, table *arsc.Table) *Info {
	r := resolver{table: table, pool: doc.Strings, notes: &notes{}}
	root := doc.Root
	info := &Info{
		PermissionLines: map[string]int{},
		Labels:          map[string]string{},
		RootElement:     root.Name,
	}
	info.Package, _ = r.literal(root, "package")
	if s, ok := r.literal(root, "split"); ok {
		info.Split = s
	}
	info.VersionName = r.str(root, AttrVersionName, "versionName")
	if v, ok := r.intValue(root, AttrVersionCode, "versionCode"); ok {
		info.VersionCode = int64(uint32(v))
	}
	if v, ok := r.intValue(root, AttrVersionCodeMajor, "versionCodeMajor"); ok {
		info.VersionCode |= int64(uint32(v)) << 32
	}
	info.SharedUserID = r.str(root, 0x0101000b, "sharedUserId")

	perms := map[string]bool{}
	var app *axml.Element
	for _, e := range root.Children {
		switch e.Name {
		case "uses-sdk":
			info.MinSDK = r.sdk(e, AttrMinSdkVersion, "minSdkVersion")
			info.TargetSDK = r.sdk(e, AttrTargetSdkVersion, "targetSdkVersion")
		case "uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m":
			if name := r.nonResourceString(e, AttrName, "name"); name != "" {
				if !perms[name] {
					info.PermissionLines[name] = int(e.Line)
				}
				perms[name] = true
				rp := RequestedPermission{Name: name, Element: e.Name, Line: int(e.Line)}
				if v, ok := r.intValue(e, AttrMaxSdkVersion, "maxSdkVersion"); ok {
					rp.MaxSDK = int(v)
				}
				info.RequestedPermissions = append(info.RequestedPermissions, rp)
			}
		case "permission":
			name, ok := r.name(e, AttrName, "name")
			if !ok {
				continue
			}
			p := DeclaredPermission{Name: name, Line: int(e.Line)}
			if v, ok := r.intValue(e, AttrProtectionLevel, "protectionLevel"); ok {
				p.ProtectionLevel = uint32(v)
			}
			info.DeclaredPermissions = append(info.DeclaredPermissions, p)
		case "queries":
			for _, q := range e.Children {
				switch q.Name {
				case "package":
					if n, ok := r.name(q, AttrName, "name"); ok && n != "" {
						info.QueriedPackages = append(info.QueriedPackages, n)
					}
				case "intent":
					info.QueriedIntents = append(info.QueriedIntents, r.intentFilter(q))
				case "provider":
					if au := r.str(q, AttrAuthorities, "authorities"); au != "" {
						info.QueriedProviders = append(info.QueriedProviders, au)
					}
				}
			}
		case "application":
			if app == nil {
				app = e
			}
		}
	}
	info.ImpliedPermissions = impliedPermissions(perms, info.TargetSDK, info.MinSDK)
	for _, ip := range info.ImpliedPermissions {
		perms[ip.Name] = true
	}
	for p := range perms {
		info.Permissions = append(info.Permissions, p)
	}
	sort.Strings(info.Permissions)

	if app != nil {
		info.Label = r.str(app, AttrLabel, "label")
		info.Labels = bcp47Keys(r.perLocale(app, AttrLabel, "label"))
		info.Debuggable, _ = r.boolValue(app, AttrDebuggable, "debuggable")
		if v, ok := r.boolValue(app, AttrUsesCleartextTraffic, "usesCleartextTraffic"); ok {
			info.UsesCleartextTraffic = &v
		}
		if a, ok := r.attr(app, AttrNetworkSecurityConfig, "networkSecurityConfig"); ok {
			info.NetworkSecurityConfig = r.refName(a)
		}
		target, _ := strconv.Atoi(info.TargetSDK)
		for _, e := range app.Children {
			switch e.Name {
			case "activity", "activity-alias", "service", "receiver", "provider":
				if c, ok := r.component(e, info.Package, target); ok {
					info.Components = append(info.Components, c)
				}
			}
		}
	}
	info.Unreadable = r.notes.unreadable
	info.HiddenAttributes = r.notes.hidden
	return info
}

// SplitName is the split name of an APK's manifest as PackageManager reads
// it: the split attribute without a namespace, "" for the base (an empty
// name included).
func SplitName(doc *axml.Document) string {
	if doc == nil || doc.Root == nil {
		return ""
	}
	r := resolver{pool: doc.Strings, notes: &notes{}}
	s, _ := r.literal(doc.Root, "split")
	return s
}

// PackageName is the package name of an APK's manifest as PackageManager
// reads it: the raw string of the package attribute without a namespace.
func PackageName(doc *axml.Document) string {
	if doc == nil || doc.Root == nil {
		return ""
	}
	r := resolver{pool: doc.Strings, notes: &notes{}}
	s, _ := r.literal(doc.Root, "package")
	return s
}

// manifestAnomalies are what ReadInfo notes about the part's manifest: a
// root other than <manifest>, facts it cannot read, attributes Android
// does not see.
func (p *Part) manifestAnomalies() []Anomaly {
	p.manAnomOnce.Do(func() {
		doc := p.Manifest()
		if doc == nil || doc.Root == nil {
			return
		}
		info := ReadInfo(doc, nil)
		const entry = "AndroidManifest.xml"
		converted := p.convertedEntry(entry)
		add := func(kind zipapk.AnomalyKind, off int64, rejects bool, detail string) {
			if converted {
				off = -1 // an element of the binary form appxray laid out
			}
			p.manAnoms = append(p.manAnoms, Anomaly{Part: p.Name, Source: SourceManifest,
				Anomaly: zipapk.Anomaly{Kind: kind, Offset: off, Entry: entry, Detail: detail, AndroidRejects: rejects}})
		}
		if info.RootElement != "manifest" {
			add(ManifestRootNotManifest, doc.Root.Offset, true, fmt.Sprintf("root element is <%s>, not <manifest>: PackageManager refuses the APK (\"No <manifest> tag\")", info.RootElement))
		}
		for _, u := range info.Unreadable {
			add(StringUnreadable, u.Offset, true, fmt.Sprintf("<%s> line %d: %s: %s; the fact is left out", u.Element, u.Line, u.Attribute, u.Reason))
		}
		for _, h := range info.HiddenAttributes {
			add(AttributeHidden, h.Offset, false, fmt.Sprintf("<%s> line %d: %s: %s", h.Element, h.Line, h.Attribute, h.Reason))
		}
	})
	return p.manAnoms
}

// impliedPermissions applies the rules by which Android grants old apps
// permissions they did not request (aapt's badging reports the same ones).
func impliedPermissions(perms map[string]bool, targetSDK, minSDK string) []ImpliedPermission {
	const (
		writeExt  = "android.permission.WRITE_EXTERNAL_STORAGE"
		readExt   = "android.permission.READ_EXTERNAL_STORAGE"
		phone     = "android.permission.READ_PHONE_STATE"
		readCont  = "android.permission.READ_CONTACTS"
		writeCont = "android.permission.WRITE_CONTACTS"
		readLog   = "android.permission.READ_CALL_LOG"
		writeLog  = "android.permission.WRITE_CALL_LOG"
	)
	target := sdkLevel(targetSDK)
	if targetSDK == "" {
		target = sdkLevel(minSDK)
	}
	has := func(p string) bool { return perms[p] }
	var out []ImpliedPermission
	add := func(p, reason, from string) {
		out = append(out, ImpliedPermission{Name: p, Reason: reason, From: from})
		perms[p] = true
	}
	if target < 4 {
		if !has(writeExt) {
			add(writeExt, "targetSdkVersion < 4", "")
		}
		if !has(phone) {
			add(phone, "targetSdkVersion < 4", "")
		}
	}
	if has(writeExt) && !has(readExt) {
		add(readExt, "requested WRITE_EXTERNAL_STORAGE", writeExt)
	}
	if target < 16 {
		if has(readCont) && !has(readLog) {
			add(readLog, "targetSdkVersion < 16 and requested READ_CONTACTS", readCont)
		}
		if has(writeCont) && !has(writeLog) {
			add(writeLog, "targetSdkVersion < 16 and requested WRITE_CONTACTS", writeCont)
		}
	}
	for _, p := range out {
		delete(perms, p.Name) // the caller adds them back with the requested ones
	}
	return out
}

// sdkLevel reads an SDK level; a codename (a preview platform) counts as the
// newest, and an absent level as 1, Android's defaults.
func sdkLevel(s string) int {
	if s == "" {
		return 1
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 10000
	}
	return n
}

// bcp47Keys rewrites resource-qualifier locales ("zh-rCN", "b+sr+Latn") as
// BCP 47 tags ("zh-CN", "sr-Latn"), the form people and aapt's badging use.
func bcp47Keys(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[BCP47(k)] = v
	}
	return out
}

// BCP47 rewrites a resource-qualifier locale as a BCP 47 tag.
func BCP47(loc string) string {
	if rest, ok := strings.CutPrefix(loc, "b+"); ok {
		return strings.ReplaceAll(rest, "+", "-")
	}
	parts := strings.Split(loc, "-")
	for i, p := range parts {
		if i > 0 && (len(p) == 3 || len(p) == 4) && p[0] == 'r' {
			parts[i] = p[1:]
		}
	}
	return strings.Join(parts, "-")
}

// component reads one component; ok is false when its name cannot be read.
func (r resolver) component(e *axml.Element, pkg string, targetSDK int) (Component, bool) {
	name, ok := r.name(e, AttrName, "name")
	if !ok {
		return Component{}, false
	}
	c := Component{
		Kind:            e.Name,
		Name:            QualifyClass(pkg, name),
		Enabled:         true,
		Permission:      r.str(e, AttrPermission, "permission"),
		ReadPermission:  r.str(e, AttrReadPermission, "readPermission"),
		WritePermission: r.str(e, AttrWritePermission, "writePermission"),
		Authorities:     r.str(e, AttrAuthorities, "authorities"),
		Line:            int(e.Line),
	}
	if t := r.str(e, AttrTargetActivity, "targetActivity"); t != "" {
		c.TargetActivity = QualifyClass(pkg, t)
	}
	if v, ok := r.boolValue(e, AttrEnabled, "enabled"); ok {
		c.Enabled = v
	}
	for _, ch := range e.Children {
		switch ch.Name {
		case "intent-filter":
			c.IntentFilters = append(c.IntentFilters, r.intentFilter(ch))
		case "meta-data":
			if c.MetaData == nil {
				c.MetaData = map[string]string{}
			}
			name := r.str(ch, AttrName, "name")
			val := r.str(ch, 0x01010024, "value")
			if a, ok := r.attr(ch, AttrResource, "resource"); ok && val == "" {
				val = r.refName(a)
			}
			c.MetaData[name] = val
		}
	}
	if v, ok := r.boolValue(e, AttrExported, "exported"); ok {
		c.Exported, c.ExportedSet = v, true
	} else if e.Name == "provider" {
		c.Exported = targetSDK > 0 && targetSDK < 17
	} else {
		c.Exported = len(c.IntentFilters) > 0
	}
	return c, true
}

func (r resolver) intentFilter(e *axml.Element) IntentFilter {
	f := IntentFilter{Line: int(e.Line)}
	if v, ok := r.intValue(e, AttrPriority, "priority"); ok {
		f.Priority = int(v)
	}
	for _, ch := range e.Children {
		switch ch.Name {
		case "action":
			f.Actions = append(f.Actions, r.str(ch, AttrName, "name"))
		case "category":
			f.Categories = append(f.Categories, r.str(ch, AttrName, "name"))
		case "data":
			var b strings.Builder
			if s := r.str(ch, AttrScheme, "scheme"); s != "" {
				b.WriteString(s + "://")
			}
			b.WriteString(r.str(ch, AttrHost, "host"))
			if p := r.str(ch, AttrPort, "port"); p != "" {
				b.WriteString(":" + p)
			}
			for _, pa := range []struct {
				id   uint32
				name string
			}{{AttrPath, "path"}, {AttrPathPrefix, "pathPrefix"}, {AttrPathPattern, "pathPattern"}} {
				b.WriteString(r.str(ch, pa.id, pa.name))
			}
			if m := r.str(ch, AttrMimeType, "mimeType"); m != "" {
				if b.Len() > 0 {
					b.WriteString(" ")
				}
				b.WriteString("mimeType=" + m)
			}
			if b.Len() > 0 {
				f.Data = append(f.Data, b.String())
			}
		}
	}
	return f
}

// QualifyClass expands a component name written relative to the package
// (".Main" or "Main") the way PackageParser does.
func QualifyClass(pkg, name string) string {
	switch {
	case name == "":
		return ""
	case strings.HasPrefix(name, "."):
		return pkg + name
	case !strings.Contains(name, "."):
		return pkg + "." + name
	}
	return name
}

// resolver reads attribute values as PackageManager does, following
// resource references into the table's default configuration, and notes
// what it cannot read or Android does not see.
type resolver struct {
	table *arsc.Table
	pool  *res.StringPool
	notes *notes
}

type notes struct {
	unreadable []Unreadable
	hidden     []HiddenAttribute
	seen       map[int64]bool // attribute offsets already noted
}

func (n *notes) once(off int64) bool {
	if n.seen == nil {
		n.seen = map[int64]bool{}
	}
	if n.seen[off] {
		return false
	}
	n.seen[off] = true
	return true
}

func (r resolver) hide(e *axml.Element, a *axml.Attribute, why string) {
	if r.notes.once(a.Offset) {
		r.notes.hidden = append(r.notes.hidden, HiddenAttribute{Element: e.Name, Attribute: a.Name, Line: int(e.Line), Offset: a.Offset, Reason: why})
	}
}

func (r resolver) unreadable(e *axml.Element, a *axml.Attribute, why string) {
	if r.notes.once(a.Offset) {
		r.notes.unreadable = append(r.notes.unreadable, Unreadable{Element: e.Name, Attribute: a.Name, Line: int(e.Line), Offset: a.Offset, Reason: why})
	}
}

// attr finds the framework attribute id as PackageManager does
// (axml.Element.FrameworkAttr); name only serves to notice attributes that
// look like it but that Android does not see.
func (r resolver) attr(e *axml.Element, id uint32, name string) (*axml.Attribute, bool) {
	if a, ok := e.FrameworkAttr(id); ok {
		return a, true
	}
	if a, ok := e.AttrByID(id); ok {
		r.hide(e, a, fmt.Sprintf("out of resource ID order: the framework's sorted attribute merge (RetrieveAttributes) skips it, so Android does not see android:%s (0x%08x)", name, id))
		return nil, false
	}
	if a, ok := e.Attr(AndroidNS, name); ok && a.ResourceID == 0 {
		r.hide(e, a, fmt.Sprintf("android:%s without the resource ID 0x%08x is not the framework attribute; Android ignores it", name, id))
	}
	return nil, false
}

// literal reads an attribute without a namespace the way
// XmlPullParser.getAttributeValue(null, name) does (package, split): its
// raw string, else its typed value coerced to a string. An attribute of
// that name with a namespace (even the empty one) is another attribute.
func (r resolver) literal(e *axml.Element, name string) (string, bool) {
	a, ok := e.PlainAttr(r.pool, name)
	if !ok {
		for i := range e.Attrs {
			if b := &e.Attrs[i]; b.Name == name && b.HasNamespace() {
				r.hide(e, b, fmt.Sprintf("%s with a namespace (%q): PackageManager reads only the attribute without one", name, b.Namespace))
			}
		}
		return "", false
	}
	if a.HasRaw {
		return a.RawValue, true
	}
	if a.RawIndex() != axml.NoIndex {
		r.unreadable(e, a, "its raw string cannot be read (StringBlock throws)")
		return "", false
	}
	if s, ok := coerce(a.Value); ok {
		return s, true
	}
	return "", false
}

// nonResourceString reads an attribute as TypedArray.getNonResourceString
// does (the name of a uses-permission): only a string written in the XML;
// a reference, even to a string, reads as nothing.
func (r resolver) nonResourceString(e *axml.Element, id uint32, name string) string {
	a, ok := r.attr(e, id, name)
	if !ok || a.Value.Type != res.TypeString {
		return ""
	}
	s, ok := r.typedString(e, a)
	if !ok {
		return ""
	}
	return s
}

// name reads a name (of a component, a permission, a queried package):
// ok is false when the attribute is there but its string cannot be read,
// a fact that is then noted as unreadable.
func (r resolver) name(e *axml.Element, id uint32, name string) (string, bool) {
	a, ok := r.attr(e, id, name)
	if !ok {
		return "", true
	}
	s, ok := r.value(e, a)
	if !ok && a.Value.Type != res.TypeNull {
		return "", false
	}
	return s, true
}

func (r resolver) str(e *axml.Element, id uint32, name string) string {
	a, ok := r.attr(e, id, name)
	if !ok {
		return ""
	}
	s, _ := r.value(e, a)
	return s
}

// typedString is the string of a TYPE_STRING value, noted as unreadable
// when it cannot be decoded.
func (r resolver) typedString(e *axml.Element, a *axml.Attribute) (string, bool) {
	if s, ok := a.TypedString(); ok {
		return s, true
	}
	r.unreadable(e, a, fmt.Sprintf("string #%d cannot be read (StringBlock throws)", a.Value.Data))
	return "", false
}

// value renders an attribute as TypedArray.getString hands it to
// PackageManager: the typed value only (the raw string plays no part),
// references resolved in the default configuration, other typed values
// coerced to their string form (TypedValue.coerceToString).
func (r resolver) value(e *axml.Element, a *axml.Attribute) (string, bool) {
	v := a.Value
	switch v.Type {
	case res.TypeNull:
		return "", false
	case res.TypeString:
		return r.typedString(e, a)
	case res.TypeReference, res.TypeDynamicReference:
		if r.table == nil {
			return "", false
		}
		s, err := r.table.ResolveString(v.Data, "")
		if err != nil {
			return "", false
		}
		return s, true
	}
	return coerce(v)
}

// coerce is TypedValue.coerceToString for a value that is not a string.
func coerce(v res.Value) (string, bool) {
	switch v.Type {
	case res.TypeNull, res.TypeString:
		return "", false
	case res.TypeReference:
		return "@" + strconv.FormatUint(uint64(v.Data), 10), true
	case res.TypeAttribute:
		return "?" + strconv.FormatUint(uint64(v.Data), 10), true
	case res.TypeIntBoolean:
		return strconv.FormatBool(v.Data != 0), true
	case res.TypeIntDec:
		return strconv.FormatInt(int64(int32(v.Data)), 10), true
	case res.TypeIntHex:
		return "0x" + strconv.FormatUint(uint64(v.Data), 16), true
	}
	if v.Type >= res.TypeIntColorARGB8 && v.Type <= res.TypeIntColorRGB4 {
		return "#" + strconv.FormatUint(uint64(v.Data), 16), true
	}
	return v.Format(), true
}

// resolved is the attribute's typed value with a reference followed into
// the table (as RetrieveAttributes resolves it before TypedArray reads it).
func (r resolver) resolved(a *axml.Attribute) res.Value {
	v := a.Value
	if (v.Type == res.TypeReference || v.Type == res.TypeDynamicReference) && r.table != nil {
		if rv, ok := r.table.ResolveValue(v.Data, ""); ok {
			v = rv
		}
	}
	return v
}

// isInt reports whether a value type is one of the integer types
// (TypedValue.TYPE_FIRST_INT to TYPE_LAST_INT, 0x10 to 0x1f).
func isInt(t uint8) bool { return t >= 0x10 && t <= 0x1f }

func (r resolver) intValue(e *axml.Element, id uint32, name string) (int64, bool) {
	a, ok := r.attr(e, id, name)
	if !ok {
		return 0, false
	}
	v := r.resolved(a)
	if isInt(v.Type) {
		return int64(int32(v.Data)), true
	}
	if v.Type == res.TypeString && a.Value.Type == res.TypeString {
		if s, ok := a.TypedString(); ok {
			if n, err := strconv.ParseInt(strings.TrimSpace(s), 0, 64); err == nil {
				return n, true
			}
		}
	}
	return 0, false
}

// boolValue is TypedArray.getBoolean: every integer type (0x10 to 0x1f)
// is true when non-zero; anything else is coerced to a string, and only
// "1", "true" and "TRUE" are true (XmlUtils.convertValueToBoolean), so
// "True" or "yes" are false, not absent.
func (r resolver) boolValue(e *axml.Element, id uint32, name string) (bool, bool) {
	a, ok := r.attr(e, id, name)
	if !ok {
		return false, false
	}
	v := r.resolved(a)
	switch {
	case v.Type == res.TypeNull:
		return false, false
	case isInt(v.Type):
		return v.Data != 0, true
	}
	var s string
	if v.Type == res.TypeString {
		if a.Value.Type == res.TypeString {
			s, _ = a.TypedString()
		} else if r.table != nil {
			s, _ = r.table.ResolveString(a.Value.Data, "")
		}
	} else {
		s, _ = coerce(v)
	}
	return s == "1" || s == "true" || s == "TRUE", true
}

// sdk reads minSdkVersion or targetSdkVersion: an integer, or a codename.
func (r resolver) sdk(e *axml.Element, id uint32, name string) string {
	if v, ok := r.intValue(e, id, name); ok {
		return strconv.FormatInt(v, 10)
	}
	return r.str(e, id, name)
}

// perLocale resolves a string attribute in every locale the table has for it.
func (r resolver) perLocale(e *axml.Element, id uint32, name string) map[string]string {
	out := map[string]string{}
	a, ok := r.attr(e, id, name)
	if !ok {
		return out
	}
	if a.Value.Type != res.TypeReference || r.table == nil {
		if s, ok := r.value(e, a); ok {
			out[""] = s
		}
		return out
	}
	for _, loc := range r.table.Locales() {
		if s, err := r.table.ResolveString(a.Value.Data, loc); err == nil {
			out[loc] = s
		}
	}
	if s, err := r.table.ResolveString(a.Value.Data, ""); err == nil {
		out[""] = s
	}
	return out
}

// refName names the resource an attribute points to ("@xml/network_security_config").
func (r resolver) refName(a *axml.Attribute) string {
	if a.Value.Type == res.TypeReference && r.table != nil {
		if n, ok := r.table.ResourceName(a.Value.Data); ok {
			return "@" + n
		}
	}
	if a.Value.Type == res.TypeString {
		s, _ := a.TypedString()
		return s
	}
	s, _ := coerce(a.Value)
	return s
}
