package app

import (
	"bytes"
	"encoding/binary"
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

// SniffXOR finds the single-byte XOR key under which head is a payload, as
// droppers hide their second stage (xHelper's assets/firehelper.jar is a
// JAR XORed with 0x37). Decoding a byte-wise XOR is reading the file, not
// running it. It returns the key and the kind, or ok false; key 0 (the
// plain file) is Sniff's case and is not reported here.
func SniffXOR(head []byte) (key byte, kind PayloadKind, ok bool) {
	if len(head) == 0 {
		return 0, PayloadNone, false
	}
	buf := make([]byte, min(len(head), SniffLen))
	for _, magic := range []byte{'P', 'd', 0x7f} {
		k := head[0] ^ magic
		if k == 0 {
			continue
		}
		for i := range buf {
			buf[i] = head[i] ^ k
		}
		if kind := Sniff(buf); kind != PayloadNone {
			return k, kind, true
		}
	}
	return 0, PayloadNone, false
}

// XOR decodes data in place with a single-byte key.
func XOR(data []byte, key byte) {
	for i := range data {
		data[i] ^= key
	}
}
