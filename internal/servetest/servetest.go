// Package servetest runs appxray serve and appxray worker as real
// processes, for the load and fault tests of the workspace: the binary is
// built once, each process is started on loopback with its own data
// directory, its logs kept for a failing test, its peak memory read from
// /proc before it stops.
package servetest
