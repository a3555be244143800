package arsc_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"appxray/arsc"
	"appxray/internal/corpus"
	"appxray/res"
)

// readTable extracts resources.arsc from an APK with the standard library
// (the project's zip reader is tested on its own). ok is false when the APK
// has no table; err is set when the archive itself cannot be read.
func readTable(path string) (data []byte, ok bool, err error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, false, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "resources.arsc" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, true, err
		}
		defer rc.Close()
		data, err := io.ReadAll(io.LimitReader(rc, 256<<20))
		return data, true, err
	}
	return nil, false, nil
}

// normalizeForOutput mirrors ResTable::normalizeForOutput in Android 10's
// libandroidfw: the string is cut at its first NUL (it is handled as a C
// string) and backslash, newline and double quote are escaped; nothing
// else is, so tabs and other control characters are printed raw.
func normalizeForOutput(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			sb.WriteString(`\\`)
		case '\n':
			sb.WriteString(`\n`)
		case '"':
			sb.WriteString(`\"`)
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// printComplex mirrors print_complex: the mantissa bits are taken as an
// unsigned 32-bit number (so negative values print as large positive
// ones, as aapt does) and scaled in single precision.
func printComplex(data uint32, fraction bool) string {
	mults := [4]float32{1.0 / 256, 1.0 / (1 << 7) / 256, 1.0 / (1 << 15) / 256, 1.0 / (1 << 23) / 256}
	v := float32(data&0xffffff00) * mults[(data>>4)&3]
	s := strconv.FormatFloat(float64(v), 'f', 6, 64)
	unit := data & 0xf
	if !fraction {
		switch unit {
		case 0:
			return s + "px"
		case 1:
			return s + "dp"
		case 2:
			return s + "sp"
		case 3:
			return s + "pt"
		case 4:
			return s + "in"
		case 5:
			return s + "mm"
		}
		return s + " (unknown unit)"
	}
	switch unit {
	case 0:
		return s + "%"
	case 1:
		return s + "%p"
	}
	return s + " (unknown unit)"
}

// printValue mirrors ResTable::print_value of Android 10, including its
// quirk of printing every integer-like type (booleans, decimal and hex
// ints) as a color, because its color test is always true.
func printValue(t *arsc.Table, v res.Value) string {
	switch v.Type {
	case res.TypeNull:
		if v.Data == res.DataNullEmpty {
			return "(null empty)"
		}
		return "(null)"
	case res.TypeReference:
		return fmt.Sprintf("(reference) 0x%08x", v.Data)
	case res.TypeAttribute:
		return fmt.Sprintf("(attribute) 0x%08x", v.Data)
	case res.TypeDynamicReference:
		return fmt.Sprintf("(dynamic reference) 0x%08x", v.Data)
	case res.TypeDynamicAttribute:
		return fmt.Sprintf("(dynamic attribute) 0x%08x", v.Data)
	case res.TypeString:
		if t.ValueStrings == nil {
			return "(string) null"
		}
		s, err := t.ValueStrings.String(v.Data)
		if err != nil {
			return "(string) null"
		}
		kind := "string16"
		if t.ValueStrings.IsUTF8() {
			kind = "string8"
			// aapt prints a UTF-8 pool's stored bytes; aapt2 stores
			// characters outside the BMP as CESU-8 surrogate halves, which
			// String decodes to the characters Android shows.
			if raw, err := t.ValueStrings.UTF8(v.Data); err == nil {
				s = string(raw)
			}
		}
		return fmt.Sprintf("(%s) \"%s\"", kind, normalizeForOutput(s))
	case res.TypeFloat:
		return "(float) " + strconv.FormatFloat(float64(math.Float32frombits(v.Data)), 'g', 6, 64)
	case res.TypeDimension:
		return "(dimension) " + printComplex(v.Data, false)
	case res.TypeFraction:
		return "(fraction) " + printComplex(v.Data, true)
	}
	return fmt.Sprintf("(color) #%08x", v.Data)
}

// renderAapt prints a table the way `aapt dump --values resources` of
// Android 10 does (ResTable::print(true)).
func renderAapt(t *arsc.Table) string {
	var b bytes.Buffer
	type group struct {
		id   uint32
		pkgs []*arsc.Package
	}
	var groups []*group
	for _, p := range t.Packages {
		var g *group
		for _, x := range groups {
			if x.id == p.ID {
				g = x
			}
		}
		if g == nil {
			g = &group{id: p.ID}
			groups = append(groups, g)
		}
		g.pkgs = append(g.pkgs, p)
	}
	fmt.Fprintf(&b, "Package Groups (%d)\n", len(groups))
	for gi, g := range groups {
		fmt.Fprintf(&b, "Package Group %d id=0x%02x packageCount=%d name=%s\n", gi, g.id, len(g.pkgs), g.pkgs[0].Name)
		for pi, p := range g.pkgs {
			fmt.Fprintf(&b, "  Package %d id=0x%02x name=%s\n", pi, p.ID, p.Name)
			for _, ty := range p.Types {
				if ty.EntryCount == 0 {
					continue // ResTable drops empty type specs
				}
				fmt.Fprintf(&b, "    type %d configCount=%d entryCount=%d\n", int(ty.ID)-1, len(ty.Configs), ty.EntryCount)
				for i := range ty.EntryCount {
					id := p.ID<<24 | uint32(ty.ID)<<16 | i
					name, ok := t.ResourceName(id)
					if !ok {
						fmt.Fprintf(&b, "      INVALID TYPE CONFIG FOR RESOURCE 0x%08x\n", id)
						continue
					}
					var flags uint32
					if int(i) < len(ty.SpecFlags) {
						flags = ty.SpecFlags[i]
					}
					fmt.Fprintf(&b, "      spec resource 0x%08x %s: flags=0x%08x\n", id, name, flags)
				}
				for _, tc := range ty.Configs {
					cs := tc.Config.String()
					if cs == "" {
						cs = "(default)"
					}
					if tc.Flags&0x01 != 0 {
						cs += " flags=0x01 [sparse]" // ResTable_type::FLAG_SPARSE
					}
					fmt.Fprintf(&b, "      config %s:\n", cs)
					for e, err := range tc.All() {
						if err != nil {
							fmt.Fprintf(&b, "        ERROR %v\n", err)
							continue
						}
						name, _ := t.ResourceName(e.ID)
						fmt.Fprintf(&b, "        resource 0x%08x %s: ", e.ID, name)
						if e.Complex {
							b.WriteString("<bag>")
						} else {
							fmt.Fprintf(&b, "t=0x%02x d=0x%08x (s=0x%04x r=0x%02x)", e.Value.Type, e.Value.Data, e.Value.Size, e.Value.Res0)
						}
						if e.Flags&arsc.FlagPublic != 0 {
							b.WriteString(" (PUBLIC)")
						}
						b.WriteString("\n")
						if !e.Complex {
							fmt.Fprintf(&b, "          %s\n", printValue(t, e.Value))
							continue
						}
						resolved := e.Parent
						if resolved != 0 && resolved>>24 == 0 {
							resolved |= p.ID << 24
						}
						fmt.Fprintf(&b, "          Parent=0x%08x(Resolved=0x%08x), Count=%d\n", e.Parent, resolved, len(e.Bag))
						for k, it := range e.Bag {
							fmt.Fprintf(&b, "          #%d (Key=0x%08x): %s\n", k, it.Name, printValue(t, it.Value))
						}
					}
				}
			}
		}
	}
	return b.String()
}

// aaptCannotOpen lists corpus APKs whose archive Android's libziparchive
// (and so aapt) refuses to open, with the message it gives; for these aapt
// prints an empty table and there is nothing to compare against.
var aaptCannotOpen = map[string]string{
	"signing/apksig/v1-only-with-nul-in-entry-name.apk":                     "Invalid entry name",
	"signing/apksig/v3-only-with-rsa-pkcs1-sha512-8192-digest-mismatch.apk": "lfh name did not match central directory",
}

// unreadableArchives lists corpus APKs whose central directory is damaged:
// both archive/zip and aapt's libziparchive refuse them (aapt's message is
// given), so no table can be extracted.
var unreadableArchives = map[string]string{
	"signing/apksig/v1v2v3-with-rsa-2048-lineage-3-signers-invalid-zip.apk": "Invalid offset",
	"signing/apksig/v2-only-truncated-cd.apk":                               "Invalid offset",
}

// TestParityWithAapt renders every corpus table the way
// `aapt dump --values resources` does and requires the output to be
// identical, line for line: package groups, type headers, every spec
// line (resource ID, name, spec flags), every configuration's qualifier
// string, every entry (type, data, size, flags) and every value, bag
// parent and bag item, strings escaped as aapt escapes them.
func TestParityWithAapt(t *testing.T) {
	var files, resources, entries, stringsSame, stringsAll, noTable, lines int
	for _, apk := range corpus.APKs(t) {
		name := corpus.Name(apk)
		data, ok, err := readTable(apk)
		if reason, known := unreadableArchives[name]; known {
			out := corpus.Tool(t, "aapt", "dump", "--values", "resources", apk)
			if err == nil || !bytes.Contains(out.Stderr, []byte(reason)) {
				t.Errorf("%s: listed as an unreadable archive, but archive/zip says %v and aapt says %q", name, err, out.Stderr)
			}
			t.Logf("%s: not compared: archive unreadable (archive/zip: %v; aapt: %s)", name, err, reason)
			continue
		}
		if err != nil {
			t.Errorf("%s: archive/zip cannot read the table: %v", name, err)
			continue
		}
		if !ok {
			noTable++
			continue
		}
		tab, err := arsc.Parse(data, arsc.Limits{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got := renderAapt(tab)
		out := corpus.Tool(t, "aapt", "dump", "--values", "resources", apk)
		if reason, known := aaptCannotOpen[name]; known {
			if !bytes.Contains(out.Stderr, []byte(reason)) || !strings.HasPrefix(string(out.Stdout), "Package Groups (0)") {
				t.Errorf("%s: listed as unreadable by aapt (%s) but aapt printed:\n%s%s", name, reason, out.Stderr, out.Stdout)
			}
			if len(tab.Packages) == 0 {
				t.Errorf("%s: aapt cannot open the archive, but the table itself should parse", name)
			}
			t.Logf("%s: not compared: aapt cannot open the archive (%s)", name, reason)
			continue
		}
		if out.ExitCode != 0 {
			t.Errorf("%s: aapt failed (exit %d): %s", name, out.ExitCode, out.Stderr)
			continue
		}
		files++
		if len(tab.Warnings) > 0 {
			t.Errorf("%s: aapt reads the table cleanly but Parse warns: %v", name, tab.Warnings)
		}
		gl, wl := strings.Split(got, "\n"), strings.Split(string(out.Stdout), "\n")
		reported := false
		for i, w := range wl {
			trimmed := strings.TrimLeft(w, " ")
			isString := strings.Contains(w, "(string8) ") || strings.Contains(w, "(string16) ")
			switch {
			case strings.HasPrefix(trimmed, "spec resource ") || strings.HasPrefix(trimmed, "INVALID TYPE CONFIG"):
				resources++
			case strings.HasPrefix(trimmed, "resource "):
				entries++
			}
			if isString {
				stringsAll++
			}
			if i < len(gl) && gl[i] == w {
				lines++
				if isString {
					stringsSame++
				}
				continue
			}
			if !reported {
				g := "<missing>"
				if i < len(gl) {
					g = gl[i]
				}
				t.Errorf("%s: line %d differs:\n got %q\nwant %q", name, i+1, g, w)
				reported = true
			}
		}
		if len(gl) != len(wl) && !reported {
			t.Errorf("%s: %d lines, aapt printed %d", name, len(gl), len(wl))
		}
	}
	t.Logf("%d APKs without resources.arsc", noTable)
	t.Logf("%d lines identical, %d entries, %d of %d string values identical", lines, entries, stringsSame, stringsAll)
	t.Logf("arsc parity: %d files, %d resources, %d string values identical", files, resources, stringsSame)
	if files < 100 || stringsSame == 0 {
		t.Errorf("compared too little: %d files, %d strings", files, stringsSame)
	}
}
