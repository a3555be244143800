package code

import (
	"context"
	"slices"
	"strings"

	"appxray/dex"
	"appxray/knowledge"
)

// maxArgCallers bounds the callers followed for one parameter, and
// argDepth the call levels followed up.
const (
	maxArgCallers = 16
	argDepth      = 2
)

// ArgStrings returns the string constants that reach register slot slot
// of the invoke at site: loaded in the method, built into the value, or,
// for a value that is a parameter of the method, passed by its callers
// (followed up argDepth levels). It returns nil when none is seen.
func (ix *IndexResult) ArgStrings(ctx context.Context, site Site, slot int) []string {
	return ix.argStrings(ctx, site, slot, argDepth, map[Site]bool{})
}

func (ix *IndexResult) argStrings(ctx context.Context, site Site, slot, depth int, seen map[Site]bool) []string {
	if seen[site] || ctx.Err() != nil {
		return nil
	}
	seen[site] = true
	fr := ix.SiteFrame(site)
	if fr == nil {
		return nil
	}
	flat := fr.Flatten(fr.Arg(site.PC, slot))
	out := fr.Strings(flat)
	if depth == 0 {
		return out
	}
	for _, v := range flat {
		if v.Kind != ValParam {
			continue
		}
		callers := ix.Callers(ctx, site.Dex, site.Method)
		for i, c := range callers {
			if i == maxArgCallers {
				break
			}
			for _, s := range ix.argStrings(ctx, c, int(v.Index), depth-1, seen) {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// ArgLiterals returns the literal constants that reach slot slot of the
// invoke at site, directly (not through what a value was built from).
func (ix *IndexResult) ArgLiterals(site Site, slot int) []int64 {
	fr := ix.SiteFrame(site)
	if fr == nil {
		return nil
	}
	return Literals(fr.Arg(site.PC, slot))
}

// processWrites are the calls through which code writes a command line to
// a shell it started (su, then "pm install …" written to its input).
var processWrites = map[string]bool{
	"Ljava/io/DataOutputStream;->writeBytes": true, "Ljava/io/DataOutputStream;->write": true,
	"Ljava/io/OutputStream;->write": true, "Ljava/io/Writer;->write": true,
	"Ljava/io/PrintWriter;->print": true, "Ljava/io/PrintWriter;->println": true, "Ljava/io/PrintWriter;->write": true,
	"Ljava/io/BufferedWriter;->write": true, "Ljava/io/OutputStreamWriter;->write": true,
	"Ljava/io/PrintStream;->print": true, "Ljava/io/PrintStream;->println": true,
}

// written returns the strings a method writes to streams (the commands
// written to a shell's input after starting it).
func (ix *IndexResult) written(site Site) []string {
	fr := ix.SiteFrame(site)
	if fr == nil {
		return nil
	}
	var out []string
	for i := range fr.Invokes {
		in := &fr.Invokes[i]
		ref, err := fr.File.Method(in.Method)
		if err != nil || !processWrites[ref.Class+"->"+ref.Name] || len(in.Args) < 2 {
			continue
		}
		for _, s := range fr.Strings(in.Args[1]) {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// decideByArg decides a call whose rule names the deciding argument: the
// strings passed in that argument (and, for a shell, written to it)
// decide its categories. When nothing passed is seen (the value comes from
// a field or another call), the strings the calling method loads decide,
// weakly: they are not shown to be what is run.
func (ix *IndexResult) decideByArg(ctx context.Context, c Call) []Call {
	r := c.Rule
	strs := ix.ArgStrings(ctx, c.Site, r.Arg)
	shell := r.Class == "Ljava/lang/Runtime;" || r.Class == "Ljava/lang/ProcessBuilder;"
	if shell {
		for _, s := range ix.written(c.Site) {
			if !slices.Contains(strs, s) {
				strs = append(strs, s)
			}
		}
	}
	var out []Call
	add := func(d decided, weak bool, why string) {
		for _, o := range out {
			if o.Category == d.category {
				return
			}
		}
		nc := c
		nc.Category, nc.Arg = d.category, d.value
		if r.DecidedBy != knowledge.DecidedByCommand && r.DecidedBy != knowledge.DecidedByClassName && d.weak {
			weak, why = true, d.why
		}
		nc.Weak, nc.WeakWhy = weak, why
		out = append(out, nc)
	}
	if len(strs) > 0 {
		for _, d := range decideStrings(r.DecidedBy, strs) {
			add(d, false, "")
		}
		return out
	}
	if !shell {
		return nil
	}
	// Nothing passed is seen: fall back on what the method loads.
	loaded := ix.methodStrings(ix.Dex[c.Site.Dex].File, c.Site)
	for _, d := range decideStrings(r.DecidedBy, loaded) {
		add(d, true, "the calling method loads "+quote(d.value)+", but it is not shown to be passed to the command it runs")
	}
	return out
}

func quote(s string) string { return "\"" + clipArg(s) + "\"" }

func clipArg(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// methodStrings returns the strings the method of a site loads.
func (ix *IndexResult) methodStrings(f *dex.File, site Site) []string {
	if site.Dex >= len(ix.codeOff) || site.Method >= uint32(len(ix.codeOff[site.Dex])) || ix.codeOff[site.Dex][site.Method] == 0 {
		return nil
	}
	code, err := f.Code(ix.codeOff[site.Dex][site.Method])
	if err != nil {
		return nil
	}
	var out []string
	n := uint32(len(code.Insns) / 2)
	for pc := uint32(0); pc < n; {
		in, err := dex.Decode(code.Insns, pc)
		if err != nil || in.Size == 0 {
			break
		}
		if in.Op == 0x1a || in.Op == 0x1b {
			if s, err := f.String(in.Index); err == nil && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		pc += in.Size
	}
	return out
}

// decideStrings decides categories from strings as decide does from a
// method's strings: each string, and for a command the words joined into
// a command line.
func decideStrings(by string, strs []string) []decided {
	var out []decided
	for _, v := range strs {
		if by != knowledge.DecidedByClassName {
			out = decideString(out, by, v)
			continue
		}
		for _, r := range knowledge.MatchClassName(v) {
			if !slices.ContainsFunc(out, func(o decided) bool { return o.category == r.Category }) {
				out = append(out, decided{category: r.Category, value: v})
			}
		}
	}
	if by == knowledge.DecidedByCommand && len(strs) > 1 && len(strs) <= maxJoined {
		words := make([]string, 0, len(strs))
		for _, v := range strs {
			if len(v) < 64 {
				words = append(words, v)
			}
		}
		out = appendJoined(out, words)
	}
	return out
}

// projectionSlot is the register slot of the projection (the columns
// asked for) of the content queries whose argument is read.
var projectionSlot = map[string]int{
	"Landroid/content/ContentResolver;->query":       2,
	"Landroid/content/ContentProviderClient;->query": 2,
}

// idColumns are the columns that name rows without holding their content.
var idColumns = map[string]bool{"_id": true, "_count": true, "count(*)": true}

// idOnly weakens a content query whose projection asks only for row IDs
// (new String[]{"_id"}): it counts or deletes rows, it reads none of their
// content.
func (ix *IndexResult) idOnly(c *Call) {
	slot, ok := projectionSlot[c.Rule.Class+"->"+c.Rule.Member]
	if !ok || c.Category == "" || c.Weak {
		return
	}
	fr := ix.SiteFrame(c.Site)
	if fr == nil {
		return
	}
	flat := fr.Flatten(fr.Arg(c.Site.PC, slot))
	cols := 0
	for _, v := range flat {
		switch v.Kind {
		case ValNew:
		case ValString:
			s, err := fr.File.String(v.Index)
			if err != nil || !idColumns[strings.ToLower(s)] {
				return
			}
			cols++
		default:
			return // a column the analysis cannot read
		}
	}
	if cols > 0 {
		c.Weak, c.WeakWhy = true, "the query asks only for row IDs (its projection is _id), so it reads none of the rows' content"
	}
}

// Where a folder comes from (dirOrigin).
const (
	dirUnknown = iota
	dirPrivate // the app's own folders: getFilesDir, getCacheDir…
	dirShared  // shared storage: Environment, "/sdcard/…"
	dirIntent  // named by the intent a component receives
)

// privateDirs are the calls that return a folder of the app's own.
var privateDirs = map[string]bool{
	"getFilesDir": true, "getCacheDir": true, "getDir": true, "getDatabasePath": true, "getNoBackupFilesDir": true,
	"getCodeCacheDir": true, "getExternalFilesDir": true, "getExternalCacheDir": true, "getObbDir": true,
	"getDataDir": true, "getFileStreamPath": true, "getExternalFilesDirs": true, "getExternalCacheDirs": true,
}

// sharedDirs are the calls that return a folder of shared storage.
var sharedDirs = map[string]bool{
	"Landroid/os/Environment;->getExternalStorageDirectory":       true,
	"Landroid/os/Environment;->getExternalStoragePublicDirectory": true,
	"Landroid/os/Environment;->getRootDirectory":                  true,
}

// intentReads are the calls that read what an intent carries.
var intentReads = map[string]bool{
	"Landroid/content/Intent;->getStringExtra": true, "Landroid/content/Intent;->getData": true,
	"Landroid/content/Intent;->getDataString": true, "Landroid/content/Intent;->getExtras": true,
	"Landroid/os/Bundle;->getString": true,
}

// sharedPrefixes start the paths of shared storage.
var sharedPrefixes = []string{"/sdcard", "/mnt/sdcard", "/storage/", "/mnt/extsdcard", "/mnt/external_sd"}

func sharedPathString(s string) bool {
	low := strings.ToLower(s)
	for _, p := range sharedPrefixes {
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	return false
}

// dirOrigin tells where the folder in register slot slot of the invoke at
// site comes from (slot 0: the receiver of File.listFiles), following a
// parameter to the method's callers, and what showed it.
func (ix *IndexResult) dirOrigin(ctx context.Context, site Site, slot, depth int) (int, string) {
	fr := ix.SiteFrame(site)
	if fr == nil {
		return dirUnknown, ""
	}
	private, intent := "", ""
	for _, v := range fr.Flatten(fr.Arg(site.PC, slot)) {
		switch v.Kind {
		case ValResult:
			ref, err := fr.File.Method(v.Index)
			if err != nil {
				continue
			}
			k := ref.Class + "->" + ref.Name
			switch {
			case sharedDirs[k]:
				return dirShared, k
			case privateDirs[ref.Name] && private == "":
				private = k
			case intentReads[k] && intent == "":
				intent = k
			}
		case ValString:
			if s, err := fr.File.String(v.Index); err == nil && sharedPathString(s) {
				return dirShared, quote(s)
			}
		case ValParam:
			if depth == 0 {
				continue
			}
			for i, c := range ix.Callers(ctx, site.Dex, site.Method) {
				if i == maxArgCallers {
					break
				}
				switch o, at := ix.dirOrigin(ctx, c, int(v.Index), depth-1); o {
				case dirShared:
					return o, at
				case dirPrivate:
					if private == "" {
						private = at
					}
				case dirIntent:
					if intent == "" {
						intent = at
					}
				}
			}
		}
	}
	switch {
	case intent != "":
		return dirIntent, intent
	case private != "":
		return dirPrivate, private
	}
	return dirUnknown, ""
}

// sharedPathLiteral returns the first place the app's own code loads a
// path of shared storage, "" if none.
func (ix *IndexResult) sharedPathLiteral() string {
	for d, df := range ix.Dex {
		users := ix.StringUser[d]
		for i, u := range users {
			if u == 0 {
				continue
			}
			b, err := df.File.StringBytes(uint32(i))
			if err != nil || len(b) < 7 || b[0] != '/' {
				continue
			}
			site := Site{Dex: d, Method: u - 1}
			if sharedPathString(string(b)) && ix.SDK(site) == "" {
				return ix.Location(site) + " loads " + quote(string(b))
			}
		}
	}
	return ""
}

// smsSends are the calls that send an SMS, with the register slot of the
// destination number.
var smsSends = map[string]int{
	"Landroid/telephony/SmsManager;->sendTextMessage": 1, "Landroid/telephony/SmsManager;->sendMultipartTextMessage": 1,
	"Landroid/telephony/SmsManager;->sendDataMessage": 1, "Landroid/telephony/gsm/SmsManager;->sendTextMessage": 1,
	"Landroid/telephony/gsm/SmsManager;->sendMultipartTextMessage": 1, "Landroid/telephony/gsm/SmsManager;->sendDataMessage": 1,
}

// phoneNumber reports whether s is written as a phone or short-code
// number: digits, an optional leading +, 3 to 15 digits.
func phoneNumber(s string) bool {
	d := strings.TrimPrefix(s, "+")
	if len(d) < 3 || len(d) > 15 {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

// smsNumbersOf returns the phone numbers among strings passed to an SMS
// call, joined; "" when there is none (the number comes from the network,
// a contact or the user).
func smsNumbersOf(strs []string) string {
	var nums []string
	for _, s := range strs {
		if phoneNumber(s) && !slices.Contains(nums, s) {
			nums = append(nums, s)
		}
	}
	return strings.Join(nums, ", ")
}

// smsNumbers records, as the deciding argument of an SMS call, the numbers
// written in the code that it sends to.
func (ix *IndexResult) smsNumbers(ctx context.Context, c *Call) {
	slot, ok := smsSends[c.Rule.Class+"->"+c.Rule.Member]
	if !ok || c.Arg != "" {
		return
	}
	if n := smsNumbersOf(ix.ArgStrings(ctx, c.Site, slot)); n != "" {
		c.Arg = n
	}
}

// Stub reports, for a method of a class the app defines (looked up by
// name, any signature), whether every such method has code that does
// nothing: returns a constant, or throws a new exception. found is false
// when the class defines no method of that name with code.
func (ix *IndexResult) Stub(class, name string) (found, stub bool) {
	stub = true
	for d, df := range ix.Dex {
		for _, m := range df.File.FindMethods(class, name) {
			if m >= uint32(len(ix.codeOff[d])) || ix.codeOff[d][m] == 0 {
				continue
			}
			c, err := df.File.Code(ix.codeOff[d][m])
			if err != nil {
				return true, false
			}
			found = true
			if !stubCode(df.File, c.Insns) {
				stub = false
			}
		}
	}
	return found, found && stub
}

// stubCode reports whether code only returns a constant or throws a new
// exception (constants, new-instance, a constructor call, moves).
func stubCode(f *dex.File, insns []byte) bool {
	n := uint32(len(insns) / 2)
	for pc := uint32(0); pc < n; {
		in, err := dex.Decode(insns, pc)
		if err != nil || in.Size == 0 {
			return false
		}
		switch op := in.Op; {
		case op == 0x00, op >= 0x0e && op <= 0x1b, op == 0x22, op == 0x27, op >= 0x01 && op <= 0x0c:
		case op == 0x70: // invoke-direct: only a constructor
			ref, err := f.Method(in.Index)
			if err != nil || ref.Name != "<init>" {
				return false
			}
		default:
			return false
		}
		pc += in.Size
	}
	return true
}
