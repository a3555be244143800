package forms

import (
	"fmt"
	"strings"
	"unicode"

	"appxray/app"
	"appxray/arsc"
	"appxray/axml"
	"appxray/res"
)

// Framework attribute resource IDs (android.R.attr), which Android uses to
// find attributes whatever their names in the file.
const (
	attrID                 = 0x010100d0
	attrText               = 0x0101014f
	attrHint               = 0x01010150
	attrEntries            = 0x010100b2
	attrContentDescription = 0x01010273
	attrInputType          = 0x01010220
	attrLabelFor           = 0x010103c6
	attrPassword           = 0x0101015c
	attrMaxLength          = 0x01010160
	attrImeOptions         = 0x01010264
)

// maxAliasDepth bounds the string-to-string references followed when a
// label is an alias of another string.
const maxAliasDepth = 8

// resolver reads attribute values of one part's layouts through its
// resource table, caching per-locale strings by resource ID.
type resolver struct {
	table   *arsc.Table
	strings map[uint32]map[string]string
	names   map[uint32]string
}

func newResolver(t *arsc.Table) *resolver {
	return &resolver{table: t, strings: map[uint32]map[string]string{}, names: map[uint32]string{}}
}

// attr finds a framework attribute by resource ID, else by name in the
// android namespace.
func attr(e *axml.Element, id uint32, name string) (*axml.Attribute, bool) {
	if a, ok := e.AttrByID(id); ok {
		return a, true
	}
	if a, ok := e.Attr(app.AndroidNS, name); ok && a.ResourceID == 0 {
		return a, true
	}
	return nil, false
}

// anyAttr finds an attribute by local name in any namespace, for library
// attributes such as app:hint whose IDs differ from app to app.
func anyAttr(e *axml.Element, name string) (*axml.Attribute, bool) {
	for i := range e.Attrs {
		if a := &e.Attrs[i]; a.Name == name {
			return a, true
		}
	}
	return nil, false
}

// texts returns an attribute's text per locale (BCP 47 keys, "" for the
// default): a literal string as it is, a string resource in every locale
// that defines it. Empty texts are dropped; nil means there is none.
func (r *resolver) texts(a *axml.Attribute) map[string]string {
	if a == nil {
		return nil
	}
	var out map[string]string
	if a.Value.IsReference() {
		out = r.perLocale(a.Value.Data)
	} else if a.Value.Type == res.TypeString || a.HasRaw {
		if s, ok := a.String(); ok {
			out = map[string]string{"": s}
		}
	}
	return clean(out)
}

// clean drops blank values and returns nil for an empty map. A value loses
// the spaces and invisible format characters at its ends: apps pad labels
// with zero-width spaces ("输入你的姓名\u200b\u200b…"), which a report
// would print as nothing.
func clean(m map[string]string) map[string]string {
	for k, v := range m {
		v = strings.TrimFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) })
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// perLocale resolves a string resource in every locale that defines it or
// an alias it points to. The returned map is shared through the cache and
// is copied before use.
func (r *resolver) perLocale(id uint32) map[string]string {
	if r.table == nil {
		return nil
	}
	if m, ok := r.strings[id]; ok {
		return copyMap(m)
	}
	out := map[string]string{}
	// A label may be an alias of another string (@string/a → @string/b)
	// translated only under the target's name: each locale of the chain
	// resolves in that locale.
	cur := id
	for depth := 0; depth < maxAliasDepth && cur != 0; depth++ {
		for loc, s := range r.table.Strings(cur) {
			tag := app.BCP47(loc)
			if _, done := out[tag]; !done {
				if depth == 0 {
					out[tag] = s
				} else if v, err := r.table.ResolveString(id, loc); err == nil {
					out[tag] = v
				}
			}
		}
		next := uint32(0)
		for _, ce := range r.table.Entries(cur) {
			if !ce.Entry.Complex && ce.Entry.Value.IsReference() {
				next = ce.Entry.Value.Data
				if next>>24 == 0 {
					next |= cur & 0xff000000
				}
				break
			}
		}
		cur = next
	}
	r.strings[id] = out
	return copyMap(out)
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// refName names a resource as a layout would write it: "@id/sfzh",
// "@android:id/text1", "@array/blood_types"; "@0x7f0b0001" when the table
// does not name it.
func (r *resolver) refName(id uint32) string {
	if n, ok := r.names[id]; ok {
		return n
	}
	n := fmt.Sprintf("@0x%08x", id)
	if r.table != nil {
		if full, ok := r.table.ResourceName(id); ok {
			pkg, typeName, _ := strings.Cut(full, ":")
			if id>>24 == 0x01 || pkg == "android" {
				n = "@android:" + typeName
			} else {
				n = "@" + typeName
			}
		}
	}
	r.names[id] = n
	return n
}

// idName returns the name of a widget's id: "sfzh", "android:text1", or
// the raw reference when the table has no name for it.
func (r *resolver) idName(e *axml.Element) (string, uint32) {
	a, ok := attr(e, attrID, "id")
	if !ok {
		return "", 0
	}
	if !a.Value.IsReference() {
		if s, ok := a.String(); ok {
			return strings.TrimPrefix(strings.TrimPrefix(s, "@+id/"), "@id/"), 0
		}
		return "", 0
	}
	n := r.refName(a.Value.Data)
	if rest, ok := strings.CutPrefix(n, "@android:id/"); ok {
		return "android:" + rest, a.Value.Data
	}
	if _, rest, ok := strings.Cut(n, "/"); ok {
		return rest, a.Value.Data
	}
	return n, a.Value.Data
}
