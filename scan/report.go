package scan

import "appxray/knowledge"

// Report is the whole result of one scan.
type Report struct {
	Tool        Tool     `json:"tool"`
	File        File     `json:"file"`
	App         App      `json:"app"`
	Permissions []string `json:"permissions"`
	// PermissionDetails says, for each permission in Permissions and
	// each one Android implies, whether the app's visible code uses it.
	PermissionDetails []PermissionDetail `json:"permission_details"`
	Components        Components         `json:"components"`
	Signers           []Signer           `json:"signers"`
	Schemes           []string           `json:"signature_schemes"`
	Dex               []Dex              `json:"dex"`
	Findings          []Finding          `json:"findings"`
	Fields            []Field            `json:"fields"`
	OptionLists       []OptionList       `json:"option_lists"`
	Trackers          []Tracker          `json:"trackers"`
	Endpoints         []Endpoint         `json:"endpoints"`
	Watchlists        []Watchlist        `json:"watchlists"`
	Executables       []Executable       `json:"executables"`
	Protection        Protection         `json:"protection"`
	// Embedded lists the apps and code the app carries inside its files.
	Embedded  []Embedded `json:"embedded"`
	Anomalies []Anomaly  `json:"anomalies"`
	Errors    []Error    `json:"errors"`
	Flows     []Flow     `json:"flows"`
	// Profile is an iOS app's provisioning profile; absent for Android
	// apps and for iOS apps without one.
	Profile *Profile `json:"profile,omitempty"`
	// Declared compares what the app says it collects with what the scan
	// found: an iOS app's privacy manifests, else the --declared file;
	// absent when there is neither.
	Declared *Declared `json:"declared,omitempty"`
	// AlsoDeclared are the declarations compared after Declared, each
	// named by its Source and Format: for an iOS app whose privacy
	// manifests fill Declared, the --declared file.
	AlsoDeclared []Declared `json:"also_declared,omitempty"`
}

// New returns an empty report for an input, with every list empty rather
// than nil, so that consumers of the JSON can iterate without checks.
func New(tool Tool, file File) *Report {
	return &Report{
		Tool:              tool,
		File:              file,
		App:               App{Labels: map[string]string{}},
		Permissions:       []string{},
		PermissionDetails: []PermissionDetail{},
		Components:        Components{Activities: []Component{}, Services: []Component{}, Receivers: []Component{}, Providers: []Component{}},
		Signers:           []Signer{},
		Schemes:           []string{},
		Dex:               []Dex{},
		Findings:          []Finding{},
		Fields:            []Field{},
		OptionLists:       []OptionList{},
		Trackers:          []Tracker{},
		Endpoints:         []Endpoint{},
		Watchlists:        []Watchlist{},
		Executables:       []Executable{},
		Protection:        Protection{Packers: []Packer{}},
		Embedded:          []Embedded{},
		Anomalies:         []Anomaly{},
		Errors:            []Error{},
		Flows:             []Flow{},
	}
}

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// File describes the input. Kind is "apk", "split-set", "aab", "dex",
// "jar", "ipa" or "app-directory" (an unzipped iOS .app, which has no
// SHA-256 of its own: SHA256 is "" and Size the sum of its files).
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	Kind   string `json:"kind"`
	Parts  []Part `json:"parts,omitempty"`
}

// Part is one APK of a split set, or one module of an App Bundle ("base",
// and each feature module with its split name).
type Part struct {
	Name  string `json:"name"`
	Split string `json:"split,omitempty"`
}

// App is what the manifest (an iOS app's Info.plist) says about the app.
// For an iOS app, Package is the bundle ID, VersionName
// CFBundleShortVersionString, VersionCode CFBundleVersion when it is a
// number, Labels the display name per localisation, and the Android-only
// fields are empty.
type App struct {
	Package               string            `json:"package"`
	VersionName           string            `json:"version_name"`
	VersionCode           int64             `json:"version_code"`
	MinSDK                string            `json:"min_sdk"`
	TargetSDK             string            `json:"target_sdk"`
	Label                 string            `json:"label"`
	Labels                map[string]string `json:"labels"`
	Debuggable            bool              `json:"debuggable"`
	UsesCleartextTraffic  *bool             `json:"uses_cleartext_traffic,omitempty"`
	NetworkSecurityConfig string            `json:"network_security_config,omitempty"`
	SharedUserID          string            `json:"shared_user_id,omitempty"`
	QueriedPackages       []string          `json:"queried_packages,omitempty"`
	// MinimumOS is an iOS app's MinimumOSVersion ("15.0").
	MinimumOS string `json:"minimum_os,omitempty"`
	// Build is an iOS app's CFBundleVersion as written ("241", "1.0.3").
	Build string `json:"build,omitempty"`
	// URLSchemes are the URL schemes an iOS app opens for
	// (CFBundleURLTypes), QueriedSchemes those of other apps it checks
	// for (LSApplicationQueriesSchemes), BackgroundModes what it may do
	// when not on screen (UIBackgroundModes).
	URLSchemes      []string `json:"url_schemes,omitempty"`
	QueriedSchemes  []string `json:"queried_schemes,omitempty"`
	BackgroundModes []string `json:"background_modes,omitempty"`
}

// Profile is an iOS app's provisioning profile (embedded.mobileprovision):
// who may sign the app, for which devices, until when.
type Profile struct {
	// Path is the profile's place in the app.
	Path string `json:"path"`
	Name string `json:"name,omitempty"`
	// AppID is the application-identifier the profile grants
	// (TEAMID.bundle.id, or a wildcard).
	AppID    string `json:"app_id,omitempty"`
	TeamID   string `json:"team_id"`
	TeamName string `json:"team_name,omitempty"`
	// Type is "development", "ad-hoc", "enterprise" or "app-store".
	Type string `json:"type"`
	// Created and Expires are RFC 3339 times, "" when the profile lacks
	// them.
	Created string `json:"created,omitempty"`
	Expires string `json:"expires"`
	// Devices counts the provisioned devices (UDIDs); AllDevices is set
	// on enterprise profiles, which run on any device.
	Devices    int  `json:"devices"`
	AllDevices bool `json:"all_devices,omitempty"`
	// Certificates counts the developer certificates allowed to sign
	// with it (listed in Signers).
	Certificates int `json:"certificates"`
}

// Components groups the app's components by kind.
type Components struct {
	Activities []Component `json:"activities"`
	Services   []Component `json:"services"`
	Receivers  []Component `json:"receivers"`
	Providers  []Component `json:"providers"`
}

// Component is one declared component.
type Component struct {
	Name          string         `json:"name"`
	Alias         bool           `json:"alias,omitempty"`
	Exported      bool           `json:"exported"`
	ExportedSet   bool           `json:"exported_explicit"`
	Enabled       bool           `json:"enabled"`
	Permission    string         `json:"permission,omitempty"`
	Authorities   string         `json:"authorities,omitempty"`
	IntentFilters []IntentFilter `json:"intent_filters,omitempty"`
	Line          int            `json:"line"`
}

// IntentFilter is one intent filter of a component.
type IntentFilter struct {
	Actions    []string `json:"actions,omitempty"`
	Categories []string `json:"categories,omitempty"`
	Data       []string `json:"data,omitempty"`
	Priority   int      `json:"priority,omitempty"`
}

// Signer is one signing certificate, with the schemes that carry it.
type Signer struct {
	SHA256       string   `json:"sha256"`
	SHA1         string   `json:"sha1"`
	Subject      string   `json:"subject"`
	Issuer       string   `json:"issuer"`
	Serial       string   `json:"serial"`
	NotBefore    string   `json:"not_before"`
	NotAfter     string   `json:"not_after"`
	KeyAlgorithm string   `json:"key_algorithm"`
	KeySize      int      `json:"key_size,omitempty"`
	Schemes      []string `json:"schemes"`
	WellKnownKey string   `json:"well_known_key,omitempty"`
	Part         string   `json:"part,omitempty"`
}

// Dex summarises one DEX file.
type Dex struct {
	File    string `json:"file"`
	Version int    `json:"version"`
	Size    int    `json:"size"`
	Classes int    `json:"classes"`
	Methods int    `json:"methods"`
	Fields  int    `json:"fields"`
	Strings int    `json:"strings"`
	Types   int    `json:"types"`
}

// Field is one data-entry widget of a layout or one input of an HTML form.
type Field struct {
	// Layout is the file the field is in: "res/layout/person_form.xml",
	// "assets/form.html" ("split.apk!res/…" in a split set).
	Layout string `json:"layout"`
	// Widget is the element: "EditText", "com.google.android.material.textfield.TextInputEditText",
	// "input", "select"…
	Widget string `json:"widget"`
	// ID is the name of the widget's id ("sfzh", "android:text1"), or the
	// name (else id) attribute of an HTML input.
	ID       string   `json:"id,omitempty"`
	IDTokens []string `json:"id_tokens,omitempty"`
	// Line is the element's line in the source the APK was built from
	// (kept by the compiler), or in the HTML file.
	Line int `json:"line,omitempty"`
	// Labels is what names the field to its user, per locale (BCP 47 tag,
	// "" for the default): a TextView that names it with labelFor, else the
	// enclosing TextInputLayout's hint, else the nearest preceding TextView
	// in the same parent (an HTML <label>); failing those, the widget's own
	// text, hint or content description.
	Labels map[string]string `json:"labels,omitempty"`
	// LabelSource says where Labels came from: "labelFor", "TextInputLayout",
	// "sibling TextView", "label", "text", "hint" or "contentDescription".
	LabelSource string `json:"label_source,omitempty"`
	// Text, Hint and Description are the widget's own android:text,
	// android:hint (HTML placeholder) and android:contentDescription (HTML
	// aria-label or title), per locale.
	Text        map[string]string `json:"text,omitempty"`
	Hint        map[string]string `json:"hint,omitempty"`
	Description map[string]string `json:"description,omitempty"`
	// InputType is android:inputType decoded ("textPersonName",
	// "textCapCharacters|textMultiLine"), or an HTML input's type.
	InputType string `json:"input_type,omitempty"`
	// Autofill is android:autofillHints ("phone,emailAddress") or an HTML
	// input's autocomplete ("tel", "given-name").
	Autofill string `json:"autofill,omitempty"`
	// Entries names the option list of a Spinner ("@array/blood_types") or
	// HTML select.
	Entries string `json:"entries,omitempty"`
	// Group is the id of the RadioGroup a RadioButton belongs to.
	Group      string               `json:"group,omitempty"`
	Categories []knowledge.Category `json:"categories,omitempty"`
	// Matches are the lexicon terms behind Categories and where each was
	// found.
	Matches  []Match  `json:"matches,omitempty"`
	Evidence Evidence `json:"evidence"`
}

// OptionList is a list of choices an app offers its user: a string-array, a
// RadioGroup's buttons or an HTML select's options.
type OptionList struct {
	// Source names the list: "@array/blood_types", "res/layout/suspicious.xml
	// RadioGroup @id/suspicious_behaviour", "assets/form.html select name=mz".
	Source string `json:"source"`
	// Title is the label of the widget that offers the list, per locale.
	Title map[string]string `json:"title,omitempty"`
	// Options holds the choices per locale, verbatim.
	Options map[string][]string `json:"options"`
	// UsedBy lists the widgets that show the list (Spinner entries).
	UsedBy     []string             `json:"used_by,omitempty"`
	Categories []knowledge.Category `json:"categories,omitempty"`
	Matches    []Match              `json:"matches,omitempty"`
	Evidence   Evidence             `json:"evidence"`
}

// Match is one lexicon term found in a field or option list.
type Match struct {
	Category knowledge.Category `json:"category"`
	Term     string             `json:"term"`
	Lang     string             `json:"lang"` // lexicon language, "inputType" or "autofill"
	Strong   bool               `json:"strong"`
	// Source is what the term was found in: "id", "label", "text", "hint",
	// "description", "inputType", "autofillHints", "name", "title" or
	// "option".
	Source string `json:"source"`
}

// Tracker is one tracker or SDK found in the app.
type Tracker struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Website string `json:"website,omitempty"`
	// Categories are the tracker table's own (Exodus: "Analytics",
	// "Advertisement"…), not taxonomy categories.
	Categories []string `json:"categories"`
	Source     string   `json:"source"`
	// Classes counts the app's classes in the SDK's packages; Signatures are
	// the code signatures that matched, SampleClasses a few of the classes.
	Classes       int      `json:"classes"`
	Signatures    []string `json:"code_signatures_matched,omitempty"`
	SampleClasses []string `json:"sample_classes,omitempty"`
	Hosts         []string `json:"hosts,omitempty"`
}

// Endpoint is a URL, host or IP address the app names.
type Endpoint struct {
	URL       string     `json:"url,omitempty"`
	Host      string     `json:"host"`
	IP        string     `json:"ip,omitempty"`
	Cleartext bool       `json:"cleartext"`
	Tracker   string     `json:"tracker,omitempty"`
	FoundIn   []Evidence `json:"found_in"`
	// Places counts every place it was found; FoundIn lists the first few.
	Places int `json:"places"`
}

// Watchlist is a list the app carries of things it looks for.
type Watchlist struct {
	Kind     string             `json:"kind"` // "package names", "MD5 hashes", …
	Category knowledge.Category `json:"category"`
	Size     int                `json:"size"`
	Sample   []string           `json:"sample"`
	Evidence Evidence           `json:"evidence"`
	SDK      string             `json:"sdk,omitempty"`
}

// Executable is an ELF file the app carries.
type Executable struct {
	Path    string   `json:"path"`
	Type    string   `json:"type"` // executable, shared library
	Machine string   `json:"machine"`
	Strings []string `json:"telling_strings,omitempty"`
}

// Anomaly is a place where the input disagrees with what Android accepts
// or with what analysers expect.
type Anomaly struct {
	Part string `json:"part,omitempty"`
	Kind string `json:"kind"`
	// Source names what found it: "zip" (Offset is a file offset), or a
	// decoder ("xml", "manifest", "resources", "dex", "signature"), whose
	// Offset lies within Entry's uncompressed data.
	Source string `json:"source,omitempty"`
	Offset int64  `json:"offset"`
	Entry  string `json:"entry,omitempty"`
	Detail string `json:"detail"`
	// AndroidRejects is set when Android refuses the file (or, for a DEX
	// class, the class) because of it.
	AndroidRejects bool `json:"android_rejects,omitempty"`
}

// Error is a part of the input that could not be read, or a piece of work
// cut at a limit; the rest is still analysed.
type Error struct {
	Where string `json:"where"`
	Error string `json:"error"`
}

// Protection says what hides the app's code from a reader: packers and
// protectors, and renamed identifiers.
type Protection struct {
	Packers     []Packer     `json:"packers"`
	Obfuscation *Obfuscation `json:"obfuscation,omitempty"`
}

// Packer is a packer or protector found in the app.
type Packer struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"` // packer or protector
	// HidesIn says where the real code is; Payloads are the entries that
	// hold it, when the fingerprints name them.
	HidesIn  string     `json:"hides_in"`
	Payloads []string   `json:"payloads,omitempty"`
	Evidence []Evidence `json:"evidence"`
}

// Encrypted says how much of the code is encrypted in where. A packer
// encrypts the real code; a protector may encrypt all, some or none of it
// (DexGuard's class encryption is an option), so saying that only its
// loader is seen could be false.
func (p Packer) Encrypted(where string) string {
	if p.Kind == "protector" {
		return "some or all of the code may be encrypted in " + where
	}
	return "the real code is encrypted in " + where
}

// Seen says what of the app's code the code channel sees, as Encrypted.
func (p Packer) Seen() string {
	if p.Kind == "protector" {
		return "the code channel may see only part of it"
	}
	return "the code channel sees only the loader"
}

// Obfuscation summarises renamed identifiers in the app's DEX files.
type Obfuscation struct {
	Classes int `json:"classes"`
	// Renamed counts classes whose simple name is one or two letters, as
	// ProGuard, R8 and DexGuard leave them.
	Renamed int `json:"renamed"`
	// Unusual counts classes whose names no Java source can spell
	// (reserved words, characters that are not letters or digits): a
	// renaming tool's work.
	Unusual int      `json:"unusual"`
	Sample  []string `json:"sample,omitempty"`
}

// PermissionDetail is one requested (or implied) permission and whether
// the app's visible code uses it.
type PermissionDetail struct {
	Name string `json:"name"`
	// Line is the manifest line that requests it (0 when implied or
	// unknown); Implied says why Android grants it without a request.
	Line    int    `json:"line,omitempty"`
	Implied string `json:"implied,omitempty"`
	// Categories are the taxonomy categories the permission opens.
	Categories []knowledge.Category `json:"categories,omitempty"`
	// Status is "used" (the visible code calls APIs it guards, or the
	// manifest declares a component the system delivers it to), "unused"
	// (the code is visible and never does) or "unknown" (the code cannot
	// be seen: packed, encrypted or loaded at run time; the app's own code
	// reaches the permission's categories only through APIs that do not
	// prove its use; or no category depends on it).
	Status string `json:"status"`
	// Why says what decided the status.
	Why string `json:"why"`
}

// Embedded is an app or code the app carries inside one of its files,
// found by content whatever the file's name.
type Embedded struct {
	// Location is the carrying file: "assets/sqlite.db".
	Location string `json:"location"`
	// Kind is "apk", "jar" (a ZIP of DEX code), "dex" or "elf".
	Kind string `json:"kind"`
	Size int64  `json:"size"`
	// Encoding says how the file hides its content ("XOR with the byte
	// 0x37"), empty when it is stored as it is.
	Encoding string `json:"encoding,omitempty"`
	// Package, Label and Permissions describe an embedded APK.
	Package     string `json:"package,omitempty"`
	Label       string `json:"label,omitempty"`
	Permissions int    `json:"permissions,omitempty"`
	// Dex lists its DEX files as evidence names them
	// ("assets/sqlite.db!classes.dex"), which every channel read.
	Dex []string `json:"dex,omitempty"`
}
