// Package eval measures appxray's claims against a labelled development set
// of real apps: what each app's forms really ask for, which special
// categories it really records, and what its own code really takes from
// the device. Labels are written by hand from Android's own tools (aapt
// dump xmltree, aapt dump --values resources, dexdump -d) before looking
// at appxray's output, and live in labels/*.json beside this file.
//
// What counts as a claim is what a reader is told: a finding whose
// confidence is medium or high. Low-confidence findings stay in the JSON
// for analysts but are not claims a report makes.
package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"appxray/knowledge"
)

// Label is the truth about one app.
type Label struct {
	// App names the file: "corpus-dev:jssmsers/com.statetss.apk" (in
	// ../shared/corpus-dev), "corpus:/usr/share/doc/androguard/…" or
	// "corpus:npm/…" (in .corpus), or "testapp:parity" (.corpus/testapps).
	App    string `json:"app"`
	SHA256 string `json:"sha256"`
	// Lang is the language of the app's own interface text (BCP 47).
	Lang string `json:"lang"`
	// Kind says what the app is ("sms trojan", "ransomware", "test tool"…).
	Kind string `json:"kind"`
	// Method says how the labels were made (the tools and what was read).
	Method string `json:"method"`

	// Forms: when FormsLabelled, Fields lists every data-entry field the
	// app's layouts and HTML assets hold, each with the categories it
	// really asks for (none for a field that asks nothing personal).
	FormsLabelled bool         `json:"forms_labelled"`
	Fields        []FieldLabel `json:"fields,omitempty"`
	// Person lists person categories the app records in ways the fields
	// do not show (an option list that is a question of its own).
	Person []knowledge.Category `json:"person,omitempty"`
	// Special lists the special categories the app really records.
	Special []knowledge.Category `json:"special,omitempty"`

	// Capabilities lists every device and behaviour category that the
	// app's own code (or a payload it carries) really reaches, checked in
	// bytecode; every category not listed is one it does not.
	CapabilitiesLabelled bool                 `json:"capabilities_labelled"`
	Capabilities         []knowledge.Category `json:"capabilities,omitempty"`

	Notes string `json:"notes,omitempty"`

	file string
}

// FieldLabel is one field of a form.
type FieldLabel struct {
	// Where is the field as appxray's evidence names it:
	// "res/layout/main.xml EditText @id/phone", "assets/form.html line 12".
	// Copies of a layout in qualifier folders (layout-v17, layout-land…)
	// are the same field.
	Where      string               `json:"where"`
	Lang       string               `json:"lang,omitempty"` // of its label, when not the app's
	Categories []knowledge.Category `json:"categories"`
	Note       string               `json:"note,omitempty"`
}

// LoadLabels reads and checks every label file in dir. One app may have
// two files, one labelling its forms and one its capabilities; they are
// merged.
func LoadLabels(dir string) ([]*Label, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []*Label
	seen := map[string]*Label{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		var l Label
		if err := dec.Decode(&l); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		l.file = filepath.Base(f)
		if err := l.check(); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if other, dup := seen[l.SHA256]; dup {
			if err := other.merge(&l); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			continue
		}
		seen[l.SHA256] = &l
		out = append(out, &l)
	}
	return out, nil
}

// merge takes the other file's half of the labels for the same app.
func (l *Label) merge(o *Label) error {
	if l.App != o.App {
		return fmt.Errorf("same sha256 as %s but app %q, not %q", l.file, o.App, l.App)
	}
	if o.FormsLabelled {
		if l.FormsLabelled {
			return fmt.Errorf("forms labelled in %s too", l.file)
		}
		l.FormsLabelled, l.Fields, l.Person = true, o.Fields, o.Person
	}
	if o.CapabilitiesLabelled {
		if l.CapabilitiesLabelled {
			return fmt.Errorf("capabilities labelled in %s too", l.file)
		}
		l.CapabilitiesLabelled, l.Capabilities = true, o.Capabilities
	}
	for _, c := range o.Special {
		if !slices.Contains(l.Special, c) {
			l.Special = append(l.Special, c)
		}
	}
	l.file += "+" + o.file
	return nil
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (l *Label) check() error {
	if !strings.HasPrefix(l.App, "corpus-dev:") && !strings.HasPrefix(l.App, "corpus:") && !strings.HasPrefix(l.App, "testapp:") {
		return fmt.Errorf("app %q: want a corpus-dev, corpus or testapp prefix", l.App)
	}
	if !sha256Hex.MatchString(l.SHA256) {
		return fmt.Errorf("sha256 %q is not 64 lower-case hex digits", l.SHA256)
	}
	if l.Lang == "" || l.Method == "" {
		return fmt.Errorf("lang and method are required")
	}
	if !l.FormsLabelled && len(l.Fields) > 0 {
		return fmt.Errorf("fields given but forms_labelled is false")
	}
	check := func(what string, cs []knowledge.Category, group knowledge.Group) error {
		for _, c := range cs {
			if !c.Known() {
				return fmt.Errorf("%s: unknown category %q", what, c)
			}
			if group != "" && c.Group() != group {
				return fmt.Errorf("%s: %s is not a %s category", what, c, group)
			}
		}
		return nil
	}
	where := map[string]bool{}
	for _, f := range l.Fields {
		if f.Where == "" {
			return fmt.Errorf("a field without where")
		}
		k := NormalizeWhere(f.Where)
		if where[k] {
			return fmt.Errorf("field %s listed twice", f.Where)
		}
		where[k] = true
		if err := check(f.Where, f.Categories, ""); err != nil {
			return err
		}
	}
	if err := check("person", l.Person, knowledge.GroupPerson); err != nil {
		return err
	}
	if err := check("special", l.Special, knowledge.GroupPerson); err != nil {
		return err
	}
	for _, c := range l.Special {
		if !c.Special() {
			return fmt.Errorf("special: %s is not a special category", c)
		}
	}
	if err := check("capabilities", l.Capabilities, ""); err != nil {
		return err
	}
	for _, c := range l.Capabilities {
		if c.Group() == knowledge.GroupPerson {
			return fmt.Errorf("capabilities: %s is a person category", c)
		}
	}
	if !l.CapabilitiesLabelled && len(l.Capabilities) > 0 {
		return fmt.Errorf("capabilities given but capabilities_labelled is false")
	}
	return nil
}

var qualified = regexp.MustCompile(`^((?:[^!]*!)?res/[a-z]+)-[^/]+/`)

// NormalizeWhere makes one key of the copies of a field: layouts in
// qualifier folders (res/layout-v17/a.xml) are the field in res/layout/a.xml.
func NormalizeWhere(where string) string {
	return qualified.ReplaceAllString(where, "$1/")
}
