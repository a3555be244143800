package knowledge

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// LexMatch is one lexicon term found in a label or identifier.
type LexMatch struct {
	Term       string     // as written in the lexicon
	Lang       string     // lexicon language: en, zh, pinyin, ru, ar, fa, ug
	Categories []Category // taxonomy IDs; shared, do not modify
	// Strong is false for short or ambiguous terms ("name", "height", "xb")
	// that need other evidence before a finding is certain.
	Strong bool
	// Marker is set, and Categories empty, for a phrase that says what kind
	// of field a text belongs to rather than what it asks: MarkerChoice
	// ("remember me", "I agree", "same as") makes a check box a choice or a
	// consent; MarkerQuery ("search", "filter", "搜索") makes a field a query.
	Marker Marker
}

// Marker is a kind of phrase that is not a category term.
type Marker string

// The markers of the lexicon files' "choice" and "query" lists.
const (
	MarkerChoice Marker = "choice"
	MarkerQuery  Marker = "query"
)

// Lexicon maps words and phrases of form labels and field names, in several
// languages, to taxonomy categories. It is immutable and safe for
// concurrent use.
type Lexicon struct {
	// built is set on the shell DefaultLexicon returns: the lexicon is
	// built from the data files on first use, so a scan that matches no
	// text never pays for it.
	built func() *Lexicon

	entries []lexEntry
	// byWord indexes word-sequence alternatives by their first word;
	// byStem indexes alternatives whose first word is a stem ("паспорт*").
	byWord map[string][]int
	byStem map[string][]int
	alts   []lexAlt
	// byRune indexes CJK terms by their first rune.
	byRune map[rune][]int
	langs  []string
	fold   map[int]bool // entries whose accents fold (while building)
}

type lexEntry struct {
	term       string
	lang       string
	categories []Category
	strong     bool
	stop       bool // consumes its span and reports nothing
	word       bool // a CJK word for segmentation only: consumes its span, reports nothing
	marker     Marker
	identOnly  bool // matches identifiers only (pinyin initials)
	cjk        bool
	norm       string // normalised text of a CJK term
}

// lexAlt is one way of spelling an entry as a word sequence: the phrase
// itself, or its words run together ("id card" → "idcard").
type lexAlt struct {
	entry int
	words []string
	stems []bool // words[i] is a prefix that the text word must start with
}

// minStemRunes keeps stems from matching very short words.
const minStemRunes = 3

type lexiconFile struct {
	Lang           string `json:"lang"`
	Comment        string `json:"comment"`
	IdentifierOnly bool   `json:"identifier_only"`
	// NoFold keeps the language's diacritics when matching identifiers
	// (Vietnamese: folding "tên" gives the English "ten").
	NoFold bool     `json:"no_fold"`
	Stop   []string `json:"stop"`
	// Choice and Query are marker phrases (see Marker).
	Choice []string `json:"choice"`
	Query  []string `json:"query"`
	// Words are ordinary Chinese or Japanese words that take part in
	// segmentation only, so that a term is matched on word boundaries:
	// with "軟體" and "重新" listed, "軟體重新啟動" does not contain "體重".
	Words  []string    `json:"words"`
	Groups []lexGroupJ `json:"groups"`
}

type lexGroupJ struct {
	Categories []Category `json:"categories"`
	Strong     []string   `json:"strong"`
	Weak       []string   `json:"weak"`
}

var lexiconOnce = sync.OnceValues(loadLexicon)

// loadLexicon reads and builds the lexicon of every language.
func loadLexicon() (*Lexicon, error) {
	names, err := fs.Glob(dataFS, "data/lexicon/*.json")
	if err != nil {
		return nil, err
	}
	var files []lexiconFile
	for _, name := range names {
		var f lexiconFile
		if err := decodeFile(name, &f); err != nil {
			return nil, err
		}
		if want := strings.TrimSuffix(path.Base(name), ".json"); f.Lang != want {
			return nil, &DataError{File: name, Msg: "lang " + f.Lang + " does not match the file name"}
		}
		files = append(files, f)
	}
	return buildLexicon(files)
}

// DefaultLexicon returns the built-in lexicon of every language. It is
// built from the data files the first time it is asked to match or
// describe something, not when it is returned.
func DefaultLexicon() *Lexicon { return defaultLexicon }

var defaultLexicon = &Lexicon{built: func() *Lexicon {
	l, err := lexiconOnce()
	mustLoad(err)
	return l
}}

// ready is the lexicon itself, built if it is the default one.
func (l *Lexicon) ready() *Lexicon {
	if l.built != nil {
		return l.built()
	}
	return l
}

func buildLexicon(files []lexiconFile) (*Lexicon, error) {
	l := &Lexicon{
		byStem: make(map[string][]int),
		byRune: make(map[rune][]int),
		fold:   make(map[int]bool),
	}
	terms := 0
	for _, f := range files {
		terms += len(f.Stop) + len(f.Words) + len(f.Choice) + len(f.Query)
		for _, g := range f.Groups {
			terms += len(g.Strong) + len(g.Weak)
		}
	}
	l.entries = make([]lexEntry, 0, terms)
	l.alts = make([]lexAlt, 0, 2*terms)
	l.byWord = make(map[string][]int, terms)
	// Terms repeated across groups of one language merge their categories.
	index := make(map[string]map[string]int, len(files)) // language, normalised term
	type kind struct {
		stop, word bool
		marker     Marker
	}
	add := func(f lexiconFile, term string, cats []Category, strong bool, k kind) error {
		file := "data/lexicon/" + f.Lang + ".json"
		n := normalizeText(strings.TrimSpace(term))
		if n == "" {
			return &DataError{File: file, Item: term, Msg: "empty term"}
		}
		if k.word && !isSegmented(n) {
			return &DataError{File: file, Item: term, Msg: "a segmentation word must be Chinese or Japanese"}
		}
		byTerm := index[f.Lang]
		if byTerm == nil {
			byTerm = make(map[string]int)
			index[f.Lang] = byTerm
		}
		if i, ok := byTerm[n]; ok {
			e := &l.entries[i]
			if (kind{e.stop, e.word, e.marker}) != k {
				return &DataError{File: file, Item: term, Msg: "term listed as two kinds (stop, word, choice, query, category term)"}
			}
			for _, c := range cats {
				if !slices.Contains(e.categories, c) {
					e.categories = append(e.categories, c)
				}
			}
			e.strong = e.strong || strong
			return nil
		}
		byTerm[n] = len(l.entries)
		l.entries = append(l.entries, lexEntry{
			// Clipped, so that a merge (append) copies rather than
			// writing into the group's list.
			term: term, lang: f.Lang, categories: slices.Clip(cats),
			strong: strong, stop: k.stop, word: k.word, marker: k.marker, identOnly: f.IdentifierOnly,
			cjk: hasCJK(n), norm: n,
		})
		if !f.NoFold {
			l.fold[len(l.entries)-1] = true
		}
		return nil
	}
	for _, f := range files {
		file := "data/lexicon/" + f.Lang + ".json"
		if !slices.Contains(l.langs, f.Lang) {
			l.langs = append(l.langs, f.Lang)
		}
		for _, list := range []struct {
			terms []string
			k     kind
		}{{f.Stop, kind{stop: true}}, {f.Words, kind{word: true}}, {f.Choice, kind{marker: MarkerChoice}}, {f.Query, kind{marker: MarkerQuery}}} {
			for _, s := range list.terms {
				if err := add(f, s, nil, false, list.k); err != nil {
					return nil, err
				}
			}
		}
		for _, g := range f.Groups {
			if len(g.Categories) == 0 {
				return nil, &DataError{File: file, Msg: "group without categories"}
			}
			if err := checkCategories(file, fmt.Sprint(g.Categories), g.Categories); err != nil {
				return nil, err
			}
			for _, t := range g.Strong {
				if err := add(f, t, g.Categories, true, kind{}); err != nil {
					return nil, err
				}
			}
			for _, t := range g.Weak {
				if err := add(f, t, g.Categories, false, kind{}); err != nil {
					return nil, err
				}
			}
		}
	}
	for i := range l.entries {
		e := &l.entries[i]
		e.categories = slices.Clip(e.categories)
		if e.cjk {
			r, _ := utf8.DecodeRuneInString(e.norm)
			l.byRune[r] = append(l.byRune[r], i)
			continue
		}
		words := textWords(e.norm)
		if len(words) == 0 {
			return nil, &DataError{File: "data/lexicon/" + e.lang + ".json", Item: e.term, Msg: "term has no words"}
		}
		l.addAlt(i, words)
		// Identifiers often run a phrase together: "birthdate", "idcard".
		if len(words) > 1 && !strings.Contains(e.norm, "*") {
			l.addAlt(i, []string{strings.Join(words, "")})
		}
		// Identifiers and careless labels drop accents: "telefono",
		// "numero", "strasse".
		if l.fold[i] {
			if folded := textWords(foldAccents(e.norm)); !slices.Equal(folded, words) {
				l.addAlt(i, folded)
				if len(folded) > 1 && !strings.Contains(e.norm, "*") {
					l.addAlt(i, []string{strings.Join(folded, "")})
				}
			}
		}
	}
	l.fold = nil
	return l, nil
}

func (l *Lexicon) addAlt(entry int, words []string) {
	a := lexAlt{entry: entry, words: words, stems: make([]bool, len(words))}
	for i, w := range words {
		if stem, ok := strings.CutSuffix(w, "*"); ok && utf8.RuneCountInString(stem) >= minStemRunes {
			a.words[i], a.stems[i] = stem, true
		}
	}
	idx := len(l.alts)
	l.alts = append(l.alts, a)
	if a.stems[0] {
		l.byStem[a.words[0]] = append(l.byStem[a.words[0]], idx)
	} else {
		l.byWord[a.words[0]] = append(l.byWord[a.words[0]], idx)
	}
}

// Languages lists the languages in the lexicon.
func (l *Lexicon) Languages() []string { return slices.Clone(l.ready().langs) }

// Len is the number of terms, stop phrases included.
func (l *Lexicon) Len() int { return len(l.ready().entries) }

// MatchText finds lexicon terms in a label or other human text in any
// language. Chinese (and other CJK) terms match as substrings; other
// scripts match whole words or phrases, case-folded, with Arabic-script
// variants (diacritics, alef and ya/kaf forms, the article al-) and a
// trailing English plural "s" normalised. At each position the longest
// term wins, so "user name" hides "name". Stop phrases ("file name",
// "ip address") hide what they cover and report nothing. Pinyin field-name
// abbreviations are not matched in text, only by MatchIdentifier. Each term
// is reported once, in order of first appearance.
func (l *Lexicon) MatchText(text string) []LexMatch {
	l = l.ready()
	return l.matchText(text, nil)
}

// MatchTextLocale is MatchText for a label whose locale is known, such as
// the qualifier of a values-zh-rTW/ or values-b+ug/ resource directory
// ("zh-rTW", "b+ug", "fa", "ar-rEG"): only terms of that language and of
// English (Latin words such as "ID" or "VPN" turn up in any language) are
// matched. That keeps words of one language from matching text in another
// ("pin" in Vietnamese, "din" in Norwegian); a language the lexicon lacks
// gets English terms only. An empty locale matches every language, as
// MatchText does.
func (l *Lexicon) MatchTextLocale(text, locale string) []LexMatch {
	l = l.ready()
	lang := localeLang(locale)
	switch {
	case lang == "":
		return l.matchText(text, nil)
	case lang == "en" || !slices.Contains(l.langs, lang):
		return l.matchText(text, []string{"en"})
	}
	return l.matchText(text, []string{lang, "en"})
}

// localeLang extracts the language subtag of an Android resource qualifier
// or BCP 47 tag.
func localeLang(locale string) string {
	s := strings.ToLower(strings.TrimPrefix(locale, "b+"))
	if i := strings.IndexAny(s, "-_+"); i >= 0 {
		s = s[:i]
	}
	switch s {
	case "uig":
		return "ug"
	case "per", "fas":
		return "fa"
	case "zho", "chi":
		return "zh"
	}
	return s
}

func (l *Lexicon) matchText(text string, langs []string) []LexMatch {
	n := normalizeText(text)
	var out []LexMatch
	seen := make(map[int]bool)
	l.matchCJK(n, langs, &out, seen)
	l.matchWords(textWords(n), false, langs, &out, seen)
	return out
}

// MatchIdentifier finds lexicon terms in a programmer's identifier: a view
// id, resource name or HTML input name such as "idCardNo", "car_color2" or
// "sfzh". It tokenises with Tokenize and matches token sequences, so
// "id_card_no" matches the phrase "id card" and "birthDate" the phrase
// "birth date"; pinyin abbreviations match only whole tokens. CJK characters
// in the identifier are matched as in MatchText.
func (l *Lexicon) MatchIdentifier(id string) []LexMatch {
	l = l.ready()
	var out []LexMatch
	seen := make(map[int]bool)
	toks := Tokenize(id)
	for i, t := range toks {
		if hasCJK(t) {
			l.matchCJK(normalizeText(t), nil, &out, seen)
			toks[i] = ""
		}
	}
	l.matchWords(toks, true, nil, &out, seen)
	return out
}

// emitAll reports the entries that tie for the longest match at one
// position (the same word in several languages). If any of them is a stop
// phrase, the span is not a term at all.
func (l *Lexicon) emitAll(idx []int, out *[]LexMatch, seen map[int]bool) {
	for _, i := range idx {
		if l.entries[i].stop || l.entries[i].word {
			return
		}
	}
	for _, i := range idx {
		if seen[i] {
			continue
		}
		seen[i] = true
		e := &l.entries[i]
		*out = append(*out, LexMatch{Term: e.term, Lang: e.lang, Categories: e.categories, Strong: e.strong, Marker: e.marker})
	}
}

// allowed reports whether entry i is in one of langs (nil: any).
func (l *Lexicon) allowed(i int, langs []string) bool {
	return langs == nil || slices.Contains(langs, l.entries[i].lang)
}

// matchCJK finds the terms of CJK text. Chinese and Japanese (Han and kana)
// are segmented into words with the lexicon's terms and segmentation words as
// the dictionary, taking the segmentation with the fewest words (the longest
// word first where two tie), and a term matches only where it is one of
// the words: "軟體重新啟動" is 軟體|重新|啟動 and holds no 體重. Korean,
// written with spaces, and terms that start with Latin letters ("IMEI号",
// "IP地址") match as substrings, the longest at each position, before the
// segmentation, which does not see the text they cover.
func (l *Lexicon) matchCJK(n string, langs []string, out *[]LexMatch, seen map[int]bool) {
	covered := make([]bool, len(n))
	for pos := 0; pos < len(n); {
		r, size := utf8.DecodeRuneInString(n[pos:])
		if isSegmentedRune(r) {
			pos += size
			continue
		}
		var best []int
		bestLen := 0
		for _, i := range l.byRune[r] {
			t := l.entries[i].norm
			if len(t) >= bestLen && l.usable(i, langs) && strings.HasPrefix(n[pos:], t) {
				if len(t) > bestLen {
					best, bestLen = best[:0], len(t)
				}
				best = append(best, i)
			}
		}
		if len(best) == 0 {
			pos += size
			continue
		}
		l.emitAll(best, out, seen)
		for k := pos; k < pos+bestLen; k++ {
			covered[k] = true
		}
		pos += bestLen
	}
	// Segment each run of Han and kana that no substring match covers.
	for pos := 0; pos < len(n); {
		r, size := utf8.DecodeRuneInString(n[pos:])
		if !isSegmentedRune(r) || covered[pos] {
			pos += size
			continue
		}
		end := pos
		for end < len(n) {
			r2, s2 := utf8.DecodeRuneInString(n[end:])
			if !isSegmentedRune(r2) || covered[end] {
				break
			}
			end += s2
		}
		l.segment(n[pos:end], langs, out, seen)
		pos = end
	}
}

// maxSegmentRunes bounds the runs segmented at once (the segmentation is
// quadratic in the longest term at worst, linear in practice).
const maxSegmentRunes = 4096

// segment matches the terms of one run of Han and kana (see matchCJK).
func (l *Lexicon) segment(run string, langs []string, out *[]LexMatch, seen map[int]bool) {
	for len(run) > 0 {
		chunk := run
		if utf8.RuneCountInString(chunk) > maxSegmentRunes {
			cut := 0
			for k := 0; k < maxSegmentRunes; k++ {
				_, sz := utf8.DecodeRuneInString(chunk[cut:])
				cut += sz
			}
			chunk = chunk[:cut]
		}
		l.segmentChunk(chunk, langs, out, seen)
		run = run[len(chunk):]
	}
}

func (l *Lexicon) segmentChunk(run string, langs []string, out *[]LexMatch, seen map[int]bool) {
	// offs[k] is the byte offset of the k-th rune; cost[k] the fewest words
	// covering run[offs[k]:]; step[k] the byte length of the first of them.
	var offs []int
	for i := range run {
		offs = append(offs, i)
	}
	nr := len(offs)
	offs = append(offs, len(run))
	byteToRune := make(map[int]int, nr+1)
	for k, o := range offs {
		byteToRune[o] = k
	}
	cost := make([]int, nr+1)
	step := make([]int, nr+1)
	for k := nr - 1; k >= 0; k-- {
		start := offs[k]
		r, size := utf8.DecodeRuneInString(run[start:])
		cost[k], step[k] = 1+cost[k+1], size
		for _, i := range l.byRune[r] {
			t := l.entries[i].norm
			if len(t) <= size || !l.usable(i, langs) || !strings.HasPrefix(run[start:], t) {
				continue
			}
			next, ok := byteToRune[start+len(t)]
			if !ok {
				continue
			}
			if c := 1 + cost[next]; c < cost[k] || c == cost[k] && len(t) > step[k] {
				cost[k], step[k] = c, len(t)
			}
		}
	}
	for k := 0; k < nr; {
		start := offs[k]
		seg := run[start : start+step[k]]
		r, _ := utf8.DecodeRuneInString(seg)
		var idx []int
		for _, i := range l.byRune[r] {
			if l.entries[i].norm == seg && l.usable(i, langs) {
				idx = append(idx, i)
			}
		}
		if len(idx) > 0 {
			l.emitAll(idx, out, seen)
		}
		k = byteToRune[start+len(seg)]
	}
}

// usable reports whether entry i may match text limited to langs:
// segmentation words always may.
func (l *Lexicon) usable(i int, langs []string) bool {
	return l.entries[i].word || l.allowed(i, langs)
}

// isSegmentedRune reports whether r is written without spaces between
// words: Han, hiragana, katakana and the marks that go with them.
func isSegmentedRune(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		r == 0x30FC || r == 0x3005 // ー, 々
}

func isSegmented(s string) bool {
	for _, r := range s {
		if !isSegmentedRune(r) {
			return false
		}
	}
	return s != ""
}

func (l *Lexicon) matchWords(words []string, ident bool, langs []string, out *[]LexMatch, seen map[int]bool) {
	for pos := 0; pos < len(words); {
		if words[pos] == "" {
			pos++
			continue
		}
		var best []int
		bestLen := 0
		try := func(cands []int) {
			for _, ai := range cands {
				a := &l.alts[ai]
				if len(a.words) < bestLen || pos+len(a.words) > len(words) {
					continue
				}
				e := &l.entries[a.entry]
				if e.identOnly && !ident || !l.allowed(a.entry, langs) {
					continue
				}
				if a.matches(words[pos:], e.identOnly) {
					if len(a.words) > bestLen {
						best, bestLen = best[:0], len(a.words)
					}
					if !slices.Contains(best, a.entry) {
						best = append(best, a.entry)
					}
				}
			}
		}
		w := words[pos]
		try(l.byWord[w])
		if s, ok := strings.CutSuffix(w, "s"); ok && len(s) >= 3 && isASCII(s) {
			try(l.byWord[s])
		}
		for end := range w {
			if end > 0 && utf8.RuneCountInString(w[:end]) >= minStemRunes {
				try(l.byStem[w[:end]])
			}
		}
		try(l.byStem[w])
		if len(best) == 0 {
			pos++
			continue
		}
		l.emitAll(best, out, seen)
		pos += bestLen
	}
}

// matches reports whether the alternative matches the start of words. An
// English plural "s" is accepted on any word unless the entry is an
// identifier-only abbreviation, which must match exactly.
func (a *lexAlt) matches(words []string, exact bool) bool {
	for i, w := range a.words {
		t := words[i]
		switch {
		case a.stems[i]:
			if !strings.HasPrefix(t, w) {
				return false
			}
		case t == w:
		case !exact && isASCII(w) && len(w) >= 3 && t == w+"s":
		default:
			return false
		}
	}
	return true
}

// Tokenize splits a programmer's identifier into lower-case words: at
// punctuation and spaces, between a lower-case letter and an upper-case
// one, before the last capital of an acronym followed by a lower-case
// letter, and between letters and digits. "idCardNo" → id card no,
// "car_color2" → car color 2, "IDNumber" → id number.
func Tokenize(identifier string) []string {
	var toks []string
	rs := []rune(identifier)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			toks = append(toks, strings.ToLower(string(rs[start:end])))
		}
		start = -1
	}
	for i, r := range rs {
		if !isWordRune(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		p := rs[i-1]
		switch {
		case unicode.IsDigit(r) != unicode.IsDigit(p):
			flush(i)
			start = i
		case unicode.IsUpper(r) && unicode.IsLower(p):
			flush(i)
			start = i
		case unicode.IsLower(r) && unicode.IsUpper(p) && i-1 > start:
			// "IDNumber": the N starts the next word.
			flush(i - 1)
			start = i - 1
		case isCJK(r) != isCJK(p):
			flush(i)
			start = i
		}
	}
	flush(len(rs))
	return toks
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// firstCJK is below every Han, Hiragana, Katakana and Hangul character
// (Hangul Jamo begins at U+1100): most text is told by one comparison.
const firstCJK = 0x1100

func isCJK(r rune) bool {
	if r < firstCJK {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

func hasCJK(s string) bool {
	for _, r := range s {
		if isCJK(r) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// textWords splits normalised text into words: runs of letters, digits,
// marks and '*' (the stem marker in terms). CJK characters separate words;
// they are matched by substring instead. Arabic-script words lose a leading
// definite article so that "الدم" matches "دم".
func textWords(n string) []string {
	var out []string
	start := -1
	for i, r := range n {
		if (isWordRune(r) || r == '*') && !isCJK(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, stripArticle(n[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, stripArticle(n[start:]))
	}
	return out
}

// notArticle are words (normalised) that begin with the letters of the
// article without having it: Persian والدین "parents" is not و+ال+دین.
var notArticle = map[string]bool{"والدين": true, "والد": true, "والده": true}

// stripArticle removes the Arabic article ال (and the particles that fuse
// with it: و, ب, ف, ك, and ل before ل) from an Arabic-script word, when at
// least two letters remain.
func stripArticle(w string) string {
	if notArticle[w] {
		return w
	}
	for _, p := range []string{"وال", "بال", "فال", "کال", "ال", "لل"} {
		if rest, ok := strings.CutPrefix(w, p); ok && utf8.RuneCountInString(rest) >= 2 {
			return rest
		}
	}
	return w
}

// normalizeText folds case and spelling variants so that terms and text
// compare equal: lower case, ё→е, Arabic diacritics and tatweel removed,
// alef, ya, kaf and teh-marbuta variants unified, zero-width joiners
// turned into word breaks, Arabic-Indic digits made ASCII.
func normalizeText(s string) string {
	if isASCII(s) {
		return strings.ToLower(s) // none of the folds below touches ASCII
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r >= 0x06D6 && r <= 0x06ED, r == 0x0640:
			continue // harakat, Quranic marks, tatweel
		case r == 0x200C || r == 0x200D:
			b.WriteByte(' ')
			continue
		case r == 'ё' || r == 'Ё':
			r = 'е'
		case r == 0x0623 || r == 0x0625 || r == 0x0622 || r == 0x0671:
			r = 0x0627 // alef
		case r == 0x0649 || r == 0x06CC:
			r = 0x064A // ya
		case r == 0x0643:
			r = 0x06A9 // kaf
		case r == 0x0629 || r == 0x06C0:
			r = 0x0647 // heh
		case r >= 0x0660 && r <= 0x0669:
			r = '0' + (r - 0x0660)
		case r >= 0x06F0 && r <= 0x06F9:
			r = '0' + (r - 0x06F0)
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// FoldAccents removes the diacritics of Latin letters ("é" → "e", "ß" →
// "ss", "ı" → "i"), for matching identifiers and labels typed without them.
func FoldAccents(s string) string { return foldAccents(s) }

func foldAccents(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f, ok := latinFold[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var latinFold = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'ı': "i", 'ø': "o", 'đ': "d", 'ł': "l", 'æ': "ae", 'œ': "oe"}
	for _, g := range []struct{ base, letters string }{
		{"a", "àáâãäåāăąǎạảấầẩẫậắằẳẵặ"}, {"c", "çćĉċč"}, {"d", "ďḍ"}, {"e", "èéêëēĕėęěẹẻẽếềểễệ"},
		{"g", "ĝğġģ"}, {"h", "ĥḥ"}, {"i", "ìíîïĩīĭįǐịỉ"}, {"j", "ĵ"}, {"k", "ķ"}, {"l", "ĺļľ"},
		{"n", "ñńņňṇ"}, {"o", "òóôõöōŏőơǒọỏốồổỗộớờởỡợ"}, {"r", "ŕŗř"}, {"s", "śŝşšșṣ"}, {"t", "ţťțṭ"},
		{"u", "ùúûüũūŭůűųưǔụủứừửữự"}, {"w", "ŵ"}, {"y", "ýÿŷỳỵỷỹ"}, {"z", "źżžẓ"},
	} {
		for _, r := range g.letters {
			m[r] = g.base
		}
	}
	return m
}()
