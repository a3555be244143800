package knowledge

import (
	"strings"
	"testing"
)

// naiveMarks is what multiMatcher must equal: one Contains per needle on
// the ASCII-lower-cased text.
func naiveMarks(needles []string, s string) []bool {
	low := asciiLower(s)
	out := make([]bool, len(needles))
	for i, n := range needles {
		out[i] = strings.Contains(low, n)
	}
	return out
}

func marks(m *multiMatcher, s string) []bool {
	seen := make([]uint64, m.words())
	m.mark(s, seen)
	out := make([]bool, m.n)
	for i := range out {
		out[i] = seen[i/64]&(1<<(i%64)) != 0
	}
	return out
}

func TestMultiMatcher(t *testing.T) {
	overlapping := []string{"he", "she", "his", "hers", "s", "ushers", "é", "content://sms"}
	many := make([]string, 130) // past one bitset word, and past the inline four
	for i := range many {
		many[i] = strings.Repeat(string(rune('a'+i%26)), 1+i/26)
	}
	for _, tc := range []struct {
		needles []string
		texts   []string
	}{
		{overlapping, []string{"", "ushers", "USHERS", "xhisx", "h", "café", "CONTENT://SMS/inbox", "shhe", "SHe"}},
		{many, []string{"", "abc", "zzzzz", "AAAAAA", strings.Repeat("q", 7)}},
		{strsNeedles(t), []string{"", "/system/bin/su", "Content://Call_Log/calls", "getDeviceId", "android_id", "%Ro.Serialno%"}},
	} {
		m := newMultiMatcher(tc.needles)
		for _, s := range tc.texts {
			got, want := marks(m, s), naiveMarks(tc.needles, s)
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("%q in %q: got %v, want %v", tc.needles[i], s, got[i], want[i])
				}
			}
		}
	}
}

// strsNeedles is the contains-rules' needles of the real string table.
func strsNeedles(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, n := range apis().subs {
		out = append(out, n.low)
	}
	if len(out) == 0 {
		t.Fatal("no contains rules in strings.json")
	}
	return out
}

// FuzzMultiMatcher checks the automaton against Contains on arbitrary
// texts, with the real needles and with the text's own pieces as needles.
func FuzzMultiMatcher(f *testing.F) {
	for _, s := range []string{"content://sms/inbox", "/SYSTEM/xbin/su", "ushers", "ro.serialno", "\x00\xff"} {
		f.Add(s)
	}
	real := strsNeedles(f)
	rm := newMultiMatcher(real)
	f.Fuzz(func(t *testing.T, s string) {
		check := func(m *multiMatcher, needles []string) {
			got, want := marks(m, s), naiveMarks(needles, s)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%q in %q: got %v, want %v", needles[i], s, got[i], want[i])
				}
			}
		}
		check(rm, real)
		var own []string
		low := asciiLower(s)
		for i := 0; i+3 <= len(low) && len(own) < 8; i += 3 {
			own = append(own, low[i:min(len(low), i+1+i%5)])
		}
		if len(own) > 0 {
			check(newMultiMatcher(own), own)
		}
	})
}
