package aab

import (
	"errors"
	"testing"

	"appxray/pbres/pbwire"
)

// TestBundleConfigErrors checks where a malformed BundleConfig.pb is said
// to go wrong, and why.
func TestBundleConfigErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    []byte
		msg   string
		off   int64
		cause error
	}{
		{"field number 0", []byte{0x00}, "bad field tag", 0, pbwire.ErrFieldNumberZero},
		{"truncated type", []byte{0x40, 0x80}, "bad value of field 8", 0, pbwire.ErrTruncated},
		{"truncated bundletool", []byte{0x40, 0x02, 0x0a, 0x03, 0x12}, "bad value of field 1", 2, pbwire.ErrTruncated},
		{"wire type 6", []byte{0x40, 0x02, 0x0e}, "bad value of field 1", 2, pbwire.ErrWireType},
		{"end group with none open", []byte{0x0c}, "bad value of field 1", 0, pbwire.ErrEndGroup},
		{"bad tag in bundletool", []byte{0x40, 0x02, 0x0a, 0x03, 0x12, 0x00, 0x00}, "bad field tag", 6, pbwire.ErrFieldNumberZero},
		// A length written longer than it needs: offsets inside the
		// message count all of it.
		{"bad tag after a padded length", []byte{0x0a, 0x81, 0x00, 0x00}, "bad field tag", 3, pbwire.ErrFieldNumberZero},
	}
	for _, tc := range tests {
		_, err := ParseBundleConfig(tc.in)
		var fe *FormatError
		if !errors.As(err, &fe) || fe.Msg != tc.msg || fe.Offset != tc.off || fe.Err != tc.cause {
			t.Errorf("%s: error %v, want %q at offset %#x: %v", tc.name, err, tc.msg, tc.off, tc.cause)
		}
	}
	// Groups and fixed-size fields are passed over.
	c, err := ParseBundleConfig([]byte{0x1b, 0x08, 0x01, 0x1c, 0x25, 0, 0, 0, 0, 0x29, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x02})
	if err != nil || c.Type != TypeAssetOnly {
		t.Errorf("config %+v, %v", c, err)
	}
}
