package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestForward runs appxray serve and appxray worker in a child process
// (forwarding replaces the process) with a stand-in appxray-server on
// PATH, and with none.
func TestForward(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in is a shell script")
	}
	if args := os.Getenv("FORWARD_CHILD"); args != "" {
		os.Exit(run(context.Background(), strings.Fields(args), io.Discard, os.Stderr))
	}
	bin := t.TempDir()
	script := "#!/bin/sh\necho \"server: $*\"\nexit 7\n"
	if err := os.WriteFile(filepath.Join(bin, serverCommand), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	child := func(path, args string) (string, int) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestForward$")
		cmd.Env = append(os.Environ(), "FORWARD_CHILD="+args, "PATH="+path)
		out, err := cmd.CombinedOutput()
		code := 0
		if e, ok := err.(*exec.ExitError); ok {
			code = e.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	for _, args := range []string{"serve --addr 127.0.0.1:0", "worker --db postgres://x --blobs d"} {
		out, code := child(bin, args)
		if code != 7 || strings.TrimSpace(out) != "server: "+args {
			t.Errorf("appxray %s: exit %d, output %q; want appxray-server's 7 and %q", args, code, out, "server: "+args)
		}
	}
	out, code := child(t.TempDir(), "serve")
	if code != exitError || !strings.Contains(out, "go install ./cmd/appxray-server") || !strings.Contains(out, "go run ./cmd/appxray-server serve") {
		t.Errorf("without appxray-server: exit %d, output %q", code, out)
	}
}
