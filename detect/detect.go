// Package detect lists appxray's detectors. Each lives in a package of its
// own under detect/, one per evidence channel.
package detect

import (
	"appxray/analysis"
	"appxray/detect/code"
	"appxray/detect/forms"
	"appxray/detect/manifest"
	"appxray/detect/stringscan"
	"appxray/detect/trackers"
)

// All returns every detector, in the order their findings are best read.
func All() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		manifest.Analyzer,
		code.APIs,
		forms.Analyzer,
		stringscan.Analyzer,
		trackers.Analyzer,
	}
}
