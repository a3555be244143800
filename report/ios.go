package report

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"appxray/knowledge"
	"appxray/scan"
)

// What the human formats say of the kind of app a report is about: an
// Android app (APK, split set, App Bundle, DEX or JAR) has a manifest and
// DEX code; an iOS app (IPA or .app directory) has an Info.plist, a
// provisioning profile and Mach-O executables instead.

// isIOS reports whether the report is of an iOS app.
func isIOS(r *scan.Report) bool { return r.File.Kind == "ipa" || r.File.Kind == "app-directory" }

// fileKindWords names the kind of input for a reader.
func fileKindWords(kind string) string {
	switch kind {
	case "apk":
		return "Android app (APK)"
	case "split-set":
		return "Android split set (the APKs of one app)"
	case "aab":
		return "Android App Bundle"
	case "dex":
		return "DEX file"
	case "jar":
		return "JAR of DEX code"
	case "ipa":
		return "iOS app (IPA)"
	case "app-directory":
		return "iOS app, unzipped (.app directory)"
	}
	return kind
}

// platformWords says what kind of app the report is about, for the
// report's subtitle.
func platformWords(r *scan.Report) string {
	switch {
	case isIOS(r):
		return "iOS app"
	case r.File.Kind == "dex" || r.File.Kind == "jar":
		return "Android code"
	}
	return "Android app"
}

// versionWords is the app's version as its platform numbers it: "2.0
// (version code 20)" on Android, "2.4.1 (build 241)" on iOS.
func versionWords(r *scan.Report) string {
	a := r.App
	if isIOS(r) {
		if a.Build == "" {
			return orDash(a.VersionName)
		}
		return fmt.Sprintf("%s (build %s)", orDash(a.VersionName), a.Build)
	}
	return fmt.Sprintf("%s (version code %d)", orDash(a.VersionName), a.VersionCode)
}

// requiresWords is the iOS version an iOS app needs, "" when unknown.
func requiresWords(r *scan.Report) string {
	if r.App.MinimumOS == "" {
		return ""
	}
	return "iOS " + r.App.MinimumOS + " or later"
}

// hashWords is the file's SHA-256, or why there is none.
func hashWords(r *scan.Report) string {
	if r.File.SHA256 == "" && r.File.Kind == "app-directory" {
		return "none: a directory has no hash of its own"
	}
	return r.File.SHA256
}

// partsWords names the modules of a bundle or the APKs of a split set:
// "base, feature1 (split feature1)"; "" for an input of one part.
func partsWords(r *scan.Report) string {
	if len(r.File.Parts) < 2 {
		return ""
	}
	var out []string
	for _, p := range r.File.Parts {
		s := p.Name
		if p.Split != "" && p.Split != p.Name {
			s += " (split " + p.Split + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// partsLabel is what partsWords lists: a bundle's modules or a split
// set's APKs.
func partsLabel(r *scan.Report) string {
	if r.File.Kind == "aab" {
		return "modules"
	}
	return "parts"
}

// noSignerWords says what a report without a signer means for its kind.
func noSignerWords(r *scan.Report) string {
	switch {
	case r.File.Kind == "dex":
		return "a bare DEX file carries no signature"
	case isIOS(r):
		return "no provisioning profile in the app (an App Store download carries none)"
	}
	return "no signature found"
}

// day is the date of an RFC 3339 time, the time as it is when it is not one.
func day(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Format("2006-01-02")
	}
	return s
}

// profileTeam names the team a profile belongs to: "appxray Demo Team
// (ABCDE12345)".
func profileTeam(p *scan.Profile) string {
	switch {
	case p.TeamName != "" && p.TeamID != "":
		return p.TeamName + " (" + p.TeamID + ")"
	case p.TeamName != "":
		return p.TeamName
	}
	return orDash(p.TeamID)
}

// profileKind says what kind of profile it is and where the app it signs
// installs.
func profileKind(p *scan.Profile) string {
	where := ""
	switch {
	case p.AllDevices:
		where = "installs on any device"
	case p.Devices > 0:
		where = "installs only on the " + plural(p.Devices, "device", "devices") + " it lists"
	}
	var s string
	switch p.Type {
	case "development":
		s = "development profile"
	case "ad-hoc":
		s = "ad hoc distribution profile"
	case "enterprise":
		s = "enterprise (in-house) distribution profile"
		if where != "" {
			where += ", outside the App Store"
		}
	case "app-store":
		s = "App Store distribution profile"
	default:
		s = orDash(p.Type) + " profile"
	}
	if where != "" {
		s += ": the app " + where
	}
	return s
}

// profileShort is the profile in one line for the identity block.
func profileShort(p *scan.Profile) string {
	s := upperFirst(profileKind(p)) + "; team " + profileTeam(p)
	if p.Expires != "" {
		s += "; expires " + day(p.Expires)
	}
	return s
}

// profileFacts are the profile's facts as label and value, for the
// technical details.
func profileFacts(p *scan.Profile) [][2]string {
	out := [][2]string{{"Kind", upperFirst(profileKind(p))}, {"Team", profileTeam(p)}}
	if p.Name != "" {
		out = append(out, [2]string{"Name", p.Name})
	}
	if p.AppID != "" {
		out = append(out, [2]string{"App ID", p.AppID})
	}
	if p.Created != "" {
		out = append(out, [2]string{"Created", day(p.Created)})
	}
	if p.Expires != "" {
		out = append(out, [2]string{"Expires", day(p.Expires)})
	}
	devices := plural(p.Devices, "device", "devices") + " listed"
	if p.AllDevices {
		devices = "any device (it lists none)"
	}
	out = append(out, [2]string{"Devices", devices},
		[2]string{"Certificates", plural(p.Certificates, "certificate may", "certificates may") + " sign with it (see Signers)"},
		[2]string{"File", p.Path})
	return out
}

// usageDesc is one usage description: the purpose text iOS shows when the
// app asks for access, in every language the app gives it.
type usageDesc struct {
	Key      string
	What     string // "the contacts"
	Category knowledge.Category
	Texts    map[string]string // by locale, "" for Info.plist's own
	Where    string            // the first place it is written
	Embedded bool              // in an embedded framework or extension
}

// usageDetail is the ios-usage analyzer's evidence detail: "KEY: text" in
// Info.plist, "KEY (locale): text" in a localisation.
var usageDetail = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z]+)(?: \(([^()]+)\))?: (.*)$`) })

// usageDescriptions lists the app's usage descriptions from the findings
// that state them, in the findings' order.
func usageDescriptions(r *scan.Report) []usageDesc {
	var out []usageDesc
	ik := knowledge.IOSKnowledge()
	for _, f := range r.Findings {
		if f.Analyzer != "ios-usage" {
			continue
		}
		var u *usageDesc
		for _, e := range f.Evidence {
			m := usageDetail().FindStringSubmatch(e.Detail)
			if m == nil {
				continue
			}
			k, ok := ik.UsageKey(m[1])
			if !ok {
				continue
			}
			if u == nil {
				u = &usageDesc{Key: k.Key, What: k.What, Category: k.Category, Texts: map[string]string{}, Where: e.Location, Embedded: strings.HasPrefix(f.Title, "An embedded ")}
			}
			if u.Key == k.Key {
				u.Texts[m[2]] = m[3]
			}
		}
		if u != nil {
			out = append(out, *u)
		}
	}
	return out
}

// encryptedExe is an executable FairPlay encrypts, and the slice.
type encryptedExe struct {
	Path string
	Arch string
}

func (e encryptedExe) String() string {
	if e.Arch == "" {
		return e.Path
	}
	return e.Path + " (" + e.Arch + ")"
}

// fairPlayID is the protector the iOS encryption analyzer reports.
const fairPlayID = "apple_fairplay"

var sliceArch = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`of the (\S+) slice`) })

// fairPlay lists the executables FairPlay encrypts, by the evidence of the
// protector.
func fairPlay(r *scan.Report) []encryptedExe {
	var out []encryptedExe
	for _, p := range r.Protection.Packers {
		if p.ID == fairPlayID {
			out = appendEncrypted(out, p)
		}
	}
	return out
}

// appendEncrypted adds the executables a FairPlay protector's evidence
// names, once each.
func appendEncrypted(out []encryptedExe, p scan.Packer) []encryptedExe {
	for _, e := range p.Evidence {
		x := encryptedExe{Path: parseLocation(e.Location).File}
		if m := sliceArch().FindStringSubmatch(e.Detail); m != nil {
			x.Arch = m[1]
		}
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func encryptedList(xs []encryptedExe) string {
	var s []string
	for _, x := range xs {
		s = append(s, x.String())
	}
	return join(s)
}

// fairPlayHides says what FairPlay keeps from appxray.
const fairPlayHides = "their code, Objective-C class and selector names and strings cannot be read, so appxray sees only what they import and link; a decrypted copy of the app is needed for the rest"

// machOWords says what appxray reads in an iOS app's code.
const machOWords = "Mach-O executables, no DEX code: appxray reads what they import and link, their Objective-C classes and selectors and their strings, and traces no data paths in them"

// fairPlayWords says which executables FairPlay encrypts and what that
// keeps from appxray, or that it found none.
func fairPlayWords(r *scan.Report) string {
	if xs := fairPlay(r); len(xs) > 0 {
		return "encrypts " + encryptedList(xs) + ": " + fairPlayHides
	}
	return "no executable found encrypted"
}

// bundleRef finds an embedded framework or app extension in a path.
var bundleRef = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:^|/)((?:Frameworks/[^/ ]+\.framework)|(?:PlugIns/[^/ ]+\.appex))(?:/|$| )`)
})

// iosBundles lists the embedded frameworks and app extensions the
// report's evidence names ("Frameworks/FBSDKCoreKit.framework",
// "PlugIns/Share.appex"), sorted: those a finding, a host, a tracker or a
// protector was found in. The scan document lists no others.
func iosBundles(r *scan.Report) []string {
	seen := map[string]bool{}
	look := func(s string) {
		for _, m := range bundleRef().FindAllStringSubmatch(s, -1) {
			seen[m[1]] = true
		}
	}
	for _, f := range r.Findings {
		for _, e := range f.Evidence {
			look(e.Location)
		}
	}
	for _, e := range r.Endpoints {
		for _, ev := range e.FoundIn {
			look(ev.Location)
		}
	}
	for _, t := range r.Trackers {
		for _, s := range t.Signatures {
			look(s)
		}
	}
	for _, p := range r.Protection.Packers {
		for _, e := range p.Evidence {
			look(e.Location)
		}
	}
	for _, f := range r.Fields {
		look(f.Evidence.Location)
	}
	out := make([]string, 0, len(seen))
	for b := range seen {
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}

// atsWords says how the app sets App Transport Security, by the findings
// that read it.
func atsWords(r *scan.Report) string {
	n := 0
	for _, f := range r.Findings {
		if f.Analyzer == "ios-transport" {
			n++
		}
	}
	if n == 0 {
		return "no exception found in Info.plist: iOS allows only encrypted connections (HTTPS)"
	}
	return "relaxed by " + plural(n, "exception", "exceptions") + " (see Whom it talks to)"
}

// plistWords sums up an iOS app's Info.plist for the text summary.
func plistWords(r *scan.Report, usage int) string {
	a := r.App
	parts := []string{plural(usage, "usage description", "usage descriptions")}
	if len(a.URLSchemes) > 0 {
		parts = append(parts, "opens URL schemes "+strings.Join(a.URLSchemes, ", "))
	}
	if n := len(a.QueriedSchemes); n > 0 {
		parts = append(parts, "checks for "+plural(n, "other app", "other apps")+" by URL scheme")
	}
	if len(a.BackgroundModes) > 0 {
		parts = append(parts, "background modes "+strings.Join(a.BackgroundModes, ", "))
	}
	return strings.Join(parts, "; ")
}

// queriedSchemesNote explains LSApplicationQueriesSchemes.
const queriedSchemesNote = "iOS tells an app whether another app is installed only for the URL schemes it lists in its Info.plist (LSApplicationQueriesSchemes): each names an app it checks for."

// declarations are the comparisons of what the app declares with what
// was found, the app's own first.
func declarations(r *scan.Report) []scan.Declared {
	var out []scan.Declared
	if r.Declared != nil {
		out = append(out, *r.Declared)
	}
	return append(out, r.AlsoDeclared...)
}

// declaredIntro says where a declaration comes from: the app's privacy
// manifests, or the file given with the scan.
func declaredIntro(d scan.Declared) string {
	switch d.Format {
	case "apple-privacy-manifest":
		if strings.Contains(d.Source, ", ") {
			return "What the app's privacy manifests (" + d.Source + ") say it collects, against what appxray found."
		}
		return "What the app's privacy manifest (" + d.Source + ") says it collects, against what appxray found."
	case "play-data-safety-csv":
		return "What the declaration given (" + d.Source + ", a Google Play Data safety export) says the app collects, against what appxray found."
	case "appxray-json":
		return "What the declaration given (" + d.Source + ", in appxray's JSON) says the app collects, against what appxray found."
	}
	return "What the declaration given (" + d.Source + ", " + d.Format + ") says the app collects, against what appxray found."
}

// declaredNone says that no declarable type covers a category.
func declaredNone(d scan.Declared) string {
	if d.Format == "apple-privacy-manifest" {
		return "no privacy-manifest data type covers it"
	}
	return "no Data safety type covers it"
}

// carriedLists are the watchlists to show under "Lists it carries": all
// but the one that is an iOS app's LSApplicationQueriesSchemes itself,
// which the report shows as the apps it checks for. A list of package
// names whose finding is no claim is named for what it is shown to be:
// names written like packages (Rhino's message keys, JavaMail's
// properties).
func carriedLists(r *scan.Report) []scan.Watchlist {
	var out []scan.Watchlist
	for _, w := range r.Watchlists {
		if isQueriedSchemes(r, w) {
			continue
		}
		if found, claimed := listFinding(r, w); w.Kind == "package names" && found && !claimed {
			w.Kind = "names written like package names"
		}
		out = append(out, w)
	}
	return out
}

func isQueriedSchemes(r *scan.Report, w scan.Watchlist) bool {
	q := r.App.QueriedSchemes
	return len(q) > 0 && w.Category == knowledge.BehaviourAppWatchlist && w.Size == len(q) &&
		len(w.Sample) <= len(q) && slices.Equal(w.Sample, q[:len(w.Sample)])
}

// declaredShort names a declaration's source in a few words, for a
// heading beside another declaration's.
func declaredShort(d scan.Declared) string {
	if d.Format == "apple-privacy-manifest" {
		return "privacy manifests"
	}
	return d.Source
}

// tricksIntro introduces the anomalies: departures from what Android
// accepts, or, in an iOS app, from what its archive format allows.
func tricksIntro(r *scan.Report) string {
	if isIOS(r) {
		return "Places where the file departs from what its format allows or from what analysis tools expect, by kind."
	}
	return "Places where the file departs from what Android accepts or from what analysis tools expect, by kind."
}

// tricksNote is tricksIntro with how appxray reads such a file.
func tricksNote(r *scan.Report) string {
	if isIOS(r) {
		return tricksIntro(r)
	}
	return tricksIntro(r) + " appxray reads the file as Android does."
}
