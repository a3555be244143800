package forms

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf16"

	"appxray/app"
	"appxray/arsc"
)

// What the app's code says about its layouts and widgets: the superclasses
// of its own widget classes, and which layouts and string-arrays it refers
// to. Both are read straight from the DEX files, read-only.

// maxSuperChain bounds the superclasses followed from one class.
const maxSuperChain = 32

// hierarchy maps each class the app's DEX files define ("a.b",
// "com.example.CardField") to its superclass.
type hierarchy struct {
	super map[string]string
}

// dexFiles lists the app's DEX files (none without an app, in unit tests).
func (s *state) dexFiles() []*app.DexFile {
	if s.pass == nil || s.pass.App == nil {
		return nil
	}
	return s.pass.App.Dex(s.pass.Context)
}

// hier builds the class hierarchy on first use.
func (s *state) hier() *hierarchy {
	if s.classes != nil {
		return s.classes
	}
	h := &hierarchy{super: map[string]string{}}
	for _, df := range s.dexFiles() {
		f := df.File
		for i := 0; i < f.NumClassDefs(); i++ {
			it, err := f.ClassDefItem(i)
			if err != nil || it.SuperclassIdx == noIndex {
				continue
			}
			c, err := f.TypeDescriptorBytes(it.ClassIdx)
			if err != nil {
				continue
			}
			sup, err := f.TypeDescriptorBytes(it.SuperclassIdx)
			if err != nil {
				continue
			}
			name := dotted(c)
			if _, dup := h.super[name]; !dup { // the first definition wins, as on Android
				h.super[name] = dotted(sup)
			}
		}
	}
	s.classes = h
	return h
}

const noIndex = 0xffffffff

// dotted turns "Lcom/a/B$C;" into "com.a.B$C".
func dotted(desc []byte) string {
	d := strings.TrimSuffix(strings.TrimPrefix(string(desc), "L"), ";")
	return strings.ReplaceAll(d, "/", ".")
}

// frameworkKinds are the framework classes a widget class may derive from.
var frameworkKinds = map[string]kind{
	"android.widget.EditText":                    kindTextEntry,
	"android.widget.AutoCompleteTextView":        kindTextEntry,
	"android.widget.MultiAutoCompleteTextView":   kindTextEntry,
	"android.inputmethodservice.ExtractEditText": kindTextEntry,
	"android.widget.Spinner":                     kindSpinner,
	"android.widget.AbsSpinner":                  kindSpinner,
	"android.widget.CheckBox":                    kindCheckBox,
	"android.widget.CompoundButton":              kindCheckBox,
	"android.widget.CheckedTextView":             kindCheckBox,
	"android.widget.RadioButton":                 kindRadioButton,
	"android.widget.RadioGroup":                  kindRadioGroup,
	"android.widget.Switch":                      kindSwitch,
	"android.widget.ToggleButton":                kindToggle,
	"android.widget.DatePicker":                  kindPicker,
	"android.widget.TimePicker":                  kindPicker,
	"android.widget.NumberPicker":                kindPicker,
	"android.widget.CalendarView":                kindPicker,
	"android.widget.SeekBar":                     kindSlider,
	"android.widget.RatingBar":                   kindSlider,
	"android.widget.AbsSeekBar":                  kindSlider,
	"android.widget.TextView":                    kindLabel,
}

// kindOf tells what a layout element's class is: a class of the app's own
// is what its nearest framework or library superclass is, whatever it is
// called ("a.b" extending EditText is a text entry; a "SeekBar" extending
// View is not a widget); a class the DEX files do not define is told by
// its name.
func (s *state) kindOf(class string) kind {
	if k, ok := s.kinds[class]; ok {
		return k
	}
	k := s.resolveKind(class)
	s.kinds[class] = k
	return k
}

func (s *state) resolveKind(class string) kind {
	if k, ok := frameworkKinds[class]; ok {
		return k
	}
	if !strings.Contains(class, ".") {
		return classifyClass(class) // a framework widget written bare: "EditText"
	}
	h := s.hier()
	c := class
	for range maxSuperChain {
		if k, ok := frameworkKinds[c]; ok {
			return k
		}
		sup, defined := h.super[c]
		if !defined {
			// Outside the app's code: a framework or library class, told
			// by its name.
			return classifyClass(c)
		}
		c = sup
	}
	return kindNone
}

// refs records which layouts and string-arrays anything refers to: the
// app's code (the resource id as a constant or a static value, or the name
// for Resources.getIdentifier) and other resources (an <include>, a
// preference's entries, a style).
type refs struct {
	// types are the (package, type) id pairs of layouts and arrays, as a
	// bitmap over package<<8|type: the code scan asks at every byte.
	types [1 << 16 / 64]uint64
	// fromRes and fromCode are the ids found.
	fromRes, fromCode map[uint32]bool
	codeSeen          bool // whether the app has code to look in
	scanned           bool
}

// isType reports whether (pkg, typ) is a layout or array type.
func (r *refs) isType(pkg, typ byte) bool {
	k := uint16(pkg)<<8 | uint16(typ)
	return r.types[k/64]&(1<<(k%64)) != 0
}

// noteTypes records the layout and array type ids of a resource table.
func (r *refs) noteTypes(t *arsc.Table) {
	if t == nil {
		return
	}
	for _, pkg := range t.Packages {
		for _, ty := range pkg.Types {
			if ty.Name == "layout" || ty.Name == "array" {
				k := uint16(byte(pkg.ID))<<8 | uint16(byte(ty.ID))
				r.types[k/64] |= 1 << (k % 64)
			}
		}
	}
}

// resValueRef is the start of a Res_value that holds a reference: size 8,
// res0 0, dataType TYPE_REFERENCE.
var resValueRef = []byte{0x08, 0x00, 0x00, 0x01}

// scanResources records the layout and array references in a binary XML
// file or resource table.
func (r *refs) scanResources(data []byte) {
	for i := 0; ; {
		j := bytes.Index(data[i:], resValueRef)
		if j < 0 || i+j+8 > len(data) {
			return
		}
		at := i + j + 4
		id := binary.LittleEndian.Uint32(data[at:])
		if r.isType(byte(id>>24), byte(id>>16)) {
			r.fromRes[id] = true
		}
		i = at
	}
}

// scanCode records every layout or array id written in the DEX files: as
// a 32-bit constant (const, a static field's value, an array payload) or
// as the high half of a const/high16.
func (s *state) scanCode() {
	r := &s.refs
	if r.scanned {
		return
	}
	r.scanned = true
	for _, df := range s.dexFiles() {
		r.codeSeen = true
		data := df.File.Data()
		for i := 0; i+4 <= len(data); i++ {
			if r.isType(data[i+3], data[i+2]) {
				r.fromCode[binary.LittleEndian.Uint32(data[i:])] = true
			}
			if data[i] == 0x15 && i%2 == 0 { // const/high16 vAA, #+BBBB0000
				r.fromCode[uint32(binary.LittleEndian.Uint16(data[i+2:]))<<16] = true
			}
		}
	}
}

// unused reports whether the app has code and neither it nor any other
// resource refers to the resource (by id, or by name as getIdentifier
// takes it). Without code to look in, nothing is called unused.
func (s *state) unused(id uint32, name string) bool {
	if id == 0 {
		return false
	}
	s.scanCode()
	r := &s.refs
	if !r.codeSeen || r.fromRes[id] || r.fromCode[id] {
		return false
	}
	if name != "" {
		for _, df := range s.dexFiles() {
			if _, ok := df.File.FindString(name); ok {
				return false
			}
		}
	}
	return true
}

// maxNeedles bounds the class names looked for in each layout's bytes;
// past it every binary XML file is decoded.
const maxNeedles = 64

// needles are the names of the app's own widget classes that the
// prefilter's suffixes miss ("a.b" extending EditText).
type needles struct {
	all   bool // too many: decode every file
	names [][]byte
}

func (n needles) match(data []byte) bool {
	if n.all {
		return true
	}
	for _, b := range n.names {
		if bytes.Contains(data, b) {
			return true
		}
	}
	return false
}

// widgetClassNeedles lists, in UTF-8 and UTF-16LE, the app's own widget
// classes whose names the prefilter does not cover.
func (s *state) widgetClassNeedles() needles {
	var n needles
	if len(s.dexFiles()) == 0 {
		return n
	}
	h := s.hier()
	count := 0
	for c := range h.super {
		if k := s.kindOf(c); k == kindNone || k == kindLabel {
			continue
		}
		if mayHoldWidget([]byte(c)) {
			continue // the suffix finds it already
		}
		count++
		if count > maxNeedles {
			return needles{all: true}
		}
		n.names = append(n.names, []byte(c), utf16le(c))
	}
	return n
}

func utf16le(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}
