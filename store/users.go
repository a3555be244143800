package store

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Roles, from least to most allowed.
const (
	RoleViewer  = "viewer"  // reads apps and reports
	RoleAnalyst = "analyst" // also uploads, imports and asks for analyses
	RoleAdmin   = "admin"   // also deletes apps, manages users, reads the audit log
)

// RoleRank orders roles; an unknown role ranks below every known one.
func RoleRank(role string) int {
	switch role {
	case RoleViewer:
		return 1
	case RoleAnalyst:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// User is an account of the workspace.
type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// Token is an API token as listed: never the token itself, which exists
// only when created.
type Token struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	Name       string    `json:"name"`
	Prefix     string    `json:"prefix"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
}

// ErrBadCredentials is returned for a wrong user name, password, token or
// session, without telling which.
var ErrBadCredentials = errors.New("wrong name or password")

// passwordIterations is PBKDF2-HMAC-SHA256's work factor, as OWASP
// recommends; stored with each hash, so it can grow.
const passwordIterations = 600_000

func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	rand.Read(salt)
	key, err := pbkdf2.Key(sha256.New, password, salt, passwordIterations, 32)
	if err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	return "pbkdf2-sha256$" + strconv.Itoa(passwordIterations) + "$" +
		base64.RawStdEncoding.EncodeToString(salt) + "$" + base64.RawStdEncoding.EncodeToString(key), nil
}

func checkPassword(stored, password string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[2])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[3])
	if err1 != nil || err2 != nil {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a user does not exist, so that a
// wrong name takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() string { h, _ := hashPassword("appxray"); return h })

// RandomSecret returns n random bytes in URL-safe base64.
func RandomSecret(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func secretHash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// ValidUserName accepts 1–64 letters, digits, '.', '-', '_' and '@'.
func ValidUserName(name string) bool {
	if len(name) == 0 || len(name) > 64 {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_@", r)) {
			return false
		}
	}
	return true
}

// CreateUser adds an account. A password shorter than 12 characters is
// refused.
func (db *DB) CreateUser(ctx context.Context, name, role, password string) (User, error) {
	if !ValidUserName(name) {
		return User{}, fmt.Errorf("store: user name %q: use 1 to 64 letters, digits and . - _ @", name)
	}
	if RoleRank(role) == 0 {
		return User{}, fmt.Errorf("store: role %q: viewer, analyst or admin", role)
	}
	if len([]rune(password)) < 12 {
		return User{}, errors.New("store: a password has at least 12 characters")
	}
	h, err := hashPassword(password)
	if err != nil {
		return User{}, err
	}
	t := now()
	n, err := db.q().exec(ctx, `INSERT INTO users (name, password, role, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING`, name, h, role, t)
	if err != nil {
		return User{}, err
	}
	if n == 0 {
		return User{}, fmt.Errorf("store: user %q exists already", name)
	}
	return db.UserByName(ctx, name)
}

// UserByName finds an account.
func (db *DB) UserByName(ctx context.Context, name string) (User, error) {
	var u User
	var created int64
	err := db.q().queryRow(ctx, `SELECT id, name, role, created_at FROM users WHERE name = $1`, name).Scan(&u.ID, &u.Name, &u.Role, &created)
	u.CreatedAt = time.UnixMilli(created).UTC()
	return u, err
}

// Users lists the accounts.
func (db *DB) Users(ctx context.Context) ([]User, error) {
	rs, err := db.q().query(ctx, `SELECT id, name, role, created_at FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := []User{}
	for rs.Next() {
		var u User
		var created int64
		if err := rs.Scan(&u.ID, &u.Name, &u.Role, &created); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		u.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, u)
	}
	return out, rs.Err()
}

// HasUsers reports whether authentication is configured: any account exists.
func (db *DB) HasUsers(ctx context.Context) (bool, error) {
	var n int
	err := db.q().queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n > 0, err
}

// SetRole changes an account's role.
func (db *DB) SetRole(ctx context.Context, name, role string) error {
	if RoleRank(role) == 0 {
		return fmt.Errorf("store: role %q: viewer, analyst or admin", role)
	}
	n, err := db.q().exec(ctx, `UPDATE users SET role = $2 WHERE name = $1`, name, role)
	if err == nil && n == 0 {
		return fmt.Errorf("store: user %q: %w", name, ErrNotFound)
	}
	return err
}

// DeleteUser removes an account with its tokens and sessions.
func (db *DB) DeleteUser(ctx context.Context, name string) error {
	n, err := db.q().exec(ctx, `DELETE FROM users WHERE name = $1`, name)
	if err == nil && n == 0 {
		return fmt.Errorf("store: user %q: %w", name, ErrNotFound)
	}
	return err
}

// Authenticate checks a name and password.
func (db *DB) Authenticate(ctx context.Context, name, password string) (User, error) {
	var u User
	var hash string
	var created int64
	err := db.q().queryRow(ctx, `SELECT id, name, role, created_at, password FROM users WHERE name = $1`, name).Scan(&u.ID, &u.Name, &u.Role, &created, &hash)
	if errors.Is(err, ErrNotFound) {
		checkPassword(dummyHash(), password)
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, err
	}
	if !checkPassword(hash, password) {
		return User{}, ErrBadCredentials
	}
	u.CreatedAt = time.UnixMilli(created).UTC()
	return u, nil
}

// CreateToken makes an API token for a user and returns it: the only time
// it is seen, since only its hash is stored.
func (db *DB) CreateToken(ctx context.Context, userID int64, name string) (string, Token, error) {
	secret := "axt_" + RandomSecret(32)
	t := Token{UserID: userID, Name: CleanName(name), Prefix: secret[:10], CreatedAt: time.UnixMilli(now()).UTC()}
	err := db.q().queryRow(ctx, `INSERT INTO tokens (user_id, name, hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		userID, t.Name, secretHash(secret), t.Prefix, t.CreatedAt.UnixMilli()).Scan(&t.ID)
	if err != nil {
		return "", Token{}, err
	}
	return secret, t, nil
}

// Tokens lists a user's tokens.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	rs, err := db.q().query(ctx, `SELECT id, user_id, name, prefix, created_at, last_used_at FROM tokens WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := []Token{}
	for rs.Next() {
		var t Token
		var created, used int64
		if err := rs.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &created, &used); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		t.CreatedAt = time.UnixMilli(created).UTC()
		if used != 0 {
			t.LastUsedAt = time.UnixMilli(used).UTC()
		}
		out = append(out, t)
	}
	return out, rs.Err()
}

// RevokeToken deletes one of a user's tokens.
func (db *DB) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	n, err := db.q().exec(ctx, `DELETE FROM tokens WHERE id = $1 AND user_id = $2`, tokenID, userID)
	if err == nil && n == 0 {
		return fmt.Errorf("store: token %d: %w", tokenID, ErrNotFound)
	}
	return err
}

// TokenUser returns the user an API token belongs to.
func (db *DB) TokenUser(ctx context.Context, secret string) (User, error) {
	if !strings.HasPrefix(secret, "axt_") || len(secret) > 100 {
		return User{}, ErrBadCredentials
	}
	var u User
	var created, tokenID int64
	err := db.q().queryRow(ctx, `SELECT u.id, u.name, u.role, u.created_at, t.id FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1`,
		secretHash(secret)).Scan(&u.ID, &u.Name, &u.Role, &created, &tokenID)
	if errors.Is(err, ErrNotFound) {
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, err
	}
	u.CreatedAt = time.UnixMilli(created).UTC()
	db.q().exec(ctx, `UPDATE tokens SET last_used_at = $2 WHERE id = $1`, tokenID, now())
	return u, nil
}

// CreateSession starts a browser session and returns its secret, for the
// cookie; the database keeps only its hash.
func (db *DB) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	secret := RandomSecret(32)
	t := now()
	_, err := db.q().exec(ctx, `INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		secretHash(secret), userID, t, t+ttl.Milliseconds())
	if err != nil {
		return "", err
	}
	db.q().exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, t)
	return secret, nil
}

// SessionUser returns the user of a live session.
func (db *DB) SessionUser(ctx context.Context, secret string) (User, error) {
	if secret == "" || len(secret) > 100 {
		return User{}, ErrBadCredentials
	}
	var u User
	var created int64
	err := db.q().queryRow(ctx, `SELECT u.id, u.name, u.role, u.created_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = $1 AND s.expires_at > $2`,
		secretHash(secret), now()).Scan(&u.ID, &u.Name, &u.Role, &created)
	if errors.Is(err, ErrNotFound) {
		return User{}, ErrBadCredentials
	}
	u.CreatedAt = time.UnixMilli(created).UTC()
	return u, err
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, secret string) error {
	_, err := db.q().exec(ctx, `DELETE FROM sessions WHERE hash = $1`, secretHash(secret))
	return err
}

// Setting returns a workspace-wide value, creating it with create() the
// first time (by whichever process asks first).
func (db *DB) Setting(ctx context.Context, key string, create func() string) (string, error) {
	if _, err := db.q().exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, create()); err != nil {
		return "", err
	}
	var v string
	err := db.q().queryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	return v, err
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Target string    `json:"target"`
	Detail string    `json:"detail,omitempty"`
	Remote string    `json:"remote"`
}

// Audit appends to the audit log.
func (db *DB) Audit(ctx context.Context, actor, action, target, detail, remote string) error {
	_, err := db.q().exec(ctx, `INSERT INTO audit (at, actor, action, target, detail, remote) VALUES ($1, $2, $3, $4, $5, $6)`,
		now(), actor, action, target, detail, remote)
	return err
}

// AuditLog lists the newest entries, optionally only those of one action
// or target.
func (db *DB) AuditLog(ctx context.Context, action, target string, limit int) ([]AuditEntry, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rs, err := db.q().query(ctx, `SELECT id, at, actor, action, target, detail, remote FROM audit
		WHERE ($1 = '' OR action = $1) AND ($2 = '' OR target = $2) ORDER BY id DESC LIMIT `+strconv.Itoa(limit), action, target)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := []AuditEntry{}
	for rs.Next() {
		var e AuditEntry
		var at int64
		if err := rs.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Remote); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out, rs.Err()
}
