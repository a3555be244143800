package knowledge

//go:generate go run ./internal/gencategories
//go:generate go test -run ^TestGeneratedTables$ -update .

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Group is the top level of the taxonomy.
type Group string

// The three groups of the taxonomy.
const (
	GroupPerson    Group = "person"    // what the app records about a person
	GroupDevice    Group = "device"    // what it takes from the device
	GroupBehaviour Group = "behaviour" // how it behaves
)

// Category is the ID of one entry of the finding taxonomy, e.g. DeviceSMS
// ("device.sms"). The constants are generated from data/categories.json;
// a Category read from data or JSON is checked with Known.
type Category string

// Severity orders findings for a reader.
type Severity string

// Severities, from most to least serious.
const (
	SeverityHigh   Severity = "high"
	SeverityMedium Severity = "medium"
	SeverityLow    Severity = "low"
	SeverityInfo   Severity = "info"
)

// Rank orders severities: 0 for high, 3 for info, 4 for anything else.
func (s Severity) Rank() int {
	switch s {
	case SeverityHigh:
		return 0
	case SeverityMedium:
		return 1
	case SeverityLow:
		return 2
	case SeverityInfo:
		return 3
	}
	return 4
}

// Valid reports whether s is one of the four severities.
func (s Severity) Valid() bool { return s.Rank() < 4 }

// Lower is the next severity down (info stays info).
func (s Severity) Lower() Severity {
	switch s {
	case SeverityHigh:
		return SeverityMedium
	case SeverityMedium:
		return SeverityLow
	}
	return SeverityInfo
}

// MaxSeverity is the more serious of a and b.
func MaxSeverity(a, b Severity) Severity {
	if b.Rank() < a.Rank() {
		return b
	}
	return a
}

// UnmarshalJSON accepts only the four severities, so that a typo in a data
// file or a saved report is an error rather than a fifth rank.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if !Severity(v).Valid() {
		return fmt.Errorf("unknown severity %q", v)
	}
	*s = Severity(v)
	return nil
}

// CategoryInfo is one entry of the taxonomy.
type CategoryInfo struct {
	ID          Category `json:"id"`
	Group       Group    `json:"group"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	// Special marks special categories of personal data in the sense of
	// GDPR Articles 9 and 10.
	Special bool `json:"special,omitempty"`
	// Severity is the default severity of a finding in the category.
	Severity Severity `json:"severity"`
}

type categoryTable struct {
	list []CategoryInfo
	byID map[Category]int
}

var categoriesOnce = sync.OnceValues(loadCategories)

func loadCategories() (*categoryTable, error) {
	const file = "data/categories.json"
	var doc struct {
		Comment    string         `json:"comment"`
		Categories []CategoryInfo `json:"categories"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return nil, err
	}
	t := &categoryTable{list: doc.Categories, byID: make(map[Category]int, len(doc.Categories))}
	for i, c := range doc.Categories {
		id := string(c.ID)
		switch c.Group {
		case GroupPerson, GroupDevice, GroupBehaviour:
		default:
			return nil, &DataError{File: file, Item: id, Msg: "unknown group " + string(c.Group)}
		}
		if !strings.HasPrefix(id, string(c.Group)+".") {
			return nil, &DataError{File: file, Item: id, Msg: "id does not start with its group"}
		}
		if c.Title == "" || c.Description == "" {
			return nil, &DataError{File: file, Item: id, Msg: "missing title or description"}
		}
		if !c.Severity.Valid() {
			return nil, &DataError{File: file, Item: id, Msg: "missing or unknown severity"}
		}
		if c.Special && c.Severity != SeverityHigh {
			return nil, &DataError{File: file, Item: id, Msg: "a special category must default to high severity"}
		}
		if _, dup := t.byID[c.ID]; dup {
			return nil, &DataError{File: file, Item: id, Msg: "duplicate id"}
		}
		t.byID[c.ID] = i
	}
	return t, nil
}

func categories() *categoryTable {
	t, err := categoriesOnce()
	mustLoad(err)
	return t
}

// Categories returns the whole taxonomy in its reviewed order.
func Categories() []CategoryInfo { return slices.Clone(categories().list) }

// Info returns the taxonomy entry of c.
func (c Category) Info() (CategoryInfo, bool) {
	t := categories()
	i, ok := t.byID[c]
	if !ok {
		return CategoryInfo{}, false
	}
	return t.list[i], true
}

// Known reports whether c is in the taxonomy.
func (c Category) Known() bool {
	_, ok := categories().byID[c]
	return ok
}

// Special reports whether c is a special category (GDPR Art. 9/10).
func (c Category) Special() bool {
	info, _ := c.Info()
	return info.Special
}

// Title is the category's title, or its ID if it is not in the taxonomy.
func (c Category) Title() string {
	if info, ok := c.Info(); ok {
		return info.Title
	}
	return string(c)
}

// Group is the category's group, from its ID.
func (c Category) Group() Group {
	g, _, _ := strings.Cut(string(c), ".")
	return Group(g)
}

// DefaultSeverity is the severity a finding in c has unless its detector
// lowers it; low for a category outside the taxonomy.
func (c Category) DefaultSeverity() Severity {
	if info, ok := c.Info(); ok {
		return info.Severity
	}
	return SeverityLow
}

// Order is c's position in the reviewed taxonomy, for sorting; categories
// outside it sort last.
func (c Category) Order() int {
	t := categories()
	if i, ok := t.byID[c]; ok {
		return i
	}
	return len(t.list)
}

// CategoryByID returns the taxonomy entry with the given ID.
func CategoryByID(id string) (CategoryInfo, bool) { return Category(id).Info() }

// IsCategory reports whether id is in the taxonomy.
func IsCategory(id string) bool { return Category(id).Known() }

// checkCategories verifies that every id is in the taxonomy.
func checkCategories(file, item string, ids []Category) error {
	t, err := categoriesOnce()
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, ok := t.byID[id]; !ok {
			return &DataError{File: file, Item: item, Msg: "unknown category " + string(id)}
		}
	}
	return nil
}
