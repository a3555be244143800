package pbwire_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"appxray/internal/aabtest"
	"appxray/pbres/pbwire"
)

// The oracle: Go's protobuf runtime, whose Consume functions pbwire
// mirrors. Its errors are found by making it fail, not by its error codes.
var (
	oracleFieldNumber = protowireErr(func() int { _, _, n := protowire.ConsumeTag([]byte{0}); return n })
	oracleOverflow    = protowireErr(func() int { _, n := protowire.ConsumeVarint(rep(0xff, 10)); return n })
	oracleReserved    = protowireErr(func() int { return protowire.ConsumeFieldValue(1, 6, nil) })
	oracleEndGroup    = protowireErr(func() int { return protowire.ConsumeFieldValue(1, protowire.EndGroupType, nil) })
	oracleDepth       = protowireErr(func() int {
		return protowire.ConsumeFieldValue(1, protowire.StartGroupType, nested(pbwire.MaxGroupDepth+1))
	})
)

func protowireErr(fail func() int) error {
	n := fail()
	if n >= 0 {
		panic("protowire accepted an input meant to fail")
	}
	return protowire.ParseError(n)
}

// oracleErr is the error protowire gives where pbwire gives err.
func oracleErr(err error) error {
	switch err {
	case nil:
		return nil
	case pbwire.ErrTruncated:
		return io.ErrUnexpectedEOF
	case pbwire.ErrOverlongVarint:
		return oracleOverflow
	case pbwire.ErrFieldNumberZero, pbwire.ErrFieldNumberRange:
		return oracleFieldNumber
	case pbwire.ErrWireType:
		return oracleReserved
	case pbwire.ErrEndGroup:
		return oracleEndGroup
	case pbwire.ErrGroupDepth:
		return oracleDepth
	}
	return err
}

// check compares one pbwire result with protowire's: the same length, or
// the error protowire gives for that length, and the same value.
func check(t *testing.T, what string, in []byte, n int, err error, want int, same bool) {
	t.Helper()
	switch {
	case (err != nil) != (want < 0), err != nil && oracleErr(err) != protowire.ParseError(want):
		t.Fatalf("%s of % .64x: error %v, protowire %v", what, in, err, protowire.ParseError(want))
	case err == nil && n != want:
		t.Fatalf("%s of % .64x: %d bytes, protowire %d", what, in, n, want)
	case err != nil && n != 0:
		t.Fatalf("%s of % .64x: %d bytes with error %v", what, in, n, err)
	case err == nil && !same:
		t.Fatalf("%s of % .64x: value differs from protowire's", what, in)
	}
}

// compareValues reads b as each kind of value with both readers.
func compareValues(t *testing.T, num pbwire.Number, b []byte) {
	t.Helper()
	v, n, err := pbwire.ConsumeVarint(b)
	wv, wn := protowire.ConsumeVarint(b)
	check(t, "varint", b, n, err, wn, v == wv)

	v32, n, err := pbwire.ConsumeFixed32(b)
	wv32, wn := protowire.ConsumeFixed32(b)
	check(t, "fixed32", b, n, err, wn, v32 == wv32)

	v, n, err = pbwire.ConsumeFixed64(b)
	wv, wn = protowire.ConsumeFixed64(b)
	check(t, "fixed64", b, n, err, wn, v == wv)

	s, n, err := pbwire.ConsumeBytes(b)
	ws, wn := protowire.ConsumeBytes(b)
	check(t, "bytes", b, n, err, wn, bytes.Equal(s, ws) && cap(s) == len(s))

	for typ := range pbwire.Type(8) {
		if typ == pbwire.StartGroupType {
			continue // compareGroup does it, where groups are on the wire
		}
		n, err = pbwire.ConsumeFieldValue(num, typ, b)
		wn = protowire.ConsumeFieldValue(protowire.Number(num), protowire.Type(typ), b)
		check(t, "field value of type "+strconv.Itoa(int(typ)), b, n, err, wn, true)
	}
}

// compareGroup reads b as the value of group num with both readers.
func compareGroup(t *testing.T, num pbwire.Number, b []byte) {
	t.Helper()
	g, n, err := pbwire.ConsumeGroup(num, b)
	wg, wn := protowire.ConsumeGroup(protowire.Number(num), b)
	check(t, "group", b, n, err, wn, bytes.Equal(g, wg) && cap(g) == len(g))
	n, err = pbwire.ConsumeFieldValue(num, pbwire.StartGroupType, b)
	wn = protowire.ConsumeFieldValue(protowire.Number(num), protowire.StartGroupType, b)
	check(t, "field value of a group", b, n, err, wn, true)
}

// compareMessage walks b as a message with both readers, field by field,
// comparing every kind of value at each field's value, and walks every
// length-delimited value as a message in its turn, to the given depth.
func compareMessage(t *testing.T, b []byte, depth int) {
	t.Helper()
	for len(b) > 0 {
		num, typ, n, err := pbwire.ConsumeTag(b)
		wnum, wtyp, wn := protowire.ConsumeTag(b)
		check(t, "tag", b, n, err, wn, num == pbwire.Number(wnum) && typ == pbwire.Type(wtyp))
		if err != nil {
			return
		}
		body := b[n:]
		compareValues(t, num, body)
		if typ == pbwire.StartGroupType {
			compareGroup(t, num, body)
		}
		k, err := pbwire.ConsumeFieldValue(num, typ, body)
		if err != nil {
			return
		}
		if typ == pbwire.BytesType && depth > 0 {
			sub, _, _ := pbwire.ConsumeBytes(body)
			compareMessage(t, sub, depth-1)
		}
		b = body[k:]
	}
}

// compare is the whole comparison of an input.
func compare(t *testing.T, data []byte) {
	t.Helper()
	_, _, n, err := pbwire.ConsumeTag(data)
	_, _, wn := protowire.ConsumeTag(data)
	check(t, "tag", data, n, err, wn, true)
	compareValues(t, 1, data)
	compareGroup(t, 1, data)
	compareMessage(t, data, 64)
}

// realFiles are real proto-format files, those pbres's and aab's fuzz
// targets are seeded with: aapt2's proto manifests, XML and resource tables
// from pbres/testdata, the BundleConfig.pb that internal/aabtest puts in
// its bundles, and its proto XML.
func realFiles(t testing.TB) [][]byte {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*.pb"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seeds in ../testdata: %v", err)
	}
	var out [][]byte
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	return append(out,
		aabtest.BundleConfig(),
		aabtest.Element("manifest", 1, [][2]string{{"package", "org.appxray.demo"}, {"split", "feature"}}, aabtest.Element("application", 2, nil)),
	)
}

// edges are hand-made inputs at the edges of the wire format, which real
// files do not reach.
func edges() [][]byte {
	var out [][]byte
	for _, tc := range groupTests {
		if len(tc.in) < 1024 {
			out = append(out, tc.in, cat([]byte{0x0b}, tc.in))
		}
	}
	return append(out,
		cat(rep(0xff, 9), []byte{0x01}),
		cat(rep(0x80, 9), []byte{0x02}),
		uv(tag(1<<31-1, pbwire.Fixed32Type), 1, 2, 3, 4),
		uv(tag(1<<31, pbwire.VarintType), 1),
		[]byte{0x0e, 0x0f, 0x0c},
		[]byte{0x0a, 0x83, 0x00, 0x08, 0x01, 0x10},
	)
}

// maxSeed is the largest seed FuzzWire starts from. A larger one is slow
// to minimize, which stalls the fuzzer for a minute at every input it
// finds interesting; a larger real file is seeded by its embedded
// messages of at most this size.
const maxSeed = 1 << 10

// pieces returns data if it is at most maxSeed bytes long, and otherwise
// its length-delimited values (embedded messages and strings, at any
// depth) of 64 bytes to maxSeed, as protowire reads them.
func pieces(data []byte, out [][]byte) [][]byte {
	if len(data) <= maxSeed {
		return append(out, data)
	}
	for b := data; len(b) > 0; {
		_, typ, n := protowire.ConsumeField(b)
		if n < 0 {
			break
		}
		if typ == protowire.BytesType {
			_, _, k := protowire.ConsumeTag(b)
			if v, _ := protowire.ConsumeBytes(b[k:]); len(v) >= 64 {
				out = pieces(v, out)
			}
		}
		b = b[n:]
	}
	return out
}

// TestMatchesProtowire runs the fuzz comparison on its seeds, and on the
// nesting limit, which the fuzzer would take long to reach.
func TestMatchesProtowire(t *testing.T) {
	for _, data := range append(realFiles(t), edges()...) {
		compare(t, data)
	}
	for _, depth := range []int{pbwire.MaxGroupDepth, pbwire.MaxGroupDepth + 1} {
		compareGroup(t, 1, nested(depth))
		compareMessage(t, cat([]byte{0x0b}, nested(depth)), 0)
	}
}

// FuzzWire reads arbitrary bytes with pbwire and with protowire and
// requires the same results: values, lengths and errors.
func FuzzWire(f *testing.F) {
	var seeds [][]byte
	for _, data := range realFiles(f) {
		seeds = pieces(data, seeds)
	}
	for _, data := range append(seeds, edges()...) {
		f.Add(data)
	}
	f.Fuzz(compare)
}
