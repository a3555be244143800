package knowledge

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ProtectionLevel is the android:protectionLevel value of a <permission>:
// a base type in the low four bits and flags above, as declared by the
// protectionLevel attribute in AOSP core/res/res/values/attrs.xml and the
// PROTECTION_* constants of android.content.pm.PermissionInfo.
type ProtectionLevel uint32

// Base protection types (ProtectionLevel & ProtectionMaskBase).
const (
	ProtectionNormal            ProtectionLevel = 0
	ProtectionDangerous         ProtectionLevel = 1
	ProtectionSignature         ProtectionLevel = 2
	ProtectionSignatureOrSystem ProtectionLevel = 3 // deprecated: signature|privileged
	ProtectionInternal          ProtectionLevel = 4 // Android 12 and later
	ProtectionMaskBase          ProtectionLevel = 0xf
)

// Protection flags.
const (
	ProtectionFlagPrivileged             ProtectionLevel = 0x10 // also spelled "system"
	ProtectionFlagDevelopment            ProtectionLevel = 0x20
	ProtectionFlagAppop                  ProtectionLevel = 0x40
	ProtectionFlagPre23                  ProtectionLevel = 0x80
	ProtectionFlagInstaller              ProtectionLevel = 0x100
	ProtectionFlagVerifier               ProtectionLevel = 0x200
	ProtectionFlagPreinstalled           ProtectionLevel = 0x400
	ProtectionFlagSetup                  ProtectionLevel = 0x800
	ProtectionFlagInstant                ProtectionLevel = 0x1000 // formerly "ephemeral"
	ProtectionFlagRuntime                ProtectionLevel = 0x2000 // runtime-only
	ProtectionFlagOEM                    ProtectionLevel = 0x4000
	ProtectionFlagVendorPrivileged       ProtectionLevel = 0x8000
	ProtectionFlagTextClassifier         ProtectionLevel = 0x10000
	ProtectionFlagWellbeing              ProtectionLevel = 0x20000
	ProtectionFlagDocumenter             ProtectionLevel = 0x40000
	ProtectionFlagConfigurator           ProtectionLevel = 0x80000
	ProtectionFlagIncidentReportApprover ProtectionLevel = 0x100000
	ProtectionFlagAppPredictor           ProtectionLevel = 0x200000
	ProtectionFlagModule                 ProtectionLevel = 0x400000
	ProtectionFlagCompanion              ProtectionLevel = 0x800000
	ProtectionFlagRetailDemo             ProtectionLevel = 0x1000000
	ProtectionFlagRecents                ProtectionLevel = 0x2000000
	ProtectionFlagRole                   ProtectionLevel = 0x4000000
	ProtectionFlagKnownSigner            ProtectionLevel = 0x8000000
)

var protectionBaseNames = []string{"normal", "dangerous", "signature", "signatureOrSystem", "internal"}

// protectionFlagNames uses the attribute spellings from attrs.xml.
var protectionFlagNames = []struct {
	flag ProtectionLevel
	name string
}{
	{ProtectionFlagPrivileged, "privileged"},
	{ProtectionFlagDevelopment, "development"},
	{ProtectionFlagAppop, "appop"},
	{ProtectionFlagPre23, "pre23"},
	{ProtectionFlagInstaller, "installer"},
	{ProtectionFlagVerifier, "verifier"},
	{ProtectionFlagPreinstalled, "preinstalled"},
	{ProtectionFlagSetup, "setup"},
	{ProtectionFlagInstant, "instant"},
	{ProtectionFlagRuntime, "runtime"},
	{ProtectionFlagOEM, "oem"},
	{ProtectionFlagVendorPrivileged, "vendorPrivileged"},
	{ProtectionFlagTextClassifier, "textClassifier"},
	{ProtectionFlagWellbeing, "wellbeing"},
	{ProtectionFlagDocumenter, "documenter"},
	{ProtectionFlagConfigurator, "configurator"},
	{ProtectionFlagIncidentReportApprover, "incidentReportApprover"},
	{ProtectionFlagAppPredictor, "appPredictor"},
	{ProtectionFlagModule, "module"},
	{ProtectionFlagCompanion, "companion"},
	{ProtectionFlagRetailDemo, "retailDemo"},
	{ProtectionFlagRecents, "recents"},
	{ProtectionFlagRole, "role"},
	{ProtectionFlagKnownSigner, "knownSigner"},
}

// Base returns the base protection type.
func (p ProtectionLevel) Base() ProtectionLevel { return p & ProtectionMaskBase }

// Has reports whether all of flag's bits are set.
func (p ProtectionLevel) Has(flag ProtectionLevel) bool { return p&flag == flag }

// Dangerous reports whether the base type is dangerous (a runtime permission
// the user grants).
func (p ProtectionLevel) Dangerous() bool { return p.Base() == ProtectionDangerous }

// Signature reports whether only apps signed with the platform key (or
// privileged apps, for signatureOrSystem) can hold the permission.
func (p ProtectionLevel) Signature() bool {
	b := p.Base()
	return b == ProtectionSignature || b == ProtectionSignatureOrSystem || b == ProtectionInternal
}

// String formats the level the way a manifest writes it, e.g.
// "signature|privileged"; unknown bits are kept as a hex number.
func (p ProtectionLevel) String() string {
	var parts []string
	if b := int(p.Base()); b < len(protectionBaseNames) {
		parts = append(parts, protectionBaseNames[b])
	} else {
		parts = append(parts, fmt.Sprintf("0x%x", b))
	}
	rest := p &^ ProtectionMaskBase
	for _, f := range protectionFlagNames {
		if rest&f.flag != 0 {
			parts = append(parts, f.name)
			rest &^= f.flag
		}
	}
	if rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%x", uint32(rest)))
	}
	return strings.Join(parts, "|")
}

// ParseProtectionLevel parses a manifest-style protection level such as
// "signature|privileged|development", a decimal or 0x-prefixed number.
func ParseProtectionLevel(s string) (ProtectionLevel, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty protection level")
	}
	// Most levels are names: a failed number parse costs its error's
	// allocation, paid for every permission at start-up.
	if s[0] >= '0' && s[0] <= '9' {
		if n, err := strconv.ParseUint(s, 0, 32); err == nil {
			return ProtectionLevel(n), nil
		}
	}
	var p ProtectionLevel
	haveBase := false
	for _, part := range strings.Split(s, "|") {
		part = strings.TrimSpace(part)
		if i := slices.Index(protectionBaseNames, part); i >= 0 {
			if haveBase && p.Base() != ProtectionLevel(i) {
				return 0, fmt.Errorf("protection level %q has two base types", s)
			}
			p |= ProtectionLevel(i)
			haveBase = true
			continue
		}
		switch part {
		case "system":
			p |= ProtectionFlagPrivileged
			continue
		case "ephemeral":
			p |= ProtectionFlagInstant
			continue
		case "runtimeOnly":
			p |= ProtectionFlagRuntime
			continue
		}
		found := false
		for _, f := range protectionFlagNames {
			if f.name == part {
				p |= f.flag
				found = true
				break
			}
		}
		if !found {
			if n, err := strconv.ParseUint(part, 0, 32); err == nil && strings.HasPrefix(part, "0x") {
				p |= ProtectionLevel(n)
				continue
			}
			return 0, fmt.Errorf("unknown protection level %q in %q", part, s)
		}
	}
	return p, nil
}

// Permission is one platform permission.
type Permission struct {
	Name            string          // e.g. "android.permission.READ_SMS"
	ProtectionLevel ProtectionLevel // base type and flags
	Group           string          // permission group as declared, may be empty
	// Categories are the appxray categories an app holding the permission
	// can reach (hand-curated in data/permission_categories.json).
	Categories []Category
	// Source says where the entry comes from: the framework-res manifest it
	// was generated from, or the Android release that added it by hand.
	Source string
	// APILevel is the API level that introduced the permission, when known
	// (set for hand-added permissions).
	APILevel int
	// Note explains the category mapping, when that is not obvious.
	Note string
}

// permissionsFile is the generated data/permissions.json.
type permissionsFile struct {
	Comment     string            `json:"comment"`
	Source      string            `json:"source"`
	Permissions []permissionEntry `json:"permissions"`
}

type permissionEntry struct {
	Name            string `json:"name"`
	ProtectionLevel string `json:"protection_level"`
	Value           uint32 `json:"protection_level_value"`
	Group           string `json:"group,omitempty"`
}

// extraPermissionsFile is the hand-written data/permissions_extra.json:
// permissions newer than the framework-res the table is generated from.
type extraPermissionsFile struct {
	Comment     string `json:"comment"`
	Permissions []struct {
		Name            string `json:"name"`
		ProtectionLevel string `json:"protection_level"`
		Group           string `json:"group,omitempty"`
		APILevel        int    `json:"api_level"`
		Source          string `json:"source"`
	} `json:"permissions"`
}

// permissionCategoriesFile is the hand-curated data/permission_categories.json.
type permissionCategoriesFile struct {
	Comment  string `json:"comment"`
	Mappings []struct {
		Permission string     `json:"permission"`
		Categories []Category `json:"categories"`
		Note       string     `json:"note,omitempty"`
	} `json:"mappings"`
}

type permissionTable struct {
	list   []Permission
	byName map[string]int
}

var permissionsOnce = sync.OnceValues(loadPermissions)

func loadPermissions() (*permissionTable, error) {
	var gen permissionsFile
	if err := decodeFile("data/permissions.json", &gen); err != nil {
		return nil, err
	}
	var extra extraPermissionsFile
	if err := decodeFile("data/permissions_extra.json", &extra); err != nil {
		return nil, err
	}
	var cats permissionCategoriesFile
	if err := decodeFile("data/permission_categories.json", &cats); err != nil {
		return nil, err
	}
	n := len(gen.Permissions) + len(extra.Permissions)
	t := &permissionTable{byName: make(map[string]int, n), list: make([]Permission, 0, n)}
	add := func(file string, p Permission) error {
		if !strings.Contains(p.Name, ".") {
			return &DataError{File: file, Item: p.Name, Msg: "permission name is not qualified"}
		}
		if _, dup := t.byName[p.Name]; dup {
			return &DataError{File: file, Item: p.Name, Msg: "duplicate permission"}
		}
		t.byName[p.Name] = len(t.list)
		t.list = append(t.list, p)
		return nil
	}
	for _, e := range gen.Permissions {
		lvl, err := ParseProtectionLevel(e.ProtectionLevel)
		if err != nil {
			return nil, &DataError{File: "data/permissions.json", Item: e.Name, Msg: "bad protection level", Err: err}
		}
		if uint32(lvl) != e.Value {
			return nil, &DataError{File: "data/permissions.json", Item: e.Name,
				Msg: fmt.Sprintf("protection level %q is 0x%x, not the recorded 0x%x", e.ProtectionLevel, uint32(lvl), e.Value)}
		}
		if err := add("data/permissions.json", Permission{Name: e.Name, ProtectionLevel: lvl, Group: e.Group, Source: gen.Source}); err != nil {
			return nil, err
		}
	}
	for _, e := range extra.Permissions {
		lvl, err := ParseProtectionLevel(e.ProtectionLevel)
		if err != nil {
			return nil, &DataError{File: "data/permissions_extra.json", Item: e.Name, Msg: "bad protection level", Err: err}
		}
		if e.Source == "" || e.APILevel == 0 {
			return nil, &DataError{File: "data/permissions_extra.json", Item: e.Name, Msg: "missing source or api_level"}
		}
		if err := add("data/permissions_extra.json", Permission{Name: e.Name, ProtectionLevel: lvl, Group: e.Group, Source: e.Source, APILevel: e.APILevel}); err != nil {
			return nil, err
		}
	}
	seen := make(map[string]bool, len(cats.Mappings))
	for _, m := range cats.Mappings {
		const file = "data/permission_categories.json"
		i, ok := t.byName[m.Permission]
		if !ok {
			return nil, &DataError{File: file, Item: m.Permission, Msg: "mapping for a permission not in the table"}
		}
		if seen[m.Permission] {
			return nil, &DataError{File: file, Item: m.Permission, Msg: "duplicate mapping"}
		}
		seen[m.Permission] = true
		if len(m.Categories) == 0 {
			return nil, &DataError{File: file, Item: m.Permission, Msg: "mapping without categories"}
		}
		if err := checkCategories(file, m.Permission, m.Categories); err != nil {
			return nil, err
		}
		t.list[i].Categories = slices.Clip(m.Categories)
		t.list[i].Note = m.Note
	}
	return t, nil
}

func permissions() *permissionTable {
	t, err := permissionsOnce()
	mustLoad(err)
	return t
}

// Permissions returns every known platform permission: those generated from
// the framework-res manifest, then the newer ones added by hand.
func Permissions() []Permission { return slices.Clone(permissions().list) }

// PermissionByName looks up a permission by its full name, e.g.
// "android.permission.READ_SMS".
func PermissionByName(name string) (Permission, bool) {
	t := permissions()
	i, ok := t.byName[name]
	if !ok {
		return Permission{}, false
	}
	return t.list[i], true
}
