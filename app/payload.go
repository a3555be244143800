package app

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// PayloadKind is what an entry is by its content, whatever its name says.
type PayloadKind string

// Payload kinds an app may carry inside itself.
const (
	PayloadNone PayloadKind = ""
	PayloadZIP  PayloadKind = "zip" // an APK, JAR or other ZIP archive
	PayloadDEX  PayloadKind = "dex"
	PayloadELF  PayloadKind = "elf"
)

// SniffLen is how many leading bytes Sniff and SniffXOR look at.
const SniffLen = 64

// Sniff tells a payload by its first bytes: a ZIP local file header, a DEX
// header ("dex\n" and a three-digit version), or an ELF header. A name
// ("a33.jpg", "data.db") says nothing: Android's loaders read content.
func Sniff(head []byte) PayloadKind {
	switch {
	case len(head) >= 30 && bytes.HasPrefix(head, []byte("PK\x03\x04")) && zipHeaderSane(head):
		return PayloadZIP
	case len(head) >= 8 && bytes.HasPrefix(head, []byte("dex\n")) && isDigit(head[4]) && isDigit(head[5]) && isDigit(head[6]) && head[7] == 0:
		return PayloadDEX
	case len(head) >= 20 && bytes.HasPrefix(head, []byte("\x7fELF")) && (head[4] == 1 || head[4] == 2) && (head[5] == 1 || head[5] == 2):
		return PayloadELF
	}
	return PayloadNone
}

// zipHeaderSane checks the fields of a local file header that a real
// archive keeps in range, so that four bytes alone never make a ZIP.
func zipHeaderSane(h []byte) bool {
	version := binary.LittleEndian.Uint16(h[4:])
	nameLen := binary.LittleEndian.Uint16(h[26:])
	return version <= 0x3f && nameLen > 0 && nameLen <= 4096
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// XORCipher is a byte-wise XOR as droppers hide their second stage with:
// byte i is XORed with Key + i*Step (mod 256). Step 0 is a single-byte key
// (xHelper's assets/firehelper.jar, key 0x37); step 1 a key that counts
// up with the offset (xHelper's assets/xhelperdata.jar). Decoding it is
// reading the file, not running it.
type XORCipher struct {
	Key, Step byte
}

// String describes the cipher for a reader.
func (c XORCipher) String() string {
	if c.Step == 0 {
		return fmt.Sprintf("XOR with the byte 0x%02x", c.Key)
	}
	return fmt.Sprintf("XOR with 0x%02x plus %d times each byte's offset", c.Key, c.Step)
}

// Decode undoes the cipher in place on data that starts at offset off of
// the payload.
func (c XORCipher) Decode(data []byte, off int64) {
	if c == (XORCipher{}) {
		return // the plain file: nothing to undo
	}
	k := c.Key + byte(off)*c.Step
	for i := range data {
		data[i] ^= k
		k += c.Step
	}
}

// SniffXOR finds the XOR cipher under which head is a payload. It returns
// ok false when there is none; the plain file (key 0, step 0) is Sniff's
// case and is not reported here.
func SniffXOR(head []byte) (c XORCipher, kind PayloadKind, ok bool) {
	if len(head) == 0 {
		return XORCipher{}, PayloadNone, false
	}
	buf := make([]byte, min(len(head), SniffLen))
	for _, step := range []byte{0, 1} {
		for _, magic := range []byte{'P', 'd', 0x7f} {
			c := XORCipher{Key: head[0] ^ magic, Step: step}
			if c == (XORCipher{}) {
				continue
			}
			copy(buf, head)
			c.Decode(buf, 0)
			if kind := Sniff(buf); kind != PayloadNone {
				return c, kind, true
			}
		}
	}
	return XORCipher{}, PayloadNone, false
}
