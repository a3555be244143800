package app

// MappedBytes is what the app holds outside the heap, for the tests of
// package app_test that measure an open app's memory.
func MappedBytes(a *App) int { return a.pages.Mapped() }
