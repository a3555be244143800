package app

import (
	"archive/zip"
	"bytes"
	"os"
	"testing"

	"appxray/internal/corpus"
)

func TestSniff(t *testing.T) {
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("classes.dex")
	w.Write([]byte("dex\n035\x00"))
	zw.Close()
	zipHead := zbuf.Bytes()[:SniffLen]
	tests := []struct {
		name string
		head []byte
		want PayloadKind
	}{
		{"zip", zipHead, PayloadZIP},
		{"dex", []byte("dex\n035\x00" + string(make([]byte, 56))), PayloadDEX},
		{"dex 041", []byte("dex\n041\x00"), PayloadDEX},
		{"elf", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 20)...), PayloadELF},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), PayloadNone},
		{"magic alone", []byte("PK\x03\x04"), PayloadNone},
		{"dex without version", []byte("dex\nabc\x00"), PayloadNone},
		{"text", []byte("dex\nhello, this is not a dex file at all"), PayloadNone},
		{"empty", nil, PayloadNone},
	}
	for _, tt := range tests {
		if got := Sniff(tt.head); got != tt.want {
			t.Errorf("%s: Sniff = %q, want %q", tt.name, got, tt.want)
		}
	}
	for _, c := range []XORCipher{{0x37, 0}, {0x01, 0}, {0xff, 0}, {0, 1}, {0x20, 1}} {
		enc := bytes.Clone(zipHead)
		c.Decode(enc, 0)
		got, kind, ok := SniffXOR(enc)
		if !ok || got != c || kind != PayloadZIP {
			t.Errorf("%v: SniffXOR = %v %q %v", c, got, kind, ok)
		}
		c.Decode(enc, 0)
		if !bytes.Equal(enc, zipHead) {
			t.Errorf("%v: decoding twice is not the plain text", c)
		}
	}
	// Decoding from an offset continues the key stream.
	c := XORCipher{Key: 5, Step: 1}
	whole := bytes.Clone(zipHead)
	c.Decode(whole, 0)
	tail := bytes.Clone(zipHead[10:])
	c.Decode(tail, 10)
	if !bytes.Equal(tail, whole[10:]) {
		t.Error("Decode at an offset does not continue the key stream")
	}
	if _, _, ok := SniffXOR(zipHead); ok {
		t.Error("a plain ZIP reported as XOR-encoded")
	}
	if _, _, ok := SniffXOR([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")); ok {
		t.Error("a JPEG reported as a payload")
	}
}

// xHelper's dropper carries its second stage as assets/firehelper.jar,
// XORed with 0x37: the content, not the name, says it is a JAR.
func TestSniffXHelper(t *testing.T) {
	p := corpus.File(t, "../shared/corpus-dev/xHelper/69344c280d9c6efe22758c2e008920f0823f5bacef27e9c4eb3eab28117d927d.apk")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "assets/firehelper.jar" {
			continue
		}
		r, _ := f.Open()
		head := make([]byte, SniffLen)
		n, _ := r.Read(head)
		r.Close()
		if Sniff(head[:n]) != PayloadNone {
			t.Fatal("the payload is not encrypted after all")
		}
		c, kind, ok := SniffXOR(head[:n])
		if !ok || c != (XORCipher{Key: 0x37}) || kind != PayloadZIP {
			t.Errorf("SniffXOR = %v %q %v, want 0x37 zip", c, kind, ok)
		}
		return
	}
	t.Fatal("no assets/firehelper.jar")
}
