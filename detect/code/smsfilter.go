package code

import (
	"fmt"
	"slices"
	"strings"

	"appxray/analysis"
	"appxray/knowledge"
	"appxray/scan"
)

// An SMS fraud app hides the messages that would give it away (the
// operator's confirmation of a premium subscription) by checking each
// incoming message's text against a list of words and aborting the
// broadcast when one matches: that list is a content watchlist.

// smsBodies are the calls that return the text of a received SMS.
var smsBodies = map[string]bool{
	"Landroid/telephony/SmsMessage;->getMessageBody":        true,
	"Landroid/telephony/SmsMessage;->getDisplayMessageBody": true,
	"Landroid/telephony/gsm/SmsMessage;->getMessageBody":    true,
}

// textTests are the calls that test a text against a word.
var textTests = map[string]bool{
	"Ljava/lang/String;->contains": true, "Ljava/lang/String;->indexOf": true, "Ljava/lang/String;->startsWith": true,
	"Ljava/lang/String;->endsWith": true, "Ljava/lang/String;->equals": true, "Ljava/lang/String;->equalsIgnoreCase": true,
	"Ljava/lang/String;->matches": true, "Ljava/lang/String;->lastIndexOf": true, "Ljava/util/regex/Pattern;->matches": true,
}

// minFilterWords is the number of words that make a list.
const minFilterWords = 2

// smsFilters reports the receivers that hide incoming SMS matching words
// written in the code: the method that reads a message's text tests it
// against the words (there, or in the app method it hands the text to)
// and the class aborts the broadcast.
func smsFilters(pass *analysis.Pass, ix *IndexResult) {
	aborts := map[string]string{}
	for _, c := range ix.Calls {
		if c.Rule.Class+"->"+c.Rule.Member == "Landroid/content/BroadcastReceiver;->abortBroadcast" && ix.SDK(c.Site) == "" {
			if _, ok := aborts[ix.Class(c.Site)]; !ok {
				aborts[ix.Class(c.Site)] = ix.Location(c.Site)
			}
		}
	}
	done := map[Site]bool{}
	for _, c := range ix.Calls {
		if !smsBodies[c.Rule.Class+"->"+c.Rule.Member] || ix.SDK(c.Site) != "" {
			continue
		}
		m := Site{Dex: c.Site.Dex, Method: c.Site.Method}
		abort, ok := aborts[ix.Class(c.Site)]
		if !ok || done[m] {
			continue
		}
		done[m] = true
		fr := ix.SiteFrame(c.Site)
		if fr == nil {
			continue
		}
		body := func(v Value) bool { return v.Kind == ValResult && smsBodies[ix.methodKey(fr, v.Index)] }
		words := ix.testedWords(fr, c.Site.Dex, body, 1)
		if len(words) < minFilterWords {
			continue
		}
		sample := words[:min(len(words), 10)]
		pass.Report(analysis.Finding{
			Category: knowledge.BehaviourContentWatchlist,
			Title:    fmt.Sprintf("Hides incoming SMS that contain any of %d words written in its code", len(words)),
			Severity: analysis.High,
			Confidence: scan.Likely("the receiver tests the text of each incoming message against these words and aborts the SMS broadcast (" + abort +
				"), so the messaging app never shows the messages that match"),
			Evidence: []scan.Evidence{ix.Evidence(c.Site, "tests the message text against "+quoteAll(sample))},
		})
	}
}

func quoteAll(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = quote(w)
	}
	return strings.Join(q, ", ")
}

// methodKey names a method of fr's DEX as class->name.
func (ix *IndexResult) methodKey(fr *Frame, m uint32) string {
	ref, err := fr.File.Method(m)
	if err != nil {
		return ""
	}
	return ref.Class + "->" + ref.Name
}

// testedWords returns the string constants that the values matching text
// are tested against in fr (String.contains and the like), following the
// text one call level into the app's own methods it is handed to.
func (ix *IndexResult) testedWords(fr *Frame, d int, text func(Value) bool, depth int) []string {
	var words []string
	for _, u := range fr.Uses(text) {
		k := ix.methodKey(fr, u.Invoke.Method)
		if textTests[k] {
			for slot, vs := range u.Invoke.Args {
				if slot == u.Slot {
					continue
				}
				for _, s := range fr.Strings(vs) {
					if len(strings.TrimSpace(s)) >= 2 && !slices.Contains(words, s) {
						words = append(words, s)
					}
				}
			}
			continue
		}
		if depth > 0 {
			if callee := ix.Frame(d, u.Invoke.Method); callee != nil {
				slot := uint32(u.Slot)
				for _, w := range ix.testedWords(callee, d, func(v Value) bool { return v.Kind == ValParam && v.Index == slot }, depth-1) {
					if !slices.Contains(words, w) {
						words = append(words, w)
					}
				}
			}
		}
	}
	return words
}
