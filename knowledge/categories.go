package knowledge

import (
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

// Category is one entry of the finding taxonomy, e.g. "device.sms".
type Category struct {
	ID          string `json:"id"`
	Group       Group  `json:"group"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// Special marks special categories of personal data in the sense of
	// GDPR Articles 9 and 10.
	Special bool `json:"special,omitempty"`
}

type categoryTable struct {
	list []Category
	byID map[string]int
}

var categoriesOnce = sync.OnceValues(loadCategories)

func loadCategories() (*categoryTable, error) {
	const file = "data/categories.json"
	var doc struct {
		Comment    string     `json:"comment"`
		Categories []Category `json:"categories"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return nil, err
	}
	t := &categoryTable{list: doc.Categories, byID: make(map[string]int, len(doc.Categories))}
	for i, c := range doc.Categories {
		switch c.Group {
		case GroupPerson, GroupDevice, GroupBehaviour:
		default:
			return nil, &DataError{File: file, Item: c.ID, Msg: "unknown group " + string(c.Group)}
		}
		if !strings.HasPrefix(c.ID, string(c.Group)+".") {
			return nil, &DataError{File: file, Item: c.ID, Msg: "id does not start with its group"}
		}
		if c.Title == "" || c.Description == "" {
			return nil, &DataError{File: file, Item: c.ID, Msg: "missing title or description"}
		}
		if _, dup := t.byID[c.ID]; dup {
			return nil, &DataError{File: file, Item: c.ID, Msg: "duplicate id"}
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
func Categories() []Category { return slices.Clone(categories().list) }

// CategoryByID returns the taxonomy entry with the given ID.
func CategoryByID(id string) (Category, bool) {
	t := categories()
	i, ok := t.byID[id]
	if !ok {
		return Category{}, false
	}
	return t.list[i], true
}

// IsCategory reports whether id is in the taxonomy.
func IsCategory(id string) bool {
	_, ok := categories().byID[id]
	return ok
}

// checkCategories verifies that every id is in the taxonomy.
func checkCategories(file, item string, ids []string) error {
	t, err := categoriesOnce()
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, ok := t.byID[id]; !ok {
			return &DataError{File: file, Item: item, Msg: "unknown category " + id}
		}
	}
	return nil
}
