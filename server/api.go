package server

import (
	"encoding/json"
	"net/http"
	"strings"
)

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	id := identityOf(r)
	writeJSON(w, http.StatusOK, map[string]any{"user": id.User, "local": id.Local, "token": id.Bearer})
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) {
	id := identityOf(r)
	if id.Local {
		writeJSON(w, http.StatusOK, map[string]any{"tokens": []any{}})
		return
	}
	toks, err := s.db.Tokens(r.Context(), id.User.ID)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not list tokens")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": toks})
}

// decode reads a small JSON request body.
func decode(r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	return dec.Decode(v) == nil
}

func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) {
	id := identityOf(r)
	if id.Local {
		s.fail(w, r, http.StatusBadRequest, "a workspace without accounts has no tokens: create a user first")
		return
	}
	var req struct {
		Name string `json:"name"`
	}
	if !decode(r, &req) {
		s.fail(w, r, http.StatusBadRequest, `send {"name": "…"}`)
		return
	}
	secret, tok, err := s.db.CreateToken(r.Context(), id.User.ID, req.Name)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not create the token")
		return
	}
	s.audit(r, "token-created", tok.Prefix, tok.Name)
	writeJSON(w, http.StatusCreated, map[string]any{"token": secret, "info": tok, "note": "shown once: only its hash is kept"})
}

func (s *Server) apiTokenDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.revokeToken(r); err != nil {
		s.fail(w, r, http.StatusNotFound, "no such token")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.db.Users(r.Context())
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not list users")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

func (s *Server) apiUserCreate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string `json:"name"`
		Role string `json:"role"`
	}
	if !decode(r, &req) {
		s.fail(w, r, http.StatusBadRequest, `send {"name": "…", "role": "viewer|analyst|admin"}`)
		return
	}
	u, password, err := s.createUser(r, req.Name, req.Role)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, strings.TrimPrefix(err.Error(), "store: "))
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"user": u, "password": password, "note": "shown once"})
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	log, err := s.db.AuditLog(r.Context(), q.Get("action"), q.Get("target"), 500)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not read the audit log")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": log})
}
