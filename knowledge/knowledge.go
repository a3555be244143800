// Package knowledge holds what appxray knows about Android and about the
// people-data an app can collect: the finding taxonomy, the AOSP permission
// table, the framework APIs, content URIs and literal strings that reach each
// category, a table of third-party SDK signatures and a multilingual lexicon
// of form labels and field names.
//
// All of it is data: reviewable JSON files under data/, compiled into the
// binary as Go values (tables_gen.go) and built into tables once per
// process on first use; the top-level domains are a plain list there
// (tlds.txt). The package knows nothing
// about file formats; callers hand it names, descriptors and strings.
//
// Values returned by the accessors are shared, immutable tables. Slices
// returned from the whole-table accessors (Categories, Permissions, APIs,
// Trackers…) are fresh copies of the outer slice, but the slices inside each
// element (Categories, CodeSignatures…) are shared: callers must not modify
// them. The same holds for results of the Match* functions.
package knowledge

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"reflect"
)

//go:embed data
var dataFS embed.FS

// DataError reports a problem in one of the embedded or loaded data files.
type DataError struct {
	File string // data file, e.g. "data/apis.json"
	Item string // the entry at fault, if known
	Msg  string
	Err  error
}

func (e *DataError) Error() string {
	s := "knowledge: " + e.File
	if e.Item != "" {
		s += ": " + e.Item
	}
	s += ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *DataError) Unwrap() error { return e.Err }

// decodeFile fills v with an embedded data file. The files are compiled
// in as Go values (tables_gen.go, written from them and checked against
// them by the tests), so that start-up pays no JSON decoding; a file
// without a generated value, or of another type, is decoded from JSON.
func decodeFile(name string, v any) error {
	if decodeHook != nil {
		decodeHook(name, v)
		return decodeJSON(name, v)
	}
	if g, ok := generatedTable(name); ok {
		dst, src := reflect.ValueOf(v), reflect.ValueOf(g)
		if dst.Kind() == reflect.Pointer && src.Type().AssignableTo(dst.Type().Elem()) {
			dst.Elem().Set(src)
			return nil
		}
	}
	return decodeJSON(name, v)
}

// decodeHook, set only by the tests, sees every decoding and makes it
// read the JSON: that is how the generator learns each file's type.
var decodeHook func(name string, v any)

// decodeJSON strictly decodes an embedded JSON file: unknown fields are
// errors so that a typo in a reviewed data file cannot be silently ignored.
func decodeJSON(name string, v any) error {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return &DataError{File: name, Msg: "cannot read", Err: err}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &DataError{File: name, Msg: "invalid JSON", Err: err}
	}
	return nil
}

// mustLoad panics on an error in embedded data. Embedded data is part of the
// program, and the tests load every file, so a failure here is a build
// defect rather than an input problem.
func mustLoad(err error) {
	if err != nil {
		panic(fmt.Sprintf("appxray/knowledge: embedded data is broken: %v", err))
	}
}

// Validate loads every embedded table and reports the first problem. The
// accessors panic on broken embedded data; Validate lets a program or a
// test check up front instead.
func Validate() error {
	if _, err := categoriesOnce(); err != nil {
		return err
	}
	if _, err := librariesOnce(); err != nil {
		return err
	}
	if _, err := packersOnce(); err != nil {
		return err
	}
	if _, err := frameworkOnce(); err != nil {
		return err
	}
	if _, err := permissionsOnce(); err != nil {
		return err
	}
	if _, err := apisOnce(); err != nil {
		return err
	}
	if _, err := trackersOnce(); err != nil {
		return err
	}
	if _, err := defaultMatcherOnce(); err != nil {
		return err
	}
	if _, err := lexiconOnce(); err != nil {
		return err
	}
	if _, err := iosOnce(); err != nil {
		return err
	}
	if _, err := tldsOnce(); err != nil {
		return err
	}
	if _, err := endpointsOnce(); err != nil {
		return err
	}
	return nil
}
