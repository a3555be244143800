package knowledge

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// What reports need to say about a category beyond the taxonomy: the OWASP
// MASVS controls it bears on (SARIF rules) and the Google Play Data safety
// types that declare it (--declared). Both are reviewed data in data/.

// DataSafetyType is one data type of Google Play's Data safety form.
type DataSafetyType struct {
	// ID is the response ID in Play Console's CSV export ("PSL_NAME");
	// Aliases are IDs other exports use for the same type.
	ID       string   `json:"id"`
	Aliases  []string `json:"aliases,omitempty"`
	Question string   `json:"question"` // "PSL_DATA_TYPES_PERSONAL"
	Label    string   `json:"label"`    // "Personal info / Name"
	// Categories are the taxonomy categories a declaration of the type covers.
	Categories []Category `json:"categories"`
}

type reportingTables struct {
	controls   map[string]string
	masvs      map[Category][]string
	types      []DataSafetyType
	typeByName map[string]int // ID, alias and lower-case label
	declaredBy map[Category][]int
}

var reportingOnce = sync.OnceValues(loadReporting)

func loadReporting() (*reportingTables, error) {
	t := &reportingTables{typeByName: map[string]int{}, declaredBy: map[Category][]int{}}
	const mfile = "data/masvs.json"
	var m struct {
		Comment    string                `json:"comment"`
		Controls   map[string]string     `json:"controls"`
		Categories map[Category][]string `json:"categories"`
	}
	if err := decodeFile(mfile, &m); err != nil {
		return nil, err
	}
	t.controls, t.masvs = m.Controls, m.Categories
	for c, ids := range m.Categories {
		if err := checkCategories(mfile, string(c), []Category{c}); err != nil {
			return nil, err
		}
		for _, id := range ids {
			if _, ok := m.Controls[id]; !ok {
				return nil, &DataError{File: mfile, Item: string(c), Msg: "unknown control " + id}
			}
		}
	}

	const dfile = "data/datasafety.json"
	var d struct {
		Comment    string              `json:"comment"`
		Types      []DataSafetyType    `json:"types"`
		NotCovered map[Category]string `json:"not_covered"`
	}
	if err := decodeFile(dfile, &d); err != nil {
		return nil, err
	}
	t.types = d.Types
	for i, ty := range d.Types {
		if !strings.HasPrefix(ty.ID, "PSL_") || !strings.HasPrefix(ty.Question, "PSL_DATA_TYPES_") || ty.Label == "" {
			return nil, &DataError{File: dfile, Item: ty.ID, Msg: "a type needs a PSL_ id, a PSL_DATA_TYPES_ question and a label"}
		}
		if err := checkCategories(dfile, ty.ID, ty.Categories); err != nil {
			return nil, err
		}
		for _, name := range append([]string{ty.ID, strings.ToLower(ty.Label)}, ty.Aliases...) {
			if _, dup := t.typeByName[name]; dup {
				return nil, &DataError{File: dfile, Item: ty.ID, Msg: "duplicate id, alias or label " + name}
			}
			t.typeByName[name] = i
		}
		for _, c := range ty.Categories {
			t.declaredBy[c] = append(t.declaredBy[c], i)
		}
	}
	// Every kind of data the app can collect must be declarable, or say why
	// not: a category missing here would be reported as undeclared with no
	// way to declare it.
	cats, err := categoriesOnce()
	if err != nil {
		return nil, err
	}
	for _, c := range cats.list {
		if c.Group == GroupBehaviour {
			continue
		}
		_, covered := t.declaredBy[c.ID]
		_, excused := d.NotCovered[c.ID]
		if covered == excused {
			return nil, &DataError{File: dfile, Item: string(c.ID), Msg: "a person or device category is either covered by a type or listed in not_covered, not both or neither"}
		}
	}
	return t, nil
}

func reporting() *reportingTables {
	t, err := reportingOnce()
	mustLoad(err)
	return t
}

// MASVS returns the OWASP MASVS controls a category bears on, none where no
// control fits.
func (c Category) MASVS() []string { return reporting().masvs[c] }

// MASVSControl returns the text of a MASVS control.
func MASVSControl(id string) string { return reporting().controls[id] }

// DataSafetyTypes returns every Play Data safety type in the form's order.
func DataSafetyTypes() []DataSafetyType { return slices.Clone(reporting().types) }

// LookupDataSafetyType finds a type by its response ID, an alias, or its
// label ("Personal info / Name", any case).
func LookupDataSafetyType(name string) (DataSafetyType, bool) {
	t := reporting()
	i, ok := t.typeByName[name]
	if !ok {
		i, ok = t.typeByName[strings.ToLower(strings.TrimSpace(name))]
	}
	if !ok {
		return DataSafetyType{}, false
	}
	return t.types[i], true
}

// DeclaredBy returns the Play Data safety types that declare c, in the
// form's order; none for a category no type covers (behaviour).
func (c Category) DeclaredBy() []DataSafetyType {
	t := reporting()
	var out []DataSafetyType
	for _, i := range t.declaredBy[c] {
		out = append(out, t.types[i])
	}
	sort.SliceStable(out, func(i, j int) bool { return t.typeByName[out[i].ID] < t.typeByName[out[j].ID] })
	return out
}
