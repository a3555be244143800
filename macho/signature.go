package macho

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Code signing blob magics (Security framework's cscdefs.h).
const (
	MagicSuperBlob       = 0xfade0cc0
	MagicCodeDirectory   = 0xfade0c02
	MagicRequirements    = 0xfade0c01
	MagicEntitlements    = 0xfade7171
	MagicEntitlementsDER = 0xfade7172
	MagicBlobWrapper     = 0xfade0b01 // the CMS signature
)

// CodeSignature is the embedded signature's super-blob.
type CodeSignature struct {
	Offset, Size int64 // in the file
	Blobs        []Blob
	// Identifier and TeamID come from the first code directory.
	Identifier string
	TeamID     string
	// Entitlements is the XML property list of the entitlements blob, nil
	// if the signature has none; EntitlementsDER is the DER form newer
	// signatures carry beside it.
	Entitlements    []byte
	EntitlementsDER []byte
	// HasCMS tells whether a CMS signature (not ad hoc) is present.
	HasCMS bool
}

// Blob is one entry of the super-blob's index.
type Blob struct {
	Slot   uint32 // CSSLOT_* type of the index entry
	Magic  uint32
	Offset int64 // in the file
	Length uint32
}

// readSignature parses the super-blob at dataoff (relative to the slice).
func (s *Slice) readSignature(sr *io.SectionReader, dataoff, datasize int64) {
	off := s.Offset + dataoff
	if datasize < 12 || dataoff < 0 || dataoff > s.Size || datasize > s.Size-dataoff {
		s.warn(errorf(off, "code signature of %d bytes at %d lies outside the %d-byte slice", datasize, dataoff, s.Size))
		return
	}
	if datasize > s.lim.MaxSignature {
		s.warn(limitErr(off, fmt.Sprintf("code signature of %d bytes", datasize), "MaxSignature", s.lim.MaxSignature))
		return
	}
	b := make([]byte, datasize)
	if _, err := sr.ReadAt(b, dataoff); err != nil {
		s.warn(&FormatError{Offset: off, Msg: "reading the code signature", Err: err})
		return
	}
	sig, err := ParseSignature(b, off)
	if err != nil {
		s.warn(err)
		return
	}
	s.Signature = sig
}

// ParseSignature parses a code signature super-blob held in b, which was
// read at offset base in the file (for offsets in the result and errors).
// Blobs are big-endian.
func ParseSignature(b []byte, base int64) (*CodeSignature, error) {
	be := binary.BigEndian
	if len(b) < 12 {
		return nil, errorf(base, "code signature of %d bytes", len(b))
	}
	if m := be.Uint32(b); m != MagicSuperBlob {
		return nil, errorf(base, "code signature magic 0x%08x is not a super-blob", m)
	}
	length := be.Uint32(b[4:])
	if uint64(length) > uint64(len(b)) || length < 12 {
		return nil, errorf(base+4, "super-blob length %d of %d bytes", length, len(b))
	}
	b = b[:length]
	count := be.Uint32(b[8:])
	if uint64(count) > (uint64(len(b))-12)/8 {
		return nil, errorf(base+8, "super-blob index of %d entries does not fit", count)
	}
	sig := &CodeSignature{Offset: base, Size: int64(length)}
	// The index may list one blob many times (count is bounded only by
	// the signature's size): the code directory is read once, the first
	// one, and the entitlements are copied once, from the last blob of
	// each kind, so that the work stays linear in the signature.
	var ent, entDER []byte
	sawCD := false
	for i := range count {
		e := b[12+8*i:]
		slot, boff := be.Uint32(e), be.Uint32(e[4:])
		if uint64(boff)+8 > uint64(len(b)) {
			return nil, errorf(base+12+8*int64(i), "blob %d at %d lies outside the signature", i, boff)
		}
		blob := b[boff:]
		magic, blen := be.Uint32(blob), be.Uint32(blob[4:])
		if blen < 8 || uint64(blen) > uint64(len(blob)) {
			return nil, errorf(base+int64(boff), "blob 0x%08x of %d bytes does not fit", magic, blen)
		}
		blob = blob[:blen]
		sig.Blobs = append(sig.Blobs, Blob{Slot: slot, Magic: magic, Offset: base + int64(boff), Length: blen})
		switch magic {
		case MagicCodeDirectory:
			if !sawCD {
				sawCD = true
				sig.Identifier, sig.TeamID = codeDirectory(blob)
			}
		case MagicEntitlements:
			ent = blob[8:]
		case MagicEntitlementsDER:
			entDER = blob[8:]
		case MagicBlobWrapper:
			sig.HasCMS = blen > 8
		}
	}
	if ent != nil {
		sig.Entitlements = append([]byte(nil), ent...)
	}
	if entDER != nil {
		sig.EntitlementsDER = append([]byte(nil), entDER...)
	}
	return sig, nil
}

// codeDirectory reads the identifier and, from version 0x20200 on, the
// team ID of a CS_CodeDirectory.
func codeDirectory(b []byte) (ident, team string) {
	be := binary.BigEndian
	if len(b) < 24 {
		return "", ""
	}
	ver := be.Uint32(b[8:])
	ident = cstr(b, be.Uint32(b[20:]))
	if ver >= 0x20200 && len(b) >= 52 {
		if t := be.Uint32(b[48:]); t != 0 {
			team = cstr(b, t)
		}
	}
	return ident, team
}
