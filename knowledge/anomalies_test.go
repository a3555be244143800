package knowledge

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// definedAnomalyKinds reads the module's Go sources (not its tests) for
// constants of type AnomalyKind (zipapk.AnomalyKind in other packages) and
// returns their values with the file that defines each. Reading the sources
// keeps knowledge free of an import of the decoders.
func definedAnomalyKinds(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != ".." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(src), "AnomalyKind") {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		if err != nil {
			return nil // another engineer's file mid-edit; the build reports it
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if !isAnomalyKindType(vs.Type) {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						out[s] = path
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func isAnomalyKindType(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name == "AnomalyKind"
	case *ast.SelectorExpr:
		return x.Sel.Name == "AnomalyKind"
	}
	return false
}

// TestAnomalyKindsWorded: every anomaly kind the decoders define has its
// title and sentence, and the table words no kind that does not exist.
func TestAnomalyKindsWorded(t *testing.T) {
	if err := ValidateAnomalies(); err != nil {
		t.Fatal(err)
	}
	defined := definedAnomalyKinds(t)
	for _, want := range []string{"DuplicateName", "StringUnterminated", "AttributeHidden", "DexClassRejected", "SignatureProblem"} {
		if defined[want] == "" {
			t.Fatalf("the source scan found no %s among %d kinds: it no longer reads the decoders", want, len(defined))
		}
	}
	for kind, file := range defined {
		if _, ok := AnomalyKindInfo(kind); !ok {
			t.Errorf("%s (defined in %s) has no entry in data/anomalies.json", kind, file)
		}
	}
	for _, k := range AnomalyKinds() {
		if _, ok := defined[k.Kind]; !ok {
			t.Errorf("data/anomalies.json words %s, which no decoder defines", k.Kind)
		}
	}
	if _, ok := AnomalyKindInfo("NoSuchKind"); ok {
		t.Error("an unknown kind was found")
	}
	if k, _ := AnomalyKindInfo("EncryptionFlag"); !k.Trick || !strings.Contains(k.Says, "Android ignores") {
		t.Errorf("EncryptionFlag = %+v", k)
	}
}
