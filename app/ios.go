package app

import (
	"context"
	"fmt"

	"appxray/ios"
	"appxray/zipapk"
)

// An iOS app (KindIPA, KindAppDir) has no Parts: App.IOS is its model
// (appxray/ios), read whole when the app is opened, and the Android
// accessors (Manifest, Info, Dex…) find nothing. An IPA is told by its
// content, a Payload/Name.app/Info.plist entry, whatever the file is
// called; a directory given to Open is read when it is an app bundle (an
// Info.plist at its top), never following a symbolic link.

// isIPA reports whether the ZIP's entry names are an IPA's.
func isIPA(z *zipapk.Reader) bool {
	names := make([]string, 0, len(z.Entries))
	for _, e := range z.Entries {
		names = append(names, e.Name)
	}
	return ios.IsIPA(names)
}

// iosOptions are the iOS reader's limits, with the ZIP limits of the
// Android side unless set.
func (o Options) iosOptions() ios.Options {
	l := o.IOS
	if l.Zip == (zipapk.Limits{}) {
		l.Zip = o.Zip
	}
	return l
}

// openIPA reads the iOS app in the IPA z.
func (a *App) openIPA(z *zipapk.Reader) error {
	m, err := ios.OpenZip(z, a.opt.iosOptions())
	if err != nil {
		return err
	}
	a.IOS, a.iosZip = m, z
	return nil
}

// IsAppDir reports whether dir is an unzipped iOS app bundle that Open
// reads (an Info.plist at its top).
func IsAppDir(dir string) bool { return ios.IsAppDir(dir) }

// openAppDir opens an unzipped .app directory. Its Size is the sum of its
// files' sizes; a directory has no SHA-256 of its own, and SHA256 is "".
func openAppDir(ctx context.Context, dir string, opt Options) (*App, error) {
	if !ios.IsAppDir(dir) {
		return nil, fmt.Errorf("%s is a directory, and no iOS app bundle (no Info.plist at its top): scan the apps in it in batch mode (--out DIR)", dir)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := ios.OpenDir(dir, opt.iosOptions())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	a := &App{Path: dir, Kind: KindAppDir, IOS: m, opt: opt}
	for _, f := range m.Files() {
		a.Size += f.Size
	}
	return a, nil
}
