// Package pages holds large byte buffers outside the Go heap.
//
// A scan keeps every inflated DEX file for its whole run: on a large app
// they are half of what is live. Go lets its heap grow to twice what is
// live before it collects, so bytes that hold no pointers and are freed
// at one known moment cost twice their size on the heap and their size
// here. A Pool maps each large buffer from the system and unmaps it when
// the pool is freed, or when the garbage collector finds the buffer's
// owner unreachable, whichever comes first.
package pages

import (
	"os"
	"runtime"
	"sync"
)

// MinSize is the smallest buffer a Pool maps; smaller ones come from the
// Go heap, where a mapping's page rounding and system call would cost more
// than they save.
const MinSize = 64 << 10

// GuardEnv, set to 1, makes every pool guard what it frees: the memory is
// returned to the system but its addresses stay reserved and unreadable,
// so that a use after Free faults at once instead of reading whatever a
// later mapping put there. The test script sets it.
const GuardEnv = "APPXRAY_GUARD_FREED"

// A Pool hands out buffers and frees the mapped ones together. The zero
// Pool is ready to use; it is safe for concurrent use.
type Pool struct {
	mu     sync.Mutex
	live   map[*byte]*mapping // by first byte
	freed  bool
	guard  bool
	inited bool
}

// mapping is one mapped buffer; done is set once it is unmapped, owners
// counts the owners (Own) not yet collected.
type mapping struct {
	mu     sync.Mutex
	b      []byte
	done   bool
	owners int
}

// Alloc returns a zeroed buffer of length n. Buffers of MinSize bytes or
// more are mapped outside the heap while the pool is not freed; the
// others, and any the system refuses to map, come from the heap.
func (p *Pool) Alloc(n int) []byte {
	if n < MinSize {
		return make([]byte, n)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.inited {
		p.guard, p.inited = os.Getenv(GuardEnv) == "1", true
	}
	if p.freed {
		return make([]byte, n)
	}
	b, err := mapAnon(n)
	if err != nil {
		return make([]byte, n)
	}
	if p.live == nil {
		p.live = map[*byte]*mapping{}
	}
	p.live[&b[0]] = &mapping{b: b}
	return b[:n:n]
}

// Own ties a buffer p's Alloc returned to owner, for a pool that may never
// be freed: once the garbage collector has found every owner of the buffer
// unreachable, the buffer is unmapped, as Free would. Every use of the
// buffer must then reach it through an owner. A buffer from the heap needs
// no owner and is ignored.
func Own[T any](p *Pool, owner *T, b []byte) {
	m := p.find(b)
	if m == nil {
		return
	}
	m.mu.Lock()
	m.owners++
	m.mu.Unlock()
	guard := p.guard
	runtime.AddCleanup(owner, func(m *mapping) { m.release(guard) }, m)
}

// release drops one owner, unmapping the buffer with the last.
func (m *mapping) release(guard bool) {
	m.mu.Lock()
	m.owners--
	last := m.owners == 0
	m.mu.Unlock()
	if last {
		m.unmap(guard)
	}
}

func (p *Pool) find(b []byte) *mapping {
	if cap(b) == 0 {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.live[&b[:1][0]]
}

// Drop unmaps one buffer p's Alloc returned, now: no use of it may follow.
// A buffer from the heap is left to the garbage collector.
func (p *Pool) Drop(b []byte) {
	if m := p.find(b); m != nil {
		m.unmap(p.guard)
	}
}

// Free unmaps every buffer the pool mapped. No buffer from the pool may be
// used after it; the pool still hands out heap buffers.
func (p *Pool) Free() {
	p.mu.Lock()
	live, guard := p.live, p.guard
	p.live, p.freed = nil, true
	p.mu.Unlock()
	for _, m := range live {
		m.unmap(guard)
	}
}

// Mapped is the number of bytes the pool holds mapped.
func (p *Pool) Mapped() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, m := range p.live {
		m.mu.Lock()
		if !m.done {
			n += len(m.b)
		}
		m.mu.Unlock()
	}
	return n
}

func (m *mapping) unmap(guard bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.done {
		return
	}
	m.done = true
	if guard {
		guardMap(m.b)
	} else {
		unmapAnon(m.b)
	}
}
