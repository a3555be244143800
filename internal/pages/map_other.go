//go:build !unix

package pages

import "errors"

// Elsewhere every buffer comes from the Go heap.
func mapAnon(int) ([]byte, error) { return nil, errors.New("pages: no anonymous mappings here") }

func unmapAnon([]byte) {}

func guardMap([]byte) {}
