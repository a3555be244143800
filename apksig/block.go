package apksig

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// IDs of the ID-value pairs found in APK Signing Blocks.
const (
	BlockIDV2           uint32 = 0x7109871a // APK Signature Scheme v2
	BlockIDV3           uint32 = 0xf05368c0 // APK Signature Scheme v3
	BlockIDV31          uint32 = 0x1b93ad61 // APK Signature Scheme v3.1 (rotation targeting newer SDKs)
	BlockIDV32          uint32 = 0x70e1c89f // APK Signature Scheme v3.2 (seen in newer platform sources)
	BlockIDVerityPad    uint32 = 0x42726577 // zero padding so the block is 4096-aligned for verity
	BlockIDSourceStamp1 uint32 = 0x2b09189e // source stamp, first version
	BlockIDSourceStamp2 uint32 = 0x6dff800d // source stamp v2 (stamp certificate of the build tool)
	BlockIDFrosting     uint32 = 0x2146444e // Google Play metadata ("frosting")
	BlockIDDependencies uint32 = 0x504b4453 // dependency metadata written by the Android Gradle plugin, encrypted for Google Play
	BlockIDWalle        uint32 = 0x71777777 // Meituan Walle channel metadata
	BlockIDVasDolly     uint32 = 0x881155ff // Tencent VasDolly channel metadata
)

var blockNames = map[uint32]string{
	BlockIDV2:           "APK Signature Scheme v2",
	BlockIDV3:           "APK Signature Scheme v3",
	BlockIDV31:          "APK Signature Scheme v3.1",
	BlockIDV32:          "APK Signature Scheme v3.2",
	BlockIDVerityPad:    "verity padding",
	BlockIDSourceStamp1: "source stamp v1",
	BlockIDSourceStamp2: "source stamp v2",
	BlockIDFrosting:     "Google Play frosting",
	BlockIDDependencies: "dependency info (Android Gradle plugin)",
	BlockIDWalle:        "Walle channel info",
	BlockIDVasDolly:     "VasDolly channel info",
}

// BlockName names a signing block pair ID, or returns its hex form for IDs
// this package does not know.
func BlockName(id uint32) string {
	if n, ok := blockNames[id]; ok {
		return n
	}
	return fmt.Sprintf("unknown block 0x%08x", id)
}

// SigningBlockMagic ends every APK Signing Block.
const SigningBlockMagic = "APK Sig Block 42"

// Smallest possible block: size, no pairs, size again, magic.
const minBlockSize = 8 + 8 + 16

// Pair is one ID-value pair of the APK Signing Block.
type Pair struct {
	ID    uint32
	Value []byte // aliases the block passed to ParseSigningBlock
	// Offset is where the pair's 8-byte length field starts, relative to
	// the start of the block.
	Offset int64
}

// ParseSigningBlock parses a whole APK Signing Block (from its leading
// size field to its trailing magic) using DefaultLimits.
func ParseSigningBlock(block []byte) ([]Pair, error) {
	return DefaultLimits().ParseSigningBlock(block)
}

// ParseSigningBlock parses a whole APK Signing Block. On a malformed pair it
// returns the pairs read so far together with the error.
func (l Limits) ParseSigningBlock(block []byte) ([]Pair, error) {
	l = l.withDefaults()
	if len(block) < minBlockSize {
		return nil, formatErr(0, nil, "signing block of %d bytes is shorter than the minimum %d", len(block), minBlockSize)
	}
	if !bytes.Equal(block[len(block)-16:], []byte(SigningBlockMagic)) {
		return nil, formatErr(int64(len(block)-16), nil, "bad signing block magic %q", block[len(block)-16:])
	}
	head := binary.LittleEndian.Uint64(block)
	foot := binary.LittleEndian.Uint64(block[len(block)-24:])
	if head != foot {
		return nil, formatErr(0, nil, "signing block size fields differ: header %d, footer %d", head, foot)
	}
	// Both size fields count everything after the leading one.
	if head != uint64(len(block)-8) {
		return nil, formatErr(0, nil, "signing block size %d does not match the %d bytes present", head, len(block)-8)
	}
	r := newReader(block[8:len(block)-24], 8)
	var pairs []Pair
	for r.remaining() > 0 {
		if len(pairs) >= l.MaxPairs {
			return pairs, limitErr(r.off(), "pairs in signing block", "MaxPairs", int64(l.MaxPairs))
		}
		start := r.off()
		n, err := r.u64("pair length")
		if err != nil {
			return pairs, err
		}
		if n < 4 {
			return pairs, formatErr(start, nil, "pair length %d is too short to hold an ID", n)
		}
		if n > uint64(r.remaining()) {
			return pairs, formatErr(start, nil, "pair length %d exceeds the %d bytes remaining", n, r.remaining())
		}
		id := binary.LittleEndian.Uint32(r.buf[r.pos:])
		val := r.buf[r.pos+4 : r.pos+int(n)]
		r.pos += int(n)
		pairs = append(pairs, Pair{ID: id, Value: val, Offset: start})
	}
	return pairs, nil
}
