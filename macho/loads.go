package macho

import (
	"bytes"
	"debug/macho"
	"fmt"
	"io"
	"strings"
)

var platforms = map[uint32]string{
	1: "macos", 2: "ios", 3: "tvos", 4: "watchos", 5: "bridgeos", 6: "maccatalyst",
	7: "ios-simulator", 8: "tvos-simulator", 9: "watchos-simulator", 10: "driverkit",
	11: "visionos", 12: "visionos-simulator",
}

// version renders a packed X.Y.Z version (xxxx.yy.zz nibbles).
func version(v uint32) string {
	s := fmt.Sprintf("%d.%d", v>>16, (v>>8)&0xff)
	if p := v & 0xff; p != 0 {
		s += fmt.Sprintf(".%d", p)
	}
	return s
}

// cstr returns the NUL-terminated string at off in b, or "" when off is
// outside b.
func cstr(b []byte, off uint32) string {
	if uint64(off) >= uint64(len(b)) {
		return ""
	}
	b = b[off:]
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// readLoads walks the load commands debug/macho kept as raw bytes.
func (s *Slice) readLoads(mf *macho.File, sr *io.SectionReader) {
	bo := mf.ByteOrder
	pos := int64(28)
	if mf.Magic == macho.Magic64 {
		pos = 32
	}
	for _, l := range mf.Loads {
		raw := l.Raw()
		off := s.Offset + pos
		pos += int64(len(raw))
		if len(raw) < 8 {
			continue
		}
		cmd := bo.Uint32(raw)
		u32 := func(i int) uint32 {
			if i+4 > len(raw) {
				return 0
			}
			return bo.Uint32(raw[i:])
		}
		short := func(n int) bool {
			if len(raw) < n {
				s.warn(errorf(off, "load command 0x%x of %d bytes is shorter than its %d", cmd, len(raw), n))
				return true
			}
			return false
		}
		switch cmd {
		case uint32(macho.LoadCmdDylib), lcIDDylib, lcLoadWeakDylib, lcReexportDylib, lcLazyLoadDylib, lcLoadUpwardDylib:
			if short(24) {
				continue
			}
			kind := map[uint32]string{
				uint32(macho.LoadCmdDylib): DylibLoad, lcIDDylib: DylibID, lcLoadWeakDylib: DylibWeak,
				lcReexportDylib: DylibReexport, lcLazyLoadDylib: DylibLazy, lcLoadUpwardDylib: DylibUpward,
			}[cmd]
			s.Dylibs = append(s.Dylibs, Dylib{
				Name:           cstr(raw, u32(8)),
				Kind:           kind,
				CurrentVersion: version(u32(16)),
				CompatVersion:  version(u32(20)),
				Offset:         off,
			})
		case lcRpath:
			if short(12) {
				continue
			}
			s.RPaths = append(s.RPaths, cstr(raw, u32(8)))
		case lcUUID:
			if short(24) {
				continue
			}
			u := raw[8:24]
			s.UUID = strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]))
		case lcBuildVersion:
			if short(24) {
				continue
			}
			s.Platform = platforms[u32(8)]
			if s.Platform == "" {
				s.Platform = fmt.Sprintf("platform%d", u32(8))
			}
			s.MinOS, s.SDK = version(u32(12)), version(u32(16))
		case lcVersionMinIPhoneOS, lcVersionMinMacOSX, lcVersionMinTVOS, lcVersionMinWatchOS:
			if short(16) {
				continue
			}
			if s.Platform == "" { // LC_BUILD_VERSION wins when both are present
				s.Platform = map[uint32]string{lcVersionMinIPhoneOS: "ios", lcVersionMinMacOSX: "macos", lcVersionMinTVOS: "tvos", lcVersionMinWatchOS: "watchos"}[cmd]
				s.MinOS, s.SDK = version(u32(8)), version(u32(12))
			}
		case lcEncryptionInfo, lcEncryptionInfo64:
			if short(20) {
				continue
			}
			s.Encryption = &Encryption{CryptOff: u32(8), CryptSize: u32(12), ID: u32(16), Offset: off}
		case lcCodeSignature:
			if short(16) {
				continue
			}
			s.readSignature(sr, int64(u32(8)), int64(u32(12)))
		}
	}
}

// readSymbols keeps the undefined external symbols and the Swift ones.
func (s *Slice) readSymbols(mf *macho.File) {
	if mf.Symtab == nil {
		return
	}
	const nExt, nTypeMask, nUndf, nStab = 0x01, 0x0e, 0x00, 0xe0
	seen := map[string]bool{}
	kept := 0
	for _, sym := range mf.Symtab.Syms {
		if sym.Type&nStab != 0 || sym.Name == "" {
			continue
		}
		if kept >= s.lim.MaxSymbols {
			s.warn(limitErr(s.Offset, fmt.Sprintf("more than %d symbols", kept), "MaxSymbols", int64(s.lim.MaxSymbols)))
			return
		}
		if sym.Type&nExt != 0 && sym.Type&nTypeMask == nUndf && !seen[sym.Name] {
			seen[sym.Name] = true
			s.Imports = append(s.Imports, sym.Name)
			kept++
		}
		if isSwift(sym.Name) {
			s.SwiftSymbols = append(s.SwiftSymbols, sym.Name)
			kept++
		}
	}
}

func isSwift(name string) bool {
	n := strings.TrimPrefix(name, "_")
	return strings.HasPrefix(n, "$s") || strings.HasPrefix(n, "$S") || strings.HasPrefix(n, "_T0")
}

// ObjCClassRefs returns the Objective-C classes the code references from
// other images: the names of its _OBJC_CLASS_$_ imports.
func (s *Slice) ObjCClassRefs() []string {
	var out []string
	for _, name := range s.Imports {
		if c, ok := strings.CutPrefix(name, "_OBJC_CLASS_$_"); ok {
			out = append(out, c)
		}
	}
	return out
}

// readSections reads the string sections, except where they lie inside a
// FairPlay-encrypted range.
func (s *Slice) readSections(mf *macho.File, sr *io.SectionReader) {
	budget := s.lim.MaxStrings
	for _, sec := range mf.Sections {
		var dst *[]String
		switch {
		case sec.Name == "__objc_classname":
			dst = &s.ObjCClasses
		case sec.Name == "__objc_methname":
			dst = &s.ObjCSelectors
		case sec.Seg == "__TEXT" && (sec.Name == "__cstring" || sec.Name == "__oslogstring"):
			dst = &s.Strings
		default:
			continue
		}
		where := sec.Seg + "," + sec.Name
		if sec.Flags&0xff == 0x1 { // S_ZEROFILL
			continue
		}
		if s.Encryption != nil && s.Encryption.ID != 0 {
			lo, hi := uint64(s.Encryption.CryptOff), uint64(s.Encryption.CryptOff)+uint64(s.Encryption.CryptSize)
			if uint64(sec.Offset) < hi && uint64(sec.Offset)+sec.Size > lo {
				s.warn(errorf(s.Offset+int64(sec.Offset), "%s lies in the FairPlay-encrypted range; not read", where))
				continue
			}
		}
		if int64(sec.Size) > s.lim.MaxSectionBytes || sec.Size > uint64(s.Size) {
			s.warn(limitErr(s.Offset+int64(sec.Offset), fmt.Sprintf("%s of %d bytes", where, sec.Size), "MaxSectionBytes", s.lim.MaxSectionBytes))
			continue
		}
		data := make([]byte, sec.Size)
		if _, err := sr.ReadAt(data, int64(sec.Offset)); err != nil {
			s.warn(&FormatError{Offset: s.Offset + int64(sec.Offset), Msg: "reading " + where, Err: err})
			continue
		}
		start := 0
		for i, c := range data {
			if c != 0 {
				continue
			}
			if i > start {
				if budget == 0 {
					s.warn(limitErr(s.Offset+int64(sec.Offset)+int64(i), "strings", "MaxStrings", int64(s.lim.MaxStrings)))
					return
				}
				budget--
				*dst = append(*dst, String{Value: string(data[start:i]), Offset: s.Offset + int64(sec.Offset) + int64(start), Section: where})
			}
			start = i + 1
		}
	}
}
