package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Dir is a blob store in a directory: root/sha256/ab/abcdef… for each blob,
// and root/tmp for blobs being written (each held under a lock while its
// writer lives, so that Sweep removes only what a dead writer left).
type Dir struct {
	root string
}

// OpenDir opens (creating it if needed) a blob directory.
func OpenDir(root string) (*Dir, error) {
	for _, d := range []string{root, filepath.Join(root, "sha256"), filepath.Join(root, "tmp")} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return nil, fmt.Errorf("store: blob directory: %w", err)
		}
	}
	return &Dir{root: root}, nil
}

func (d *Dir) String() string { return d.root }

// Path is where the blob with this hash lives; only valid hashes have one.
func (d *Dir) Path(sum string) (string, error) {
	if err := checkSum(sum); err != nil {
		return "", err
	}
	return filepath.Join(d.root, "sha256", sum[:2], sum), nil
}

// TempDir is where blobs are written before they have an address.
func (d *Dir) TempDir() string { return filepath.Join(d.root, "tmp") }

// Create starts a blob in the temporary directory under a random name.
func (d *Dir) Create(ctx context.Context, limit int64) (BlobWriter, error) {
	f, err := createLockedTemp(d.TempDir())
	if err != nil {
		return nil, err
	}
	return &dirWriter{d: d, f: f, hw: newHashingWriter(f, limit)}, nil
}

type dirWriter struct {
	d    *Dir
	f    *os.File
	hw   *hashingWriter
	done bool
}

func (w *dirWriter) Write(p []byte) (int, error) { return w.hw.Write(p) }

func (w *dirWriter) Commit(ctx context.Context) (string, int64, error) {
	if w.done {
		return "", 0, errors.New("store: blob already committed or aborted")
	}
	w.done = true
	sum, size := w.hw.sum(), w.hw.n
	tmp := w.f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	if err := w.f.Sync(); err != nil {
		w.f.Close()
		return "", 0, fmt.Errorf("store: writing blob: %w", err)
	}
	final, _ := w.d.Path(sum)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		w.f.Close()
		return "", 0, fmt.Errorf("store: %w", err)
	}
	if _, err := os.Stat(final); err == nil {
		w.f.Close()
		return sum, size, nil // already stored
	}
	if err := os.Chmod(tmp, 0o440); err != nil {
		w.f.Close()
		return "", 0, fmt.Errorf("store: %w", err)
	}
	// Renamed while still locked, so that Sweep never sees it unlocked in tmp.
	if err := os.Rename(tmp, final); err != nil {
		w.f.Close()
		return "", 0, fmt.Errorf("store: storing blob: %w", err)
	}
	if err := w.f.Close(); err != nil {
		return "", 0, fmt.Errorf("store: %w", err)
	}
	return sum, size, nil
}

func (w *dirWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.f.Close()
	return os.Remove(w.f.Name())
}

// Open opens the blob's file.
func (d *Dir) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	p, err := d.Path(sum)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("store: blob %s: %w", sum, ErrNotFound)
	}
	return f, err
}

// Stat returns the blob's size.
func (d *Dir) Stat(ctx context.Context, sum string) (int64, error) {
	p, err := d.Path(sum)
	if err != nil {
		return 0, err
	}
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("store: blob %s: %w", sum, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	return fi.Size(), nil
}

// Delete removes the blob's file.
func (d *Dir) Delete(ctx context.Context, sum string) error {
	p, err := d.Path(sum)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// Sweep removes the temporary files whose writer is gone.
func (d *Dir) Sweep(ctx context.Context) (int, error) { return sweepTemp(d.TempDir()) }

// createLockedTemp creates a temporary file in dir, locked for as long as
// it stays open.
func createLockedTemp(dir string) (*os.File, error) {
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("store: temporary file: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("store: locking temporary file: %w", err)
	}
	return f, nil
}

// sweepTemp removes the files of dir that no live writer holds.
func sweepTemp(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: sweeping %s: %w", dir, err)
	}
	n := 0
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if orphaned(p) {
			if os.Remove(p) == nil {
				n++
			}
		}
	}
	return n, nil
}
