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
