// Package store keeps what appxray serve shares between its processes: the
// uploaded files, stored by the SHA-256 of their content in a blob store (a
// directory, or S3-compatible object storage), and the database (SQLite or
// PostgreSQL) of apps, their reports and search facts, users, tokens,
// sessions and the audit log.
//
// An upload is never written under its own name: the name a user gave is
// data in the database, and a blob's address is its hash, checked by
// ValidSum before it reaches any path or key.
package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
)

// ErrNotFound is returned for a blob, app, user, token or session that is
// not there.
var ErrNotFound = errors.New("not found")

// ErrTooLarge is returned by a BlobWriter written past its limit.
var ErrTooLarge = errors.New("file too large")

// Blobs stores files by the SHA-256 of their content.
type Blobs interface {
	// Create starts a new blob; its address is known only at Commit.
	Create(ctx context.Context, limit int64) (BlobWriter, error)
	// Open reads the blob with this SHA-256.
	Open(ctx context.Context, sum string) (io.ReadCloser, error)
	// Stat returns the blob's size, or ErrNotFound.
	Stat(ctx context.Context, sum string) (int64, error)
	// Delete removes the blob; deleting a missing blob is no error.
	Delete(ctx context.Context, sum string) error
	// Sweep removes what writers that died left behind.
	Sweep(ctx context.Context) (int, error)
}

// BlobWriter receives the content of a new blob. Exactly one of Commit and
// Abort must be called; Abort after Commit does nothing.
type BlobWriter interface {
	io.Writer
	// Commit stores the content under its SHA-256 (once: content already
	// present is not stored again) and returns the hash and size.
	Commit(ctx context.Context) (sum string, size int64, err error)
	// Abort discards what was written.
	Abort() error
}

// ValidSum reports whether s is a SHA-256 in lower-case hex, the only form
// a blob address takes.
func ValidSum(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func checkSum(sum string) error {
	if !ValidSum(sum) {
		return fmt.Errorf("store: %q is not a SHA-256", sum)
	}
	return nil
}

// hashingWriter counts and hashes what passes through it, refusing more
// than limit bytes.
type hashingWriter struct {
	w     io.Writer
	h     hash.Hash
	n     int64
	limit int64
}

func newHashingWriter(w io.Writer, limit int64) *hashingWriter {
	return &hashingWriter{w: w, h: sha256.New(), limit: limit}
}

func (hw *hashingWriter) Write(p []byte) (int, error) {
	if hw.limit > 0 && hw.n+int64(len(p)) > hw.limit {
		return 0, fmt.Errorf("store: more than %d bytes: %w", hw.limit, ErrTooLarge)
	}
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

func (hw *hashingWriter) sum() string { return hex.EncodeToString(hw.h.Sum(nil)) }
