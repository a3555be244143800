package macho_test

import (
	"bytes"
	"os"
	"testing"

	"appxray/internal/iosapp"
	"appxray/macho"
)

// FuzzMachO reads arbitrary bytes as a thin or fat Mach-O; it must never
// panic, and every string it reports must lie where it says.
func FuzzMachO(f *testing.F) {
	f.Add(testApp(0, false).Bytes())
	f.Add(testApp(1, true).Bytes())
	f.Add(iosapp.Fat(testApp(-1, false).Bytes(), testApp(0, false).Bytes()))
	if data, err := os.ReadFile("../ios/testdata/bitbar-ios-sample.ipa"); err == nil {
		if exe, err := iosapp.MainExecutable(data); err == nil && len(exe) < 1<<20 {
			f.Add(exe)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := macho.Open(bytes.NewReader(data), int64(len(data)), macho.Limits{MaxStrings: 1 << 12, MaxSymbols: 1 << 12})
		if err != nil {
			return
		}
		for _, s := range m.Slices {
			for _, str := range s.Strings {
				if str.Offset < 0 || str.Offset+int64(len(str.Value)) > int64(len(data)) || string(data[str.Offset:str.Offset+int64(len(str.Value))]) != str.Value {
					t.Fatalf("string %q at %d is not in the input", str.Value, str.Offset)
				}
			}
		}
	})
}
