package arsc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"

	"appxray/res"
)

func u16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }
func u32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }

// Parse decodes the resource table in data. It fails only when data is
// not a resource table at all; damage inside it (bad chunks, entries out
// of range) is recorded in Table.Warnings and the rest is kept. The
// returned table reads entries from data on demand, so data must not be
// modified afterwards.
func Parse(data []byte, lim Limits) (*Table, error) {
	lim = lim.withDefaults()
	t := &Table{data: data, lim: lim}
	if len(data) < tableHeaderSize {
		return nil, rejectf(0, "table of %d bytes is shorter than its %d-byte header", len(data), tableHeaderSize)
	}
	typ, hs, size := u16(data), u16(data[2:]), u32(data[4:])
	if typ != res.ChunkTable {
		return nil, errorf(0, "first chunk is %s, not a resource table", res.ChunkTypeName(typ))
	}
	if hs < tableHeaderSize || uint32(hs) > size {
		return nil, errorf(2, "table header size %d is invalid (chunk size %d)", hs, size)
	}
	end := int64(size)
	if end > int64(len(data)) {
		// ChunkIterator checks the first chunk fatally: a truncated table
		// is refused, and with it the APK's resources.
		t.warn(rejectf(4, "table size %d exceeds the %d bytes available (truncated resources.arsc)", size, len(data)))
		end = int64(len(data))
	} else if end < int64(len(data)) {
		t.warn(errorf(end, "%d bytes after the table's end", int64(len(data))-end))
	}
	declared := u32(data[8:])

	t.walk(int64(hs), end, "table", func(h res.ChunkHeader) {
		switch h.Type {
		case res.ChunkStringPool:
			if t.ValueStrings != nil {
				t.warn(errorf(h.Offset, "extra value string pool ignored"))
				return
			}
			p, err := res.ParseStringPool(data[:end], h.Offset, lim.StringPool)
			if err != nil {
				w := wrapf(h.Offset, err, "unreadable value string pool")
				w.AndroidRejects = !errors.Is(err, res.ErrLimit)
				t.warn(w)
				return
			}
			t.ValueStrings = p
			t.warnAll(p.Warnings())
		case res.ChunkTablePackage:
			t.nPackages++
			if len(t.Packages) >= lim.MaxPackages {
				t.warn(limitErr(h.Offset, "package ignored", "MaxPackages", lim.MaxPackages))
				return
			}
			t.parsePackage(h)
		default:
			t.warn(errorf(h.Offset, "unknown chunk %s in table skipped", res.ChunkTypeName(h.Type)))
		}
	})
	switch n := uint32(t.nPackages); {
	case n > declared:
		// LoadTable: "More package chunks were found than the %d declared".
		t.warn(rejectf(8, "table declares %d packages but holds %d", declared, n))
	case n < declared:
		t.warn(errorf(8, "table declares %d packages but holds %d", declared, n))
	}
	if t.dropped > 0 {
		t.Warnings = append(t.Warnings, limitErr(0, fmt.Sprintf("%d more warnings not recorded", t.dropped), "MaxWarnings", t.lim.MaxWarnings))
	}
	return t, nil
}

func (t *Table) warn(err error) {
	if len(t.Warnings) >= t.lim.MaxWarnings {
		t.dropped++
		return
	}
	t.Warnings = append(t.Warnings, err)
}

func (t *Table) warnAll(errs []error) {
	for _, err := range errs {
		t.warn(err)
	}
}

// StringWarnings lists the problems found so far while decoding the
// strings of the table's pools (unterminated strings, readers that
// disagree), which Warnings, filled by Parse, cannot hold.
func (t *Table) StringWarnings() []error {
	var out []error
	pools := []*res.StringPool{t.ValueStrings}
	for _, p := range t.Packages {
		pools = append(pools, p.TypeStrings, p.KeyStrings)
	}
	for _, p := range pools {
		if p != nil {
			out = append(out, p.DecodeWarnings()...)
		}
	}
	return out
}

// AndroidRejects reports whether a recorded problem makes Android refuse
// the table (LoadedArsc::Load fails, and the APK's resources with it).
func (t *Table) AndroidRejects() bool {
	for _, w := range t.Warnings {
		var fe *FormatError
		var re *res.FormatError
		if errors.As(w, &fe) && fe.AndroidRejects || errors.As(w, &re) && re.AndroidRejects {
			return true
		}
	}
	return false
}

// walk calls fn for each well-formed child chunk in [start, end). A child
// that does not fit ends the walk, since nothing after it can be located.
//
// It follows ChunkIterator: the first chunk, and every chunk's header and
// alignment, are checked fatally (LoadedArsc refuses the table); a later
// chunk that is cut off by the end of its parent only ends the walk
// (VerifyNextChunkNonFatal).
func (t *Table) walk(start, end int64, where string, fn func(res.ChunkHeader)) {
	b := t.data[:end]
	for off := start; off < end; {
		h, err := res.ReadChunkHeader(b, off)
		if err != nil {
			w := wrapf(off, err, "bad chunk in %s; rest of %s skipped", where, where)
			cut := end-off < res.ChunkHeaderSize || h.HeaderSize >= res.ChunkHeaderSize && uint32(h.HeaderSize) <= h.Size
			w.AndroidRejects = off == start || !cut
			t.warn(w)
			return
		}
		if !h.Aligned() || off&3 != 0 {
			t.warn(rejectf(off, "chunk %s has unaligned sizes or offset (header %d, size %d)", res.ChunkTypeName(h.Type), h.HeaderSize, h.Size))
		}
		fn(h)
		off = h.End()
	}
}

// utf16Name decodes a fixed-size, NUL-terminated UTF-16 field.
func utf16Name(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := u16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

func (t *Table) parsePackage(h res.ChunkHeader) {
	if h.HeaderSize < packageHeaderMinSize {
		t.warn(rejectf(h.Offset, "package header size %d is smaller than %d; package skipped", h.HeaderSize, packageHeaderMinSize))
		return
	}
	c := t.data[h.Offset:h.End()]
	p := &Package{
		ID:     u32(c[8:]),
		Name:   utf16Name(c[12:268]),
		Offset: h.Offset,
		table:  t,
	}
	typeStrings, keyStrings := u32(c[268:]), u32(c[276:])
	if h.HeaderSize >= packageHeaderSize {
		p.TypeIDOffset = u32(c[284:])
	}
	if p.ID > 0xff {
		t.warn(errorf(h.Offset+8, "package ID 0x%x does not fit in 8 bits; package skipped", p.ID))
		return
	}
	pool := func(rel uint32, what string) *res.StringPool {
		if rel == 0 {
			t.warn(errorf(h.Offset, "package %q has no %s string pool", p.Name, what))
			return nil
		}
		if rel < uint32(h.HeaderSize) || rel >= h.Size {
			t.warn(errorf(h.Offset, "package %q %s string pool offset %d is outside the package", p.Name, what, rel))
			return nil
		}
		sp, err := res.ParseStringPool(t.data[:h.End()], h.Offset+int64(rel), t.lim.StringPool)
		if err != nil {
			w := wrapf(h.Offset+int64(rel), err, "package %q: unreadable %s string pool", p.Name, what)
			w.AndroidRejects = !errors.Is(err, res.ErrLimit)
			t.warn(w)
			return nil
		}
		t.warnAll(sp.Warnings())
		return sp
	}
	p.TypeStrings = pool(typeStrings, "type")
	p.KeyStrings = pool(keyStrings, "key")

	t.walk(h.DataOffset(), h.End(), "package", func(ch res.ChunkHeader) {
		switch ch.Type {
		case res.ChunkStringPool:
			rel := ch.Offset - h.Offset
			if rel != int64(typeStrings) && rel != int64(keyStrings) {
				t.warn(errorf(ch.Offset, "extra string pool in package %q ignored", p.Name))
			}
		case res.ChunkTableTypeSpec, res.ChunkTableType:
			if t.nChunks >= t.lim.MaxTypeChunks {
				if t.nChunks == t.lim.MaxTypeChunks {
					t.warn(limitErr(ch.Offset, "type chunks beyond the limit ignored", "MaxTypeChunks", t.lim.MaxTypeChunks))
				}
				t.nChunks++
				return
			}
			t.nChunks++
			if ch.Type == res.ChunkTableTypeSpec {
				p.parseTypeSpec(ch)
			} else {
				p.parseType(ch)
			}
		case res.ChunkTableLibrary:
			p.parseLibrary(ch)
		case res.ChunkTableStagedAlias:
			p.parseStagedAlias(ch)
		case res.ChunkTableOverlayable, res.ChunkTableOverlayablePolicy:
			// Overlay policies say nothing about the app's own values.
		default:
			t.warn(errorf(ch.Offset, "unknown chunk %s in package %q skipped", res.ChunkTypeName(ch.Type), p.Name))
		}
	})

	for _, ty := range p.byType {
		if ty != nil {
			p.Types = append(p.Types, ty)
		}
	}
	t.Packages = append(t.Packages, p)
	t.byID[p.ID] = append(t.byID[p.ID], p)
}

// typeFor returns the package's Type with the given ID, creating it.
func (p *Package) typeFor(id uint8) *Type {
	if ty := p.byType[id]; ty != nil {
		return ty
	}
	ty := &Type{ID: id, SpecOffset: -1, pkg: p}
	if p.TypeStrings != nil {
		// Type string i names type ID i+1+TypeIDOffset.
		if i := int64(id) - 1 - int64(p.TypeIDOffset); i >= 0 {
			if s, err := p.TypeStrings.String(uint32(i)); err == nil {
				ty.Name = s
			}
		}
	}
	p.byType[id] = ty
	return ty
}

// Type returns the package's type with the given ID, or nil.
func (p *Package) Type(id uint8) *Type { return p.byType[id] }

func (p *Package) parseTypeSpec(h res.ChunkHeader) {
	t := p.table
	if h.HeaderSize < typeSpecHeaderSize {
		t.warn(rejectf(h.Offset, "type spec header size %d is smaller than %d; skipped", h.HeaderSize, typeSpecHeaderSize))
		return
	}
	c := t.data[h.Offset:h.End()]
	id := c[8]
	if id == 0 {
		t.warn(rejectf(h.Offset+8, "type spec with ID 0 skipped"))
		return
	}
	count := u32(c[12:])
	avail := (h.Size - uint32(h.HeaderSize)) / 4
	if count > avail {
		t.warn(rejectf(h.Offset+12, "type spec declares %d entries but has room for %d", count, avail))
		count = avail
	}
	if count > 0xffff {
		// LoadedPackage::Load refuses more than 65535 ("too many entries").
		t.warn(rejectf(h.Offset+12, "type spec declares %d entries; Android accepts at most 65535", count))
		count = 0x10000
	}
	ty := p.typeFor(id)
	if ty.SpecOffset >= 0 {
		t.warn(errorf(h.Offset, "second type spec for type 0x%02x ignored", id))
		return
	}
	ty.SpecOffset = h.Offset
	ty.EntryCount = max(ty.EntryCount, count)
	flags := c[h.HeaderSize:]
	ty.SpecFlags = make([]uint32, count)
	for i := range ty.SpecFlags {
		ty.SpecFlags[i] = u32(flags[4*i:])
	}
}

func (p *Package) parseType(h res.ChunkHeader) {
	t := p.table
	if h.HeaderSize < typeHeaderMinSize {
		t.warn(rejectf(h.Offset, "type chunk header size %d is smaller than %d; skipped", h.HeaderSize, typeHeaderMinSize))
		return
	}
	c := t.data[h.Offset:h.End()]
	tc := &TypeChunk{
		Offset:       h.Offset,
		Flags:        c[9],
		EntryCount:   u32(c[12:]),
		entriesStart: u32(c[16:]),
		chunk:        c,
	}
	id := c[8]
	if id == 0 {
		t.warn(rejectf(h.Offset+8, "type chunk with ID 0 skipped"))
		return
	}
	// The config may be shorter than ours (older tools) or longer (newer
	// platforms); it may not run into the entry index.
	cfgSize := u32(c[typeFixedSize:])
	room := uint32(h.HeaderSize) - typeFixedSize
	if cfgSize < 4 || cfgSize > room {
		t.warn(errorf(h.Offset+typeFixedSize, "config size %d does not fit the %d-byte header room; using %d", cfgSize, room, room))
		cfgSize = room
	}
	tc.Config = parseConfig(c[typeFixedSize : typeFixedSize+cfgSize])
	tc.Config.Size = u32(c[typeFixedSize:])
	tc.localeName = tc.Config.Locale()
	tc.locale = localeOf(tc.Config)
	tc.generic = isGeneric(tc.Config)

	if tc.EntryCount > 0x10000 {
		t.warn(rejectf(h.Offset+12, "type chunk declares %d entries; IDs hold only 65536; skipped", tc.EntryCount))
		return
	}
	if tc.EntryCount == 0x10000 {
		// VerifyResTableType accepts at most 65535.
		t.warn(rejectf(h.Offset+12, "type chunk declares %d entries; Android accepts at most 65535", tc.EntryCount))
	}
	width := uint64(4)
	if tc.Flags&TypeFlagOffset16 != 0 && tc.Flags&TypeFlagSparse == 0 {
		width = 2
	}
	idxStart, idxLen := uint64(h.HeaderSize), uint64(tc.EntryCount)*width
	if uint64(tc.entriesStart) > uint64(h.Size) || uint64(tc.entriesStart) < idxStart || uint64(tc.entriesStart)-idxStart < idxLen {
		t.warn(rejectf(h.Offset+16, "type chunk entries start %d leaves no room for %d index entries after the %d-byte header; skipped", tc.entriesStart, tc.EntryCount, h.HeaderSize))
		return
	}
	if tc.entriesStart&3 != 0 {
		t.warn(rejectf(h.Offset+16, "type chunk entries start %d is not 4-byte aligned", tc.entriesStart))
	}
	tc.index = c[idxStart : idxStart+idxLen]

	ty := p.typeFor(id)
	tc.typ = ty
	if ty.SpecOffset < 0 && len(ty.Configs) == 0 {
		t.warn(rejectf(h.Offset, "type chunk for type 0x%02x has no preceding type spec", id))
	}
	span := tc.EntryCount
	if tc.Flags&TypeFlagSparse != 0 {
		span = 0
		if tc.EntryCount > 0 {
			span = uint32(u16(tc.index[4*(tc.EntryCount-1):])) + 1
		}
	}
	if span > ty.EntryCount {
		if ty.SpecOffset >= 0 {
			t.warn(errorf(h.Offset, "type chunk for type 0x%02x has %d entries, its spec only %d", id, span, ty.EntryCount))
		}
		ty.EntryCount = span
	}
	tc.validate()
	ty.slots += uint64(tc.EntryCount)
	ty.Configs = append(ty.Configs, tc)
}

// validate checks every entry of the chunk once, so that damage shows up
// as a warning even if nobody asks for the entry; one warning per chunk.
func (tc *TypeChunk) validate() {
	t := tc.typ.pkg.table
	bad := 0
	var first error
	prev := -1
	for idx, rel := range tc.offsets() {
		if tc.Flags&TypeFlagSparse != 0 {
			if int(idx) <= prev {
				bad++
				if first == nil {
					first = errorf(tc.Offset, "sparse entry index %d is not in increasing order", idx)
				}
			}
			prev = int(idx)
		}
		if err := tc.check(rel); err != nil {
			bad++
			if first == nil {
				first = err
			}
		}
	}
	if bad > 0 {
		t.warn(fmt.Errorf("arsc: type %s config %q: %d bad entries, first: %w", tc.typ.Name, tc.Config.String(), bad, first))
	}
}

// offsets yields the index and relative offset (from entriesStart) of
// every present entry, in index order.
func (tc *TypeChunk) offsets() func(yield func(uint32, uint32) bool) {
	return func(yield func(uint32, uint32) bool) {
		n := tc.EntryCount
		switch {
		case tc.Flags&TypeFlagSparse != 0:
			for i := range n {
				if !yield(uint32(u16(tc.index[4*i:])), uint32(u16(tc.index[4*i+2:]))*4) {
					return
				}
			}
		case tc.Flags&TypeFlagOffset16 != 0:
			for i := range n {
				if o := u16(tc.index[2*i:]); o != 0xffff {
					if !yield(i, uint32(o)*4) {
						return
					}
				}
			}
		default:
			for i := range n {
				if o := u32(tc.index[4*i:]); o != NoEntry {
					if !yield(i, o) {
						return
					}
				}
			}
		}
	}
}

// locate returns the offset (relative to entriesStart) of entry idx.
func (tc *TypeChunk) locate(idx uint32) (uint32, bool) {
	switch {
	case tc.Flags&TypeFlagSparse != 0:
		n := int(tc.EntryCount)
		lo, hi := 0, n
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if uint32(u16(tc.index[4*m:])) < idx {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo < n && uint32(u16(tc.index[4*lo:])) == idx {
			return uint32(u16(tc.index[4*lo+2:])) * 4, true
		}
		return 0, false
	case idx >= tc.EntryCount:
		return 0, false
	case tc.Flags&TypeFlagOffset16 != 0:
		o := u16(tc.index[2*idx:])
		return uint32(o) * 4, o != 0xffff
	default:
		o := u32(tc.index[4*idx:])
		return o, o != NoEntry
	}
}

// check verifies that the entry at rel lies wholly inside the chunk,
// following LoadedArsc's VerifyResTableEntry.
func (tc *TypeChunk) check(rel uint32) error {
	pos := uint64(tc.entriesStart) + uint64(rel)
	size := uint64(len(tc.chunk))
	at := tc.Offset + int64(pos)
	if rel&3 != 0 {
		return errorf(at, "entry offset %d is not 4-byte aligned", rel)
	}
	if pos+entryHeaderSize > size {
		return errorf(at, "entry at %d lies outside its %d-byte chunk", pos, size)
	}
	b := tc.chunk[pos:]
	flags := u16(b[2:])
	if flags&FlagCompact != 0 {
		return nil
	}
	esize := uint64(u16(b))
	if esize < entryHeaderSize {
		return errorf(at, "entry size %d is smaller than %d", esize, entryHeaderSize)
	}
	if pos+esize > size {
		return errorf(at, "entry of %d bytes runs past its %d-byte chunk", esize, size)
	}
	if flags&FlagComplex == 0 {
		if pos+esize+valueSize > size {
			return errorf(at, "entry value runs past its %d-byte chunk", size)
		}
		if vs := u16(b[esize:]); vs < valueSize {
			return errorf(at+int64(esize), "value size %d is smaller than %d", vs, valueSize)
		}
		return nil
	}
	if esize < mapEntryHeaderSize {
		return errorf(at, "map entry size %d is smaller than %d", esize, mapEntryHeaderSize)
	}
	count := uint64(u32(b[12:]))
	if count*mapSize > size-pos-esize {
		return errorf(at+12, "map entry's %d items run past its %d-byte chunk", count, size)
	}
	return nil
}

// decode builds the Entry at rel for index idx.
func (tc *TypeChunk) decode(idx, rel uint32) (*Entry, error) {
	if err := tc.check(rel); err != nil {
		return nil, err
	}
	ty := tc.typ
	pos := uint64(tc.entriesStart) + uint64(rel)
	b := tc.chunk[pos:]
	e := &Entry{
		ID:     ty.pkg.ID<<24 | uint32(ty.ID)<<16 | idx&0xffff,
		Flags:  u16(b[2:]),
		Offset: tc.Offset + int64(pos),
	}
	if e.Flags&FlagCompact != 0 {
		// key, flags (type in the high byte), data.
		e.Key = uint32(u16(b))
		e.Value = res.Value{Size: valueSize, Type: uint8(e.Flags >> 8), Data: u32(b[4:])}
		e.Flags &= 0xff
	} else {
		e.Key = u32(b[4:])
		esize := uint64(u16(b))
		if e.Flags&FlagComplex == 0 {
			v := b[esize:]
			e.Value = res.Value{Size: u16(v), Res0: v[2], Type: v[3], Data: u32(v[4:])}
		} else {
			e.Complex = true
			e.Parent = u32(b[8:])
			count := u32(b[12:])
			items := b[esize:]
			e.Bag = make([]BagItem, count) // check bounded count by the bytes left
			for i := range e.Bag {
				m := items[mapSize*i:]
				e.Bag[i] = BagItem{
					Name:  u32(m),
					Value: res.Value{Size: u16(m[4:]), Res0: m[6], Type: m[7], Data: u32(m[8:])},
				}
			}
		}
	}
	if ks := ty.pkg.KeyStrings; ks != nil {
		if s, err := ks.String(e.Key); err == nil {
			e.Name = s
		}
	}
	return e, nil
}

// Entry decodes the chunk's entry with the given index within its type.
// It returns nil and no error when the chunk has no such entry.
func (tc *TypeChunk) Entry(idx uint16) (*Entry, error) {
	rel, ok := tc.locate(uint32(idx))
	if !ok {
		return nil, nil
	}
	return tc.decode(uint32(idx), rel)
}

// All yields every entry the chunk defines, in index order, with the
// error for any that cannot be decoded.
func (tc *TypeChunk) All() func(yield func(*Entry, error) bool) {
	return func(yield func(*Entry, error) bool) {
		for idx, rel := range tc.offsets() {
			if !yield(tc.decode(idx, rel)) {
				return
			}
		}
	}
}

// fixedEntries returns the entries of a chunk laid out as a header holding
// a uint32 count at offset 8, then count entries of size bytes: the library
// and staged-alias chunks. A count larger than the chunk holds is cut to
// what it holds, with a warning.
func (p *Package) fixedEntries(h res.ChunkHeader, minHeader uint16, size uint64, what string) [][]byte {
	t := p.table
	if h.HeaderSize < minHeader {
		t.warn(rejectf(h.Offset, "%s chunk header size %d is smaller than %d; skipped", what, h.HeaderSize, minHeader))
		return nil
	}
	c := t.data[h.Offset:h.End()]
	count := uint64(u32(c[8:]))
	body := c[h.HeaderSize:]
	if count*size > uint64(len(body)) {
		t.warn(rejectf(h.Offset+8, "%s chunk declares %d entries but has room for %d", what, count, uint64(len(body))/size))
		count = uint64(len(body)) / size
	}
	out := make([][]byte, count)
	for i := range count {
		out[i] = body[i*size : (i+1)*size]
	}
	return out
}

func (p *Package) parseLibrary(h res.ChunkHeader) {
	for _, e := range p.fixedEntries(h, libHeaderSize, libEntrySize, "library") {
		p.Libraries = append(p.Libraries, Library{ID: u32(e), Name: utf16Name(e[4:libEntrySize])})
	}
}

func (p *Package) parseStagedAlias(h res.ChunkHeader) {
	for _, e := range p.fixedEntries(h, stagedAliasHdrSize, stagedAliasEntrySize, "staged alias") {
		p.Aliases = append(p.Aliases, StagedAlias{StagedID: u32(e), FinalizedID: u32(e[4:])})
	}
}
