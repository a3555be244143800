package ios

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"path"
	"strconv"
	"time"

	"appxray/analysis"
	"appxray/app"
	"appxray/mobileprovision"
	"appxray/scan"
)

// Version is written into the reports Scan makes.
const Version = "0.1.0"

// All returns the iOS analyzers in the order their findings read best.
func All() []*analysis.Analyzer {
	return []*analysis.Analyzer{Model, Usage, Code, Forms, Transport, Watchlist, SDKs, Encryption, Privacy}
}

// Scan runs the iOS analyzers over an opened iOS app (app.KindIPA or
// app.KindAppDir) and assembles the scan document every report format
// renders. Only a cancelled context, a broken analyzer plan or an app
// without an iOS side is an error; what could not be read is in the
// document's errors.
func Scan(ctx context.Context, a *app.App, cfg *analysis.Config) (*scan.Report, error) {
	m := a.IOS
	if m == nil {
		return nil, fmt.Errorf("%s: not an iOS app (%s)", a.Path, a.Kind)
	}
	res, err := analysis.Run(ctx, a, cfg, All())
	if err != nil {
		return nil, err
	}
	r := scan.New(scan.Tool{Name: "appxray", Version: Version},
		scan.File{Name: path.Base(a.Path), Size: a.Size, SHA256: a.SHA256(), Kind: string(a.Kind)})
	b := m.Bundle
	r.App.Package = b.ID
	r.App.VersionName = b.Version
	r.App.Build = b.Build
	if n, err := strconv.ParseInt(b.Build, 10, 64); err == nil {
		r.App.VersionCode = n
	}
	r.App.MinimumOS = b.MinimumOS
	r.App.Label = b.DisplayName
	for loc, name := range b.DisplayNames {
		r.App.Labels[loc] = name
	}
	r.App.URLSchemes = append(r.App.URLSchemes, b.URLSchemes...)
	r.App.QueriedSchemes = append(r.App.QueriedSchemes, b.QueriesSchemes...)
	r.App.BackgroundModes = append(r.App.BackgroundModes, b.BackgroundModes...)
	if p := m.Profile; p != nil {
		r.Profile = profileOf(m.ProfilePath, p)
		for _, c := range p.DeveloperCertificates {
			if c.Cert == nil {
				continue
			}
			sum := sha256.Sum256(c.Raw)
			alg, bits := keyOf(c.Cert)
			r.Signers = append(r.Signers, scan.Signer{
				SHA256:       hex.EncodeToString(sum[:]),
				SHA1:         c.SHA1,
				Subject:      c.Cert.Subject.String(),
				Issuer:       c.Cert.Issuer.String(),
				Serial:       c.Cert.SerialNumber.String(),
				NotBefore:    c.Cert.NotBefore.UTC().Format("2006-01-02"),
				NotAfter:     c.Cert.NotAfter.UTC().Format("2006-01-02"),
				KeyAlgorithm: alg,
				KeySize:      bits,
				// The certificate is one the profile allows to sign the
				// app; the code signature itself is the executable's.
				Schemes: []string{"provisioning profile"},
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
	for _, an := range a.Anomalies() {
		r.Anomalies = append(r.Anomalies, scan.Anomaly{Part: an.Part, Kind: string(an.Kind), Source: an.Source, Offset: an.Offset,
			Entry: an.Entry, Detail: an.Detail, AndroidRejects: an.AndroidRejects})
	}
	for _, err := range m.Errors {
		r.Errors = append(r.Errors, scan.Error{Where: "ios", Error: err.Error()})
	}
	for _, e := range a.Errors() {
		r.Errors = append(r.Errors, scan.Error{Where: e.Where, Error: e.Err.Error()})
	}
	return r, nil
}

// keyOf names a certificate's key as the Android signers do: "RSA" or
// "EC" and the size in bits.
func keyOf(c *x509.Certificate) (string, int) {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		return "EC", k.Curve.Params().BitSize
	case ed25519.PublicKey:
		return "Ed25519", 256
	}
	return c.PublicKeyAlgorithm.String(), 0
}

// profileOf states a provisioning profile for the report.
func profileOf(where string, p *mobileprovision.Profile) *scan.Profile {
	out := &scan.Profile{Path: where, Name: p.Name, AppID: p.AppID, TeamName: p.TeamName, Type: p.Type,
		Devices: len(p.Devices), AllDevices: p.ProvisionsAllDevices, Certificates: len(p.DeveloperCertificates)}
	if len(p.TeamIDs) > 0 {
		out.TeamID = p.TeamIDs[0]
	}
	if !p.CreationDate.IsZero() {
		out.Created = p.CreationDate.UTC().Format(time.RFC3339)
	}
	if !p.ExpirationDate.IsZero() {
		out.Expires = p.ExpirationDate.UTC().Format(time.RFC3339)
	}
	return out
}
