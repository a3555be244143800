// Package scan defines the scan document: everything one scan of one app
// found, as analyzers produce it and every renderer reads it. It holds data
// only; it neither decodes nor analyses, and its JSON form is the report
// appxray writes with --format json (report.Read reads it back into the same
// types).
package scan

import (
	"fmt"
	"strings"

	"appxray/knowledge"
)

// Finding is one claim about the app, with its evidence.
type Finding struct {
	ID         string             `json:"id"`
	Category   knowledge.Category `json:"category"`
	Special    bool               `json:"special"`
	Title      string             `json:"title"`
	Severity   knowledge.Severity `json:"severity"`
	Confidence Confidence         `json:"confidence"`
	Evidence   []Evidence         `json:"evidence"`
	// SDK names the third-party SDK the evidence lies in, "" for the app's
	// own code or for evidence outside code; code the app carries that no
	// table names and that it never refers to is UnreachedSDK(ns).
	SDK      string `json:"sdk,omitempty"`
	Analyzer string `json:"analyzer"`
	// SentTo names where the data a code finding reads goes, from the
	// flows that start at its evidence ("http://collect.example/api/upload
	// (cleartext)", "Umeng Analytics"), with the IDs of those flows.
	SentTo []SentTo `json:"sent_to,omitempty"`
}

// SentTo is one destination a finding's data reaches.
type SentTo struct {
	Destination string   `json:"destination"`
	Kind        string   `json:"kind"`
	Flows       []string `json:"flows"`
}

// Level is how sure a finding is.
type Level string

// Confidence levels.
const (
	LevelHigh   Level = "high"
	LevelMedium Level = "medium"
	LevelLow    Level = "low"
)

// Rank orders levels: 0 for high, 2 for low, 3 for anything else.
func (l Level) Rank() int {
	switch l {
	case LevelHigh:
		return 0
	case LevelMedium:
		return 1
	case LevelLow:
		return 2
	}
	return 3
}

// Confidence says how sure a finding is, and why.
type Confidence struct {
	Level  Level  `json:"level"`
	Reason string `json:"reason"`
}

// Sure, Likely and Weak build a Confidence with its reason.
func Sure(reason string) Confidence   { return Confidence{LevelHigh, reason} }
func Likely(reason string) Confidence { return Confidence{LevelMedium, reason} }
func Weak(reason string) Confidence   { return Confidence{LevelLow, reason} }

// EvidenceKind says what kind of place an evidence location names.
type EvidenceKind string

// Evidence kinds.
const (
	EvManifest EvidenceKind = "manifest"
	EvCode     EvidenceKind = "code"
	EvLayout   EvidenceKind = "layout"
	EvResource EvidenceKind = "resource"
	EvAsset    EvidenceKind = "asset"
	EvNative   EvidenceKind = "native"
)

// Evidence names a place a reader can check. Build it with one of the
// constructors below, so that every detector writes a kind of place the
// same way.
type Evidence struct {
	Kind     EvidenceKind `json:"kind"`
	Location string       `json:"location"`
	Detail   string       `json:"detail,omitempty"`
}

// Place is the evidence without its detail: the same place, for a second
// claim about it.
func (e Evidence) Place() Evidence { e.Detail = ""; return e }

// lineOf names a line of a file, or the file when the line is unknown.
func lineOf(file string, line int) string {
	if line <= 0 {
		return file
	}
	return fmt.Sprintf("%s line %d", file, line)
}

// ManifestLine is a line of a manifest: "AndroidManifest.xml line 11"
// ("split.apk!AndroidManifest.xml line 3" in a split set).
func ManifestLine(file string, line int, detail string) Evidence {
	return Evidence{Kind: EvManifest, Location: lineOf(file, line), Detail: detail}
}

// XMLLine is a line of a compiled XML resource other than a layout:
// "res/xml/network_security_config.xml line 4".
func XMLLine(file string, line int, detail string) Evidence {
	return Evidence{Kind: EvResource, Location: lineOf(file, line), Detail: detail}
}

// DexMethod is a method of a DEX file in smali notation:
// "classes2.dex Lcom/example/Upload;->send(Ljava/lang/String;)V".
func DexMethod(dexFile, method, detail string) Evidence {
	return Evidence{Kind: EvCode, Location: dexFile + " " + method, Detail: detail}
}

// DexClass is a class of a DEX file: "classes.dex Lcom/stub/StubApp;".
func DexClass(dexFile, class, detail string) Evidence {
	return Evidence{Kind: EvCode, Location: dexFile + " " + class, Detail: detail}
}

// DexString is an entry of a DEX file's string table that no method loads:
// "classes.dex string #1234".
func DexString(dexFile string, index uint32, detail string) Evidence {
	return Evidence{Kind: EvCode, Location: fmt.Sprintf("%s string #%d", dexFile, index), Detail: detail}
}

// LayoutWidget is a widget of a layout: "res/layout/person_form.xml
// EditText @id/sfzh"; id is the widget's id name ("sfzh", "android:text1",
// or a raw "@0x7f…" reference), and without one the line places it.
func LayoutWidget(file, class, id string, line int, detail string) Evidence {
	var loc string
	switch {
	case len(id) > 0 && id[0] == '@':
		loc = fmt.Sprintf("%s %s %s", file, class, id)
	case len(id) > 8 && id[:8] == "android:":
		loc = fmt.Sprintf("%s %s @android:id/%s", file, class, id[8:])
	case id != "":
		loc = fmt.Sprintf("%s %s @id/%s", file, class, id)
	case line > 0:
		loc = fmt.Sprintf("%s line %d %s", file, line, class)
	default:
		loc = file + " " + class
	}
	return Evidence{Kind: EvLayout, Location: loc, Detail: detail}
}

// Resource is a named resource of a resource table:
// "resources.arsc @array/blood_types".
func Resource(table, name, detail string) Evidence {
	return Evidence{Kind: EvResource, Location: table + " " + name, Detail: detail}
}

// ResourceString is an entry of a resource table's value string pool:
// "resources.arsc value string #17".
func ResourceString(table string, index int, detail string) Evidence {
	return Evidence{Kind: EvResource, Location: fmt.Sprintf("%s value string #%d", table, index), Detail: detail}
}

// PlistKey is where a key's value lies in a property list (an iOS app's
// Info.plist, entitlements, privacy manifest): its line in an XML plist
// ("Payload/Demo.app/Info.plist line 26"), its byte offset in a binary
// one ("Payload/Demo.app/Info.plist offset 0x1f4"), or the file when
// neither is known (line 0, offset -1).
func PlistKey(file string, line int, offset int64, detail string) Evidence {
	loc := file
	switch {
	case line > 0:
		loc = lineOf(file, line)
	case offset >= 0:
		loc = fmt.Sprintf("%s offset 0x%x", file, offset)
	}
	return Evidence{Kind: EvManifest, Location: loc, Detail: detail}
}

// AssetLine is a line of a text file the app carries: "assets/watch/hashes.txt line 1".
func AssetLine(file string, line int, detail string) Evidence {
	return Evidence{Kind: EvAsset, Location: lineOf(file, line), Detail: detail}
}

// NativeOffset is a byte offset in a native file: "lib/arm64-v8a/libfoo.so offset 0x1a2b0".
func NativeOffset(file string, off int64, detail string) Evidence {
	return Evidence{Kind: EvNative, Location: fmt.Sprintf("%s offset 0x%x", file, off), Detail: detail}
}

// NativeFile is a whole native file: "assets/bin/su".
func NativeFile(file, detail string) Evidence {
	return Evidence{Kind: EvNative, Location: file, Detail: detail}
}

// AssetFile is a whole file the app carries: "assets/ijiami.dat".
func AssetFile(file, detail string) Evidence {
	return Evidence{Kind: EvAsset, Location: file, Detail: detail}
}

// AssetOffset is a byte offset in a binary file the app carries:
// "assets/a33.jpg offset 0x400".
func AssetOffset(file string, off int64, detail string) Evidence {
	return Evidence{Kind: EvAsset, Location: fmt.Sprintf("%s offset 0x%x", file, off), Detail: detail}
}

// unreachedPrefix starts the SDK name of code no table names that the app
// carries and never refers to.
const unreachedPrefix = "third-party code ("

// UnreachedSDK is the SDK name of code in namespace ns (a package prefix)
// that no table names and that neither the app's manifest nor its own
// code refers to: "third-party code (com.foo)".
func UnreachedSDK(ns string) string { return unreachedPrefix + ns + ")" }

// UnreachedNamespace is the namespace of an SDK name made by
// UnreachedSDK; ok is false for any other name.
func UnreachedNamespace(sdk string) (ns string, ok bool) {
	rest, ok := strings.CutPrefix(sdk, unreachedPrefix)
	if !ok || !strings.HasSuffix(rest, ")") {
		return "", false
	}
	return strings.TrimSuffix(rest, ")"), true
}
