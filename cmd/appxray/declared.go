package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"appxray/knowledge"
	"appxray/scan"
)

// declaration is what an app says it collects (--declared): Google Play's
// Data safety form as Play Console exports it, or appxray's own JSON.
type declaration struct {
	source, format string
	items          []scan.DeclaredItem
}

// readDeclaration reads a Play Console Data safety CSV export or a JSON
// declaration ({"collects": [...]}, entries being taxonomy categories or
// Data safety types), telling them apart by their first character.
func readDeclaration(path string) (*declaration, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	d := &declaration{source: filepath.Base(path)}
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		d.format = "appxray-json"
		err = d.readJSON(b)
	} else {
		d.format = "play-data-safety-csv"
		err = d.readCSV(b)
	}
	if err != nil {
		return nil, fmt.Errorf("--declared %s: %w", path, err)
	}
	return d, nil
}

func (d *declaration) readJSON(b []byte) error {
	var doc struct {
		Package  string   `json:"package"`
		Collects []string `json:"collects"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("not a declaration: %w", err)
	}
	if doc.Collects == nil {
		return errors.New(`no "collects" list (an empty list declares that the app collects nothing)`)
	}
	for _, c := range doc.Collects {
		if cat := knowledge.Category(c); cat.Known() {
			d.add(scan.DeclaredItem{ID: c, Label: cat.Title(), Categories: []knowledge.Category{cat}})
			continue
		}
		if t, ok := knowledge.LookupDataSafetyType(c); ok {
			d.add(scan.DeclaredItem{ID: t.ID, Label: t.Label, Categories: t.Categories})
			continue
		}
		return fmt.Errorf("%q is neither an appxray category nor a Data safety type", c)
	}
	return nil
}

// readCSV reads Play Console's export of the Data safety form: a header
// ("Question ID (machine readable)", "Response ID (machine readable)" or
// "Response (machine readable)", "Response value", "Answer requirement",
// "Human-friendly question label"), then one row per answer. A data type
// is declared by a row whose question is PSL_DATA_TYPES_* and whose value
// is true.
func (d *declaration) readCSV(b []byte) error {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("not a Play Console Data safety CSV: %w", err)
	}
	if len(head) < 3 || !strings.HasPrefix(strings.ToLower(head[0]), "question id") {
		return errors.New(`not a Play Console Data safety CSV: the first column is not "Question ID (machine readable)"`)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(rec) < 3 || !strings.HasPrefix(rec[0], "PSL_DATA_TYPES_") || rec[1] == "" || !strings.EqualFold(strings.TrimSpace(rec[2]), "true") {
			continue
		}
		if t, ok := knowledge.LookupDataSafetyType(rec[1]); ok {
			d.add(scan.DeclaredItem{ID: t.ID, Label: t.Label, Categories: t.Categories})
			continue
		}
		// A type newer than appxray's table: keep it, with Play's own label,
		// as covering nothing appxray can check.
		label := rec[1]
		if len(rec) >= 5 && rec[4] != "" {
			label = strings.ReplaceAll(rec[4], "\n", " / ")
		}
		d.add(scan.DeclaredItem{ID: rec[1], Label: label, Categories: []knowledge.Category{}})
	}
}

func (d *declaration) add(it scan.DeclaredItem) {
	if it.Categories == nil {
		it.Categories = []knowledge.Category{}
	}
	for _, old := range d.items {
		if old.ID == it.ID {
			return
		}
	}
	d.items = append(d.items, it)
}

// compare sets the declaration against a report. A category counts as
// detected when a finding of at least medium confidence shows it; one
// counts as seen when any finding does. Only kinds of data that a Data
// safety type covers are compared.
func (d *declaration) compare(r *scan.Report) *scan.Declared {
	out := &scan.Declared{Source: d.source, Format: d.format, Items: d.items,
		NotDeclared: []scan.Undeclared{}, NotSeen: []scan.DeclaredItem{}}
	declared := map[knowledge.Category]bool{}
	for _, it := range d.items {
		for _, c := range it.Categories {
			declared[c] = true
		}
	}
	seen := map[knowledge.Category]bool{}
	undeclared := map[knowledge.Category]*scan.Undeclared{}
	var order []knowledge.Category
	for _, f := range r.Findings {
		seen[f.Category] = true
		types := f.Category.DeclaredBy()
		if declared[f.Category] || len(types) == 0 || f.Confidence.Level.Rank() > scan.LevelMedium.Rank() {
			continue
		}
		u, ok := undeclared[f.Category]
		if !ok {
			u = &scan.Undeclared{Category: f.Category, Findings: []string{}, DataTypes: []string{}}
			for _, t := range types {
				u.DataTypes = append(u.DataTypes, t.Label)
			}
			undeclared[f.Category] = u
			order = append(order, f.Category)
		}
		u.Findings = append(u.Findings, f.ID)
	}
	slices.SortFunc(order, func(a, b knowledge.Category) int { return a.Order() - b.Order() })
	for _, c := range order {
		out.NotDeclared = append(out.NotDeclared, *undeclared[c])
	}
	for _, it := range d.items {
		if len(it.Categories) == 0 {
			continue // nothing appxray could see either way (crash logs, app interactions)
		}
		if !slices.ContainsFunc(it.Categories, func(c knowledge.Category) bool { return seen[c] }) {
			out.NotSeen = append(out.NotSeen, it)
		}
	}
	return out
}

// addDeclared adds a comparison to the report beside those it holds: an
// iOS app's privacy manifests stay the first (Declared), and the file
// given with --declared follows them (AlsoDeclared); each names its source.
func addDeclared(r *scan.Report, d *scan.Declared) {
	if r.Declared == nil {
		r.Declared = d
		return
	}
	r.AlsoDeclared = append(r.AlsoDeclared, *d)
}
