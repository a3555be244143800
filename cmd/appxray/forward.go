package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// serverCommand runs appxray serve and appxray worker. It is a program of
// its own so that a scan does not start (and page in) the database
// drivers, the job queue and the web server: about 7 MB of memory and a
// millisecond of every scan's start.
const serverCommand = "appxray-server"

// forward runs appxray-server with args, the command first, in place of
// this process where the system allows it, and returns its exit code.
func forward(args []string, stderr io.Writer) int {
	path, err := serverPath(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "appxray %s: %v\n", args[0], err)
		return exitError
	}
	return runServer(path, args, stderr)
}

// serverPath finds appxray-server beside this program, where go install
// and the release archives put it, or else on PATH.
func serverPath(command string) (string, error) {
	name := serverCommand
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(serverCommand); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s, which runs it, is neither beside appxray nor on PATH: install it with go install ./cmd/%[1]s, or run go run ./cmd/%[1]s %s in the repository", serverCommand, command)
}
