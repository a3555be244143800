package knowledge

// multiMatcher finds which of a fixed set of needles occur in a text, in
// one pass over it, ignoring ASCII case (an Aho–Corasick automaton): the
// string rules are matched against every string an app's code loads,
// hundreds of thousands per app, and one scan per rule was most of that.
//
// The automaton is a full transition table over byte classes: the bytes
// no needle holds share one class, and upper-case ASCII letters share
// their lower-case letter's, so that the table stays small and matching
// needs no lower-cased copy of the text.
type multiMatcher struct {
	class   [256]uint8
	classes int
	next    []int32   // state*classes + class → state
	out     [][]int32 // state → needles ending here (failure chain merged)
	n       int       // needles
}

// newMultiMatcher builds the automaton of needles, which must be lower
// case; needle i is reported as i.
func newMultiMatcher(needles []string) *multiMatcher {
	m := &multiMatcher{n: len(needles)}
	// Byte classes: 0 for every byte no needle holds.
	for _, s := range needles {
		for i := 0; i < len(s); i++ {
			if c := s[i]; m.class[c] == 0 {
				m.classes++
				m.class[c] = uint8(m.classes)
			}
		}
	}
	m.classes++
	for c := 'A'; c <= 'Z'; c++ {
		m.class[c] = m.class[c+'a'-'A']
	}
	// The trie: -1 is no edge yet. It has at most one state per needle
	// byte, and the root.
	states := 1
	for _, s := range needles {
		states += len(s)
	}
	m.next = make([]int32, 0, states*m.classes)
	m.out = make([][]int32, 0, states)
	newState := func() int32 {
		n := len(m.next)
		m.next = m.next[:n+m.classes]
		for i := n; i < len(m.next); i++ {
			m.next[i] = -1
		}
		m.out = append(m.out, nil)
		return int32(len(m.out) - 1)
	}
	newState()
	for i, s := range needles {
		st := int32(0)
		for j := 0; j < len(s); j++ {
			k := int(st)*m.classes + int(m.class[s[j]])
			if m.next[k] < 0 {
				ns := newState()
				m.next[k] = ns
			}
			st = m.next[k]
		}
		m.out[st] = append(m.out[st], int32(i))
	}
	// Failure links breadth first; a missing edge becomes the failure
	// state's edge, so matching never follows links.
	fail := make([]int32, len(m.out))
	queue := make([]int32, 0, len(m.out))
	for c := range m.classes {
		if t := m.next[c]; t < 0 {
			m.next[c] = 0
		} else {
			fail[t] = 0
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		for c := range m.classes {
			k := int(st)*m.classes + c
			t := m.next[k]
			f := m.next[int(fail[st])*m.classes+c]
			if t < 0 {
				m.next[k] = f
				continue
			}
			fail[t] = f
			m.out[t] = append(m.out[t], m.out[f]...)
			queue = append(queue, t)
		}
	}
	return m
}

// words is the length of the bitset mark sets.
func (m *multiMatcher) words() int { return (m.n + 63) / 64 }

// mark sets bit i of seen (m.words() long) for each needle i that occurs
// in s.
func (m *multiMatcher) mark(s string, seen []uint64) {
	st := int32(0)
	for i := 0; i < len(s); i++ {
		st = m.next[int(st)*m.classes+int(m.class[s[i]])]
		for _, n := range m.out[st] {
			seen[n/64] |= 1 << (n % 64)
		}
	}
}
