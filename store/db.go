package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite" // the SQLite driver, in Go
)

// Dialect names a database engine.
type Dialect string

// The two engines appxray serve runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the database of a workspace. Queries are written once with $1…
// placeholders, which both engines take.
type DB struct {
	Dialect Dialect
	sqlDB   *sql.DB       // SQLite
	pool    *pgxpool.Pool // PostgreSQL
	where   string        // for messages, without credentials
}

// Open opens the database named by dbURL (postgres://… or postgresql://…),
// or, when dbURL is empty, the SQLite database appxray.db in dataDir.
func Open(ctx context.Context, dbURL, dataDir string) (*DB, error) {
	switch {
	case dbURL == "":
		if dataDir == "" {
			return nil, errors.New("store: give a data directory or a database URL")
		}
		return OpenSQLite(ctx, filepath.Join(dataDir, "appxray.db"))
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		return OpenPostgres(ctx, dbURL)
	case strings.HasPrefix(dbURL, "sqlite:"):
		return OpenSQLite(ctx, strings.TrimPrefix(strings.TrimPrefix(dbURL, "sqlite:"), "//"))
	}
	return nil, fmt.Errorf("store: unknown database %q (postgres://… or sqlite:PATH)", redact(dbURL))
}

// OpenSQLite opens (creating it) a SQLite database file in WAL mode. SQLite
// lets one connection write at a time, so the pool holds one connection,
// as River's SQLite driver asks.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	return &DB{Dialect: SQLite, sqlDB: db, where: path}, nil
}

// OpenPostgres connects to a PostgreSQL server.
func OpenPostgres(ctx context.Context, dbURL string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", redact(dbURL), err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", redact(dbURL), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: connecting to %s: %w", redact(dbURL), err)
	}
	return &DB{Dialect: Postgres, pool: pool, where: redact(dbURL)}, nil
}

// redact drops the password from a database URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

func (db *DB) String() string { return string(db.Dialect) + " " + db.where }

// SQL is the SQLite pool (nil on PostgreSQL), for River's SQLite driver.
func (db *DB) SQL() *sql.DB { return db.sqlDB }

// Pool is the PostgreSQL pool (nil on SQLite), for River's pgx driver.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close closes the database.
func (db *DB) Close() error {
	if db.pool != nil {
		db.pool.Close()
		return nil
	}
	return db.sqlDB.Close()
}

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if db.pool != nil {
		return db.pool.Ping(ctx)
	}
	return db.sqlDB.PingContext(ctx)
}

// Tx is a transaction on either engine.
type Tx struct {
	sqlTx *sql.Tx
	pgTx  pgx.Tx
}

// SQLTx is the SQLite transaction (nil on PostgreSQL).
func (tx *Tx) SQLTx() *sql.Tx { return tx.sqlTx }

// PgxTx is the PostgreSQL transaction (nil on SQLite).
func (tx *Tx) PgxTx() pgx.Tx { return tx.pgTx }

// InTx runs fn in a transaction, committed if fn returns nil.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) error {
	if db.pool != nil {
		t, err := db.pool.Begin(ctx)
		if err != nil {
			return fmt.Errorf("store: begin: %w", err)
		}
		defer t.Rollback(context.WithoutCancel(ctx))
		if err := fn(&Tx{pgTx: t}); err != nil {
			return err
		}
		if err := t.Commit(ctx); err != nil {
			return fmt.Errorf("store: commit: %w", err)
		}
		return nil
	}
	t, err := db.sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer t.Rollback()
	if err := fn(&Tx{sqlTx: t}); err != nil {
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// querier runs statements on a pool or in a transaction.
type querier interface {
	exec(ctx context.Context, q string, args ...any) (int64, error)
	query(ctx context.Context, q string, args ...any) (rows, error)
	queryRow(ctx context.Context, q string, args ...any) row
}

type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

type row interface{ Scan(dest ...any) error }

func (db *DB) q() querier {
	if db.pool != nil {
		return pgQ{db.pool}
	}
	return sqlQ{db.sqlDB}
}

func (tx *Tx) q() querier {
	if tx.pgTx != nil {
		return pgQ{tx.pgTx}
	}
	return sqlQ{tx.sqlTx}
}

type sqlRunner interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

type sqlQ struct{ r sqlRunner }

func (s sqlQ) exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := s.r.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	return res.RowsAffected()
}

func (s sqlQ) query(ctx context.Context, q string, args ...any) (rows, error) {
	r, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return sqlRows{r}, nil
}

func (s sqlQ) queryRow(ctx context.Context, q string, args ...any) row {
	return sqlRow{s.r.QueryRowContext(ctx, q, args...)}
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

type sqlRow struct{ r *sql.Row }

func (r sqlRow) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

type pgRunner interface {
	Exec(ctx context.Context, q string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, q string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) pgx.Row
}

type pgQ struct{ r pgRunner }

func (p pgQ) exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := p.r.Exec(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	return tag.RowsAffected(), nil
}

func (p pgQ) query(ctx context.Context, q string, args ...any) (rows, error) {
	r, err := p.r.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return r, nil
}

func (p pgQ) queryRow(ctx context.Context, q string, args ...any) row {
	return pgRow{p.r.QueryRow(ctx, q, args...)}
}

type pgRow struct{ r pgx.Row }

func (r pgRow) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

func now() int64 { return time.Now().UnixMilli() }
