package app

import (
	"sort"
	"strconv"
	"strings"

	"appxray/arsc"
	"appxray/axml"
	"appxray/res"
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
}

// ImpliedPermission is a permission an old app gets without asking, as
// PackageParser (and aapt's badging) add it.
type ImpliedPermission struct {
	Name   string
	Reason string
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
func ReadInfo(doc *axml.Document, table *arsc.Table) *Info {
	r := resolver{table: table}
	root := doc.Root
	info := &Info{
		PermissionLines: map[string]int{},
		Labels:          map[string]string{},
	}
	info.Package, _ = r.plainString(root, 0, "package")
	info.VersionName = r.str(root, AttrVersionName, "versionName")
	if v, ok := r.intValue(root, AttrVersionCode, "versionCode"); ok {
		info.VersionCode = int64(uint32(v))
	}
	if v, ok := r.intValue(root, AttrVersionCodeMajor, "versionCodeMajor"); ok {
		info.VersionCode |= int64(uint32(v)) << 32
	}
	info.SharedUserID, _ = r.plainString(root, 0, "sharedUserId")
	if info.SharedUserID == "" {
		info.SharedUserID, _ = r.plainString(root, 0x0101000b, "sharedUserId")
	}

	perms := map[string]bool{}
	var app *axml.Element
	for _, e := range root.Children {
		switch e.Name {
		case "uses-sdk":
			info.MinSDK = r.sdk(e, AttrMinSdkVersion, "minSdkVersion")
			info.TargetSDK = r.sdk(e, AttrTargetSdkVersion, "targetSdkVersion")
		case "uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m":
			if name := r.str(e, AttrName, "name"); name != "" {
				if !perms[name] {
					info.PermissionLines[name] = int(e.Line)
				}
				perms[name] = true
			}
		case "permission":
			p := DeclaredPermission{Name: r.str(e, AttrName, "name"), Line: int(e.Line)}
			if v, ok := r.intValue(e, AttrProtectionLevel, "protectionLevel"); ok {
				p.ProtectionLevel = uint32(v)
			}
			info.DeclaredPermissions = append(info.DeclaredPermissions, p)
		case "queries":
			for _, q := range e.Children {
				switch q.Name {
				case "package":
					if n := r.str(q, AttrName, "name"); n != "" {
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
				info.Components = append(info.Components, r.component(e, info.Package, target))
			}
		}
	}
	return info
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
	add := func(p, reason string) {
		out = append(out, ImpliedPermission{p, reason})
		perms[p] = true
	}
	if target < 4 {
		if !has(writeExt) {
			add(writeExt, "targetSdkVersion < 4")
		}
		if !has(phone) {
			add(phone, "targetSdkVersion < 4")
		}
	}
	if has(writeExt) && !has(readExt) {
		add(readExt, "requested WRITE_EXTERNAL_STORAGE")
	}
	if target < 16 {
		if has(readCont) && !has(readLog) {
			add(readLog, "targetSdkVersion < 16 and requested READ_CONTACTS")
		}
		if has(writeCont) && !has(writeLog) {
			add(writeLog, "targetSdkVersion < 16 and requested WRITE_CONTACTS")
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

func (r resolver) component(e *axml.Element, pkg string, targetSDK int) Component {
	c := Component{
		Kind:            e.Name,
		Name:            QualifyClass(pkg, r.str(e, AttrName, "name")),
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
	return c
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

// resolver reads attribute values, following resource references into the
// table's default configuration.
type resolver struct{ table *arsc.Table }

func (r resolver) attr(e *axml.Element, id uint32, name string) (*axml.Attribute, bool) {
	if id != 0 {
		if a, ok := e.AttrByID(id); ok {
			return a, true
		}
	}
	if a, ok := e.Attr(AndroidNS, name); ok && (id == 0 || a.ResourceID == 0) {
		return a, true
	}
	if id == 0 {
		return e.Attr("", name)
	}
	return nil, false
}

// plainString reads an attribute with no namespace, such as package.
func (r resolver) plainString(e *axml.Element, id uint32, name string) (string, bool) {
	if id != 0 {
		if a, ok := e.AttrByID(id); ok {
			return r.value(a)
		}
	}
	a, ok := e.Attr("", name)
	if !ok {
		return "", false
	}
	return r.value(a)
}

func (r resolver) str(e *axml.Element, id uint32, name string) string {
	a, ok := r.attr(e, id, name)
	if !ok {
		return ""
	}
	s, _ := r.value(a)
	return s
}

// value renders an attribute as Android would hand it to the app: strings as
// they are, references resolved in the default configuration, other typed
// values in their decimal or boolean form.
func (r resolver) value(a *axml.Attribute) (string, bool) {
	if s, ok := a.String(); ok {
		return s, true
	}
	v := a.Value
	if v.Type == res.TypeReference || v.Type == res.TypeDynamicReference {
		if r.table == nil {
			return "", false
		}
		s, err := r.table.ResolveString(v.Data, "")
		if err != nil {
			return "", false
		}
		return s, true
	}
	switch v.Type {
	case res.TypeIntBoolean:
		return strconv.FormatBool(v.Data != 0), true
	case res.TypeIntDec, res.TypeIntHex:
		return strconv.FormatInt(int64(int32(v.Data)), 10), true
	}
	return v.Format(), true
}

func (r resolver) intValue(e *axml.Element, id uint32, name string) (int64, bool) {
	a, ok := r.attr(e, id, name)
	if !ok {
		return 0, false
	}
	switch a.Value.Type {
	case res.TypeIntDec, res.TypeIntHex, res.TypeIntBoolean:
		return int64(int32(a.Value.Data)), true
	case res.TypeReference:
		if r.table != nil {
			if v, ok := r.table.ResolveValue(a.Value.Data, ""); ok && v.Type >= res.TypeIntDec && v.Type <= res.TypeIntHex {
				return int64(int32(v.Data)), true
			}
		}
	}
	if s, ok := a.String(); ok {
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 0, 64); err == nil {
			return n, true
		}
	}
	return 0, false
}

func (r resolver) boolValue(e *axml.Element, id uint32, name string) (bool, bool) {
	a, ok := r.attr(e, id, name)
	if !ok {
		return false, false
	}
	v := a.Value
	if v.Type == res.TypeReference && r.table != nil {
		if rv, ok := r.table.ResolveValue(v.Data, ""); ok {
			v = rv
		}
	}
	switch v.Type {
	case res.TypeIntBoolean, res.TypeIntDec, res.TypeIntHex:
		return v.Data != 0, true
	}
	if s, ok := a.String(); ok {
		b, err := strconv.ParseBool(s)
		return b, err == nil
	}
	return false, false
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
		if s, ok := r.value(a); ok {
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
	if s, ok := a.String(); ok {
		return s
	}
	return a.Value.Format()
}
