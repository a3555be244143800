package ios

import (
	"strings"
)

// PrivacyManifest is a PrivacyInfo.xcprivacy: what a bundle declares it
// collects, whether it tracks, the domains it tracks through and the
// required-reason APIs it uses.
type PrivacyManifest struct {
	Path string
	// Bundle is the directory of the bundle the manifest belongs to (the
	// app, a framework, a resource bundle), with a trailing slash.
	Bundle          string
	Tracking        bool
	TrackingDomains []string
	CollectedData   []CollectedData
	AccessedAPIs    []AccessedAPI
}

// CollectedData is one NSPrivacyCollectedDataTypes entry.
type CollectedData struct {
	Type     string // NSPrivacyCollectedDataTypeEmailAddress…
	Linked   bool   // linked to the user's identity
	Tracking bool   // used for tracking
	Purposes []string
	Offset   int64
}

// AccessedAPI is one NSPrivacyAccessedAPITypes entry.
type AccessedAPI struct {
	Type    string // NSPrivacyAccessedAPICategoryUserDefaults…
	Reasons []string
	Offset  int64
}

func (a *App) privacyManifest(name string) {
	v, err := a.readPlist(name)
	if err != nil {
		a.errf("ios: %w", err)
		return
	}
	m := &PrivacyManifest{Path: name, Bundle: strings.TrimSuffix(name, "PrivacyInfo.xcprivacy")}
	m.Tracking, _ = v.Get("NSPrivacyTracking").Boolean()
	m.TrackingDomains = v.Get("NSPrivacyTrackingDomains").Strings()
	for _, e := range v.Get("NSPrivacyCollectedDataTypes").Items() {
		c := CollectedData{
			Type:     e.Get("NSPrivacyCollectedDataType").Text(),
			Purposes: e.Get("NSPrivacyCollectedDataTypePurposes").Strings(),
			Offset:   e.Offset,
		}
		c.Linked, _ = e.Get("NSPrivacyCollectedDataTypeLinked").Boolean()
		c.Tracking, _ = e.Get("NSPrivacyCollectedDataTypeTracking").Boolean()
		m.CollectedData = append(m.CollectedData, c)
	}
	for _, e := range v.Get("NSPrivacyAccessedAPITypes").Items() {
		m.AccessedAPIs = append(m.AccessedAPIs, AccessedAPI{
			Type:    e.Get("NSPrivacyAccessedAPIType").Text(),
			Reasons: e.Get("NSPrivacyAccessedAPITypeReasons").Strings(),
			Offset:  e.Offset,
		})
	}
	a.PrivacyManifests = append(a.PrivacyManifests, m)
}
