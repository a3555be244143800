package hierarchy

import (
	"os"
	"slices"
	"testing"

	"appxray/analysis"
	"appxray/dex"
	"appxray/internal/testapp"
)

// testdata/hierarchy.dex is built from testdata/smali with
// `smali a -o hierarchy.dex smali`.
func load(t *testing.T) *Result {
	t.Helper()
	b, err := os.ReadFile("testdata/hierarchy.dex")
	if err != nil {
		t.Fatal(err)
	}
	f, err := dex.Parse(b, dex.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New([]*dex.File{f})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const (
	a11y   = "Landroid/accessibilityservice/AccessibilityService;"
	root   = "getRootInActiveWindow"
	rootPr = "()Landroid/view/accessibility/AccessibilityNodeInfo;"
)

func TestSubtypes(t *testing.T) {
	r := load(t)
	if !r.Defined("Lorg/example/Spy;") || r.Defined(a11y) {
		t.Fatal("Defined: app classes only")
	}
	for _, c := range []struct {
		class, ancestor string
		want            bool
	}{
		{"Lorg/example/Spy;", a11y, true},
		{"Lorg/example/SubSpy;", a11y, true},
		{"Lorg/example/SubSpy;", "Landroid/app/Service;", true},
		{"Lorg/example/SubSpy;", "Landroid/content/Context;", true},
		{"Lorg/example/SubSpy;", "Ljava/lang/Runnable;", true}, // through Marker
		{"Lorg/example/Spy;", "Ljava/lang/Runnable;", false},
		{"Lorg/example/Field;", "Landroid/widget/TextView;", true},
		{"Lorg/example/Field;", "Landroid/widget/Button;", false},
		{"Lorg/example/Listener;", a11y, false},
		{"Lorg/example/Loop;", a11y, false}, // a cycle ends the walk
		{"Landroid/widget/CheckBox;", "Landroid/widget/CompoundButton;", true},
	} {
		if got := r.IsSubtype(c.class, c.ancestor); got != c.want {
			t.Errorf("IsSubtype(%s, %s) = %v, want %v", c.class, c.ancestor, got, c.want)
		}
	}
	got := r.Subtypes(a11y)
	want := []string{"Lorg/example/Own;", "Lorg/example/Spy;", "Lorg/example/SubSpy;"}
	if !slices.Equal(got, want) {
		t.Errorf("Subtypes = %v, want %v", got, want)
	}
}

func TestResolve(t *testing.T) {
	r := load(t)
	// Inherited from the framework through one and two app classes.
	for _, c := range []string{"Lorg/example/Spy;", "Lorg/example/SubSpy;"} {
		res := r.Resolve(c, root, rootPr)
		if res.InApp || res.Owner != a11y || !slices.Contains(res.Outside, "Landroid/app/Service;") {
			t.Errorf("Resolve(%s) = %+v, want the framework's AccessibilityService", c, res)
		}
	}
	// Overridden by the app: its own code runs, not the framework's.
	if res := r.Resolve("Lorg/example/Own;", root, rootPr); !res.InApp || res.Owner != "Lorg/example/Own;" {
		t.Errorf("Resolve(Own) = %+v, want the app's own override", res)
	}
	// Same name, other proto: not the override.
	if res := r.Resolve("Lorg/example/Own;", root, "()V"); res.InApp {
		t.Errorf("Resolve(Own, other proto) = %+v, want outside", res)
	}
	// A class the app does not define is its own owner.
	if res := r.Resolve("Landroid/widget/EditText;", "getText", "()Landroid/text/Editable;"); res.InApp || res.Owner != "Landroid/widget/EditText;" || !slices.Contains(res.Outside, "Landroid/view/View;") {
		t.Errorf("Resolve(EditText) = %+v", res)
	}
	// A cycle inside the app ends without an owner outside it.
	if res := r.Resolve("Lorg/example/Loop;", "x", "()V"); !res.InApp {
		t.Errorf("Resolve(Loop) = %+v", res)
	}
	if !r.Declares("Lorg/example/Spy;", "onInterrupt", "()V") || r.Declares("Lorg/example/SubSpy;", "onInterrupt", "()V") {
		t.Error("Declares: only the class's own methods")
	}
}

func TestDemoApp(t *testing.T) {
	res := testapp.Run(t, testapp.Demo(t), Analyzer)
	h, ok := analysis.Get[*Result](res, Analyzer)
	if !ok {
		t.Fatal("no result")
	}
	if h.Len() == 0 {
		t.Fatal("no classes")
	}
	// The demo's receiver is a BroadcastReceiver, its activity an Activity
	// and so a Context.
	if !h.IsSubtype("Lorg/appxray/demo/ijop/EventReceiver;", "Landroid/content/BroadcastReceiver;") {
		t.Error("EventReceiver is a BroadcastReceiver")
	}
	if !h.IsSubtype("Lorg/appxray/demo/ijop/MainActivity;", "Landroid/content/Context;") {
		t.Error("MainActivity is a Context")
	}
	if h.IsSubtype("Lorg/appxray/demo/ijop/MainActivity;", "Landroid/content/BroadcastReceiver;") {
		t.Error("MainActivity is not a BroadcastReceiver")
	}
}

// TestAncestorsLong checks Ancestors on hierarchies short and long enough
// to take both of its ways of remembering what it has seen (along the list,
// then a set), with diamonds and a cycle, against the plain definition: the
// superclass chain, then the interfaces breadth first, each once.
func TestAncestorsLong(t *testing.T) {
	for _, n := range []int{1, 3, seenInline - 1, seenInline, seenInline + 1, 40, 2 * maxDepth} {
		r := &Result{classes: map[string]*Class{}}
		name := func(k string, i int) string { return "L" + k + string(rune('a'+i/26)) + string(rune('a'+i%26)) + ";" }
		for i := range n {
			c := &Class{Name: name("C", i), Interfaces: []string{name("I", i%7), name("I", (i+3)%7)}}
			if i+1 < n {
				c.Super = name("C", i+1)
			} else {
				c.Super = name("C", 0) // a cycle back to the start
			}
			r.classes[c.Name] = c
		}
		for i := range 7 {
			r.classes[name("I", i)] = &Class{Name: name("I", i), Interfaces: []string{name("J", i%3), name("J", (i+1)%3)}}
		}
		got := r.Ancestors(name("C", 0))
		want := plainAncestors(r, name("C", 0))
		if !slices.Equal(got, want) {
			t.Errorf("n=%d: Ancestors =\n%v\nwant\n%v", n, got, want)
		}
	}
}

func plainAncestors(r *Result, desc string) []string {
	var out []string
	seen := map[string]bool{desc: true}
	var queue []string
	c := desc
	for depth := 0; depth < maxDepth; depth++ {
		queue = append(queue, r.Interfaces(c)...)
		s := r.Super(c)
		if s == "" || seen[s] {
			break
		}
		seen[s] = true
		out = append(out, s)
		c = s
	}
	for n := 0; len(queue) > 0 && n < 16*maxDepth; n++ {
		i := queue[0]
		queue = queue[1:]
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
			queue = append(queue, r.Interfaces(i)...)
		}
	}
	return out
}
