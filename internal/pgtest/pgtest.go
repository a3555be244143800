// Package pgtest runs a scratch PostgreSQL server for tests: Debian's
// postgresql binaries, a data directory in a temporary folder, listening
// on 127.0.0.1 on a free port, as the postgres system user when the tests
// run as root (PostgreSQL refuses to run as root). Each test gets a fresh
// database of its own.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"appxray/internal/corpus"
)

// Server is a running scratch PostgreSQL server.
type Server struct {
	bin  string
	dir  string
	port int
	as   string // the user it runs as, "" for the current one
	n    atomic.Int64
}

// ErrUnavailable is returned by Start when PostgreSQL is not installed.
var ErrUnavailable = errors.New("pgtest: PostgreSQL is not installed (apt-get install postgresql)")

func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", ErrUnavailable
}

// Start initialises and starts a server; Stop removes it.
func Start() (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin}
	dir, err := os.MkdirTemp("", "appxray-pg-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	s.dir = dir
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pgtest: running as root needs the postgres system user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pgtest: %w", err)
		}
		s.as = "postgres"
	}
	data := filepath.Join(dir, "data")
	if out, err := s.run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--locale=C"); err != nil {
		s.Stop()
		return nil, fmt.Errorf("pgtest: initdb: %w\n%s", err, out)
	}
	for try := 0; ; try++ {
		s.port, err = freePort()
		if err != nil {
			s.Stop()
			return nil, err
		}
		opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", s.port, dir)
		out, err := s.run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start")
		if err == nil {
			break
		}
		if try == 3 {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			s.Stop()
			return nil, fmt.Errorf("pgtest: pg_ctl start: %w\n%s\n%s", err, out, log)
		}
	}
	return s, nil
}

func (s *Server) run(tool string, args ...string) ([]byte, error) {
	path := filepath.Join(s.bin, tool)
	var cmd *exec.Cmd
	if s.as != "" {
		cmd = exec.Command("runuser", append([]string{"-u", s.as, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = s.dir
	return cmd.CombinedOutput()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// URL is the address of one database on the server.
func (s *Server) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, db)
}

// NewDatabase creates an empty database and returns its URL.
func (s *Server) NewDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("t%d_%d", os.Getpid(), s.n.Add(1))
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	return s.URL(name), nil
}

// Stop stops the server and removes its files.
func (s *Server) Stop() {
	if s == nil || s.dir == "" {
		return
	}
	if s.port != 0 {
		s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
	}
	os.RemoveAll(s.dir)
}

var shared struct {
	srv *Server
	err error
}

// Main starts the package's shared server around m.Run (a *testing.M). Call it from
// TestMain: os.Exit(pgtest.Main(m)).
func Main(m interface{ Run() int }) int {
	if _, err := binDir(); err == nil {
		shared.srv, shared.err = Start()
	} else {
		shared.err = err
	}
	defer shared.srv.Stop()
	return m.Run()
}

// Database returns the URL of a fresh database on the shared server, or
// skips the test (fails it under APPXRAY_REQUIRE_CORPUS=1) when PostgreSQL
// is not installed.
func Database(t testing.TB) string {
	t.Helper()
	if shared.srv == nil {
		if shared.err == nil {
			t.Fatal("pgtest: call pgtest.Main from TestMain")
		}
		if errors.Is(shared.err, ErrUnavailable) {
			corpus.Missing(t, "needs PostgreSQL: %v", shared.err)
		}
		t.Fatal(shared.err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u, err := shared.srv.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Logs returns the shared server's log, for a failing test's message.
func Logs() string {
	if shared.srv == nil {
		return ""
	}
	b, _ := os.ReadFile(filepath.Join(shared.srv.dir, "log"))
	return strings.TrimSpace(string(b))
}
