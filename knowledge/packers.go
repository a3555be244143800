package knowledge

import (
	"slices"
	"strings"
	"sync"
)

// Packer is a packer or protector: a tool that hides an app's real code
// from analysis (encrypted DEX decrypted by a native loader at run time).
type Packer struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Kind       string            `json:"kind"` // packer or protector
	Indicators []PackerIndicator `json:"indicators"`
	// HidesIn says where the real code is, for the report.
	HidesIn string `json:"hides_in"`
}

// PackerIndicator is one fingerprint a packer's stub leaves; exactly one of
// File, Folder, Class and Application is set.
type PackerIndicator struct {
	// File is an entry path ("assets/ijiami.dat"), or a bare name that
	// matches in any folder ("libjiagu.so").
	File string `json:"file,omitempty"`
	// Folder is an entry path prefix ("assets/ijm_lib/").
	Folder string `json:"folder,omitempty"`
	// Class is a DEX descriptor ("Lcom/stub/StubApp;") or a package prefix
	// ending in '/' ("Lcom/secneo/apkwrapper/").
	Class string `json:"class,omitempty"`
	// Application is the android:name of <application>.
	Application string `json:"application,omitempty"`
	// Strong indicators name the packer alone; weak ones need another.
	Strong bool `json:"strong,omitempty"`
	// Payload marks the file that holds the encrypted real code.
	Payload bool `json:"payload,omitempty"`
}

var packersOnce = sync.OnceValues(loadPackers)

func loadPackers() ([]Packer, error) {
	const file = "data/packers.json"
	var doc struct {
		Comment string   `json:"comment"`
		Packers []Packer `json:"packers"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, p := range doc.Packers {
		if p.ID == "" || p.Name == "" || p.HidesIn == "" || (p.Kind != "packer" && p.Kind != "protector") {
			return nil, &DataError{File: file, Item: p.ID, Msg: "need id, name, hides_in and kind packer or protector"}
		}
		if ids[p.ID] {
			return nil, &DataError{File: file, Item: p.ID, Msg: "duplicate id"}
		}
		ids[p.ID] = true
		if len(p.Indicators) == 0 {
			return nil, &DataError{File: file, Item: p.ID, Msg: "no indicators"}
		}
		for _, in := range p.Indicators {
			set := 0
			for _, v := range []string{in.File, in.Folder, in.Class, in.Application} {
				if v != "" {
					set++
				}
			}
			if set != 1 {
				return nil, &DataError{File: file, Item: p.ID, Msg: "an indicator sets exactly one of file, folder, class, application"}
			}
			if in.Class != "" && (!strings.HasPrefix(in.Class, "L") || !(strings.HasSuffix(in.Class, ";") || strings.HasSuffix(in.Class, "/")) || strings.Contains(in.Class, ".")) {
				return nil, &DataError{File: file, Item: p.ID, Msg: "class " + in.Class + " is not a descriptor or package prefix"}
			}
			if in.Application != "" && strings.Contains(in.Application, "/") {
				return nil, &DataError{File: file, Item: p.ID, Msg: "application " + in.Application + " is a Java name, not a descriptor"}
			}
			if in.Payload && in.File == "" {
				return nil, &DataError{File: file, Item: p.ID, Msg: "payload marks a file"}
			}
		}
	}
	return doc.Packers, nil
}

// Packers returns the packer table.
func Packers() []Packer {
	p, err := packersOnce()
	mustLoad(err)
	return slices.Clone(p)
}
