package knowledge

import (
	"slices"
	"strings"
	"sync"
)

// FrameworkClass is one framework or Java class that apps extend: its
// superclass and the interfaces it implements (data/framework.json).
type FrameworkClass struct {
	Class      string   `json:"class"`
	Super      string   `json:"super"`
	Interfaces []string `json:"interfaces"`
	// Defines lists methods of its interfaces that the class implements
	// itself: a call that reaches the class runs its code, so a rule on
	// the interface's method (ViewManager.addView, a window when the
	// window manager runs it) does not apply (ViewGroup.addView adds a
	// child view).
	Defines []string `json:"defines,omitempty"`
}

// DefinesMethod reports whether the framework table says the class implements the
// method name itself.
func (c FrameworkClass) DefinesMethod(name string) bool {
	return slices.Contains(c.Defines, name)
}

var frameworkOnce = sync.OnceValues(loadFramework)

func frameworkDescriptor(s string) bool {
	return len(s) > 2 && s[0] == 'L' && strings.HasSuffix(s, ";") && !strings.ContainsAny(s, ". ")
}

func loadFramework() (map[string]FrameworkClass, error) {
	const file = "data/framework.json"
	var doc struct {
		Comment string           `json:"comment"`
		Classes []FrameworkClass `json:"classes"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return nil, err
	}
	m := make(map[string]FrameworkClass, len(doc.Classes))
	for _, c := range doc.Classes {
		if !frameworkDescriptor(c.Class) {
			return nil, &DataError{File: file, Item: c.Class, Msg: "class must be a descriptor like Landroid/app/Activity;"}
		}
		if _, dup := m[c.Class]; dup {
			return nil, &DataError{File: file, Item: c.Class, Msg: "duplicate class"}
		}
		if c.Super == "" && c.Class != "Ljava/lang/Object;" {
			return nil, &DataError{File: file, Item: c.Class, Msg: "missing super"}
		}
		if c.Super != "" && !frameworkDescriptor(c.Super) {
			return nil, &DataError{File: file, Item: c.Class, Msg: "super must be a descriptor"}
		}
		for _, i := range c.Interfaces {
			if !frameworkDescriptor(i) {
				return nil, &DataError{File: file, Item: c.Class, Msg: "interface " + i + " must be a descriptor"}
			}
		}
		for _, d := range c.Defines {
			if d == "" || strings.ContainsAny(d, "();/ ") {
				return nil, &DataError{File: file, Item: c.Class, Msg: "defines lists method names, like addView"}
			}
		}
		if len(c.Defines) > 0 && len(c.Interfaces) == 0 {
			return nil, &DataError{File: file, Item: c.Class, Msg: "defines names methods of the class's interfaces, and it lists none"}
		}
		m[c.Class] = c
	}
	// Every chain must end: no class may be its own ancestor.
	for _, c := range m {
		seen := map[string]bool{}
		for s := c.Class; s != ""; s = m[s].Super {
			if seen[s] {
				return nil, &DataError{File: file, Item: c.Class, Msg: "superclass cycle"}
			}
			seen[s] = true
		}
	}
	return m, nil
}

// Framework returns what the table knows of a framework class descriptor.
// The Interfaces slice is shared: callers must not modify it.
func Framework(class string) (FrameworkClass, bool) {
	m, err := frameworkOnce()
	mustLoad(err)
	c, ok := m[class]
	return c, ok
}

// FrameworkClasses returns every class in the table, sorted by descriptor.
func FrameworkClasses() []FrameworkClass {
	m, err := frameworkOnce()
	mustLoad(err)
	out := make([]FrameworkClass, 0, len(m))
	for _, c := range m {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b FrameworkClass) int { return strings.Compare(a.Class, b.Class) })
	return out
}
