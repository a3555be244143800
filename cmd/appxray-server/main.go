// Command appxray-server runs appxray's team workspace: the web app and
// JSON API over the apps a team uploads, and the workers that analyse them.
//
//	appxray-server serve [flags]
//	appxray-server serve adduser [flags] NAME
//	appxray-server worker --db URL --blobs B [flags]
//
// It is a command of its own so that appxray, which scans one app and
// exits, does not start the database drivers, the job queue and the web
// server it never uses; `appxray serve` and `appxray worker` run it.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"appxray/detect"
)

const usage = `appxray-server runs appxray's team workspace.

Usage:
  appxray-server serve [flags]                the team workspace: web app and JSON API over the
                                              apps uploaded, with their analyses (serve -h)
  appxray-server worker --db URL --blobs B    run a workspace's analyses on this machine too
  appxray-server version

appxray serve and appxray worker run these commands.
`

// Exit codes, as appxray's.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "serve":
		return serveCmd(ctx, args[1:], stdout, stderr)
	case "worker":
		return workerCmd(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "appxray-server", detect.Version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "appxray-server: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
