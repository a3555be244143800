package code

import (
	"sync"

	"appxray/dex"
)

// Uses is what the walk of one DEX file records of every method with
// code, for analyses that follow calls and fields (the flow analysis):
// which methods invoke a method, which read a field, and what class
// initialisers set static fields to.
type Uses struct {
	// Code[m] is the code_item offset of method m, 0 when it has none
	// (shared with the index: read only).
	Code []uint32
	// Static[m] reports whether method m is static (its access flags).
	Static []bool
	// Order lists the methods walked, in walk order.
	Order []uint32
	// Callers maps a method_id to the methods that invoke it, Readers a
	// field_id to the methods that read it (iget, sget); each in walk order.
	Callers, Readers UseIndex
	// loaders maps a string_id to the methods that load it (const-string).
	loaders UseIndex
	// statics are the (field_id, string_id) pairs of every class
	// initialiser's const-string then sput-object, in walk order; strings
	// is built from them on first use (StaticString).
	statics    [][2]uint32
	file       *dex.File
	stringOnce sync.Once
	strings    map[string]string
}

// StaticString returns the string constant a class initialiser of the DEX
// file sets the static field key ("Lc;->f:T") to (const-string, then
// sput-object; the last in walk order).
func (u *Uses) StaticString(key string) (string, bool) {
	u.stringOnce.Do(func() {
		u.strings = map[string]string{}
		for _, p := range u.statics {
			fr, err := u.file.Field(p[0])
			if err != nil {
				continue
			}
			if s, err := u.file.String(p[1]); err == nil {
				u.strings[fr.String()] = s
			}
		}
	})
	s, ok := u.strings[key]
	return s, ok
}

// Uses returns what the walk of DEX d recorded, or nil.
func (ix *IndexResult) Uses(d int) *Uses {
	if d < 0 || d >= len(ix.uses) {
		return nil
	}
	return ix.uses[d]
}

// WalkErr returns why the walk of DEX d stopped short (a work limit, a
// cancelled run), or nil: what Uses(d) holds is what was walked.
func (ix *IndexResult) WalkErr(d int) error {
	if d < 0 || d >= len(ix.walkErrs) {
		return nil
	}
	return ix.walkErrs[d]
}

// UseIndex maps a key (a method_id, field_id or string_id of one DEX file) to the
// methods that use it, each once: a counting sort of (key, method) pairs,
// linear in their number.
type UseIndex struct {
	start []uint32 // the uses of key k are vals[start[k]:start[k+1]]
	vals  []uint32
}

// buildUseIndex indexes pairs (key << 32 | method) with keys below n, the
// parts taken in order as one list (the ranges of a walk). Pairs of one
// method come together (the walk's order), so a method that uses a key
// twice is kept once.
func buildUseIndex(parts [][]uint64, n uint32) UseIndex {
	// last[k] is 1 + the method last taken for key k (0: none yet; a
	// method index is below method_ids_size, so it never wraps). Both
	// passes skip a repeat the same way, so the counts are exact and vals
	// is allocated at its final size.
	last := make([]uint32, n)
	each := func(take func(k, m uint32)) {
		clear(last)
		for _, pairs := range parts {
			for _, p := range pairs {
				k, m := uint32(p>>32), uint32(p)
				if k >= n || last[k] == m+1 {
					continue
				}
				last[k] = m + 1
				take(k, m)
			}
		}
	}
	x := UseIndex{start: make([]uint32, n+1)}
	each(func(k, _ uint32) { x.start[k+1]++ })
	for k := uint32(0); k < n; k++ {
		x.start[k+1] += x.start[k]
	}
	x.vals = make([]uint32, x.start[n])
	fill := make([]uint32, n)
	each(func(k, m uint32) {
		x.vals[x.start[k]+fill[k]] = m
		fill[k]++
	})
	return x
}

// Get returns the methods that use key k.
func (x UseIndex) Get(k uint32) []uint32 {
	if int(k)+1 >= len(x.start) {
		return nil
	}
	return x.vals[x.start[k]:x.start[k+1]]
}

// clinitStrings records the static fields a class initialiser sets to a
// string constant (const-string vA then sput-object vA), as (field_id,
// string_id) pairs.
func clinitStrings(insns []byte, out [][2]uint32) [][2]uint32 {
	regs := map[uint32]uint32{} // register -> string_id
	n := uint32(len(insns) / 2)
	for pc := uint32(0); pc < n; {
		in, err := dex.Decode(insns, pc)
		if err != nil {
			return out
		}
		switch {
		case in.Op == 0x1a || in.Op == 0x1b:
			regs[in.A] = in.Index
		case in.Op == 0x69:
			if s, ok := regs[in.A]; ok {
				out = append(out, [2]uint32{in.Index, s})
			}
		case in.Format == dex.Fmt10x || in.Format == dex.FmtPayload:
		default:
			delete(regs, in.A)
		}
		pc += in.Size
	}
	return out
}
