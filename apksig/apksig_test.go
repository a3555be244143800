package apksig

import (
	"bytes"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// makeBlock assembles an APK Signing Block from pairs.
func makeBlock(pairs ...Pair) []byte {
	var body []byte
	for _, p := range pairs {
		body = binary.LittleEndian.AppendUint64(body, uint64(4+len(p.Value)))
		body = binary.LittleEndian.AppendUint32(body, p.ID)
		body = append(body, p.Value...)
	}
	size := uint64(len(body) + 8 + 16)
	out := binary.LittleEndian.AppendUint64(nil, size)
	out = append(out, body...)
	out = binary.LittleEndian.AppendUint64(out, size)
	return append(out, SigningBlockMagic...)
}

func TestParseSigningBlock(t *testing.T) {
	good := makeBlock(Pair{ID: BlockIDV2, Value: []byte{1, 2, 3}}, Pair{ID: BlockIDVerityPad, Value: make([]byte, 5)})
	pairs, err := ParseSigningBlock(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 2 || pairs[0].ID != BlockIDV2 || !bytes.Equal(pairs[0].Value, []byte{1, 2, 3}) ||
		pairs[0].Offset != 8 || pairs[1].Offset != 8+12+3 || len(pairs[1].Value) != 5 {
		t.Fatalf("pairs = %+v", pairs)
	}

	badMagic := append([]byte(nil), good...)
	badMagic[len(badMagic)-1] = 'X'
	sizeMismatch := append([]byte(nil), good...)
	binary.LittleEndian.PutUint64(sizeMismatch, 7)
	shortPair := makeBlock()
	shortPair = append(append(append([]byte(nil), shortPair[:8]...), binary.LittleEndian.AppendUint64(nil, 2)...), shortPair[8:]...)
	fixSizes(shortPair)
	overrun := makeBlock()
	overrun = append(append(append([]byte(nil), overrun[:8]...), binary.LittleEndian.AppendUint64(nil, 100)...), overrun[8:]...)
	fixSizes(overrun)
	for _, tc := range []struct {
		name    string
		block   []byte
		offset  int64
		message string
	}{
		{"too short", []byte("APK Sig Block 42"), 0, "shorter than the minimum"},
		{"bad magic", badMagic, int64(len(good) - 16), "bad signing block magic"},
		{"size fields differ", sizeMismatch, 0, "size fields differ"},
		{"pair too short for ID", shortPair, 8, "too short to hold an ID"},
		{"pair overruns block", overrun, 8, "exceeds the 0 bytes remaining"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSigningBlock(tc.block)
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want *FormatError", err)
			}
			if fe.Offset != tc.offset || !strings.Contains(fe.Msg, tc.message) {
				t.Fatalf("err = %v, want %q at offset 0x%x", err, tc.message, tc.offset)
			}
			if !strings.HasPrefix(err.Error(), "apksig: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
		})
	}
}

// fixSizes rewrites both size fields of a hand-built block.
func fixSizes(b []byte) {
	n := uint64(len(b) - 8)
	binary.LittleEndian.PutUint64(b, n)
	binary.LittleEndian.PutUint64(b[len(b)-24:], n)
}

func TestParseSigningBlockLimits(t *testing.T) {
	var pairs []Pair
	for range 5 {
		pairs = append(pairs, Pair{ID: 1})
	}
	got, err := Limits{MaxPairs: 3}.ParseSigningBlock(makeBlock(pairs...))
	if err == nil || len(got) != 3 {
		t.Fatalf("got %d pairs, err %v; want 3 and a limit error", len(got), err)
	}
}

func TestLineageBlock(t *testing.T) {
	pairs, err := ParseSigningBlock(readTestdata(t, "v2v3-lineage.block"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var v2, v3 []*Signer
	for _, p := range pairs {
		ids = append(ids, BlockName(p.ID))
		switch p.ID {
		case BlockIDV2:
			if v2, err = ParseV2(p.Value); err != nil {
				t.Fatal(err)
			}
		case BlockIDV3:
			if v3, err = ParseV3(p.Value, SchemeV3); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := strings.Join(ids, ","); got != "APK Signature Scheme v2,APK Signature Scheme v3,verity padding" {
		t.Errorf("blocks = %s", got)
	}
	if len(v2) != 1 || len(v3) != 1 {
		t.Fatalf("signers: v2 %d, v3 %d", len(v2), len(v3))
	}
	s := v3[0]
	if !s.Verified || len(s.Problems) != 0 {
		t.Fatalf("v3 signer not verified: %q", s.Problems)
	}
	if s.Certificates[0].Subject != "CN=rsa-2048_2" || s.Certificates[0].WellKnownKey != "apksig test key (CN=rsa-2048_2)" {
		t.Errorf("signing cert %q (%q)", s.Certificates[0].Subject, s.Certificates[0].WellKnownKey)
	}
	if len(s.Lineage) != 2 || s.Lineage[0].Certificate.Subject != "CN=rsa-2048" || s.Lineage[1].Certificate.Subject != "CN=rsa-2048_2" {
		t.Errorf("lineage = %+v", s.Lineage)
	}
	if s.MinSDK != 24 || s.MaxSDK != 0x7fffffff {
		t.Errorf("SDK range %d-%d, want 24-2147483647", s.MinSDK, s.MaxSDK)
	}
	if got := v2[0].ClaimedSchemes; len(got) != 1 || got[0] != SchemeV3 {
		t.Errorf("v2 stripping protection = %v, want [v3]", got)
	}
}

// TestTamperedSignedData flips one byte at a time across a v2 block and
// checks that every change to the signed part is caught.
func TestTamperedSignedData(t *testing.T) {
	pairs, err := ParseSigningBlock(readTestdata(t, "v2-ecdsa.block"))
	if err != nil || len(pairs) == 0 || pairs[0].ID != BlockIDV2 {
		t.Fatalf("pairs %v, err %v", pairs, err)
	}
	orig := pairs[0].Value
	signers, err := ParseV2(orig)
	if err != nil || len(signers) != 1 || !signers[0].Verified {
		t.Fatalf("untampered block: %v %+v", err, signers)
	}
	// The signed data starts after the signer sequence length (4), the
	// signer length (4) and the signed data length (4).
	sdLen := int(binary.LittleEndian.Uint32(orig[8:]))
	caught := 0
	for i := 12; i < 12+sdLen; i += 7 {
		v := append([]byte(nil), orig...)
		v[i] ^= 0x01
		s, _ := ParseV2(v)
		if len(s) == 1 && s[0].Verified {
			t.Errorf("flipping byte %d of signed data went unnoticed", i)
			continue
		}
		caught++
	}
	t.Logf("%d tamperings caught", caught)
}

func TestV3DSA(t *testing.T) {
	pairs, err := ParseSigningBlock(readTestdata(t, "v3-dsa.block"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pairs {
		if p.ID != BlockIDV3 {
			continue
		}
		s, err := ParseV3(p.Value, SchemeV3)
		if err != nil || len(s) != 1 || !s[0].Verified {
			t.Fatalf("err %v signers %+v", err, s)
		}
		c := s[0].Certificates[0]
		if c.KeyAlgorithm != "DSA" || c.KeySize != 1024 || s[0].SignatureAlgorithms[0] != "DSA_WITH_SHA256" {
			t.Errorf("got %s %d %v", c.KeyAlgorithm, c.KeySize, s[0].SignatureAlgorithms)
		}
		return
	}
	t.Fatal("no v3 block")
}

func v1Testdata(t testing.TB) map[string][]byte {
	return map[string][]byte{
		"META-INF/MANIFEST.MF": readTestdata(t, "v1-ec-MANIFEST.MF"),
		"META-INF/CERT.SF":     readTestdata(t, "v1-ec-CERT.SF"),
		"META-INF/CERT.EC":     readTestdata(t, "v1-ec-CERT.EC"),
	}
}

func TestParseV1(t *testing.T) {
	signers, err := ParseV1(v1Testdata(t))
	if err != nil || len(signers) != 1 {
		t.Fatalf("err %v, %d signers", err, len(signers))
	}
	s := signers[0]
	if !s.Verified || s.Certificates[0].Subject != "CN=ec-p256" || s.SignatureAlgorithms[0] != "SHA256withEC" {
		t.Fatalf("signer %+v", s)
	}

	for _, tc := range []struct {
		name   string
		change func(map[string][]byte)
		want   string
	}{
		{"manifest entry renamed", func(f map[string][]byte) {
			f["META-INF/MANIFEST.MF"] = bytes.Replace(f["META-INF/MANIFEST.MF"], []byte("classes.dex"), []byte("classes.dey"), 1)
		}, `entry "classes.dex" not in META-INF/MANIFEST.MF`},
		{"manifest digest edited", func(f map[string][]byte) {
			f["META-INF/MANIFEST.MF"] = bytes.Replace(f["META-INF/MANIFEST.MF"], []byte("Digest: "), []byte("Digest: A"), 1)
		}, "section for \"AndroidManifest.xml\" does not match"},
		{"signature file edited", func(f map[string][]byte) {
			f["META-INF/CERT.SF"] = append([]byte(nil), f["META-INF/CERT.SF"]...)
			f["META-INF/CERT.SF"][len(f["META-INF/CERT.SF"])-5] ^= 1
		}, "did not verify"},
		{"manifest missing", func(f map[string][]byte) { delete(f, "META-INF/MANIFEST.MF") }, "missing META-INF/MANIFEST.MF"},
		{"signature block truncated", func(f map[string][]byte) {
			f["META-INF/CERT.EC"] = f["META-INF/CERT.EC"][:100]
		}, "META-INF/CERT.EC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := v1Testdata(t)
			tc.change(files)
			signers, err := ParseV1(files)
			if err != nil || len(signers) != 1 {
				t.Fatalf("err %v, %d signers", err, len(signers))
			}
			if signers[0].Verified || !strings.Contains(strings.Join(signers[0].Problems, "\n"), tc.want) {
				t.Fatalf("verified=%v problems=%q, want one containing %q", signers[0].Verified, signers[0].Problems, tc.want)
			}
		})
	}

	files := v1Testdata(t)
	delete(files, "META-INF/CERT.SF")
	if s, err := ParseV1(files); err == nil || len(s) != 0 {
		t.Errorf("block without .SF: signers %d, err %v; want none and an error", len(s), err)
	}
}

func TestFormatDN(t *testing.T) {
	type ava struct {
		Type  asn1.ObjectIdentifier
		Value any
	}
	cn := asn1.ObjectIdentifier{2, 5, 4, 3}
	o := asn1.ObjectIdentifier{2, 5, 4, 10}
	c := asn1.ObjectIdentifier{2, 5, 4, 6}
	email := asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
	st := asn1.ObjectIdentifier{2, 5, 4, 8}
	odd := asn1.ObjectIdentifier{1, 2, 3, 4}
	enc := func(rdns ...[]ava) []byte {
		var out []asn1.RawValue
		for _, r := range rdns {
			b, err := asn1.MarshalWithParams(r, "set")
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, asn1.RawValue{FullBytes: b})
		}
		b, err := asn1.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ia5 := func(s string) asn1.RawValue {
		return asn1.RawValue{Tag: asn1.TagIA5String, Bytes: []byte(s)}
	}
	utf8 := func(s string) asn1.RawValue {
		return asn1.RawValue{Tag: asn1.TagUTF8String, Bytes: []byte(s)}
	}
	for _, tc := range []struct {
		name string
		der  []byte
		want string
	}{
		{"debug key", enc([]ava{{c, "US"}}, []ava{{o, "Android"}}, []ava{{cn, "Android Debug"}}), "CN=Android Debug, O=Android, C=US"},
		{"reversed encoding", enc([]ava{{cn, "Android Debug"}}, []ava{{o, "Android"}}, []ava{{c, "US"}}), "C=US, O=Android, CN=Android Debug"},
		{"email and state", enc([]ava{{st, "California"}}, []ava{{email, ia5("android@android.com")}}), "EMAILADDRESS=android@android.com, ST=California"},
		{"comma is quoted", enc([]ava{{o, utf8("Acme, Inc.")}}), `O="Acme, Inc."`},
		{"quote and backslash escaped", enc([]ava{{cn, utf8(`a"b\c`)}}), `CN="a\"b\\c"`},
		{"double space quoted", enc([]ava{{cn, "a  b"}}), `CN="a  b"`},
		{"trailing space quoted", enc([]ava{{cn, "ab "}}), `CN="ab "`},
		{"unicode kept", enc([]ava{{cn, utf8("Zoë")}}), "CN=Zoë"},
		{"unknown OID", enc([]ava{{odd, "x"}}), "OID.1.2.3.4=x"},
		{"non-string value as hex", enc([]ava{{odd, 5}}), "OID.1.2.3.4=#020105"},
		{"multi-valued RDN", enc([]ava{{cn, "a"}, {o, "b"}}), "CN=a + O=b"},
		{"empty name", enc(), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := formatDN(tc.der)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBERToDER(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in, out []byte
	}{
		{"long form with leading zero", []byte{0x04, 0x82, 0x00, 0x01, 0xaa}, []byte{0x04, 0x01, 0xaa}},
		{"indefinite constructed", []byte{0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00}, []byte{0x30, 0x03, 0x02, 0x01, 0x05}},
		{"nested", []byte{0x30, 0x81, 0x05, 0x30, 0x81, 0x02, 0x05, 0x00}, []byte{0x30, 0x04, 0x30, 0x02, 0x05, 0x00}},
		{"already DER", []byte{0x02, 0x01, 0x01}, []byte{0x02, 0x01, 0x01}},
	} {
		got, err := berToDER(tc.in)
		if err != nil || !bytes.Equal(got, tc.out) {
			t.Errorf("%s: got % x, %v; want % x", tc.name, got, err, tc.out)
		}
	}
	for _, bad := range [][]byte{
		{0x30},
		{0x04, 0x80, 0x00, 0x00},              // indefinite primitive
		{0x30, 0x80, 0x02, 0x01, 0x05},        // no end-of-contents
		{0x04, 0x84, 0xff, 0xff, 0xff, 0xff},  // length past the end
		{0x02, 0x01, 0x01, 0x00},              // trailing byte
		bytes.Repeat([]byte{0x30, 0x80}, 100), // too deep
	} {
		if _, err := berToDER(bad); err == nil {
			t.Errorf("berToDER(% x) succeeded", bad)
		}
	}
}

func TestSchemeString(t *testing.T) {
	for s, want := range map[Scheme]string{SchemeV1: "v1", SchemeV2: "v2", SchemeV3: "v3", SchemeV31: "v3.1", 7: "Scheme(7)"} {
		if s.String() != want {
			t.Errorf("%d: %q, want %q", int(s), s.String(), want)
		}
	}
}

func TestBlockName(t *testing.T) {
	if BlockName(BlockIDV31) != "APK Signature Scheme v3.1" || BlockName(BlockIDFrosting) != "Google Play frosting" ||
		BlockName(0x12345678) != "unknown block 0x12345678" {
		t.Error("block names wrong")
	}
}

func TestStrippingDetected(t *testing.T) {
	res := &Result{Schemes: []Scheme{SchemeV1}, Signers: []*Signer{{Scheme: SchemeV1, Verified: true, ClaimedSchemes: []Scheme{SchemeV2}}}}
	checkStripping(res)
	if res.Signers[0].Verified || !strings.Contains(strings.Join(res.Signers[0].Problems, ""), "stripped") {
		t.Errorf("stripped v2 not reported: %+v", res.Signers[0])
	}
	res = &Result{Schemes: []Scheme{SchemeV1, SchemeV2}, Signers: []*Signer{{Scheme: SchemeV1, Verified: true, ClaimedSchemes: []Scheme{SchemeV2}}}}
	checkStripping(res)
	if !res.Signers[0].Verified {
		t.Errorf("present v2 reported as stripped: %q", res.Signers[0].Problems)
	}
}

func TestProblemCap(t *testing.T) {
	s := &Signer{}
	for range 100 {
		s.problem("x")
	}
	if len(s.Problems) != maxProblems+1 || s.Problems[maxProblems] != "further problems omitted" {
		t.Errorf("%d problems kept", len(s.Problems))
	}
}

// TestV31 reuses a real v3 signer value under the v3.1 ID: the signer
// format is the same, only the block ID and the rotation rules differ.
func TestV31(t *testing.T) {
	pairs, err := ParseSigningBlock(readTestdata(t, "v2v3-lineage.block"))
	if err != nil {
		t.Fatal(err)
	}
	var v3 []byte
	for _, p := range pairs {
		if p.ID == BlockIDV3 {
			v3 = p.Value
		}
	}
	s, err := ParseV3(v3, SchemeV31)
	if err != nil || len(s) != 1 || !s[0].Verified || s[0].Scheme != SchemeV31 {
		t.Fatalf("v3.1: err %v signers %+v", err, s)
	}
	if _, err := ParseV3(v3, SchemeV2); err == nil {
		t.Error("ParseV3 accepted scheme v2")
	}

	v3Signer := &Signer{Scheme: SchemeV3, Verified: true, RotationMinSDK: 33}
	res := &Result{Schemes: []Scheme{SchemeV3}, Signers: []*Signer{v3Signer}}
	checkStripping(res)
	if v3Signer.Verified {
		t.Error("missing v3.1 block not reported")
	}
	v3Signer = &Signer{Scheme: SchemeV3, Verified: true, RotationMinSDK: 33}
	res = &Result{Schemes: []Scheme{SchemeV3, SchemeV31}, Signers: []*Signer{v3Signer, {Scheme: SchemeV31, MinSDK: 33, Verified: true}}}
	checkStripping(res)
	if !v3Signer.Verified || len(res.Problems) != 0 {
		t.Errorf("consistent v3/v3.1 reported: %q %v", v3Signer.Problems, res.Problems)
	}
	res = &Result{Schemes: []Scheme{SchemeV31}, Signers: []*Signer{{Scheme: SchemeV31, Verified: true}}}
	checkStripping(res)
	if len(res.Problems) == 0 {
		t.Error("v3.1 without v3 not reported")
	}
}

func TestLimitsBoundSigners(t *testing.T) {
	pairs, err := ParseSigningBlock(readTestdata(t, "v2-ecdsa.block"))
	if err != nil {
		t.Fatal(err)
	}
	v := pairs[0].Value
	// Repeat the one signer 20 times inside a new signer sequence.
	signer := v[4:]
	var seq []byte
	for range 20 {
		seq = append(seq, signer...)
	}
	val := binary.LittleEndian.AppendUint32(nil, uint32(len(seq)))
	val = append(val, seq...)
	s, err := Limits{MaxSigners: 5}.ParseV2(val)
	if err == nil || len(s) != 5 {
		t.Fatalf("%d signers, err %v; want 5 and a limit error", len(s), err)
	}
	for _, sg := range s {
		if !sg.Verified {
			t.Errorf("copied signer not verified: %q", sg.Problems)
		}
	}
}
