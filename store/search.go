package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"appxray/knowledge"
)

// Query is a search over the workspace's apps; every condition given must
// hold.
type Query struct {
	Package    string `json:"package,omitempty"`    // exact package name
	Label      string `json:"label,omitempty"`      // part of the label
	Signer     string `json:"signer,omitempty"`     // certificate SHA-256 or SHA-1
	Permission string `json:"permission,omitempty"` // exact permission
	Tracker    string `json:"tracker,omitempty"`    // tracker or SDK name
	Category   string `json:"category,omitempty"`   // taxonomy category, or "special"
	Host       string `json:"host,omitempty"`       // host or IP address, or a domain it lies under
	Text       string `json:"q,omitempty"`          // words in form-field labels, options, labels
	Status     string `json:"status,omitempty"`
	Limit      int    `json:"limit,omitempty"`
	Offset     int    `json:"offset,omitempty"`
}

// Empty reports whether the query has no condition.
func (q Query) Empty() bool {
	return q.Package == "" && q.Label == "" && q.Signer == "" && q.Permission == "" && q.Tracker == "" &&
		q.Category == "" && q.Host == "" && q.Text == "" && q.Status == ""
}

// Result is one page of a search, the number of all matches and the
// facets of all matches.
type Result struct {
	Apps   []App              `json:"apps"`
	Total  int                `json:"total"`
	Facets map[string][]Facet `json:"facets"`
}

// Facet is one value of a fact and the number of matching apps that have it.
type Facet struct {
	Value   string `json:"value"`
	Title   string `json:"title,omitempty"`
	Count   int    `json:"count"`
	Special bool   `json:"special,omitempty"`
}

// facetLimit is how many values of each kind a result lists.
var facetLimit = map[string]int{
	FactCategory:   100,
	FactTracker:    30,
	FactPermission: 30,
	FactHost:       30,
	FactIP:         15,
	FactSigner:     15,
}

type builder struct {
	conds []string
	args  []any
}

func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

func (b *builder) fact(kind, value string) {
	b.conds = append(b.conds, `EXISTS (SELECT 1 FROM facts f WHERE f.sha256 = a.sha256 AND f.kind = `+b.arg(kind)+` AND f.value = `+b.arg(value)+`)`)
}

func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// hasUnsegmented reports whether s holds a script written without spaces
// between words, which the full-text tokenizers of both engines keep as
// one long token; such text is searched as a substring.
func hasUnsegmented(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan) {
			return true
		}
	}
	return false
}

func (db *DB) whereClause(q Query) (string, []any) {
	b := &builder{}
	if q.Package != "" {
		b.conds = append(b.conds, `a.package = `+b.arg(q.Package))
	}
	if q.Label != "" {
		b.conds = append(b.conds, `LOWER(a.label) LIKE `+b.arg("%"+likeEscape(strings.ToLower(q.Label))+"%")+` ESCAPE '\'`)
	}
	if q.Status != "" {
		b.conds = append(b.conds, `a.status = `+b.arg(q.Status))
	}
	if q.Signer != "" {
		b.fact(FactSigner, strings.ToLower(strings.ReplaceAll(strings.TrimSpace(q.Signer), ":", "")))
	}
	if q.Permission != "" {
		b.fact(FactPermission, q.Permission)
	}
	if q.Tracker != "" {
		b.fact(FactTracker, q.Tracker)
	}
	switch q.Category {
	case "":
	case "special":
		b.conds = append(b.conds, `EXISTS (SELECT 1 FROM facts f WHERE f.sha256 = a.sha256 AND f.kind = `+b.arg(FactSpecial)+`)`)
	default:
		b.fact(FactCategory, q.Category)
	}
	if h := strings.ToLower(strings.TrimSpace(q.Host)); h != "" {
		b.conds = append(b.conds, `EXISTS (SELECT 1 FROM facts f WHERE f.sha256 = a.sha256 AND f.kind IN ('host', 'ip') AND (f.value = `+
			b.arg(h)+` OR f.value LIKE `+b.arg("%."+likeEscape(h))+` ESCAPE '\'))`)
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		switch {
		case hasUnsegmented(t):
			b.conds = append(b.conds, `a.sha256 IN (SELECT t.sha256 FROM app_text t WHERE LOWER(t.body) LIKE `+
				b.arg("%"+likeEscape(strings.ToLower(t))+"%")+` ESCAPE '\')`)
		case db.Dialect == Postgres:
			b.conds = append(b.conds, `a.sha256 IN (SELECT t.sha256 FROM app_text t WHERE t.tsv @@ plainto_tsquery('simple', `+b.arg(t)+`))`)
		default:
			b.conds = append(b.conds, `a.sha256 IN (SELECT t.sha256 FROM app_text t WHERE app_text MATCH `+b.arg(ftsQuery(t))+`)`)
		}
	}
	if len(b.conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(b.conds, " AND "), b.args
}

// ftsQuery turns words into an FTS5 query that matches all of them, each
// quoted so that no word is read as an operator.
func ftsQuery(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r) })
	if len(words) == 0 {
		return `""`
	}
	for i, w := range words {
		words[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	return strings.Join(words, " AND ")
}

// Search runs a query: a page of matching apps, newest first, how many
// match, and the facets of every match.
func (db *DB) Search(ctx context.Context, q Query) (Result, error) {
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 50
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	where, args := db.whereClause(q)
	res := Result{Apps: []App{}, Facets: map[string][]Facet{}}
	if err := db.q().queryRow(ctx, `SELECT COUNT(*) FROM apps a`+where, args...).Scan(&res.Total); err != nil {
		return res, fmt.Errorf("store: search: %w", err)
	}
	page := fmt.Sprintf(` ORDER BY a.created_at DESC, a.sha256 LIMIT %d OFFSET %d`, q.Limit, q.Offset)
	apps, err := db.listApps(ctx, `SELECT `+prefixed("a.", appColumns)+` FROM apps a`+where+page, args...)
	if err != nil {
		return res, fmt.Errorf("store: search: %w", err)
	}
	res.Apps = apps
	rs, err := db.q().query(ctx, `SELECT f.kind, f.value, COUNT(*) FROM facts f WHERE f.kind <> 'special' AND f.sha256 IN (SELECT a.sha256 FROM apps a`+
		where+`) GROUP BY f.kind, f.value`, args...)
	if err != nil {
		return res, fmt.Errorf("store: facets: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var kind string
		var f Facet
		if err := rs.Scan(&kind, &f.Value, &f.Count); err != nil {
			return res, fmt.Errorf("store: facets: %w", err)
		}
		if kind == FactCategory {
			if info, ok := knowledge.Category(f.Value).Info(); ok {
				f.Title, f.Special = info.Title, info.Special
			}
		}
		res.Facets[kind] = append(res.Facets[kind], f)
	}
	if err := rs.Err(); err != nil {
		return res, fmt.Errorf("store: facets: %w", err)
	}
	for kind, fs := range res.Facets {
		slices.SortFunc(fs, func(a, b Facet) int {
			if a.Special != b.Special {
				if a.Special {
					return -1
				}
				return 1
			}
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		if n := facetLimit[kind]; n > 0 && len(fs) > n {
			fs = fs[:n]
		}
		res.Facets[kind] = fs
	}
	return res, nil
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
