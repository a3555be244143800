package app

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
