// Package layers checks the import graph against the architecture: data
// flows one way, from file formats up to reports, and no import points up.
package layers

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// rank is a package's layer; a package may import packages of its own
// layer or below. Format packages know nothing of privacy; detectors never
// render; the report only renders.
func rank(pkg string) (int, bool) {
	p := strings.TrimPrefix(pkg, "appxray/")
	top, _, _ := strings.Cut(p, "/")
	switch top {
	case "res", "zipapk", "axml", "arsc", "dex", "apksig", "pbres", "aab", "plist", "macho", "mobileprovision", "nib":
		return 0, true // file formats
	case "knowledge":
		return 0, true // data, no format knowledge
	case "app", "ios":
		return 1, true // the app models (Android, iOS)
	case "scan":
		return 1, true // the scan document
	case "analysis":
		return 2, true
	case "detect":
		return 3, true
	case "report":
		return 4, true
	case "batch", "gate":
		return 5, true // many reports at once; the CI gate over a report
	case "store", "jobs", "server":
		return 5, true // appxray serve: storage, analysis jobs, web app and API
	case "cmd":
		return 6, true
	case "bench":
		return 6, true // the bench script's own tools
	case "internal":
		if p == "internal/pages" {
			return 0, true // memory outside the heap, for the app model's DEX bytes
		}
		return 7, true // test helpers
	}
	return 5, false // above the report (server, workers, batch): say where in the test when added
}

var formats = []string{"appxray/res", "appxray/zipapk", "appxray/axml", "appxray/arsc", "appxray/dex", "appxray/apksig", "appxray/pbres", "appxray/aab", "appxray/plist", "appxray/macho", "appxray/mobileprovision", "appxray/nib", "appxray/app", "appxray/ios"}

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

func TestNoEdgePointsUp(t *testing.T) {
	edges := 0
	for _, line := range goList(t, "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "appxray/...") {
		fields := strings.Fields(line)
		pkg := fields[0]
		from, known := rank(pkg)
		if !known {
			t.Errorf("%s is in no layer: add it to rank", pkg)
		}
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, "appxray/") {
				continue
			}
			edges++
			to, _ := rank(imp)
			if to > from {
				t.Errorf("%s (layer %d) imports %s (layer %d): an edge pointing up", pkg, from, imp, to)
			}
			if from == 0 && strings.HasPrefix(pkg, "appxray/knowledge") != strings.HasPrefix(imp, "appxray/knowledge") {
				t.Errorf("%s imports %s: formats and knowledge stay apart", pkg, imp)
			}
		}
	}
	if edges == 0 {
		t.Fatal("no edges: go list printed nothing useful")
	}
	t.Logf("compared %d import edges against the layers", edges)
}

// The report renders a saved document without the app: it must not reach
// a detector or a decoder, even indirectly.
func TestReportOnlyRenders(t *testing.T) {
	deps := goList(t, "-deps", "appxray/report")
	for _, d := range deps {
		if strings.HasPrefix(d, "appxray/detect") || strings.HasPrefix(d, "appxray/analysis") || slices.Contains(formats, d) {
			t.Errorf("report depends on %s", d)
		}
	}
	var ours []string
	for _, d := range deps {
		if strings.HasPrefix(d, "appxray/") {
			ours = append(ours, d)
		}
	}
	t.Logf("go list -deps appxray/report (appxray packages): %s", strings.Join(ours, " "))
}
