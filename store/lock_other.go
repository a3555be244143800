//go:build !unix

package store

import (
	"os"
	"time"
)

func lockFile(f *os.File) error { return nil }

// orphaned, without file locks, takes a file untouched for a day as left
// by a dead writer.
func orphaned(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && time.Since(fi.ModTime()) > 24*time.Hour
}
