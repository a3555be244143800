package knowledge

import (
	"slices"
	"strings"
	"sync"
)

// AnomalyKind says what one kind of anomaly (a place where an app file
// departs from what Android accepts, or from what analysers expect) means,
// in words for a reader who is not an engineer. The kinds are the
// decoders' (zipapk's and app's); this table only words them.
type AnomalyKind struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
	// Says is one sentence: what the file does and what it means for the
	// analysis.
	Says string `json:"says"`
	// Trick marks a known way to make analysis tools misread an app.
	Trick bool `json:"trick"`
}

type anomalyTable struct {
	list   []AnomalyKind
	byKind map[string]int
}

var anomaliesOnce = sync.OnceValues(loadAnomalies)

func loadAnomalies() (*anomalyTable, error) {
	const file = "data/anomalies.json"
	var doc struct {
		Comment string        `json:"comment"`
		Kinds   []AnomalyKind `json:"kinds"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return nil, err
	}
	t := &anomalyTable{list: doc.Kinds, byKind: map[string]int{}}
	for i, k := range doc.Kinds {
		if k.Kind == "" || k.Title == "" || k.Says == "" {
			return nil, &DataError{File: file, Item: k.Kind, Msg: "a kind needs kind, title and says"}
		}
		if !strings.HasSuffix(k.Says, ".") {
			return nil, &DataError{File: file, Item: k.Kind, Msg: "says is a sentence and ends with a full stop"}
		}
		if _, dup := t.byKind[k.Kind]; dup {
			return nil, &DataError{File: file, Item: k.Kind, Msg: "duplicate kind"}
		}
		t.byKind[k.Kind] = i
	}
	return t, nil
}

func anomalies() *anomalyTable {
	t, err := anomaliesOnce()
	mustLoad(err)
	return t
}

// AnomalyKindInfo returns what an anomaly kind ("DuplicateName") means; ok
// is false for a kind the table does not word.
func AnomalyKindInfo(kind string) (AnomalyKind, bool) {
	t := anomalies()
	i, ok := t.byKind[kind]
	if !ok {
		return AnomalyKind{}, false
	}
	return t.list[i], true
}

// AnomalyKinds returns every worded kind, in the table's order.
func AnomalyKinds() []AnomalyKind { return slices.Clone(anomalies().list) }

// ValidateAnomalies loads the anomaly table and reports its first problem.
func ValidateAnomalies() error {
	_, err := anomaliesOnce()
	return err
}
