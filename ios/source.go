package ios

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"appxray/zipapk"
)

// File is one file of the opened app, by its path inside the archive or
// directory ("Payload/Demo.app/Info.plist", or "Demo.app/Info.plist" for a
// directory given on the command line).
type File struct {
	Name string
	Size int64
}

// source is where the files come from: an IPA's ZIP or a directory.
type source interface {
	files() []File
	read(name string, max int64) ([]byte, error)
}

// ErrTooLarge is wrapped by reads of files above Options.MaxFileSize.
var ErrTooLarge = errors.New("ios: file larger than MaxFileSize")

type zipSource struct {
	z      *zipapk.Reader
	list   []File
	byName map[string]*zipapk.Entry
}

func newZipSource(z *zipapk.Reader) *zipSource {
	s := &zipSource{z: z, byName: map[string]*zipapk.Entry{}}
	for _, e := range z.Entries {
		if e.IsDir() || s.byName[e.Name] != nil {
			continue
		}
		s.byName[e.Name] = e
		s.list = append(s.list, File{Name: e.Name, Size: int64(e.UncompressedSize)})
	}
	return s
}

func (s *zipSource) files() []File { return s.list }

func (s *zipSource) read(name string, max int64) ([]byte, error) {
	e := s.byName[name]
	if e == nil {
		return nil, fs.ErrNotExist
	}
	if int64(e.UncompressedSize) > max {
		return nil, fmt.Errorf("%s (%d bytes): %w", name, e.UncompressedSize, ErrTooLarge)
	}
	b, err := s.z.ReadFile(e)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return b, nil
}

// dirSource reads an unzipped .app directory. Symbolic links are listed
// but never followed, so nothing outside the directory is read.
type dirSource struct {
	root   string // the directory holding the .app
	list   []File
	byName map[string]bool
}

func newDirSource(app string, maxFiles int) (*dirSource, error) {
	app = filepath.Clean(app)
	s := &dirSource{root: filepath.Dir(app), byName: map[string]bool{}}
	base := filepath.Base(app)
	err := filepath.WalkDir(app, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Type()&fs.ModeSymlink != 0 || !d.Type().IsRegular() {
			return nil
		}
		if len(s.list) >= maxFiles {
			return fmt.Errorf("more than %d files: %w", maxFiles, ErrLimit)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(app, p)
		if err != nil {
			return err
		}
		name := path.Join(base, filepath.ToSlash(rel))
		s.byName[name] = true
		s.list = append(s.list, File{Name: name, Size: info.Size()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ios: listing %s: %w", app, err)
	}
	sort.Slice(s.list, func(i, j int) bool { return s.list[i].Name < s.list[j].Name })
	return s, nil
}

func (s *dirSource) files() []File { return s.list }

func (s *dirSource) read(name string, max int64) ([]byte, error) {
	if !s.byName[name] {
		return nil, fs.ErrNotExist
	}
	p := filepath.Join(s.root, filepath.FromSlash(name))
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > max {
		return nil, fmt.Errorf("%s (%d bytes): %w", name, st.Size(), ErrTooLarge)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: %w", name, ErrTooLarge)
	}
	return b, nil
}

// under lists the files below dir ("Payload/Demo.app/"), relative to it.
func under(files []File, dir string) []File {
	var out []File
	for _, f := range files {
		if rest, ok := strings.CutPrefix(f.Name, dir); ok && rest != "" {
			out = append(out, File{Name: rest, Size: f.Size})
		}
	}
	return out
}
