package iosapp

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"appxray/plist"
)

// IPA zips the files (paths relative to the archive root, such as
// "Payload/Demo.app/Info.plist") in name order.
func IPA(files map[string][]byte) ([]byte, error) {
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[n]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// MainExecutable returns the executable named by CFBundleExecutable of
// the first Payload/*.app in an IPA, for tests of the Mach-O reader.
func MainExecutable(ipa []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(ipa), int64(len(ipa)))
	if err != nil {
		return nil, err
	}
	read := func(name string) ([]byte, error) {
		for _, f := range zr.File {
			if f.Name == name {
				rc, err := f.Open()
				if err != nil {
					return nil, err
				}
				defer rc.Close()
				return io.ReadAll(io.LimitReader(rc, 256<<20))
			}
		}
		return nil, fmt.Errorf("%s not in the IPA", name)
	}
	for _, f := range zr.File {
		dir, file := path.Split(f.Name)
		if file != "Info.plist" || strings.Count(dir, "/") != 2 || !strings.HasPrefix(dir, "Payload/") || !strings.HasSuffix(dir, ".app/") {
			continue
		}
		info, err := read(f.Name)
		if err != nil {
			return nil, err
		}
		v, _, err := plist.Parse(info, plist.Limits{})
		if err != nil {
			return nil, err
		}
		return read(dir + v.Get("CFBundleExecutable").Text())
	}
	return nil, fmt.Errorf("no Payload/*.app/Info.plist")
}
