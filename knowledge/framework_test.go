package knowledge

import "testing"

func TestFrameworkTable(t *testing.T) {
	c, ok := Framework("Landroid/accessibilityservice/AccessibilityService;")
	if !ok || c.Super != "Landroid/app/Service;" {
		t.Fatalf("AccessibilityService: %+v %v", c, ok)
	}
	// The chain from an EditText ends at Object through TextView and View.
	var chain []string
	for s := "Landroid/widget/EditText;"; s != ""; {
		chain = append(chain, s)
		fc, ok := Framework(s)
		if !ok {
			t.Fatalf("%s not in the table", s)
		}
		s = fc.Super
	}
	want := []string{"Landroid/widget/EditText;", "Landroid/widget/TextView;", "Landroid/view/View;", "Ljava/lang/Object;"}
	if len(chain) != len(want) {
		t.Fatalf("chain %v, want %v", chain, want)
	}
	for i := range want {
		if chain[i] != want[i] {
			t.Fatalf("chain %v, want %v", chain, want)
		}
	}
	// ViewGroup runs its own addView (a child view), not the window
	// manager's, and every method a class defines is one a rule on one
	// of its interfaces names: otherwise the entry would change nothing.
	vg, _ := Framework("Landroid/view/ViewGroup;")
	if !vg.DefinesMethod("addView") || vg.DefinesMethod("getChildAt") {
		t.Errorf("ViewGroup defines %v", vg.Defines)
	}
	for _, fc := range FrameworkClasses() {
		for _, m := range fc.Defines {
			named := false
			for _, i := range fc.Interfaces {
				named = named || len(MatchMethod(i, m)) > 0
			}
			if !named {
				t.Errorf("%s defines %s, which no rule on its interfaces %v names", fc.Class, m, fc.Interfaces)
			}
		}
	}
	if _, ok := Framework("Lcom/example/MyService;"); ok {
		t.Error("an app class is not a framework class")
	}
	if len(FrameworkClasses()) < 50 {
		t.Errorf("only %d framework classes", len(FrameworkClasses()))
	}
	for _, fc := range FrameworkClasses() {
		if fc.Super != "" {
			if _, ok := Framework(fc.Super); !ok {
				t.Errorf("%s: super %s is not in the table, so the chain stops short", fc.Class, fc.Super)
			}
		}
	}
}
