package scan

import (
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"org.example.Receiver", "org.example.Receiver"},
		{"a\x00b", `a\u0000b`},
		{"esc\x1b[31mred", `esc\u001b[31mred`},
		{"bidi\u202etxt", `bidi\u202etxt`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"real\uFFFDchar", "real\uFFFDchar"},
		{"中文", "中文"},
		{`a"b<c>&d`, `a"b<c>&d`},
	}
	for _, tt := range tests {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := Printable(strings.Repeat("a", 10000))
	if len(long) != MaxQuoted+len("…") || !strings.HasSuffix(long, "…") {
		t.Errorf("Printable did not cut a long value: %d bytes", len(long))
	}
	if got := Printable("short"); got != "short" {
		t.Errorf("Printable(short) = %q", got)
	}
}
