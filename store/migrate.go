package store

import (
	"context"
	"fmt"
)

// migration is one step of the schema, written for each engine.
type migration struct {
	version  int
	sqlite   []string
	postgres []string
}

var migrations = []migration{
	{
		version: 1,
		sqlite: append([]string{appsTable, factsTable,
			`CREATE VIRTUAL TABLE app_text USING fts5(sha256 UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')`,
		}, searchIndexes...),
		postgres: append([]string{appsTable, factsTable,
			`CREATE TABLE app_text (
				sha256 TEXT PRIMARY KEY REFERENCES apps(sha256) ON DELETE CASCADE,
				body TEXT NOT NULL,
				tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED)`,
			`CREATE INDEX app_text_tsv ON app_text USING GIN (tsv)`,
		}, searchIndexes...),
	},
	{
		version:  2,
		sqlite:   authTables("INTEGER PRIMARY KEY AUTOINCREMENT"),
		postgres: authTables("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
	},
}

// appsTable holds one row per uploaded file (by content), its analysis
// status and its latest report.
const appsTable = `CREATE TABLE apps (
		sha256 TEXT PRIMARY KEY,
		size BIGINT NOT NULL,
		name TEXT NOT NULL,
		has_blob INTEGER NOT NULL DEFAULT 1,
		status TEXT NOT NULL,
		error TEXT NOT NULL DEFAULT '',
		attempts INTEGER NOT NULL DEFAULT 0,
		job_id BIGINT NOT NULL DEFAULT 0,
		package TEXT NOT NULL DEFAULT '',
		version_name TEXT NOT NULL DEFAULT '',
		version_code BIGINT NOT NULL DEFAULT 0,
		label TEXT NOT NULL DEFAULT '',
		kind TEXT NOT NULL DEFAULT '',
		analysed_version TEXT NOT NULL DEFAULT '',
		analyses INTEGER NOT NULL DEFAULT 0,
		findings INTEGER NOT NULL DEFAULT 0,
		special TEXT NOT NULL DEFAULT '',
		report TEXT NOT NULL DEFAULT '',
		uploaded_by TEXT NOT NULL DEFAULT '',
		created_at BIGINT NOT NULL,
		updated_at BIGINT NOT NULL,
		analysed_at BIGINT NOT NULL DEFAULT 0
	)`

// factsTable holds what the searches and facets look for: (kind, value)
// pairs per app.
const factsTable = `CREATE TABLE facts (
		sha256 TEXT NOT NULL REFERENCES apps(sha256) ON DELETE CASCADE,
		kind TEXT NOT NULL,
		value TEXT NOT NULL,
		PRIMARY KEY (sha256, kind, value)
	)`

var searchIndexes = []string{
	`CREATE INDEX apps_package ON apps (package, version_code)`,
	`CREATE INDEX apps_created ON apps (created_at)`,
	`CREATE INDEX apps_status ON apps (status)`,
	`CREATE INDEX facts_kind_value ON facts (kind, value)`,
	`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
}

func authTables(id string) []string {
	return []string{
		`CREATE TABLE users (
			id ` + id + `,
			name TEXT NOT NULL UNIQUE,
			password TEXT NOT NULL,
			role TEXT NOT NULL,
			created_at BIGINT NOT NULL
		)`,
		`CREATE TABLE tokens (
			id ` + id + `,
			user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
			name TEXT NOT NULL,
			hash TEXT NOT NULL UNIQUE,
			prefix TEXT NOT NULL,
			created_at BIGINT NOT NULL,
			last_used_at BIGINT NOT NULL DEFAULT 0
		)`,
		`CREATE TABLE sessions (
			hash TEXT PRIMARY KEY,
			user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
			created_at BIGINT NOT NULL,
			expires_at BIGINT NOT NULL
		)`,
		`CREATE INDEX sessions_expires ON sessions (expires_at)`,
		`CREATE TABLE audit (
			id ` + id + `,
			at BIGINT NOT NULL,
			actor TEXT NOT NULL,
			action TEXT NOT NULL,
			target TEXT NOT NULL,
			detail TEXT NOT NULL,
			remote TEXT NOT NULL
		)`,
		`CREATE INDEX audit_at ON audit (at)`,
	}
}

// SchemaVersion is the schema this build of appxray writes.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// Migrate brings the schema up to SchemaVersion, one transaction per step.
// A database written by a newer appxray is refused. Call it under Lock
// when several processes may start at once.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.q().exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	cur, err := db.schemaVersion(ctx)
	if err != nil {
		return err
	}
	if cur > SchemaVersion() {
		return fmt.Errorf("store: the database has schema %d, newer than this appxray's %d", cur, SchemaVersion())
	}
	for _, m := range migrations {
		if m.version <= cur {
			continue
		}
		stmts := m.sqlite
		if db.Dialect == Postgres {
			stmts = m.postgres
		}
		err := db.InTx(ctx, func(tx *Tx) error {
			for _, s := range stmts {
				if _, err := tx.q().exec(ctx, s); err != nil {
					return fmt.Errorf("store: migration %d: %w", m.version, err)
				}
			}
			_, err := tx.q().exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, m.version, now())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) schemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := db.q().queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

// Lock runs fn holding a database-wide lock (a PostgreSQL advisory lock;
// on SQLite, whose writers already take turns, fn simply runs).
func (db *DB) Lock(ctx context.Context, fn func() error) error {
	if db.pool == nil {
		return fn()
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: lock: %w", err)
	}
	defer conn.Release()
	const key = 0x61707078 // "appx"
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("store: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key)
	return fn()
}
