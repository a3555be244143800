package zipapk

import (
	"hash/maphash"
	"strings"
)

// nameIndex finds an entry by name: an open-addressed hash table of
// positions in a list of entries, with linear probing. A Go map from name
// to entry costs about 40 bytes an entry; this costs 8 at most (a table of
// 4-byte slots at most half full), which on a central directory of 135,000
// entries is 5 MB of the heap that lives as long as the app is open.
type nameIndex struct {
	entries []*Entry // the list indexed, kept so that a caller who reslices Reader.Entries cannot misdirect Lookup
	seed    maphash.Seed
	slots   []uint32 // position in entries plus one; 0 is empty. len is a power of two
}

// newNameIndex makes an empty index with room for every one of entries.
func newNameIndex(entries []*Entry) nameIndex {
	size := 8
	for size < 2*len(entries) {
		size <<= 1
	}
	return nameIndex{entries: entries, seed: maphash.MakeSeed(), slots: make([]uint32, size)}
}

// find returns the position of the indexed entry called name, or -1; slot
// is where name was found or would go.
func (x *nameIndex) find(name string) (pos, slot int) {
	if len(x.slots) == 0 {
		return -1, -1
	}
	mask := len(x.slots) - 1
	i := int(maphash.String(x.seed, name)) & mask
	for {
		s := x.slots[i]
		if s == 0 {
			return -1, i
		}
		if x.entries[s-1].Name == name {
			return int(s - 1), i
		}
		i = (i + 1) & mask
	}
}

// add indexes entries[pos] unless an earlier entry has its name, whose
// position it then returns (ok false): Lookup keeps the first.
func (x *nameIndex) add(pos int) (first int, ok bool) {
	p, slot := x.find(x.entries[pos].Name)
	if p >= 0 {
		return p, false
	}
	x.slots[slot] = uint32(pos + 1)
	return pos, true
}

// lookup returns the first indexed entry called name, or nil.
func (x *nameIndex) lookup(name string) *Entry {
	if p, _ := x.find(name); p >= 0 {
		return x.entries[p]
	}
	return nil
}

// arenaBlock is the size of the blocks an arena carves strings from.
const arenaBlock = 64 << 10

// arena copies byte strings into large blocks. A string it returns keeps
// its block alive, which suits strings that live and die together, such
// as the names of a central directory's entries.
type arena struct {
	b strings.Builder
}

// str returns a string holding a copy of b.
func (a *arena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if a.b.Cap()-a.b.Len() < len(b) {
		// A new block; the strings already returned keep the old one.
		a.b = strings.Builder{}
		a.b.Grow(max(arenaBlock, len(b)))
	}
	start := a.b.Len()
	a.b.Write(b)
	return a.b.String()[start:]
}
