package code_test

import (
	"strings"
	"testing"

	"appxray/detect/code"
	"appxray/internal/testapp"
)

// The framework methods an app reaches through its own subclass count;
// the same name on a class that overrides it does not.
func TestInheritedCalls(t *testing.T) {
	res := testapp.Run(t, "../hierarchy/testdata/hierarchy.dex", code.APIs)
	has := func(cat, method string) bool {
		for _, f := range res.Findings {
			if string(f.Category) != cat {
				continue
			}
			for _, e := range f.Evidence {
				if strings.Contains(e.Location, method) {
					return true
				}
			}
		}
		return false
	}
	for _, c := range []struct {
		cat, method string
		want        bool
	}{
		{"device.other_apps_data", "Lorg/example/Spy;->onAccessibilityEvent", true},
		{"device.other_apps_data", "Lorg/example/SubSpy;->run", true},
		{"device.notifications", "Lorg/example/Listener;->onListenerConnected", true},
		// Own overrides getRootInActiveWindow: its own code runs.
		{"device.other_apps_data", "Lorg/example/Own;->onAccessibilityEvent", false},
		// ViewGroup implements ViewManager's addView itself (a child
		// view): neither through a layout subclass nor on ViewGroup.
		{"behaviour.overlay", "Lorg/example/Panel;->show", false},
		{"behaviour.overlay", "Lorg/example/Bubble;->show", true},
	} {
		if got := has(c.cat, c.method); got != c.want {
			t.Errorf("%s in %s: %v, want %v", c.cat, c.method, got, c.want)
		}
	}
}
