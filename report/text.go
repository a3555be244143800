package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"appxray/knowledge"
	"appxray/scan"
)

// Section groups finding categories for the plain-text summary, in the order
// a reader asks the questions.
type section struct {
	title string
	group knowledge.Group
}

var sections = []section{
	{"What it records about people", knowledge.GroupPerson},
	{"What it takes from the device", knowledge.GroupDevice},
	{"How it behaves", knowledge.GroupBehaviour},
}

// Text writes the plain-text summary: the first page of a report.
func Text(w io.Writer, r *scan.Report) error {
	p := &printer{w: w}
	a := r.App
	name := a.Label
	if name == "" {
		name = r.File.Name
	}
	p.f("%s", name)
	if a.Package != "" {
		p.f(" (%s %s, version code %d)", a.Package, a.VersionName, a.VersionCode)
	}
	p.f("\n")
	p.f("  file      %s, %d bytes, %s, sha256 %s\n", r.File.Name, r.File.Size, r.File.Kind, r.File.SHA256)
	if a.MinSDK != "" || a.TargetSDK != "" {
		p.f("  sdk       min %s, target %s\n", orDash(a.MinSDK), orDash(a.TargetSDK))
	}
	if len(a.Labels) > 1 {
		var locs []string
		for l := range a.Labels {
			if l != "" {
				locs = append(locs, l)
			}
		}
		sort.Strings(locs)
		p.f("  labels    %d locales (%s)\n", len(locs), strings.Join(locs, " "))
	}
	for _, s := range r.Signers {
		line := fmt.Sprintf("  signed    %s [%s] sha256 %s", s.Subject, strings.Join(s.Schemes, ", "), s.SHA256)
		if s.WellKnownKey != "" {
			line += " (well-known key: " + s.WellKnownKey + ")"
		}
		p.f("%s\n", line)
	}
	if len(r.Signers) == 0 && r.File.Kind != "dex" {
		p.f("  signed    no signer found\n")
	}
	c := r.Components
	p.f("  manifest  %s; %s, %s, %s, %s\n", plural(len(r.Permissions), "permission", "permissions"),
		plural(len(c.Activities), "activity", "activities"), plural(len(c.Services), "service", "services"),
		plural(len(c.Receivers), "receiver", "receivers"), plural(len(c.Providers), "provider", "providers"))
	classes, methods := 0, 0
	for _, d := range r.Dex {
		classes += d.Classes
		methods += d.Methods
	}
	p.f("  code      %s, %s, %s\n", plural(len(r.Dex), "DEX file", "DEX files"), plural(classes, "class", "classes"), plural(methods, "method reference", "method references"))

	writeFindings(p, r)
	writeContacts(p, r)

	if len(r.Anomalies) > 0 {
		p.f("\nContainer anomalies (%d)\n", len(r.Anomalies))
		for i, an := range r.Anomalies {
			if i == 10 {
				p.f("  … %d more in the JSON report\n", len(r.Anomalies)-10)
				break
			}
			where := ""
			if an.Entry != "" {
				where = " " + an.Entry
			}
			p.f("  %s at 0x%x%s: %s\n", an.Kind, an.Offset, where, an.Detail)
		}
	}
	if len(r.Errors) > 0 {
		p.f("\nCould not read (%d)\n", len(r.Errors))
		for _, e := range r.Errors {
			p.f("  %s: %s\n", e.Where, e.Error)
		}
	}
	return p.err
}

func writeFindings(p *printer, r *scan.Report) {
	if len(r.Findings) == 0 {
		return
	}
	for _, sec := range sections {
		var app, sdk []scan.Finding
		for _, f := range r.Findings {
			if f.Category.Group() != sec.group {
				continue
			}
			if f.SDK != "" {
				sdk = append(sdk, f)
			} else {
				app = append(app, f)
			}
		}
		if len(app)+len(sdk) == 0 {
			continue
		}
		p.f("\n%s\n", sec.title)
		writeByCategory(p, app, "  ")
		if len(sdk) > 0 {
			p.f("  In third-party SDK code:\n")
			writeByCategory(p, sdk, "    ")
		}
	}
}

// writeByCategory prints findings under a heading per category, in the
// taxonomy's order, one line each with the first place to check.
func writeByCategory(p *printer, fs []scan.Finding, indent string) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Category.Order() != fs[j].Category.Order() {
			return fs[i].Category.Order() < fs[j].Category.Order()
		}
		return fs[i].Severity.Rank() < fs[j].Severity.Rank()
	})
	last := knowledge.Category("")
	for _, f := range fs {
		if f.Category != last {
			last = f.Category
			special := ""
			if f.Special {
				special = ", special category"
			}
			p.f("%s%s (%s%s)\n", indent, f.Category.Title(), f.Category, special)
		}
		sdk := ""
		if f.SDK != "" {
			sdk = " — " + f.SDK
		}
		where := ""
		if len(f.Evidence) > 0 {
			where = "  [" + f.Evidence[0].Location
			if n := len(f.Evidence) - 1; n > 0 {
				where += fmt.Sprintf(" and %d more", n)
			}
			where += "]"
		}
		p.f("%s  - %s%s (%s confidence)%s\n", indent, f.Title, sdk, f.Confidence.Level, where)
	}
}

// writeContacts says whom the app talks to: the trackers it carries and the
// hosts it names, app hosts apart from SDK hosts.
func writeContacts(p *printer, r *scan.Report) {
	if len(r.Trackers) == 0 && len(r.Endpoints) == 0 {
		return
	}
	p.f("\nWhom it talks to\n")
	for _, t := range r.Trackers {
		var what []string
		if t.Classes > 0 {
			what = append(what, plural(t.Classes, "class", "classes"))
		}
		if len(t.Hosts) > 0 {
			what = append(what, "hosts "+strings.Join(t.Hosts, ", "))
		}
		p.f("  - SDK %s (%s): %s\n", t.Name, strings.Join(t.Categories, ", "), strings.Join(what, "; "))
	}
	type hostInfo struct {
		clear bool
		where string
		sdk   string
	}
	hosts := map[string]*hostInfo{}
	var order []string
	for _, e := range r.Endpoints {
		h, ok := hosts[e.Host]
		if !ok {
			h = &hostInfo{where: e.FoundIn[0].Location, sdk: e.Tracker}
			hosts[e.Host] = h
			order = append(order, e.Host)
		}
		h.clear = h.clear || e.Cleartext
	}
	if len(order) > 0 {
		p.f("  hosts named (%d):\n", len(order))
	}
	for i, host := range order {
		if i == 25 {
			p.f("    … %d more in the JSON report\n", len(order)-25)
			break
		}
		h := hosts[host]
		flags := ""
		if h.clear {
			flags += " [cleartext]"
		}
		if h.sdk != "" {
			flags += " [" + h.sdk + "]"
		}
		p.f("    %s%s  (%s)\n", host, flags, h.where)
	}
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
