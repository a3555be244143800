package ios

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"appxray/analysis"
	iosmodel "appxray/ios"
	"appxray/scan"
)

// Version is written into the reports Scan makes.
const Version = "0.1.0"

// All returns the iOS analyzers in the order their findings read best.
func All() []*analysis.Analyzer {
	return []*analysis.Analyzer{Usage, Code, Forms, Transport, Watchlist, SDKs, Encryption, Privacy}
}

// Input describes the file the app was opened from, for the report.
type Input struct {
	Name string // file or directory name as given
	Size int64
	Data []byte // the whole IPA, when it was read, for its SHA-256
}

// Scan runs the iOS analyzers over an opened app and assembles the scan
// document every report format renders. Only a cancelled context or a
// broken analyzer plan is an error; what could not be read is in the
// document's errors.
func Scan(ctx context.Context, a *iosmodel.App, in Input, cfg *analysis.Config) (*scan.Report, error) {
	res, err := analysis.Run(WithApp(ctx, a), nil, cfg, All())
	if err != nil {
		return nil, err
	}
	kind := "ipa"
	if in.Data == nil {
		kind = "app-directory"
	}
	file := scan.File{Name: in.Name, Size: in.Size, Kind: kind}
	if in.Data != nil {
		sum := sha256.Sum256(in.Data)
		file.SHA256 = hex.EncodeToString(sum[:])
	}
	r := scan.New(scan.Tool{Name: "appxray", Version: Version}, file)
	b := a.Bundle
	r.App.Package = b.ID
	r.App.VersionName = b.Version
	if n, err := strconv.ParseInt(b.Build, 10, 64); err == nil {
		r.App.VersionCode = n
	}
	r.App.MinSDK = "iOS " + b.MinimumOS
	r.App.Label = b.DisplayName
	for loc, name := range b.DisplayNames {
		r.App.Labels[loc] = name
	}
	r.App.QueriedPackages = append(r.App.QueriedPackages, b.QueriesSchemes...)
	if p := a.Profile; p != nil {
		for _, c := range p.DeveloperCertificates {
			if c.Cert == nil {
				continue
			}
			sum := sha256.Sum256(c.Raw)
			r.Signers = append(r.Signers, scan.Signer{
				SHA256:    hex.EncodeToString(sum[:]),
				SHA1:      c.SHA1,
				Subject:   c.Cert.Subject.String(),
				Issuer:    c.Cert.Issuer.String(),
				Serial:    c.Cert.SerialNumber.String(),
				NotBefore: c.Cert.NotBefore.UTC().Format("2006-01-02T15:04:05Z"),
				NotAfter:  c.Cert.NotAfter.UTC().Format("2006-01-02T15:04:05Z"),
			})
		}
		r.Schemes = append(r.Schemes, "provisioning profile: "+p.Type)
	}
	r.Findings = append(r.Findings, res.Findings...)
	for _, err := range res.Errors {
		r.Errors = append(r.Errors, scan.Error{Where: "analysis", Error: err.Error()})
	}
	for _, c := range res.Cuts {
		r.Errors = append(r.Errors, scan.Error{Where: c.Where, Error: c.Analyzer + ": " + c.Err.Error()})
	}
	if s, ok := analysis.Get[*SDKResult](res, SDKs); ok {
		r.Trackers = append(r.Trackers, s.Trackers...)
		r.Endpoints = append(r.Endpoints, s.Endpoints...)
	}
	if f, ok := analysis.Get[*FormsResult](res, Forms); ok {
		r.Fields = append(r.Fields, f.Fields...)
	}
	if w, ok := analysis.Get[*WatchlistResult](res, Watchlist); ok {
		r.Watchlists = append(r.Watchlists, w.Watchlists...)
	}
	if e, ok := analysis.Get[*EncryptionResult](res, Encryption); ok {
		r.Protection.Packers = append(r.Protection.Packers, e.Packers...)
	}
	if p, ok := analysis.Get[*PrivacyResult](res, Privacy); ok {
		r.Declared = p.Declared
		for _, n := range p.Notes {
			r.Errors = append(r.Errors, scan.Error{Where: "privacy manifest", Error: n})
		}
	}
	for _, err := range a.Errors {
		r.Errors = append(r.Errors, scan.Error{Where: "ios", Error: err.Error()})
	}
	return r, nil
}
