package zipapk_test

import (
	"bytes"
	"testing"

	"appxray/zipapk"
)

// TestReadFileSniff checks that an entry is inflated past its head only
// when keep asks for it, and that what is read is what ReadFile reads.
func TestReadFileSniff(t *testing.T) {
	text := bytes.Repeat([]byte("a line of text with a host example.org\n"), 4000) // 156 KB
	short := []byte("short")
	bad := deflated("bad.txt", text)
	bad.CRC ^= 1
	zb := &zipBuilder{Entries: []bEntry{deflated("big.txt", text), stored("stored.txt", text), deflated("short.txt", short), bad}}
	archive := zb.Build()
	const n = 8192
	cases := []struct {
		entry     string
		keep      bool
		want      []byte
		whole     bool
		asked     bool
		crc       bool  // a CRCMismatch anomaly is recorded
		inflation int64 // at most this much of the budget spent
	}{
		{"big.txt", true, text, true, true, false, int64(len(text))},
		{"big.txt", false, text[:n], false, true, false, 64 << 10},
		{"stored.txt", true, text, true, true, false, int64(len(text))},
		{"stored.txt", false, text[:n], false, true, false, 64 << 10},
		{"short.txt", false, short, true, false, false, int64(len(short))},
		{"bad.txt", true, text, true, true, true, int64(len(text))},
		{"bad.txt", false, text[:n], false, true, false, 64 << 10}, // the end is not reached
	}
	for _, tc := range cases {
		z := open(t, archive)
		budget := zipapk.NewBudget(1 << 30)
		z.ShareBudget(budget)
		e := z.Lookup(tc.entry)
		asked := false
		data, whole, err := z.ReadFileSniff(e, n, func(head []byte) bool {
			asked = true
			if !bytes.Equal(head, text[:len(head)]) || len(head) != n {
				t.Errorf("%s: keep was given %d bytes that are not the entry's head", tc.entry, len(head))
			}
			return tc.keep
		})
		if err != nil {
			t.Errorf("%s keep=%v: %v", tc.entry, tc.keep, err)
		}
		if got := len(find(z, zipapk.CRCMismatch)) > 0; got != tc.crc {
			t.Errorf("%s keep=%v: CRC anomaly %v, want %v", tc.entry, tc.keep, got, tc.crc)
		}
		if !bytes.Equal(data, tc.want) || whole != tc.whole || asked != tc.asked {
			t.Errorf("%s keep=%v: %d bytes, whole %v, keep asked %v; want %d bytes, whole %v, asked %v",
				tc.entry, tc.keep, len(data), whole, asked, len(tc.want), tc.whole, tc.asked)
		}
		if spent := 1<<30 - budget.Left(); spent > tc.inflation {
			t.Errorf("%s keep=%v: %d bytes of the budget spent, want at most %d", tc.entry, tc.keep, spent, tc.inflation)
		}
		if tc.keep {
			full, err := z.ReadFile(e)
			if err != nil || !bytes.Equal(full, data) {
				t.Errorf("%s: ReadFile reads otherwise (%v)", tc.entry, err)
			}
		}
	}
}
