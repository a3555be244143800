package flows

import "appxray/dex"

// stack is memory taken and given back last in, first out. A method's
// analysis frame (its decoded instructions and the register states of its
// blocks) dies when the frame returns, and frames nest as summaries are
// computed for callees, so one region per type, reused by every method
// the analysis visits, serves them all instead of the heap.
type stack[T any] struct {
	buf []T
	n   int
}

// maxKept bounds, in elements, the region a stack keeps once it is
// empty (under 1 MiB for each of frameMem's types, about 4 MiB in all):
// a method with thousands of blocks may need far more than the next
// hundred thousand methods together, and the heap is better given back.
const maxKept = 1 << 14

// take returns k zeroed elements, valid until give is called with a mark
// taken before them.
func (s *stack[T]) take(k int) []T {
	if s.n+k > len(s.buf) {
		// A new region; what was taken from the old one stays valid (the
		// frames holding it keep it alive) and is given back as usual.
		s.buf = make([]T, max(2*len(s.buf), s.n+k, 128))
	}
	p := s.buf[s.n : s.n+k : s.n+k]
	s.n += k
	clear(p)
	return p
}

// give gives back everything taken since mark (the stack's n then).
func (s *stack[T]) give(mark int) {
	s.n = mark
	if mark == 0 && len(s.buf) > maxKept {
		s.buf = nil
	}
}

// frameMem is the memory of the analysis frames on the stack.
type frameMem struct {
	insns  stack[dex.Insn]
	at     stack[int32]
	flags  stack[bool]
	regs   stack[uint64]
	descs  stack[desc]
	states stack[state]
	ins    stack[*state]
}

// frameMark is where frameMem stood when a frame began.
type frameMark [7]int

func (m *frameMem) mark() frameMark {
	return frameMark{m.insns.n, m.at.n, m.flags.n, m.regs.n, m.descs.n, m.states.n, m.ins.n}
}

func (m *frameMem) give(k frameMark) {
	m.insns.give(k[0])
	m.at.give(k[1])
	m.flags.give(k[2])
	m.regs.give(k[3])
	m.descs.give(k[4])
	m.states.give(k[5])
	m.ins.give(k[6])
}

// state returns a register state of regs registers, all unset.
func (m *frameMem) state(regs int) *state {
	s := &m.states.take(1)[0]
	s.t, s.d = m.regs.take(regs), m.descs.take(regs)
	return s
}
