package scan

import "appxray/knowledge"

// Declared is what an app says it collects, set against what the scan
// found. Play's Data safety types are coarser than the taxonomy: one type
// covers several categories (knowledge/data/datasafety.json).
type Declared struct {
	// Source is the declaration's file name; Format is "play-data-safety-csv"
	// or "appxray-json".
	Source string `json:"source"`
	Format string `json:"format"`
	// Items are the declared data types (or categories, for appxray JSON).
	Items []DeclaredItem `json:"items"`
	// NotDeclared are categories found (with at least medium confidence)
	// that no declared item covers.
	NotDeclared []Undeclared `json:"detected_not_declared"`
	// NotSeen are declared items none of whose categories was found. Static
	// analysis cannot prove absence: this is a question, not a claim.
	NotSeen []DeclaredItem `json:"declared_not_seen"`
}

// DeclaredItem is one declared data type and the categories it covers.
type DeclaredItem struct {
	ID         string               `json:"id"`
	Label      string               `json:"label"`
	Categories []knowledge.Category `json:"categories"`
}

// Undeclared is a category found but not declared, with the findings that
// show it and the declarable types that would cover it.
type Undeclared struct {
	Category  knowledge.Category `json:"category"`
	Findings  []string           `json:"findings"`
	DataTypes []string           `json:"data_types"`
}
