package zipapk

// View returns a Reader over some of z's entries under other names: the
// way one module of an Android App Bundle ("base/dex/classes.dex",
// "base/manifest/AndroidManifest.xml") reads as the APK built from it
// ("classes.dex", "AndroidManifest.xml"). rename maps an entry's name to
// its name in the view; ok false leaves the entry out. Where two entries
// take one name, Lookup returns the first in central directory order, as
// z's own Lookup does.
//
// A view holds no bytes of its own: its reads go through z, with z's
// limits, inflation count, shared budget and anomalies (recorded under
// the entries' names in z). Its Anomalies are therefore empty, and it has
// no APK Signing Block. Its entries are copies whose Index is still their
// position in z's central directory.
func (z *Reader) View(rename func(name string) (string, bool)) *Reader {
	v := &Reader{
		Comment:                z.Comment,
		CentralDirectoryOffset: z.CentralDirectoryOffset,
		CentralDirectorySize:   z.CentralDirectorySize,
		EndOffset:              z.EndOffset,
		r:                      z.r,
		size:                   z.size,
		limits:                 z.limits,
		perKind:                map[AnomalyKind]int{},
		seen:                   map[lazyKey]bool{},
		parent:                 z.root(),
	}
	for _, e := range z.Entries {
		name, ok := rename(e.Name)
		if !ok {
			continue
		}
		c := *e
		c.Name = name
		v.Entries = append(v.Entries, &c)
	}
	v.names = newNameIndex(v.Entries)
	for i := range v.Entries {
		v.names.add(i)
	}
	return v
}

// root is the Reader that owns the file: z itself, or the Reader z is a
// view of.
func (z *Reader) root() *Reader {
	if z.parent != nil {
		return z.parent
	}
	return z
}

// source returns the Reader that reads an entry and that Reader's own
// entry: for a view, the entry of the underlying Reader it copies.
func (z *Reader) source(e *Entry) (*Reader, *Entry) {
	p := z.parent
	if p == nil || e == nil {
		return z, e
	}
	if e.Index >= 0 && e.Index < len(p.Entries) {
		if pe := p.Entries[e.Index]; pe.HeaderOffset == e.HeaderOffset && pe.CentralOffset == e.CentralOffset {
			return p, pe
		}
	}
	return p, e
}
