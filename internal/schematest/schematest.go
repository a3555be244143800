// Package schematest validates, in tests, the JSON documents appxray
// writes: scan reports against scan/scan.schema.json (the schema appxray
// publishes) and SARIF logs against OASIS's SARIF 2.1.0 schema in
// testdata/.
package schematest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"appxray/internal/corpus"
)

var (
	scanOnce  = sync.OnceValues(func() (*jsonschema.Schema, error) { return compile("scan/scan.schema.json") })
	sarifOnce = sync.OnceValues(func() (*jsonschema.Schema, error) { return compile("testdata/sarif-schema-2.1.0.json") })
)

func compile(rel string) (*jsonschema.Schema, error) {
	path := filepath.Join(corpus.Root(), rel)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "file://" + filepath.ToSlash(path)
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	return s, nil
}

// ScanSchema returns the compiled scan report schema.
func ScanSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	s, err := scanOnce()
	if err != nil {
		t.Fatalf("scan schema: %v", err)
	}
	return s
}

// Report fails the test unless doc is a scan report valid under
// scan/scan.schema.json.
func Report(t testing.TB, name string, doc []byte) {
	t.Helper()
	validate(t, ScanSchema(t), "scan report", name, doc)
}

// SARIF fails the test unless doc is a valid SARIF 2.1.0 log.
func SARIF(t testing.TB, name string, doc []byte) {
	t.Helper()
	s, err := sarifOnce()
	if err != nil {
		t.Fatalf("SARIF schema: %v", err)
	}
	validate(t, s, "SARIF log", name, doc)
}

// Validate reports whether doc is valid under s, for tests that expect a
// document to be refused.
func Validate(s *jsonschema.Schema, doc []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

func validate(t testing.TB, s *jsonschema.Schema, what, name string, doc []byte) {
	t.Helper()
	if err := Validate(s, doc); err != nil {
		msg := err.Error()
		if lines := strings.Split(msg, "\n"); len(lines) > 30 {
			msg = strings.Join(lines[:30], "\n") + "\n…"
		}
		t.Errorf("%s: not a valid %s: %s", name, what, msg)
	}
}
