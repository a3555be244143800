package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"appxray/knowledge"
	"appxray/scan"
)

// Status of an app's analysis.
const (
	StatusQueued   = "queued"   // waiting for a worker (again, after a failed attempt)
	StatusRunning  = "running"  // a worker has it
	StatusDone     = "done"     // the report is there
	StatusFailed   = "failed"   // no report: Error says why
	StatusImported = "imported" // a report imported without its file
)

// App is one uploaded file, by content, and what is known of it.
type App struct {
	SHA256          string    `json:"sha256"`
	Size            int64     `json:"size"`
	Name            string    `json:"name"`
	HasFile         bool      `json:"has_file"`
	Status          string    `json:"status"`
	Error           string    `json:"error,omitempty"`
	Attempts        int       `json:"attempts"`
	JobID           int64     `json:"job_id,omitempty"`
	Package         string    `json:"package,omitempty"`
	VersionName     string    `json:"version_name,omitempty"`
	VersionCode     int64     `json:"version_code,omitempty"`
	Label           string    `json:"label,omitempty"`
	Kind            string    `json:"kind,omitempty"`
	AnalysedVersion string    `json:"analysed_version,omitempty"`
	Analyses        int       `json:"analyses"`
	Findings        int       `json:"findings"`
	Special         []string  `json:"special_categories"`
	UploadedBy      string    `json:"uploaded_by,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	AnalysedAt      time.Time `json:"analysed_at,omitzero"`
}

const appColumns = `sha256, size, name, has_blob, status, error, attempts, job_id, package, version_name,
	version_code, label, kind, analysed_version, analyses, findings, special, uploaded_by, created_at, updated_at, analysed_at`

func scanApp(r row) (App, error) {
	var a App
	var hasBlob int
	var special string
	var created, updated, analysed int64
	err := r.Scan(&a.SHA256, &a.Size, &a.Name, &hasBlob, &a.Status, &a.Error, &a.Attempts, &a.JobID, &a.Package,
		&a.VersionName, &a.VersionCode, &a.Label, &a.Kind, &a.AnalysedVersion, &a.Analyses, &a.Findings, &special,
		&a.UploadedBy, &created, &updated, &analysed)
	if err != nil {
		return App{}, err
	}
	a.HasFile = hasBlob != 0
	a.Special = splitList(special)
	a.CreatedAt = time.UnixMilli(created).UTC()
	a.UpdatedAt = time.UnixMilli(updated).UTC()
	if analysed != 0 {
		a.AnalysedAt = time.UnixMilli(analysed).UTC()
	}
	return a, nil
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// CleanName makes a user-given file name safe to keep and show: its last
// path element, without control characters, at most 200 bytes. It is only
// ever data: no file is created under it.
func CleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	for len(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == ".." {
		return "upload"
	}
	return name
}

// AddUpload records an uploaded file, once per content. It reports the
// row as it now is and whether this upload created it.
func (tx *Tx) AddUpload(ctx context.Context, sum string, size int64, name, by string) (App, bool, error) {
	if err := checkSum(sum); err != nil {
		return App{}, false, err
	}
	t := now()
	n, err := tx.q().exec(ctx, `INSERT INTO apps (sha256, size, name, status, uploaded_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (sha256) DO NOTHING`,
		sum, size, CleanName(name), StatusQueued, by, t)
	if err != nil {
		return App{}, false, err
	}
	a, err := getApp(ctx, tx.q(), sum)
	if err != nil {
		return App{}, false, err
	}
	if n == 0 && !a.HasFile {
		// An imported report whose file now arrives.
		if _, err := tx.q().exec(ctx, `UPDATE apps SET has_blob = 1, size = $2, updated_at = $3 WHERE sha256 = $1`, sum, size, t); err != nil {
			return App{}, false, err
		}
		a.HasFile = true
	}
	return a, n == 1, nil
}

// Queue marks the app as waiting for analysis by the given job.
func (tx *Tx) Queue(ctx context.Context, sum string, jobID int64) error {
	_, err := tx.q().exec(ctx, `UPDATE apps SET status = $2, job_id = $3, error = '', attempts = 0, updated_at = $4 WHERE sha256 = $1`,
		sum, StatusQueued, jobID, now())
	return err
}

// Get returns an app without its report.
func (db *DB) Get(ctx context.Context, sum string) (App, error) {
	if !ValidSum(sum) {
		return App{}, ErrNotFound
	}
	return getApp(ctx, db.q(), sum)
}

func getApp(ctx context.Context, q querier, sum string) (App, error) {
	a, err := scanApp(q.queryRow(ctx, `SELECT `+appColumns+` FROM apps WHERE sha256 = $1`, sum))
	if errors.Is(err, ErrNotFound) {
		return App{}, fmt.Errorf("store: app %s: %w", sum, ErrNotFound)
	}
	return a, err
}

// Report returns an app's report as the JSON appxray scan writes, or
// ErrNotFound when it has none.
func (db *DB) Report(ctx context.Context, sum string) ([]byte, error) {
	if !ValidSum(sum) {
		return nil, ErrNotFound
	}
	var rep string
	if err := db.q().queryRow(ctx, `SELECT report FROM apps WHERE sha256 = $1`, sum).Scan(&rep); err != nil {
		return nil, err
	}
	if rep == "" {
		return nil, fmt.Errorf("store: report of %s: %w", sum, ErrNotFound)
	}
	return []byte(rep), nil
}

// MarkRunning records that a worker started an attempt.
func (db *DB) MarkRunning(ctx context.Context, sum string, attempt int) error {
	_, err := db.q().exec(ctx, `UPDATE apps SET status = $2, attempts = $3, updated_at = $4 WHERE sha256 = $1 AND status <> $5`,
		sum, StatusRunning, attempt, now(), StatusDone)
	return err
}

// MarkAttemptFailed records a failed attempt that will be retried.
func (db *DB) MarkAttemptFailed(ctx context.Context, sum string, attempt int, msg string) error {
	_, err := db.q().exec(ctx, `UPDATE apps SET status = $2, attempts = $3, error = $4, updated_at = $5 WHERE sha256 = $1 AND status <> $6`,
		sum, StatusQueued, attempt, msg, now(), StatusDone)
	return err
}

// MarkFailed records that the app cannot be analysed, and why.
func (db *DB) MarkFailed(ctx context.Context, sum string, msg string) error {
	_, err := db.q().exec(ctx, `UPDATE apps SET status = $2, error = $3, updated_at = $4 WHERE sha256 = $1 AND status <> $5`,
		sum, StatusFailed, msg, now(), StatusDone)
	return err
}

// Analysed reports whether the app has a report by this appxray version.
func (db *DB) Analysed(ctx context.Context, sum, version string) (bool, error) {
	var v, status string
	if err := db.q().queryRow(ctx, `SELECT analysed_version, status FROM apps WHERE sha256 = $1`, sum).Scan(&v, &status); err != nil {
		return false, err
	}
	return status == StatusDone && v == version, nil
}

// SaveReport stores the report of an analysis and the facts the searches
// read, in one transaction. Unless force is set, a report of the version
// the app already has is not stored again (an analysis repeated after a
// worker died is not counted twice); saved says whether it was stored.
func (db *DB) SaveReport(ctx context.Context, sum string, rep *scan.Report, reportJSON []byte, force bool) (saved bool, err error) {
	err = db.InTx(ctx, func(tx *Tx) error {
		saved, err = tx.saveReport(ctx, sum, rep, reportJSON, force, StatusDone)
		return err
	})
	return saved, err
}

func (tx *Tx) saveReport(ctx context.Context, sum string, rep *scan.Report, reportJSON []byte, force bool, status string) (bool, error) {
	version := rep.Tool.Version
	special := specialCategories(rep)
	n, err := tx.q().exec(ctx, `UPDATE apps SET status = $2, error = '', package = $3, version_name = $4, version_code = $5,
		label = $6, kind = $7, analysed_version = $8, analyses = analyses + 1, findings = $9, special = $10,
		report = $11, updated_at = $12, analysed_at = $12
		WHERE sha256 = $1 AND ($13 OR NOT (status = 'done' AND analysed_version = $8))`,
		sum, status, rep.App.Package, rep.App.VersionName, rep.App.VersionCode, rep.App.Label, rep.File.Kind, version,
		len(rep.Findings), strings.Join(special, ","), string(reportJSON), now(), force)
	if err != nil || n == 0 {
		return false, err
	}
	if _, err := tx.q().exec(ctx, `DELETE FROM facts WHERE sha256 = $1`, sum); err != nil {
		return false, err
	}
	for _, f := range Facts(rep) {
		if _, err := tx.q().exec(ctx, `INSERT INTO facts (sha256, kind, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, sum, f.Kind, f.Value); err != nil {
			return false, err
		}
	}
	if _, err := tx.q().exec(ctx, `DELETE FROM app_text WHERE sha256 = $1`, sum); err != nil {
		return false, err
	}
	if _, err := tx.q().exec(ctx, `INSERT INTO app_text (sha256, body) VALUES ($1, $2)`, sum, SearchText(rep)); err != nil {
		return false, err
	}
	return true, nil
}

// ImportReport stores a report read from a batch directory (appxray scan
// --out) for an app whose file the workspace may not have.
func (db *DB) ImportReport(ctx context.Context, rep *scan.Report, reportJSON []byte, by string) (App, error) {
	sum := rep.File.SHA256
	if err := checkSum(sum); err != nil {
		return App{}, fmt.Errorf("store: report without a valid file hash: %w", err)
	}
	var a App
	err := db.InTx(ctx, func(tx *Tx) error {
		t := now()
		if _, err := tx.q().exec(ctx, `INSERT INTO apps (sha256, size, name, has_blob, status, uploaded_by, created_at, updated_at)
			VALUES ($1, $2, $3, 0, $4, $5, $6, $6) ON CONFLICT (sha256) DO NOTHING`,
			sum, rep.File.Size, CleanName(rep.File.Name), StatusImported, by, t); err != nil {
			return err
		}
		cur, err := getApp(ctx, tx.q(), sum)
		if err != nil {
			return err
		}
		if cur.Status == StatusDone && cur.AnalysedVersion == rep.Tool.Version {
			a = cur // the workspace's own analysis stands
			return nil
		}
		status := StatusImported
		if cur.HasFile && cur.Status == StatusDone {
			status = StatusDone
		}
		if _, err := tx.saveReport(ctx, sum, rep, reportJSON, true, status); err != nil {
			return err
		}
		a, err = getApp(ctx, tx.q(), sum)
		return err
	})
	return a, err
}

// Delete removes an app, its report and facts. The caller removes the blob.
func (db *DB) Delete(ctx context.Context, sum string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.q().exec(ctx, `DELETE FROM app_text WHERE sha256 = $1`, sum); err != nil {
			return err
		}
		if _, err := tx.q().exec(ctx, `DELETE FROM facts WHERE sha256 = $1`, sum); err != nil {
			return err
		}
		n, err := tx.q().exec(ctx, `DELETE FROM apps WHERE sha256 = $1`, sum)
		if err == nil && n == 0 {
			return fmt.Errorf("store: app %s: %w", sum, ErrNotFound)
		}
		return err
	})
}

// Versions lists the apps of one package, oldest version first.
func (db *DB) Versions(ctx context.Context, pkg string) ([]App, error) {
	return db.listApps(ctx, `SELECT `+appColumns+` FROM apps WHERE package = $1 ORDER BY version_code, version_name, created_at`, pkg)
}

// Stale lists the apps whose report is by another appxray version and
// whose file is there to analyse again.
func (db *DB) Stale(ctx context.Context, version string) ([]App, error) {
	return db.listApps(ctx, `SELECT `+appColumns+` FROM apps WHERE has_blob = 1 AND status = $1 AND analysed_version <> $2 ORDER BY created_at`, StatusDone, version)
}

// Unfinished lists the (at most 500) apps waiting for or under analysis
// the longest.
func (db *DB) Unfinished(ctx context.Context) ([]App, error) {
	return db.listApps(ctx, `SELECT `+appColumns+` FROM apps WHERE status IN ($1, $2) ORDER BY updated_at LIMIT 500`, StatusQueued, StatusRunning)
}

func (db *DB) listApps(ctx context.Context, q string, args ...any) ([]App, error) {
	rs, err := db.q().query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := []App{}
	for rs.Next() {
		a, err := scanApp(rs)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out = append(out, a)
	}
	return out, rs.Err()
}

// StatusCounts counts the apps in each status.
func (db *DB) StatusCounts(ctx context.Context) (map[string]int, error) {
	rs, err := db.q().query(ctx, `SELECT status, COUNT(*) FROM apps GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := map[string]int{}
	for rs.Next() {
		var s string
		var n int
		if err := rs.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out[s] = n
	}
	return out, rs.Err()
}

func specialCategories(rep *scan.Report) []string {
	var out []string
	for _, f := range Facts(rep) {
		if f.Kind == FactSpecial {
			out = append(out, f.Value)
		}
	}
	return out
}

// Kinds of fact.
const (
	FactCategory   = "category"
	FactSpecial    = "special"
	FactPermission = "permission"
	FactTracker    = "tracker"
	FactHost       = "host"
	FactIP         = "ip"
	FactSigner     = "signer"
)

// Fact is one thing a search can look for in an app.
type Fact struct{ Kind, Value string }

// Facts lists the searchable facts of a report, sorted and without repeats:
// the categories of its findings, fields and option lists (and which of
// them are special), permissions, trackers, hosts, IP addresses and signer
// certificates (SHA-256 and SHA-1).
func Facts(rep *scan.Report) []Fact {
	var out []Fact
	cat := func(c knowledge.Category) {
		out = append(out, Fact{FactCategory, string(c)})
		if info, ok := c.Info(); ok && info.Special {
			out = append(out, Fact{FactSpecial, string(c)})
		}
	}
	for _, f := range rep.Findings {
		cat(f.Category)
		if f.Special {
			out = append(out, Fact{FactSpecial, string(f.Category)})
		}
	}
	for _, f := range rep.Fields {
		for _, c := range f.Categories {
			cat(c)
		}
	}
	for _, o := range rep.OptionLists {
		for _, c := range o.Categories {
			cat(c)
		}
	}
	for _, p := range rep.Permissions {
		out = append(out, Fact{FactPermission, p})
	}
	for _, t := range rep.Trackers {
		out = append(out, Fact{FactTracker, t.Name})
	}
	for _, e := range rep.Endpoints {
		if e.Host != "" {
			out = append(out, Fact{FactHost, strings.ToLower(e.Host)})
		}
		if e.IP != "" {
			out = append(out, Fact{FactIP, e.IP})
		}
	}
	for _, s := range rep.Signers {
		if s.SHA256 != "" {
			out = append(out, Fact{FactSigner, strings.ToLower(s.SHA256)})
		}
		if s.SHA1 != "" {
			out = append(out, Fact{FactSigner, strings.ToLower(s.SHA1)})
		}
	}
	slices.SortFunc(out, func(a, b Fact) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	return slices.Compact(out)
}

// SearchText is what the full-text search reads of a report: the app's
// labels and package, and every form field's labels, text, hints and
// descriptions and every option list's title and options, in every locale.
func SearchText(rep *scan.Report) string {
	var b strings.Builder
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	addMap := func(m map[string]string) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			add(m[k])
		}
	}
	add(rep.App.Package)
	add(rep.App.Label)
	addMap(rep.App.Labels)
	for _, f := range rep.Fields {
		add(f.ID)
		addMap(f.Labels)
		addMap(f.Text)
		addMap(f.Hint)
		addMap(f.Description)
	}
	for _, o := range rep.OptionLists {
		addMap(o.Title)
		keys := make([]string, 0, len(o.Options))
		for k := range o.Options {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, opt := range o.Options[k] {
				add(opt)
			}
		}
	}
	return b.String()
}
