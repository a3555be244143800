//go:build unix

package pages

import "golang.org/x/sys/unix"

// mapAnon maps n private zeroed bytes, rounded up to whole pages.
func mapAnon(n int) ([]byte, error) {
	return unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
}

func unmapAnon(b []byte) { unix.Munmap(b) }

// guardMap gives b's pages back to the system and leaves the addresses
// mapped without access: a later read faults rather than finding another
// mapping's data there.
func guardMap(b []byte) {
	if unix.Madvise(b, unix.MADV_DONTNEED) != nil || unix.Mprotect(b, unix.PROT_NONE) != nil {
		unix.Munmap(b)
	}
}
