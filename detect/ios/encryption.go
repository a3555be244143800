package ios

import (
	"fmt"

	"appxray/analysis"
	"appxray/scan"
)

// Encryption says plainly when FairPlay hides an executable: an App Store
// download is encrypted for the device it was bought on, and what lies in
// the encrypted range (the code, the Objective-C names, the strings) cannot
// be read from the file.
var Encryption = &analysis.Analyzer{
	Name:       "ios-encryption",
	Doc:        "reports FairPlay-encrypted executables (LC_ENCRYPTION_INFO cryptid 1) and what their encryption hides from the other channels",
	Requires:   []*analysis.Analyzer{Model},
	ResultType: analysis.TypeOf[*EncryptionResult](),
	Run:        runEncryption,
}

// EncryptionResult lists the encrypted executables.
type EncryptionResult struct {
	Encrypted []string
	Packers   []scan.Packer
}

func runEncryption(pass *analysis.Pass) (any, error) {
	m, err := modelOf(pass)
	if err != nil {
		return nil, err
	}
	res := &EncryptionResult{}
	var ev []scan.Evidence
	for _, b := range m.bundles() {
		if b.Executable == nil {
			continue
		}
		for _, sl := range b.Executable.Slices {
			if !sl.Encrypted() {
				continue
			}
			res.Encrypted = append(res.Encrypted, b.ExecutablePath+" ("+sl.Arch+")")
			e := sl.Encryption
			ev = append(ev, scan.NativeOffset(b.ExecutablePath, e.Offset, fmt.Sprintf("LC_ENCRYPTION_INFO cryptid %d, bytes 0x%x to 0x%x of the %s slice encrypted", e.ID, e.CryptOff, uint64(e.CryptOff)+uint64(e.CryptSize), sl.Arch)))
			pass.Cut(b.ExecutablePath, fmt.Errorf("the %s executable is FairPlay-encrypted (cryptid %d): its code, Objective-C class and selector names and strings cannot be read, so the code and string channels see only its imports and linked frameworks; a decrypted copy of the app is needed for the rest", sl.Arch, e.ID))
		}
	}
	if len(ev) > 0 {
		res.Packers = append(res.Packers, scan.Packer{
			ID: "apple_fairplay", Name: "Apple FairPlay DRM", Kind: "protector",
			HidesIn:  "the encrypted range of each executable, decrypted only on the device the app was bought for",
			Evidence: ev,
		})
	}
	return res, nil
}
