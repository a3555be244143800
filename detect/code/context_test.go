package code

import (
	"strings"
	"testing"

	"appxray/knowledge"
)

// An accessibility node or event acted on or read reaches other apps only
// from an accessibility service the manifest declares, or through
// UiAutomation; a bare DEX has no manifest to say, so its rule stands.
func TestAccessibilityNeedsAService(t *testing.T) {
	rule := &knowledge.APIRule{Class: "Landroid/view/accessibility/AccessibilityNodeInfo;", Member: "performAction",
		Category: knowledge.BehaviourAccessibility, Confidence: knowledge.Weak}
	call := Call{Rule: rule, Category: rule.Category}
	for _, c := range []struct {
		name  string
		cx    *callContext
		wantW bool // weakened with the reason
	}{
		{"no service", &callContext{perms: map[string]bool{}}, true},
		{"a service", &callContext{perms: map[string]bool{}, a11y: "p.Reader"}, false},
		{"code that names UiAutomation", &callContext{perms: map[string]bool{}, uiAutomation: true}, false},
		{"bare DEX", &callContext{}, false},
	} {
		c.cx.class = func(Site) string { return "Lp/A;" }
		why := c.cx.weaken(call)
		if got := strings.Contains(why, "no accessibility service"); got != c.wantW {
			t.Errorf("%s: weaken = %q", c.name, why)
		}
	}
}
