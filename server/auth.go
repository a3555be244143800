package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"appxray/store"
)

const (
	sessionCookie = "axsession"
	csrfCookie    = "axcsrf"
)

// identity is who sent a request and how.
type identity struct {
	User   *store.User // nil for nobody
	Bearer bool        // authenticated by an API token: no CSRF check
	Local  bool        // a workspace without accounts, on loopback
	csrf   string      // the CSRF cookie's value
}

type ctxKey struct{}

func withIdentity(ctx context.Context, id identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

func identityOf(r *http.Request) identity {
	id, _ := r.Context().Value(ctxKey{}).(identity)
	return id
}

// actor names the identity in the audit log.
func (id identity) actor() string {
	if id.User == nil {
		return "anonymous"
	}
	return id.User.Name
}

// localUser is who a workspace without accounts serves: its own machine.
var localUser = store.User{Name: "local", Role: store.RoleAdmin}

// identify finds who sent the request: an API token, else a session
// cookie, else, in a workspace without accounts, the local user.
func (s *Server) identify(r *http.Request, open bool) (identity, error) {
	id := identity{}
	if c, err := r.Cookie(csrfCookie); err == nil {
		id.csrf = c.Value
	}
	if auth := r.Header.Get("Authorization"); auth != "" {
		tok, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok {
			return id, nil
		}
		u, err := s.db.TokenUser(r.Context(), strings.TrimSpace(tok))
		if errors.Is(err, store.ErrBadCredentials) {
			return id, nil
		}
		if err != nil {
			return id, err
		}
		id.User, id.Bearer = &u, true
		return id, nil
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		u, err := s.db.SessionUser(r.Context(), c.Value)
		if err == nil {
			id.User = &u
			return id, nil
		}
		if !errors.Is(err, store.ErrBadCredentials) {
			return id, err
		}
	}
	if open {
		u := localUser
		id.User, id.Local = &u, true
	}
	return id, nil
}

// csrfToken is the token forms carry: an HMAC of the browser's CSRF
// cookie, so that a page elsewhere, which can neither read the cookie nor
// this server's key, cannot forge it.
func (s *Server) csrfToken(cookie string) string {
	if cookie == "" {
		return ""
	}
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfOK checks an unsafe request: a token request needs no CSRF token
// (a browser never adds the header by itself); any other needs the
// form's token or the X-CSRF-Token header. Only in a workspace without
// accounts, a request that no browser sent (no cookie, no Origin, no
// Sec-Fetch-Site: curl, a script) may come without one.
func (s *Server) csrfOK(r *http.Request, id identity, formToken string) bool {
	if id.Bearer {
		return true
	}
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		tok = formToken
	}
	if want := s.csrfToken(id.csrf); want != "" && tok != "" {
		return subtle.ConstantTimeCompare([]byte(tok), []byte(want)) == 1
	}
	if id.Local && id.csrf == "" && r.Header.Get("Origin") == "" && r.Header.Get("Sec-Fetch-Site") == "" && r.Header.Get("Cookie") == "" {
		return true
	}
	return false
}

// ensureCSRF gives the browser a CSRF cookie if it has none, and returns
// the token for the page's forms.
func (s *Server) ensureCSRF(w http.ResponseWriter, r *http.Request) string {
	id := identityOf(r)
	if id.csrf == "" {
		id.csrf = store.RandomSecret(32)
		s.setCookie(w, r, csrfCookie, id.csrf, 0)
	}
	return s.csrfToken(id.csrf)
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.cfg.SecureCookies || r.TLS != nil,
	})
}

func urlEscape(s string) string { return url.QueryEscape(s) }

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", map[string]any{"Next": safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	name := r.PostFormValue("name")
	next := safeNext(r.PostFormValue("next"))
	if !s.login.allow(clientAddr(r), 1) || !s.login.allow("user:"+name, 1) {
		w.Header().Set("Retry-After", "60")
		s.render(w, r, http.StatusTooManyRequests, "login", map[string]any{"Next": next, "Error": "Too many attempts: wait a minute."})
		return
	}
	u, err := s.db.Authenticate(r.Context(), name, r.PostFormValue("password"))
	if err != nil {
		s.audit(r, "login-failed", name, "")
		if !errors.Is(err, store.ErrBadCredentials) {
			s.log.Error("login", "err", err)
		}
		s.render(w, r, http.StatusUnauthorized, "login", map[string]any{"Next": next, "Error": "Wrong name or password."})
		return
	}
	secret, err := s.db.CreateSession(r.Context(), u.ID, s.cfg.SessionTTL)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not start a session")
		return
	}
	s.setCookie(w, r, sessionCookie, secret, int(s.cfg.SessionTTL.Seconds()))
	s.setCookie(w, r, csrfCookie, store.RandomSecret(32), 0) // a new token after login
	r = r.WithContext(withIdentity(r.Context(), identity{User: &u}))
	s.audit(r, "login", u.Name, "")
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logoutForm(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.db.DeleteSession(r.Context(), c.Value)
	}
	s.setCookie(w, r, sessionCookie, "", -1)
	s.audit(r, "logout", identityOf(r).actor(), "")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.accountWith(w, r, "")
}

func (s *Server) accountWith(w http.ResponseWriter, r *http.Request, newToken string) {
	id := identityOf(r)
	var toks []store.Token
	if !id.Local {
		var err error
		if toks, err = s.db.Tokens(r.Context(), id.User.ID); err != nil {
			s.fail(w, r, http.StatusInternalServerError, "could not list tokens")
			return
		}
	}
	s.render(w, r, http.StatusOK, "account", map[string]any{"Tokens": toks, "NewToken": newToken, "Local": id.Local})
}

func (s *Server) tokenCreateForm(w http.ResponseWriter, r *http.Request) {
	id := identityOf(r)
	if id.Local {
		s.fail(w, r, http.StatusBadRequest, "a workspace without accounts has no tokens: create a user first")
		return
	}
	secret, tok, err := s.db.CreateToken(r.Context(), id.User.ID, r.PostFormValue("name"))
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not create the token")
		return
	}
	s.audit(r, "token-created", tok.Prefix, tok.Name)
	s.accountWith(w, r, secret)
}

func (s *Server) tokenDeleteForm(w http.ResponseWriter, r *http.Request) {
	if err := s.revokeToken(r); err != nil {
		s.fail(w, r, http.StatusNotFound, "no such token")
		return
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

func (s *Server) revokeToken(r *http.Request) error {
	id := identityOf(r)
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id.Local {
		return store.ErrNotFound
	}
	if err := s.db.RevokeToken(r.Context(), id.User.ID, n); err != nil {
		return err
	}
	s.audit(r, "token-revoked", r.PathValue("id"), "")
	return nil
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	s.usersWith(w, r, "", "", "")
}

func (s *Server) usersWith(w http.ResponseWriter, r *http.Request, created, password, errMsg string) {
	users, err := s.db.Users(r.Context())
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not list users")
		return
	}
	status := http.StatusOK
	if errMsg != "" {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "users", map[string]any{"Users": users, "Created": created, "Password": password, "Error": errMsg})
}

// createUser makes an account with a generated password, shown once.
func (s *Server) createUser(r *http.Request, name, role string) (store.User, string, error) {
	password := store.RandomSecret(15)
	u, err := s.db.CreateUser(r.Context(), name, role, password)
	if err != nil {
		return store.User{}, "", err
	}
	s.audit(r, "user-created", name, role)
	s.authOn.Store(true)
	return u, password, nil
}

func (s *Server) userCreateForm(w http.ResponseWriter, r *http.Request) {
	name := r.PostFormValue("name")
	_, password, err := s.createUser(r, name, r.PostFormValue("role"))
	if err != nil {
		s.usersWith(w, r, "", "", strings.TrimPrefix(err.Error(), "store: "))
		return
	}
	s.usersWith(w, r, name, password, "")
}

func (s *Server) userRoleForm(w http.ResponseWriter, r *http.Request) {
	name, role := r.PathValue("name"), r.PostFormValue("role")
	if err := s.db.SetRole(r.Context(), name, role); err != nil {
		s.usersWith(w, r, "", "", strings.TrimPrefix(err.Error(), "store: "))
		return
	}
	s.audit(r, "user-role", name, role)
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

func (s *Server) userDeleteForm(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if id := identityOf(r); id.User != nil && id.User.Name == name {
		s.usersWith(w, r, "", "", "you cannot delete your own account")
		return
	}
	if err := s.db.DeleteUser(r.Context(), name); err != nil {
		s.usersWith(w, r, "", "", strings.TrimPrefix(err.Error(), "store: "))
		return
	}
	s.audit(r, "user-deleted", name, "")
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	log, err := s.db.AuditLog(r.Context(), q.Get("action"), q.Get("target"), 500)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not read the audit log")
		return
	}
	s.render(w, r, http.StatusOK, "audit", map[string]any{"Entries": log})
}

// audit records who did what; a failure to record is logged, and never
// silently dropped.
func (s *Server) audit(r *http.Request, action, target, detail string) {
	if err := s.db.Audit(context.WithoutCancel(r.Context()), identityOf(r).actor(), action, target, detail, clientAddr(r)); err != nil {
		s.log.Error("writing the audit log", "action", action, "target", target, "err", err)
	}
}
