// Package signers states who signed the app: each signing certificate of
// each part, merged across schemes, with well-known test and debug keys
// named.
package signers

import (
	"slices"
	"sort"

	"appxray/analysis"
	"appxray/apksig"
	"appxray/detect/stringscan"
	"appxray/scan"
)

// Analyzer reads and checks the app's signatures.
var Analyzer = &analysis.Analyzer{
	Name: "signers",
	Doc:  "reads the v1, v2, v3 and v3.1 signatures of every part and merges each certificate's schemes",
	// A part whose check hashes every entry's v1 digest is read after the
	// string scan, which hashes the entries it reads whole, so that they
	// are not inflated again; the others are read from the start (early).
	Requires:   []*analysis.Analyzer{early, stringscan.Scan},
	ResultType: analysis.TypeOf[*Result](),
	Run:        run,
}

// early checks the signatures of the parts whose check hashes no entry
// while the rest of the analysis runs: their v2/v3 digest checks would
// otherwise wait for the string scan.
var early = &analysis.Analyzer{
	Name:       "signatures-early",
	Doc:        "reads the signatures of the parts whose check hashes no entry (v2/v3 signed), at the start of the analysis",
	ResultType: analysis.TypeOf[*earlyResult](),
	Run: func(pass *analysis.Pass) (any, error) {
		r := &earlyResult{}
		for _, p := range pass.App.Parts {
			if err := pass.Context.Err(); err != nil {
				return nil, err
			}
			if !p.DigestsEntries() {
				p.Signatures()
				r.Parts++
			}
		}
		return r, nil
	},
}

// earlyResult counts the parts early read.
type earlyResult struct{ Parts int }

// Result lists the signers and the schemes seen.
type Result struct {
	Signers []scan.Signer
	Schemes []string
}

// run merges the signers of every scheme by certificate, so that one key
// signing with v1, v2 and v3 is one signer with three schemes.
func run(pass *analysis.Pass) (any, error) {
	r := &Result{Signers: []scan.Signer{}, Schemes: []string{}}
	schemes := map[string]bool{}
	for _, p := range pass.App.Parts {
		if err := pass.Context.Err(); err != nil {
			return nil, err
		}
		if p.DigestsEntries() {
			// The analysis loads the DEX files anyway: loaded first, the
			// v1 digests hash them from memory instead of inflating them
			// a second time.
			pass.App.Dex(pass.Context)
		}
		res := p.Signatures()
		if res == nil {
			continue
		}
		byCert := map[string]int{}
		for _, s := range res.Signers {
			if len(s.Certificates) == 0 {
				continue
			}
			c := s.Certificates[0]
			schemes[s.Scheme.String()] = true
			if i, ok := byCert[c.SHA256]; ok {
				if !slices.Contains(r.Signers[i].Schemes, s.Scheme.String()) {
					r.Signers[i].Schemes = append(r.Signers[i].Schemes, s.Scheme.String())
				}
				continue
			}
			byCert[c.SHA256] = len(r.Signers)
			r.Signers = append(r.Signers, signerOf(c, s.Scheme, p.Name))
		}
	}
	for s := range schemes {
		r.Schemes = append(r.Schemes, s)
	}
	sort.Strings(r.Schemes)
	return r, nil
}

func signerOf(c *apksig.Certificate, scheme apksig.Scheme, part string) scan.Signer {
	return scan.Signer{
		SHA256: c.SHA256, SHA1: c.SHA1, Subject: c.Subject, Issuer: c.Issuer, Serial: c.Serial,
		NotBefore: c.NotBefore.UTC().Format("2006-01-02"), NotAfter: c.NotAfter.UTC().Format("2006-01-02"),
		KeyAlgorithm: c.KeyAlgorithm, KeySize: c.KeySize, Schemes: []string{scheme.String()},
		WellKnownKey: c.WellKnownKey, Part: part,
	}
}
