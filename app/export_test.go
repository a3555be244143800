package app

import "crypto"

// MappedBytes is what the app holds outside the heap, for the tests of
// package app_test that measure an open app's memory.
func MappedBytes(a *App) int { return a.pages.Mapped() }

// HeldDex is the bytes of the base part's DEX entry that Dex holds for the
// v1 digest check, or nil.
func HeldDex(a *App, entry string) []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.held[heldKey{a.Base(), entry}]
}

// EntryDigest is the digest of the base part's entry that ReadFileSniff
// kept for the v1 check, or nil.
func EntryDigest(a *App, entry string, h crypto.Hash) []byte {
	p := a.Base()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.digests[digestKey{entry, h}]
}
