//go:build unix

package main

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// runServer replaces this process with the server, which keeps its
// process ID, its signals and its exit code.
func runServer(path string, args []string, stderr io.Writer) int {
	err := syscall.Exec(path, append([]string{path}, args...), os.Environ())
	fmt.Fprintf(stderr, "appxray %s: running %s: %v\n", args[0], path, err)
	return exitError
}
