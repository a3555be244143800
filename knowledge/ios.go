package knowledge

import (
	"slices"
	"strings"
	"sync"
)

// UsageKey is an Info.plist purpose-string key (NS…UsageDescription) and
// the category of what it unlocks.
type UsageKey struct {
	Key      string
	Category Category
	What     string // "the contacts": what the permission gives access to
}

// PrivacyDataType is a privacy manifest's NSPrivacyCollectedDataType and
// the categories it covers (none for types outside the taxonomy).
type PrivacyDataType struct {
	Type       string
	Label      string
	Categories []Category
}

// IOSAPI kinds: how a name is found in an executable.
const (
	IOSClass    = "class"    // an imported Objective-C class
	IOSSelector = "selector" // a selector name in __objc_methname
	IOSFunction = "function" // an imported C symbol, with its leading underscore
)

// IOSAPI is an Objective-C class, selector or C function that reaches a
// category.
type IOSAPI struct {
	Kind     string
	Name     string
	Category Category
	Title    string
}

// IOSFramework is a system framework whose linking suggests a category.
type IOSFramework struct {
	Name     string // "Contacts" for Contacts.framework
	Category Category
}

// IOSSDK is a tracker of the built-in table with its iOS names.
type IOSSDK struct {
	Tracker    Tracker
	Frameworks []string
	Classes    []string
}

// IOS is what appxray knows about iOS apps (data/ios.json).
type IOS struct {
	Usage      []UsageKey
	DataTypes  []PrivacyDataType
	APIs       []IOSAPI
	Frameworks []IOSFramework
	SDKs       []IOSSDK

	usage      map[string]*UsageKey
	dataTypes  map[string]*PrivacyDataType
	apis       map[string][]*IOSAPI // by kind + "\x00" + name
	frameworks map[string]*IOSFramework
	sdkByName  map[string]*IOSSDK // framework names
	sdkByClass map[string]*IOSSDK
}

// MinIOSClassLen is the shortest class name accepted as an SDK marker.
const MinIOSClassLen = 6

var iosOnce = sync.OnceValues(loadIOS)

func loadIOS() (*IOS, error) {
	const file = "data/ios.json"
	var doc struct {
		Comment string `json:"comment"`
		Usage   []struct {
			Key      string `json:"key"`
			Category string `json:"category"`
			What     string `json:"what"`
		} `json:"usage_descriptions"`
		DataTypes []struct {
			Type       string   `json:"type"`
			Label      string   `json:"label"`
			Categories []string `json:"categories"`
		} `json:"privacy_data_types"`
		APIs []struct {
			Kind     string `json:"kind"`
			Name     string `json:"name"`
			Category string `json:"category"`
			Title    string `json:"title"`
		} `json:"apis"`
		Frameworks []struct {
			Name     string `json:"name"`
			Category string `json:"category"`
		} `json:"frameworks"`
		SDKs []struct {
			Tracker    string   `json:"tracker"`
			Frameworks []string `json:"frameworks"`
			Classes    []string `json:"classes"`
		} `json:"sdks"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return nil, err
	}
	cat := func(item, c string) (Category, error) {
		if !Category(c).Known() {
			return "", &DataError{File: file, Item: item, Msg: "unknown category " + c}
		}
		return Category(c), nil
	}
	k := &IOS{
		usage: map[string]*UsageKey{}, dataTypes: map[string]*PrivacyDataType{}, apis: map[string][]*IOSAPI{},
		frameworks: map[string]*IOSFramework{}, sdkByName: map[string]*IOSSDK{}, sdkByClass: map[string]*IOSSDK{},
	}
	for _, u := range doc.Usage {
		c, err := cat(u.Key, u.Category)
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(u.Key, "NS") || u.What == "" {
			return nil, &DataError{File: file, Item: u.Key, Msg: "usage key must start with NS and say what it unlocks"}
		}
		k.Usage = append(k.Usage, UsageKey{Key: u.Key, Category: c, What: u.What})
	}
	for _, d := range doc.DataTypes {
		if !strings.HasPrefix(d.Type, "NSPrivacyCollectedDataType") || d.Label == "" {
			return nil, &DataError{File: file, Item: d.Type, Msg: "not a privacy data type with a label"}
		}
		t := PrivacyDataType{Type: d.Type, Label: d.Label}
		for _, c := range d.Categories {
			cc, err := cat(d.Type, c)
			if err != nil {
				return nil, err
			}
			t.Categories = append(t.Categories, cc)
		}
		k.DataTypes = append(k.DataTypes, t)
	}
	for _, a := range doc.APIs {
		c, err := cat(a.Name, a.Category)
		if err != nil {
			return nil, err
		}
		if a.Kind != IOSClass && a.Kind != IOSSelector && a.Kind != IOSFunction || a.Name == "" || a.Title == "" {
			return nil, &DataError{File: file, Item: a.Name, Msg: "api needs a kind (class, selector, function), a name and a title"}
		}
		if a.Kind == IOSFunction && !strings.HasPrefix(a.Name, "_") {
			return nil, &DataError{File: file, Item: a.Name, Msg: "a function is named as the symbol table does, with its leading underscore"}
		}
		k.APIs = append(k.APIs, IOSAPI{Kind: a.Kind, Name: a.Name, Category: c, Title: a.Title})
	}
	for _, f := range doc.Frameworks {
		c, err := cat(f.Name, f.Category)
		if err != nil {
			return nil, err
		}
		k.Frameworks = append(k.Frameworks, IOSFramework{Name: f.Name, Category: c})
	}
	byID := map[string]Tracker{}
	for _, t := range Trackers() {
		byID[t.ID] = t
	}
	for _, s := range doc.SDKs {
		t, ok := byID[s.Tracker]
		if !ok {
			return nil, &DataError{File: file, Item: s.Tracker, Msg: "no such tracker in data/trackers.json"}
		}
		if len(s.Frameworks) == 0 {
			return nil, &DataError{File: file, Item: s.Tracker, Msg: "no framework names"}
		}
		for _, c := range s.Classes {
			if len(c) < MinIOSClassLen {
				return nil, &DataError{File: file, Item: s.Tracker, Msg: "class name " + c + " is too short to mark an SDK"}
			}
		}
		k.SDKs = append(k.SDKs, IOSSDK{Tracker: t, Frameworks: slices.Clip(s.Frameworks), Classes: slices.Clip(s.Classes)})
	}
	// Index, refusing names claimed twice.
	for i := range k.Usage {
		u := &k.Usage[i]
		if k.usage[u.Key] != nil {
			return nil, &DataError{File: file, Item: u.Key, Msg: "duplicate usage key"}
		}
		k.usage[u.Key] = u
	}
	for i := range k.DataTypes {
		d := &k.DataTypes[i]
		if k.dataTypes[d.Type] != nil {
			return nil, &DataError{File: file, Item: d.Type, Msg: "duplicate data type"}
		}
		k.dataTypes[d.Type] = d
	}
	for i := range k.APIs {
		a := &k.APIs[i]
		key := a.Kind + "\x00" + a.Name
		if len(k.apis[key]) > 0 {
			return nil, &DataError{File: file, Item: a.Name, Msg: "duplicate api"}
		}
		k.apis[key] = append(k.apis[key], a)
	}
	for i := range k.Frameworks {
		f := &k.Frameworks[i]
		if k.frameworks[f.Name] != nil {
			return nil, &DataError{File: file, Item: f.Name, Msg: "duplicate framework"}
		}
		k.frameworks[f.Name] = f
	}
	for i := range k.SDKs {
		s := &k.SDKs[i]
		for _, n := range s.Frameworks {
			if k.sdkByName[n] != nil {
				return nil, &DataError{File: file, Item: n, Msg: "framework claimed by two SDKs"}
			}
			k.sdkByName[n] = s
		}
		for _, c := range s.Classes {
			if k.sdkByClass[c] != nil {
				return nil, &DataError{File: file, Item: c, Msg: "class claimed by two SDKs"}
			}
			k.sdkByClass[c] = s
		}
	}
	return k, nil
}

// IOSKnowledge returns the iOS table, loaded once.
func IOSKnowledge() *IOS {
	k, err := iosOnce()
	mustLoad(err)
	return k
}

// UsageKey returns what a purpose-string key unlocks.
func (k *IOS) UsageKey(key string) (*UsageKey, bool) {
	u, ok := k.usage[key]
	return u, ok
}

// DataType returns a privacy manifest data type.
func (k *IOS) DataType(t string) (*PrivacyDataType, bool) {
	d, ok := k.dataTypes[t]
	return d, ok
}

// API returns the entry for an Objective-C class, selector or C function.
func (k *IOS) API(kind, name string) (*IOSAPI, bool) {
	a := k.apis[kind+"\x00"+name]
	if len(a) == 0 {
		return nil, false
	}
	return a[0], true
}

// Framework returns a system framework's entry by its name ("Contacts").
func (k *IOS) Framework(name string) (*IOSFramework, bool) {
	f, ok := k.frameworks[name]
	return f, ok
}

// SDKByFramework returns the SDK a framework name ("FBSDKCoreKit") belongs to.
func (k *IOS) SDKByFramework(name string) (*IOSSDK, bool) {
	s, ok := k.sdkByName[name]
	return s, ok
}

// SDKByClass returns the SDK an Objective-C class name marks.
func (k *IOS) SDKByClass(name string) (*IOSSDK, bool) {
	s, ok := k.sdkByClass[name]
	return s, ok
}
