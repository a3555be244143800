package arsc

import "appxray/res"

// ResolveValue returns the typed value resource id resolves to for the
// locale, following references as ResolveString does. It reports false when
// the resource is missing, a bag, part of a reference cycle, or needs more than
// Limits.MaxLookupWork to resolve.
func (t *Table) ResolveValue(id uint32, loc string) (res.Value, bool) {
	r := newResolver(t, parseLocale(loc))
	v, err := r.deref(res.Value{Type: res.TypeReference, Data: id}, id)
	if err != nil || v.Type == res.TypeNull {
		return res.Value{}, false
	}
	return v, true
}
