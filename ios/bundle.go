package ios

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"appxray/macho"
	"appxray/plist"
)

// Bundle kinds.
const (
	KindApp       = "app"
	KindFramework = "framework"
	KindExtension = "appex"
)

// Bundle is one bundle: the app, a framework or an app extension.
type Bundle struct {
	Kind string // a Kind* constant
	Dir  string // its path in the input, with a trailing slash
	// Info is Info.plist; nil when it is missing or unreadable.
	Info     *plist.Value
	InfoPath string

	ID          string // CFBundleIdentifier
	Name        string // CFBundleName
	DisplayName string // CFBundleDisplayName, or CFBundleName
	Version     string // CFBundleShortVersionString
	Build       string // CFBundleVersion
	MinimumOS   string // MinimumOSVersion
	Platforms   []string
	// DevelopmentRegion is CFBundleDevelopmentRegion, the language of the
	// Info.plist's own texts.
	DevelopmentRegion string

	// Localizations lists the .lproj directories at the bundle's top.
	Localizations []string
	// DisplayNames maps a localisation ("" for Info.plist itself) to the
	// display name shown under the icon.
	DisplayNames map[string]string

	UsageDescriptions []UsageDescription
	URLSchemes        []string
	QueriesSchemes    []string // LSApplicationQueriesSchemes
	ATS               *ATS     // nil when Info.plist has no NSAppTransportSecurity
	BackgroundModes   []string // UIBackgroundModes

	ExecutableName string
	ExecutablePath string
	Executable     *macho.File
	// Entitlements are those of the executable's code signature (the
	// first slice that has them).
	Entitlements *plist.Value
}

// UsageDescription is one NS…UsageDescription key with its purpose text
// per localisation ("" is Info.plist's own text).
type UsageDescription struct {
	Key    string
	Texts  map[string]string
	Offset int64 // of the value in Info.plist
}

// ATS is NSAppTransportSecurity.
type ATS struct {
	AllowsArbitraryLoads             bool
	AllowsArbitraryLoadsInWebContent bool
	AllowsArbitraryLoadsForMedia     bool
	AllowsLocalNetworking            bool
	Exceptions                       []ATSException
	Offset                           int64
}

// ATSException is one NSExceptionDomains entry.
type ATSException struct {
	Domain                  string
	IncludesSubdomains      bool
	AllowsInsecureHTTPLoads bool // NSExceptionAllowsInsecureHTTPLoads or the third-party form
	MinimumTLSVersion       string
	RequiresForwardSecrecy  *bool // nil when not set (the default is true)
	Offset                  int64
}

// bundle reads the bundle at dir.
func (a *App) bundle(dir, kind string) *Bundle {
	b := &Bundle{Kind: kind, Dir: dir, InfoPath: dir + "Info.plist", DisplayNames: map[string]string{}}
	info, err := a.readPlist(b.InfoPath)
	if err != nil {
		a.errf("ios: %w", err)
	} else if info.Kind != plist.Dict {
		a.errf("ios: %s is a %s, not a dict", b.InfoPath, info.Kind)
	} else {
		b.Info = info
	}
	i := b.Info
	b.ID = i.Get("CFBundleIdentifier").Text()
	b.Name = i.Get("CFBundleName").Text()
	b.DisplayName = i.Get("CFBundleDisplayName").Text()
	if b.DisplayName == "" {
		b.DisplayName = b.Name
	}
	if b.DisplayName != "" {
		b.DisplayNames[""] = b.DisplayName
	}
	b.Version = i.Get("CFBundleShortVersionString").Text()
	b.Build = i.Get("CFBundleVersion").Text()
	b.MinimumOS = i.Get("MinimumOSVersion").Text()
	b.Platforms = i.Get("CFBundleSupportedPlatforms").Strings()
	b.DevelopmentRegion = i.Get("CFBundleDevelopmentRegion").Text()
	b.QueriesSchemes = i.Get("LSApplicationQueriesSchemes").Strings()
	b.BackgroundModes = i.Get("UIBackgroundModes").Strings()
	for _, t := range i.Get("CFBundleURLTypes").Items() {
		b.URLSchemes = append(b.URLSchemes, t.Get("CFBundleURLSchemes").Strings()...)
	}
	b.ATS = readATS(i.Get("NSAppTransportSecurity"))
	usage := map[string]*UsageDescription{}
	if i != nil {
		for _, e := range i.Dict {
			if isUsageKey(e.Key) {
				if s, ok := e.Value.String(); ok {
					usage[e.Key] = &UsageDescription{Key: e.Key, Texts: map[string]string{"": s}, Offset: e.Value.Offset}
				}
			}
		}
	}
	a.localizations(b, usage)
	for _, u := range usage {
		b.UsageDescriptions = append(b.UsageDescriptions, *u)
	}
	sort.Slice(b.UsageDescriptions, func(x, y int) bool { return b.UsageDescriptions[x].Key < b.UsageDescriptions[y].Key })

	b.ExecutableName = i.Get("CFBundleExecutable").Text()
	if b.ExecutableName == "" && kind == KindFramework {
		b.ExecutableName = strings.TrimSuffix(path.Base(strings.TrimSuffix(dir, "/")), ".framework")
	}
	if b.ExecutableName != "" && !strings.Contains(b.ExecutableName, "/") {
		b.ExecutablePath = dir + b.ExecutableName
		a.executable(b)
	}
	return b
}

// isUsageKey tells the purpose-string keys: NS…UsageDescription, and the
// few Apple named otherwise.
func isUsageKey(k string) bool {
	if strings.HasPrefix(k, "NS") && strings.HasSuffix(k, "UsageDescription") {
		return true
	}
	switch k {
	case "NSLocationTemporaryUsageDescriptionDictionary", "NFCReaderUsageDescription":
		return true
	}
	return false
}

// localizations reads <lang>.lproj/InfoPlist.strings at the top of the
// bundle: display names and purpose texts per language.
func (a *App) localizations(b *Bundle, usage map[string]*UsageDescription) {
	// Languages seen, kept as a set: an archive may hold as many .lproj
	// directories as entries, and a search of the list for each file
	// was quadratic (60000 took 22 s).
	langs := map[string]bool{}
	for _, f := range under(a.src.files(), b.Dir) {
		lproj, file, ok := strings.Cut(f.Name, "/")
		if !ok || !strings.HasSuffix(lproj, ".lproj") {
			continue
		}
		lang := strings.TrimSuffix(lproj, ".lproj")
		if !langs[lang] {
			langs[lang] = true
			b.Localizations = append(b.Localizations, lang)
		}
		if file != "InfoPlist.strings" {
			continue
		}
		v, err := a.readPlist(b.Dir + f.Name)
		if err != nil {
			a.errf("ios: %w", err)
			continue
		}
		if s := v.Get("CFBundleDisplayName").Text(); s != "" {
			b.DisplayNames[lang] = s
		} else if s := v.Get("CFBundleName").Text(); s != "" {
			b.DisplayNames[lang] = s
		}
		for _, e := range v.Dict {
			if !isUsageKey(e.Key) {
				continue
			}
			s, ok := e.Value.String()
			if !ok {
				continue
			}
			u := usage[e.Key]
			if u == nil {
				// Localised but not in Info.plist: iOS shows no prompt text
				// for it; kept, since the app ships it.
				u = &UsageDescription{Key: e.Key, Texts: map[string]string{}, Offset: -1}
				usage[e.Key] = u
			}
			u.Texts[lang] = s
		}
	}
	sort.Strings(b.Localizations)
}

func readATS(v *plist.Value) *ATS {
	if v == nil || v.Kind != plist.Dict {
		return nil
	}
	flag := func(d *plist.Value, k string) bool { b, _ := d.Get(k).Boolean(); return b }
	t := &ATS{
		AllowsArbitraryLoads:             flag(v, "NSAllowsArbitraryLoads"),
		AllowsArbitraryLoadsInWebContent: flag(v, "NSAllowsArbitraryLoadsInWebContent"),
		AllowsArbitraryLoadsForMedia:     flag(v, "NSAllowsArbitraryLoadsForMedia"),
		AllowsLocalNetworking:            flag(v, "NSAllowsLocalNetworking"),
		Offset:                           v.Offset,
	}
	if d := v.Get("NSExceptionDomains"); d != nil {
		for _, e := range d.Dict {
			x := ATSException{
				Domain:                  e.Key,
				IncludesSubdomains:      flag(e.Value, "NSIncludesSubdomains"),
				AllowsInsecureHTTPLoads: flag(e.Value, "NSExceptionAllowsInsecureHTTPLoads") || flag(e.Value, "NSTemporaryExceptionAllowsInsecureHTTPLoads") || flag(e.Value, "NSThirdPartyExceptionAllowsInsecureHTTPLoads"),
				MinimumTLSVersion:       e.Value.Get("NSExceptionMinimumTLSVersion").Text(),
				Offset:                  e.Value.Offset,
			}
			for _, k := range []string{"NSExceptionRequiresForwardSecrecy", "NSThirdPartyExceptionRequiresForwardSecrecy"} {
				if fs, ok := e.Value.Get(k).Boolean(); ok {
					x.RequiresForwardSecrecy = &fs
				}
			}
			t.Exceptions = append(t.Exceptions, x)
		}
	}
	return t
}

// executable reads the bundle's Mach-O and its entitlements.
func (a *App) executable(b *Bundle) {
	data, err := a.src.read(b.ExecutablePath, a.opt.MaxFileSize)
	if err != nil {
		a.errf("ios: executable: %w", err)
		return
	}
	f, err := macho.Open(bytes.NewReader(data), int64(len(data)), a.opt.MachO)
	if err != nil {
		a.errf("ios: %s: %w", b.ExecutablePath, err)
		return
	}
	b.Executable = f
	for _, s := range f.Slices {
		for _, w := range s.Warnings {
			a.errf("ios: %s (%s): %w", b.ExecutablePath, s.Arch, w)
		}
		if b.Entitlements == nil && s.Signature != nil && len(s.Signature.Entitlements) > 0 {
			v, _, err := plist.Parse(s.Signature.Entitlements, a.opt.Plist)
			if err != nil {
				a.errf("ios: %s entitlements: %w", b.ExecutablePath, err)
				continue
			}
			b.Entitlements = v
		}
	}
}

// Encrypted reports whether any slice of the executable is
// FairPlay-encrypted.
func (b *Bundle) Encrypted() bool {
	if b.Executable == nil {
		return false
	}
	for _, s := range b.Executable.Slices {
		if s.Encrypted() {
			return true
		}
	}
	return false
}

// String names the bundle for messages.
func (b *Bundle) String() string {
	return fmt.Sprintf("%s %s (%s)", b.Kind, b.ID, b.Dir)
}
