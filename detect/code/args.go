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
		switch by {
		case knowledge.DecidedByContentURI:
			if r, ok := knowledge.MatchContentURI(v); ok && r.Category != "" {
				d := decided{category: r.Category, value: v}
				if r.Confidence == knowledge.Weak {
					d.weak, d.why = true, weakArg(v, r.Title, r.Note)
				}
				out = append(out, d)
			}
		case knowledge.DecidedByString:
			for _, r := range knowledge.MatchString(v) {
				if r.Category != "" {
					d := decided{category: r.Category, value: v}
					if r.Confidence == knowledge.Weak {
						d.weak, d.why = true, weakArg(v, r.Title, r.Note)
					}
					out = append(out, d)
				}
			}
		case knowledge.DecidedByCommand:
			out = appendCommand(out, v)
		case knowledge.DecidedByClassName:
			for _, r := range knowledge.MatchClassName(v) {
				if !slices.ContainsFunc(out, func(o decided) bool { return o.category == r.Category }) {
					out = append(out, decided{category: r.Category, value: v})
				}
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
		for _, d := range appendCommand(nil, strings.Join(words, " ")) {
			if !slices.ContainsFunc(out, func(o decided) bool { return o.category == d.category }) {
				out = append(out, d)
			}
		}
	}
	return out
}
