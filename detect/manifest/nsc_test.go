package manifest

import (
	"slices"
	"testing"

	"appxray/axml"
	"appxray/res"
)

func el(name string, line uint32, attrs map[string]string, children ...*axml.Element) *axml.Element {
	e := &axml.Element{Name: name, Line: line, Children: children}
	for k, v := range attrs {
		e.Attrs = append(e.Attrs, axml.Attribute{Name: k, RawValue: v, HasRaw: true})
	}
	return e
}

func domain(name string, sub bool) *axml.Element {
	e := el("domain", 0, nil)
	if sub {
		// A typed boolean, as aapt2 writes it.
		e.Attrs = append(e.Attrs, axml.Attribute{Name: "includeSubdomains", Value: res.Value{Type: res.TypeIntBoolean, Data: 0xffffffff}})
	}
	e.Text = []axml.Text{{Value: "  " + name + "\n"}}
	return e
}

func TestParseNetworkConfig(t *testing.T) {
	root := el("network-security-config", 1, nil,
		el("base-config", 2, map[string]string{"cleartextTrafficPermitted": "false"}),
		el("domain-config", 3, map[string]string{"cleartextTrafficPermitted": "true"},
			domain("a.example", true),
			domain("b.example", false),
			el("domain-config", 6, nil, domain("inherits.example", false)),
			el("domain-config", 7, map[string]string{"cleartextTrafficPermitted": "false"}, domain("secure.example", false)),
		),
		el("domain-config", 9, map[string]string{"cleartextTrafficPermitted": "bogus"}, domain("unset.example", false)),
		el("base-config", 11, map[string]string{"cleartextTrafficPermitted": "true"}), // a second one is ignored
	)
	nc := &networkConfig{}
	parseNetworkConfig(nc, root)
	if nc.Base == nil || nc.Base.Line != 2 || nc.Base.Permitted == nil || *nc.Base.Permitted {
		t.Fatalf("base = %+v", nc.Base)
	}
	type dc struct {
		line      int
		permitted string
		domains   []string
	}
	var got []dc
	for _, d := range nc.Domains {
		p := "unset"
		if d.Permitted != nil {
			p = map[bool]string{true: "true", false: "false"}[*d.Permitted]
		}
		got = append(got, dc{d.Line, p, d.Domains})
	}
	want := []dc{
		{3, "true", []string{"*.a.example", "b.example"}},
		{6, "true", []string{"inherits.example"}},
		{7, "false", []string{"secure.example"}},
		{9, "unset", []string{"unset.example"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].line != want[i].line || got[i].permitted != want[i].permitted || !slices.Equal(got[i].domains, want[i].domains) {
			t.Errorf("domain-config %d = %+v, want %+v", i, got[i], want[i])
		}
	}

	in := &input{Info: info("34", nil), File: "AndroidManifest.xml", NSC: nc}
	nc.Ref, nc.File, nc.Location = "@xml/nsc", "res/xml/nsc.xml", "res/xml/nsc.xml"
	fs := byCat(check(in), "behaviour.cleartext")
	if len(fs) != 1 || fs[0].Title != "Cleartext traffic: the network security config permits cleartext traffic to *.a.example, b.example, inherits.example" {
		t.Fatalf("cleartext findings: %+v", fs)
	}
	if len(fs[0].Evidence) != 3 || fs[0].Evidence[2].Location != "res/xml/nsc.xml line 6" || fs[0].Evidence[2].Kind != "resource" {
		t.Errorf("evidence %+v", fs[0].Evidence)
	}
}

func TestNetworkConfigDepthBound(t *testing.T) {
	inner := el("domain-config", 100, map[string]string{"cleartextTrafficPermitted": "true"}, domain("deep.example", false))
	for i := 0; i < 100; i++ {
		inner = el("domain-config", uint32(i), nil, inner)
	}
	nc := &networkConfig{}
	parseNetworkConfig(nc, el("network-security-config", 1, nil, inner))
	if len(nc.Domains) != maxNSCDepth {
		t.Errorf("kept %d nested domain-configs, want the bound %d", len(nc.Domains), maxNSCDepth)
	}
}
