package manifest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"appxray/analysis"
	"appxray/app"
	"appxray/axml"
	"appxray/knowledge"
	"appxray/res"
	"appxray/scan"
)

// networkConfig is what matters for cleartext in a network security
// config (res/xml/…, referenced by android:networkSecurityConfig).
type networkConfig struct {
	// Ref is the attribute as written ("@xml/network_security_config"),
	// File the entry it resolves to, Location that entry as evidence names it.
	Ref, File, Location string
	// Base is the <base-config>, nil if there is none.
	Base *nscConfig
	// Domains are the <domain-config> elements, nested ones flattened with
	// the inherited value filled in.
	Domains []nscConfig
}

type nscConfig struct {
	Line int
	// Permitted is cleartextTrafficPermitted, nil if not written (and, for
	// a domain-config, not inherited).
	Permitted *bool
	Domains   []string
}

// maxNSCDepth bounds nested domain-config elements.
const maxNSCDepth = 16

// maxNSCDomains bounds the domains kept from one config.
const maxNSCDomains = 1000

// loadNetworkConfig finds and parses the network security config the
// <application> names. It returns nil, nil when there is none.
func loadNetworkConfig(part *app.Part, doc *axml.Document) (*networkConfig, error) {
	var appEl *axml.Element
	for _, e := range doc.Root.Children {
		if e.Name == "application" {
			appEl = e
			break
		}
	}
	if appEl == nil {
		return nil, nil
	}
	a, ok := appEl.AttrByID(app.AttrNetworkSecurityConfig)
	if !ok {
		a, ok = appEl.Attr(app.AndroidNS, "networkSecurityConfig")
	}
	if !ok {
		return nil, nil
	}
	nc := &networkConfig{Ref: a.Value.Format()}
	if a.Value.Type != res.TypeReference && a.Value.Type != res.TypeDynamicReference {
		return nil, fmt.Errorf("android:networkSecurityConfig is not a resource reference (%s)", a.Value.Format())
	}
	table := part.Resources()
	if table == nil {
		return nil, errors.New("android:networkSecurityConfig cannot be resolved: no resource table")
	}
	if n, ok := table.ResourceName(a.Value.Data); ok {
		nc.Ref = "@" + n
	}
	file, err := table.ResolveString(a.Value.Data, "")
	if err != nil {
		return nil, fmt.Errorf("resolving android:networkSecurityConfig %s: %w", nc.Ref, err)
	}
	nc.File = file
	nc.Location = part.Location(file)
	x, err := part.XML(file)
	if x == nil || x.Root == nil {
		if err == nil {
			err = errors.New("empty document")
		}
		return nil, fmt.Errorf("reading network security config %s: %w", nc.Location, err)
	}
	parseNetworkConfig(nc, x.Root)
	return nc, nil
}

// parseNetworkConfig reads base-config and domain-config elements from the
// <network-security-config> root.
func parseNetworkConfig(nc *networkConfig, root *axml.Element) {
	for _, e := range root.Children {
		switch e.Name {
		case "base-config":
			if nc.Base == nil {
				nc.Base = &nscConfig{Line: int(e.Line), Permitted: boolAttr(e, "cleartextTrafficPermitted")}
			}
		case "domain-config":
			nc.domainConfig(e, nil, 0)
		}
	}
}

func (nc *networkConfig) domainConfig(e *axml.Element, inherited *bool, depth int) {
	if depth >= maxNSCDepth {
		return
	}
	dc := nscConfig{Line: int(e.Line), Permitted: boolAttr(e, "cleartextTrafficPermitted")}
	if dc.Permitted == nil {
		dc.Permitted = inherited
	}
	for _, ch := range e.Children {
		if ch.Name != "domain" || len(dc.Domains) >= maxNSCDomains {
			continue
		}
		var b strings.Builder
		for _, t := range ch.Text {
			b.WriteString(t.Value)
		}
		if d := strings.TrimSpace(b.String()); d != "" {
			if v := boolAttr(ch, "includeSubdomains"); v != nil && *v {
				d = "*." + d
			}
			dc.Domains = append(dc.Domains, d)
		}
	}
	nc.Domains = append(nc.Domains, dc)
	for _, ch := range e.Children {
		if ch.Name == "domain-config" {
			nc.domainConfig(ch, dc.Permitted, depth+1)
		}
	}
}

// boolAttr reads an unprefixed boolean attribute, typed or as a string.
func boolAttr(e *axml.Element, name string) *bool {
	a, ok := e.Attr("", name)
	if !ok {
		return nil
	}
	var v bool
	switch a.Value.Type {
	case res.TypeIntBoolean, res.TypeIntDec, res.TypeIntHex:
		v = a.Value.Data != 0
	default:
		s, ok := a.String()
		if !ok {
			return nil
		}
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return nil
		}
		v = b
	}
	return &v
}

// ---- cleartext ----

// checkCleartext reports when the app may send unencrypted traffic. On
// Android 7 and later a network security config, if present, decides and
// android:usesCleartextTraffic is ignored; without one the attribute
// decides; without either, apps targeting API 27 or lower may use
// cleartext, later ones may not.
// allowance is the confidence and the reason to add for a manifest
// setting that allows cleartext traffic: it matters where the app's own
// code holds or opens a cleartext URL; where it holds none (and its code
// can be read), the allowance is unused.
func (in *input) allowance() (scan.Level, string) {
	switch {
	case in.CodeCleartext == nil:
		return confHigh, ""
	case *in.CodeCleartext != "":
		return confHigh, "; the app's code uses a cleartext URL (" + *in.CodeCleartext + ")"
	case in.Usage != nil && !in.Usage.Visible():
		return confHigh, "; the code that would use it cannot all be read: " + in.Usage.Hidden
	}
	return confLow, "; but the app's own code holds no cleartext URL, so nothing shows it uses what the setting allows"
}

func checkCleartext(in *input, c *collector) {
	const cat = knowledge.BehaviourCleartext
	allowConf, allowWhy := in.allowance()
	target, written := targetSDK(in.Info)
	if written == "" {
		written = "1 (no targetSdkVersion)"
	}
	written = clean(written)
	sdkEv := in.evidence(in.Doc.SDKLine, tag("uses-sdk", "android:targetSdkVersion", in.Info.TargetSDK, "android:minSdkVersion", in.Info.MinSDK))
	if in.Info.TargetSDK == "" && in.Info.MinSDK == "" {
		sdkEv = in.evidence(in.Doc.ManifestLine, "<manifest> without targetSdkVersion or minSdkVersion (defaults to API 1)")
	}
	if nc := in.NSC; nc != nil {
		appEv := in.evidence(in.Doc.AppLine, tag("application", "android:networkSecurityConfig", nc.Ref))
		nscEv := func(line int, detail string) analysis.Evidence {
			return scan.XMLLine(nc.Location, line, detail)
		}
		base := target < 28
		switch {
		case nc.Base != nil && nc.Base.Permitted != nil:
			base = *nc.Base.Permitted
			if base {
				c.fact(cat, "", "the network security config permits cleartext traffic to every host", analysis.Medium, allowConf,
					"<base-config cleartextTrafficPermitted=\"true\"> in "+nc.File+allowWhy,
					appEv, nscEv(nc.Base.Line, `<base-config cleartextTrafficPermitted="true">`))
			}
		case base:
			c.fact(cat, "", fmt.Sprintf("the network security config leaves cleartext at the default of target API %s, which permits it", written), analysis.Low, confLow,
				"the network security config does not set cleartextTrafficPermitted in <base-config>, and apps targeting API 27 or lower may use cleartext by default",
				appEv, sdkEv)
		}
		var domains []string
		var evs []analysis.Evidence
		for _, d := range nc.Domains {
			if d.Permitted == nil || !*d.Permitted || len(d.Domains) == 0 {
				continue
			}
			domains = append(domains, d.Domains...)
			evs = append(evs, nscEv(d.Line, `<domain-config cleartextTrafficPermitted="true"> `+clean(strings.Join(d.Domains, ", "))))
		}
		if len(domains) > 0 && !base {
			var names []string
			for _, d := range domains {
				names = append(names, clean(d))
			}
			c.fact(cat, "", "the network security config permits cleartext traffic to "+listNames(names), analysis.Medium, allowConf,
				"<domain-config cleartextTrafficPermitted=\"true\"> in "+nc.File+" names these domains"+allowWhy,
				append([]analysis.Evidence{appEv}, evs...)...)
		} else if len(domains) > 0 {
			c.fact(cat, "", "", analysis.Medium, allowConf, "", evs...)
		}
		return
	}
	reasonNSC := ""
	if in.NSCErr != nil {
		reasonNSC = " (the network security config could not be read: " + clean(in.NSCErr.Error()) + ")"
	}
	if v := in.Info.UsesCleartextTraffic; v != nil {
		if *v {
			c.fact(cat, "", "android:usesCleartextTraffic=\"true\" allows unencrypted HTTP to any host", analysis.Medium, allowConf,
				"the <application> attribute allows cleartext traffic"+reasonNSC+allowWhy,
				in.evidence(in.Doc.AppLine, tag("application", "android:usesCleartextTraffic", "true")))
		}
		return
	}
	if target < 28 {
		c.fact(cat, "", fmt.Sprintf("targets API %s, where cleartext traffic is allowed by default", written), analysis.Low, confLow,
			"without android:usesCleartextTraffic or a network security config, apps targeting API 27 or lower may use cleartext HTTP"+reasonNSC,
			sdkEv)
	}
}
