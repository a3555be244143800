package dex

import "strconv"

// ClassDefItem mirrors class_def_item.
type ClassDefItem struct {
	ClassIdx        uint32
	AccessFlags     uint32
	SuperclassIdx   uint32 // NoIndex if none
	InterfacesOff   uint32
	SourceFileIdx   uint32 // NoIndex if none
	AnnotationsOff  uint32
	ClassDataOff    uint32
	StaticValuesOff uint32
}

// NumClassDefs is the number of class definitions.
func (f *File) NumClassDefs() int { return int(f.Header.ClassDefsSize) }

// ClassDefItem returns the raw class_def_item i.
func (f *File) ClassDefItem(i int) (ClassDefItem, error) {
	h := &f.Header
	if i < 0 || uint64(i) >= uint64(h.ClassDefsSize) {
		return ClassDefItem{}, errorf(int64(h.ClassDefsOff), "class_def index %d out of range (%d classes)", i, h.ClassDefsSize)
	}
	b := f.data[int64(h.ClassDefsOff)+int64(i)*classDefSize:]
	return ClassDefItem{
		ClassIdx:        le.Uint32(b),
		AccessFlags:     le.Uint32(b[4:]),
		SuperclassIdx:   le.Uint32(b[8:]),
		InterfacesOff:   le.Uint32(b[12:]),
		SourceFileIdx:   le.Uint32(b[16:]),
		AnnotationsOff:  le.Uint32(b[20:]),
		ClassDataOff:    le.Uint32(b[24:]),
		StaticValuesOff: le.Uint32(b[28:]),
	}, nil
}

// ClassDef is a class definition with its names resolved.
type ClassDef struct {
	Class       string   // descriptor, "Lcom/a/B;"
	Superclass  string   // "" if none
	Interfaces  []string // descriptors
	AccessFlags uint32
	SourceFile  string // "" if none
	Offset      int64  // of the class_def_item
	Item        ClassDefItem
}

// ClassDef resolves class definition i.
func (f *File) ClassDef(i int) (ClassDef, error) {
	it, err := f.ClassDefItem(i)
	if err != nil {
		return ClassDef{}, err
	}
	c := ClassDef{
		AccessFlags: it.AccessFlags,
		Offset:      int64(f.Header.ClassDefsOff) + int64(i)*classDefSize,
		Item:        it,
	}
	if c.Class, err = f.TypeName(it.ClassIdx); err != nil {
		return c, err
	}
	if it.SuperclassIdx != NoIndex {
		if c.Superclass, err = f.TypeName(it.SuperclassIdx); err != nil {
			return c, err
		}
	}
	ifaces, err := f.TypeList(it.InterfacesOff)
	if err != nil {
		return c, err
	}
	for _, t := range ifaces {
		s, err := f.TypeName(uint32(t))
		if err != nil {
			return c, err
		}
		c.Interfaces = append(c.Interfaces, s)
	}
	if it.SourceFileIdx != NoIndex {
		if c.SourceFile, err = f.String(it.SourceFileIdx); err != nil {
			return c, err
		}
	}
	return c, nil
}

// ClassDefs resolves every class definition. A class that cannot be resolved
// is recorded in Warnings and left out; the others are still returned.
// Interface lists may be shared between classes, so ClassDefs stops with an
// error wrapping ErrWorkLimit (returning what it has) if the classes name
// more interfaces in total than the file has bytes.
func (f *File) ClassDefs() ([]ClassDef, error) {
	out := make([]ClassDef, 0, f.Header.ClassDefsSize)
	budget := int64(len(f.data)) + 4096
	for i := 0; i < f.NumClassDefs(); i++ {
		c, err := f.ClassDef(i)
		at := int64(f.Header.ClassDefsOff) + int64(i)*classDefSize
		if err != nil {
			f.warn(&FormatError{Offset: at, Msg: "class_def " + strconv.Itoa(i), Err: err})
			continue
		}
		if budget -= int64(len(c.Interfaces)) + 1; budget < 0 {
			err := &FormatError{Offset: at, Msg: "class_defs stopped at class_def " + strconv.Itoa(i), Err: &LimitError{Limit: "work", Value: int64(len(f.data)) + 4096, Err: ErrWorkLimit}}
			f.warn(err)
			return out, err
		}
		out = append(out, c)
	}
	return out, nil
}

// EncodedField mirrors encoded_field with the index difference resolved.
type EncodedField struct {
	FieldIdx    uint32
	AccessFlags uint32
}

// EncodedMethod mirrors encoded_method with the index difference resolved.
type EncodedMethod struct {
	MethodIdx   uint32
	AccessFlags uint32
	CodeOff     uint32 // 0 for abstract and native methods
}

// ClassData mirrors class_data_item.
type ClassData struct {
	StaticFields   []EncodedField
	InstanceFields []EncodedField
	DirectMethods  []EncodedMethod
	VirtualMethods []EncodedMethod
}

// ClassData decodes the class_data_item at off (0 means no data).
// Indices are checked against the id tables.
func (f *File) ClassData(off uint32) (*ClassData, error) {
	cd := &ClassData{}
	if off == 0 {
		return cd, nil
	}
	var r classDataReader
	if err := r.init(f, off); err != nil {
		return nil, err
	}
	// Each encoded_field takes at least 2 bytes and each encoded_method 3,
	// so the counts are bounded by the bytes that remain.
	need := (uint64(r.counts[0])+uint64(r.counts[1]))*2 + (uint64(r.counts[2])+uint64(r.counts[3]))*3
	if need > uint64(len(f.data)-r.p) {
		return nil, errorf(int64(off), "class_data counts (%d, %d, %d, %d) exceed the bytes that remain",
			r.counts[0], r.counts[1], r.counts[2], r.counts[3])
	}
	cd.StaticFields = make([]EncodedField, r.counts[0])
	cd.InstanceFields = make([]EncodedField, r.counts[1])
	cd.DirectMethods = make([]EncodedMethod, r.counts[2])
	cd.VirtualMethods = make([]EncodedMethod, r.counts[3])
	for _, list := range [][]EncodedField{cd.StaticFields, cd.InstanceFields} {
		r.startList()
		for i := range list {
			idx, acc, err := r.field()
			if err != nil {
				return nil, err
			}
			list[i] = EncodedField{idx, acc}
		}
	}
	for _, list := range [][]EncodedMethod{cd.DirectMethods, cd.VirtualMethods} {
		r.startList()
		for i := range list {
			idx, acc, code, err := r.method()
			if err != nil {
				return nil, err
			}
			list[i] = EncodedMethod{idx, acc, code}
		}
	}
	return cd, nil
}

// classDataReader decodes a class_data_item without allocating.
type classDataReader struct {
	f      *File
	p      int
	counts [4]uint32
	idx    uint32
	first  bool
}

func (r *classDataReader) init(f *File, off uint32) error {
	r.f, r.p = f, int(off)
	if uint64(off) >= uint64(len(f.data)) {
		return errorf(int64(off), "class_data_off beyond end of file")
	}
	for i := range r.counts {
		v, next, ok := f.uleb(r.p)
		if !ok {
			return errorf(int64(r.p), "class_data: bad uleb128 count")
		}
		r.counts[i], r.p = v, next
	}
	return nil
}

func (r *classDataReader) startList() { r.idx, r.first = 0, true }

// advance adds an index difference, checking for overflow and range.
func (r *classDataReader) advance(diff uint32, limit uint32, what string, at int) (uint32, error) {
	if !r.first && diff == 0 {
		return 0, errorf(int64(at), "class_data: %s index difference 0 (duplicate)", what)
	}
	n := r.idx + diff
	if n < r.idx {
		return 0, errorf(int64(at), "class_data: %s index overflows", what)
	}
	if n >= limit {
		return 0, errorf(int64(at), "class_data: %s index %d out of range (%d)", what, n, limit)
	}
	r.idx, r.first = n, false
	return n, nil
}

func (r *classDataReader) field() (idx, acc uint32, err error) {
	at := r.p
	diff, p, ok := r.f.uleb(r.p)
	if ok {
		acc, p, ok = r.f.uleb(p)
	}
	if !ok {
		return 0, 0, errorf(int64(at), "class_data: truncated encoded_field")
	}
	r.p = p
	idx, err = r.advance(diff, r.f.Header.FieldIDsSize, "field", at)
	return idx, acc, err
}

func (r *classDataReader) method() (idx, acc, code uint32, err error) {
	at := r.p
	diff, p, ok := r.f.uleb(r.p)
	if ok {
		acc, p, ok = r.f.uleb(p)
	}
	if ok {
		code, p, ok = r.f.uleb(p)
	}
	if !ok {
		return 0, 0, 0, errorf(int64(at), "class_data: truncated encoded_method")
	}
	r.p = p
	idx, err = r.advance(diff, r.f.Header.MethodIDsSize, "method", at)
	return idx, acc, code, err
}

// CodeItem mirrors code_item up to and including insns.
type CodeItem struct {
	RegistersSize uint16
	InsSize       uint16
	OutsSize      uint16
	TriesSize     uint16
	DebugInfoOff  uint32
	InsnsSize     uint32 // in 16-bit code units
	Insns         []byte // 2*InsnsSize bytes of the input, little-endian units
	Offset        int64
}

// Code reads the code_item at off, checking that the instructions and the
// try_items after them lie within the file.
func (f *File) Code(off uint32) (CodeItem, error) {
	var c CodeItem
	start, end, err := f.codeBounds(off, &c)
	if err != nil {
		return c, err
	}
	c.Insns = f.data[start:end:end]
	return c, nil
}

// codeBounds fills the code_item header fields of c and returns the byte
// range of its instructions.
func (f *File) codeBounds(off uint32, c *CodeItem) (start, end int, err error) {
	o := uint64(off)
	if o+codeItemHeader > uint64(len(f.data)) {
		return 0, 0, errorf(int64(off), "code_item header beyond end of file")
	}
	b := f.data[o : o+codeItemHeader]
	c.RegistersSize = le.Uint16(b)
	c.InsSize = le.Uint16(b[2:])
	c.OutsSize = le.Uint16(b[4:])
	c.TriesSize = le.Uint16(b[6:])
	c.DebugInfoOff = le.Uint32(b[8:])
	c.InsnsSize = le.Uint32(b[12:])
	c.Offset = int64(off)
	e := o + codeItemHeader + 2*uint64(c.InsnsSize)
	if e > uint64(len(f.data)) {
		return 0, 0, errorf(int64(off), "code_item insns (%d units) run past end of file", c.InsnsSize)
	}
	if c.TriesSize != 0 {
		t := e
		if c.InsnsSize%2 == 1 {
			t += 2 // padding to align tries
		}
		if t+8*uint64(c.TriesSize) > uint64(len(f.data)) {
			return 0, 0, errorf(int64(off), "code_item tries (%d) run past end of file", c.TriesSize)
		}
	}
	return int(o + codeItemHeader), int(e), nil
}
