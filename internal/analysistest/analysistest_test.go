package analysistest

import (
	"strings"
	"testing"

	"appxray/knowledge"
	"appxray/scan"
)

func TestDiff(t *testing.T) {
	d := Diff("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nD\ne\nf\ng\nh\n")
	for _, want := range []string{"- d\n", "+ D\n", "+ h\n", "  c\n"} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, "  a\n") {
		t.Errorf("diff shows far context:\n%s", d)
	}
	if Diff("x\n", "x\n") != "" {
		t.Error("equal texts differ")
	}
}

func TestFindingsText(t *testing.T) {
	got := string(Findings([]scan.Finding{{
		ID: "device-sms-1", Category: knowledge.DeviceSMS, Severity: knowledge.SeverityHigh, Title: "Reads SMS", SDK: "Umeng",
		Confidence: scan.Likely("calls the API"),
		Evidence:   []scan.Evidence{scan.DexMethod("classes.dex", "La;->b()V", "calls x")},
	}}))
	want := "device-sms-1 device.sms [high] \"Reads SMS\" sdk=\"Umeng\"\n  confidence medium: calls the API\n  code classes.dex La;->b()V\n      calls x\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
