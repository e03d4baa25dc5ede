package audit

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text lint: what a careful writer would not have let through. Each check counts the rows that have
// its problem at least once. A row costs two fast searches for braces, a UTF-8 validation and one
// byte-by-byte scan that reads words and the gaps between them, without allocating; only the first
// rows found (up to maxExamples per check) cost an excerpt.

// lintCheck indexes the checks, in the order their findings are reported.
type lintCheck int

const (
	lintUnfilledSlot lintCheck = iota
	lintInvalidUTF8
	lintControlChar
	lintAAn
	lintDoubledWord
	lintSpaceBeforePunct
	lintChecks // how many
)

// lintSpecs name each check, say how much a hit matters, and what the rows that have it show, for a
// single row and for several.
var lintSpecs = [lintChecks]struct {
	check     string
	level     Level
	one, many string
}{
	lintUnfilledSlot: {"lint.unfilled_slot", Error,
		"has a template slot left unfilled or a stray brace ({name}, { or })",
		"have a template slot left unfilled or a stray brace ({name}, { or })"},
	lintInvalidUTF8: {"lint.invalid_utf8", Error,
		"is not valid UTF-8", "are not valid UTF-8"},
	lintControlChar: {"lint.control_char", Error,
		"contains a control character other than newline, tab and carriage return",
		"contain a control character other than newline, tab and carriage return"},
	lintAAn: {"lint.a_an", Warning,
		"has a/an before a word of the other sound", "have a/an before a word of the other sound"},
	lintDoubledWord: {"lint.doubled_word", Warning,
		`repeats a word ("the the")`, `repeat a word ("the the")`},
	lintSpaceBeforePunct: {"lint.space_before_punct", Warning,
		`has a space before a punctuation mark ("word ,")`, `have a space before a punctuation mark ("word ,")`},
}

// ---- The lint's word lists: every exception the checks know, in one place. ----

// lintSound is how a word following a or an starts when read aloud.
type lintSound uint8

const (
	lintSoundEither    lintSound = iota // unknown, or said both ways: a/an is not judged
	lintSoundVowel                      // takes "an"
	lintSoundConsonant                  // takes "a"
)

type lintPrefixSound struct {
	prefix string
	sound  lintSound
}

// lintWordSounds are the word beginnings (lowercase) whose sound is not their first letter's, or is
// said both ways; the longest that a word starts with wins, so "oner" (onerous) overrides "one"
// (one-off). A word read letter by letter (FBI, X-ray) goes by lintVowelLetters instead.
var lintWordSounds = []lintPrefixSound{
	// A silent h: an hour, an honest, an heir, an honour, an honor (and hourly, honesty, heirloom...).
	{"hour", lintSoundVowel}, {"honest", lintSoundVowel}, {"heir", lintSoundVowel},
	{"honor", lintSoundVowel}, {"honour", lintSoundVowel},
	// Said both ways: a/an herb (British and American), a/an historic, a/an homage.
	{"herb", lintSoundEither}, {"historic", lintSoundEither}, {"homage", lintSoundEither},
	// A "w" sound: a one-off, a once-famous, a Ouija board; but an onerous task.
	{"one", lintSoundConsonant}, {"once", lintSoundConsonant}, {"oner", lintSoundVowel}, {"ouija", lintSoundConsonant},
	// A "you" sound: a European, a eulogy, a ewe.
	{"eu", lintSoundConsonant}, {"ewe", lintSoundConsonant},
	// A "you" sound: a university, a unicorn, a union, a unit, a user, a usual, a utility, a utensil,
	// a utopia, a uranium, a urinal, a ubiquitous, a ukulele, a Ukrainian, a Ugandan, a unanimous,
	// a UFO written small; but an unidentified, an unimportant, an uninformed, an unironic.
	{"uni", lintSoundConsonant}, {"unid", lintSoundVowel}, {"unim", lintSoundVowel}, {"unin", lintSoundVowel}, {"unir", lintSoundVowel},
	{"unan", lintSoundConsonant}, {"use", lintSoundConsonant}, {"usu", lintSoundConsonant}, {"usa", lintSoundConsonant},
	{"uti", lintSoundConsonant}, {"ute", lintSoundConsonant}, {"uto", lintSoundConsonant}, {"uta", lintSoundConsonant},
	{"ura", lintSoundConsonant}, {"ure", lintSoundConsonant}, {"uri", lintSoundConsonant}, {"uro", lintSoundConsonant}, {"uru", lintSoundConsonant},
	{"ubi", lintSoundConsonant}, {"uku", lintSoundConsonant}, {"ukr", lintSoundConsonant}, {"uga", lintSoundConsonant},
	{"uvu", lintSoundConsonant}, {"ufo", lintSoundConsonant},
	// An x said "ex": an Xbox, an Xmas card (but a xylophone).
	{"xbox", lintSoundVowel}, {"xmas", lintSoundVowel},
}

// lintWordSoundsBy are lintWordSounds by first letter.
var lintWordSoundsBy = func() (by [26][]lintPrefixSound) {
	for _, e := range lintWordSounds {
		by[e.prefix[0]-'a'] = append(by[e.prefix[0]-'a'], e)
	}
	return by
}()

// lintVowelLetters are the letters whose name starts with a vowel sound: an A, an F, an MBA, an FBI,
// an X-ray, an NGO, an SUV; but a U-turn, a UFO, a B.
const lintVowelLetters = "AEFHILMNORSX"

// lintSaidAsWords are acronyms read as words, not letter by letter: a NASA mission (not "an N").
// lintSaidBothWays are read either way: a/an FAQ, a/an SQL query, a/an URL.
var (
	lintSaidAsWords  = []string{"NASA", "NATO", "NAFTA", "NASCAR", "NASDAQ", "NIMBY", "FIFA", "FEMA", "FOMO", "LASER", "LIDAR", "MIDI", "MOOC", "RADAR", "RAM", "ROM", "SARS", "SCUBA", "SIM", "SONAR", "SWAT"}
	lintSaidBothWays = []string{"FAQ", "SQL", "URL"}
)

// lintNotNouns are words that never follow the article a or an, so a single "a" before them is a
// letter or a variable ("a and b", "the letter a is"), not an article.
var lintNotNouns = []string{"and", "or", "is", "are", "was", "were", "of"}

// lintDoubledOK are words said twice on purpose: "he had had enough", "he said that that was all",
// "aye aye, captain". Numbers ("10 10") are never doubled words either.
var lintDoubledOK = []string{"had", "that", "aye"}

// lintEmoticons may follow a space: "Smile :)".
var lintEmoticons = []string{":)", ":(", ":-)", ":-(", ";)", ";-)", ":D", ":P", ":p", ":'("}

// lintPunct are the marks that take no space before them.
const lintPunct = ",.;:!?"

var lintIsPunct = func() (t [256]bool) {
	for _, c := range []byte(lintPunct) {
		t[c] = true
	}
	return t
}()

// ---- Linter ----

// Linter counts, over the rows of one split, the rows whose text has each lint problem.
type Linter struct {
	of       int64
	count    [lintChecks]int64
	examples [lintChecks]examples
}

// NewLinter returns a Linter that has seen no row.
func NewLinter() *Linter { return &Linter{} }

// Add lints one row's text. The caller chooses the text, and passes over rows whose words were
// reordered on purpose.
func (l *Linter) Add(text string) {
	var at [lintChecks]int
	lintScan(text, &at)
	l.record(text, &at)
}

// record counts one row's text whose problems lintScan found at at.
func (l *Linter) record(text string, at *[lintChecks]int) {
	l.of++
	for c := range lintChecks {
		if at[c] < 0 {
			continue
		}
		l.count[c]++
		if len(l.examples[c]) < maxExamples {
			l.examples[c].add(lintExcerpt(text, at[c], c == lintInvalidUTF8 || c == lintControlChar))
		}
	}
}

// Findings are the figures of every check, in a fixed order, one each: Info with Count 0 when no row
// has the problem.
func (l *Linter) Findings(dataset, config, split string) []Finding {
	out := make([]Finding, 0, lintChecks)
	for c := range lintChecks {
		spec, n := lintSpecs[c], l.count[c]
		what := spec.many
		if n == 1 {
			what = spec.one
		}
		f := Finding{Level: Info, Check: spec.check, Dataset: dataset, Config: config, Split: split,
			Count: n, Of: l.of, Value: lintShare(n, l.of),
			Message: fmt.Sprintf("%d of %d rows (%s) %s", n, l.of, lintPercent(n, l.of), what)}
		if n > 0 {
			f.Level = spec.level
			f.Examples = append([]string(nil), l.examples[c]...)
		}
		out = append(out, f)
	}
	return out
}

func lintShare(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// lintPercent writes a share as a percentage with one decimal, and a share too small to show as one
// as "<0.1%", so that one bad row in ten million is not reported as 0.0%.
func lintPercent(n, of int64) string {
	p := 100 * lintShare(n, of)
	if p > 0 && p < 0.05 {
		return "<0.1%"
	}
	return fmt.Sprintf("%.1f%%", p)
}

// lintExcerptRadius is how many bytes an example shows on each side of the problem.
const lintExcerptRadius = 30

// lintExcerpt is about 2*lintExcerptRadius bytes of text around byte at, cut at spaces where one is
// near and marked "…" where cut. visible writes invalid bytes and control characters as escapes
// (\xff, \u0007), which would otherwise not show, or would act on a terminal.
func lintExcerpt(text string, at int, visible bool) string {
	from, to := max(at-lintExcerptRadius, 0), min(at+lintExcerptRadius, len(text))
	if from > 0 {
		if k := strings.IndexByte(text[from:at], ' '); k >= 0 && k < lintExcerptRadius/3 {
			from += k + 1
		}
		for from < at && !utf8.RuneStart(text[from]) {
			from++
		}
	}
	if to < len(text) {
		if k := strings.LastIndexByte(text[at:to], ' '); k > 0 && to-(at+k) < lintExcerptRadius/3 {
			to = at + k
		}
	}
	s := clip(text[from:], to-from)
	if from > 0 {
		s = "…" + s
	}
	if visible {
		s = lintVisible(s)
	}
	return s
}

// lintVisible escapes the invalid bytes and control characters (other than \n, \t, \r) of s.
func lintVisible(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case lintIsControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// lintIsControl tells the control characters lint reports: C0 but \n, \t, \r; DEL; C1.
func lintIsControl(r rune) bool {
	return r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r >= 0x7f && r <= 0x9f
}

// Byte classes of the scan.
const (
	lintOther   uint8 = iota
	lintWord          // a letter, digit or underscore
	lintSpace         // a space or tab between words
	lintQuote         // an opening quote or apostrophe, which a/an looks past: an "honest" man
	lintNewline       // \n or \r: a word on the next line is not a doubled word
	lintControl       // a control character lint reports
)

var lintASCII = func() (t [128]uint8) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_':
			t[c] = lintWord
		case c == ' ', c == '\t':
			t[c] = lintSpace
		case c == '"', c == '\'', c == '`':
			t[c] = lintQuote
		case c == '\n', c == '\r':
			t[c] = lintNewline
		case c < 0x20, c == 0x7f:
			t[c] = lintControl
		}
	}
	return t
}()

// lintClassOf classifies a rune beyond ASCII.
func lintClassOf(r rune, size int) uint8 {
	switch {
	case r == utf8.RuneError && size == 1:
		return lintOther // invalid; lint.invalid_utf8 reports it
	case r <= 0x9f:
		return lintControl // C1
	case unicode.IsLetter(r), unicode.IsDigit(r), unicode.IsMark(r):
		return lintWord
	case r == 0xa0, r == 0x202f: // no-break spaces
		return lintSpace
	case r == '“', r == '‘', r == '«':
		return lintQuote
	}
	return lintOther
}

// What lies between the last word and the current byte.
const (
	lintGapNone  = iota // nothing yet: the last word just ended
	lintGapSpace        // spaces only
	lintGapQuote        // spaces, then opening quotes
	lintGapOther        // anything else, or no word yet
)

// lintScan sets at[c] to the byte offset of the first problem of check c in text, or -1.
func lintScan(text string, at *[lintChecks]int) {
	for c := range at {
		at[c] = -1
	}
	if i, j := strings.IndexByte(text, '{'), strings.IndexByte(text, '}'); i >= 0 || j >= 0 {
		if i < 0 || j >= 0 && j < i {
			i = j
		}
		at[lintUnfilledSlot] = i
	}
	if !utf8.ValidString(text) {
		for i := 0; i < len(text); {
			r, size := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && size == 1 {
				at[lintInvalidUTF8] = i
				break
			}
			i += size
		}
	}

	// Words, and what separates them, for a/an and doubled words; spaces for punctuation.
	var (
		prevStart, prevEnd = -1, -1       // the last word
		prevAfterWord      bool           // the last word followed another after spaces only
		start              = -1           // the current word, -1 outside one
		digits             bool           // the current word has a digit
		prevDigits         bool           // the last word had a digit
		gap                = lintGapOther // what lies between the last word and here
		gapBefore          = lintGapOther // what lay before the current word
		lineBlank          = true         // only spaces so far on this line
	)
	// endWord closes the current word at end, and judges it against the last word.
	endWord := func(end int) {
		w := text[start:end]
		afterWord := prevEnd >= 0 && gapBefore == lintGapSpace
		if afterWord && at[lintDoubledWord] < 0 && !digits && !prevDigits && len(w) == prevEnd-prevStart &&
			lintMayFold(w[0], text[prevStart]) && strings.EqualFold(w, text[prevStart:prevEnd]) && !lintIn(lintDoubledOK, w) &&
			!lintCaseTellsApart(text[prevStart:prevEnd], w, prevAfterWord) {
			at[lintDoubledWord] = prevStart
		}
		if prevEnd >= 0 && prevEnd-prevStart <= 2 && text[prevStart]|0x20 == 'a' && at[lintAAn] < 0 &&
			(gapBefore == lintGapSpace || gapBefore == lintGapQuote) && lintArticleDisagrees(text[prevStart:prevEnd], prevAfterWord, w, text[start:]) {
			at[lintAAn] = prevStart
		}
		prevStart, prevEnd, prevAfterWord, prevDigits = start, end, afterWord, digits
		start, gap = -1, lintGapNone
	}
	for i := 0; i < len(text); {
		b, size := text[i], 1
		var class uint8
		if b < utf8.RuneSelf {
			class = lintASCII[b]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			class = lintClassOf(r, size)
		}
		if class == lintWord {
			if start < 0 {
				start, digits, gapBefore = i, false, gap
			}
			digits = digits || '0' <= b && b <= '9'
			lineBlank = false
			// The rest of an ASCII word, at once.
			for i += size; i < len(text) && text[i] < utf8.RuneSelf && lintASCII[text[i]] == lintWord; i++ {
				digits = digits || '0' <= text[i] && text[i] <= '9'
			}
			continue
		}
		if start >= 0 {
			endWord(i)
		}
		switch class {
		case lintSpace:
			if j := i + size; j < len(text) && lintIsPunct[text[j]] && !lineBlank && at[lintSpaceBeforePunct] < 0 && !lintPunctAfterSpaceOK(text[j:]) {
				at[lintSpaceBeforePunct] = i
			}
			if gap == lintGapNone {
				gap = lintGapSpace
			} else if gap == lintGapQuote {
				gap = lintGapOther
			}
		case lintQuote:
			if gap == lintGapSpace || gap == lintGapQuote {
				gap = lintGapQuote
			} else {
				gap = lintGapOther
			}
			lineBlank = false
		case lintNewline:
			gap, lineBlank = lintGapOther, true
		case lintControl:
			if at[lintControlChar] < 0 {
				at[lintControlChar] = i
			}
			gap, lineBlank = lintGapOther, false
		default:
			gap, lineBlank = lintGapOther, false
		}
		i += size
	}
	if start >= 0 {
		endWord(len(text))
	}
}

// lintCaseTellsApart tells a word followed by itself in another case that is not a slip: a title
// that starts with the word ("the author of Of Mice and Men"), or a name or symbol within a sentence
// ("lists In in its table": the symbol of indium). A slip keeps its case, or is a sentence's first
// word repeated ("The the end"), or an article before its own capital ("the The Four Seasons").
func lintCaseTellsApart(prev, w string, prevAfterWord bool) bool {
	upper := func(c byte) bool { return 'A' <= c && c <= 'Z' }
	if upper(prev[0]) == upper(w[0]) || lintIn([]string{"the", "a", "an"}, w) {
		return false
	}
	return upper(w[0]) || prevAfterWord // a capital second, or a capital first that does not start a sentence
}

// lintMayFold tells whether words that start with bytes a and b may be equal but for case.
func lintMayFold(a, b byte) bool {
	return a|b >= utf8.RuneSelf || a|0x20 == b|0x20
}

// lintIn tells whether w is one of words, ignoring case.
func lintIn(words []string, w string) bool {
	for _, x := range words {
		if strings.EqualFold(x, w) {
			return true
		}
	}
	return false
}

// lintPunctAfterSpaceOK tells a mark after a space that is not misplaced punctuation: an ellipsis
// ("Wait ..."), an emoticon ("Smile :)"), or a dot that starts a number or a name (".5", ".NET").
func lintPunctAfterSpaceOK(s string) bool {
	if strings.HasPrefix(s, "...") {
		return true
	}
	if s[0] == '.' && len(s) > 1 && s[1] < utf8.RuneSelf && lintASCII[s[1]] == lintWord {
		return true
	}
	for _, e := range lintEmoticons {
		if strings.HasPrefix(s, e) && (len(s) == len(e) || s[len(e)] >= utf8.RuneSelf || lintASCII[s[len(e)]] != lintWord) {
			return true
		}
	}
	return false
}

// lintArticleDisagrees tells whether article is a or an before a word w of the other sound. rest is
// the text from w on (a number's digits run past w: "an 11,000"). afterWord tells an article that
// follows another word after spaces: a capital A there is a letter ("Plan A is"), not an article.
func lintArticleDisagrees(article string, afterWord bool, w, rest string) bool {
	var wantVowel bool
	switch article {
	case "a", "A":
		if article == "A" && afterWord {
			return false
		}
	case "an", "An", "AN":
		wantVowel = true
	default:
		return false
	}
	shouting := article == "AN" || article == "A" && lintCapitalWordNext(rest[len(w):])
	sound := lintSoundOf(w, rest, shouting)
	if sound == lintSoundEither || (sound == lintSoundVowel) == wantVowel {
		return false
	}
	return !lintIn(lintNotNouns, w) && !strings.EqualFold(w, "a") && !strings.EqualFold(w, "an")
}

// lintCapitalWordNext tells whether s, after spaces, starts with a word of two or more capital
// letters: "A HOUSE ON FIRE" is shouted, where "A FBI agent" is not.
func lintCapitalWordNext(s string) bool {
	s = strings.TrimLeft(s, " \t")
	n := 0
	for n < len(s) && 'A' <= s[n] && s[n] <= 'Z' {
		n++
	}
	return n >= 2 && (n == len(s) || s[n] >= utf8.RuneSelf || lintASCII[s[n]] != lintWord)
}

// lintSoundOf is how w starts when read aloud. Numbers are read as numbers; a single letter, or a
// word whose first two letters are capitals (FBI, MSc, SUVs), by the name of its first letter unless
// it is an acronym read as a word; any other word by its letters and the exceptions of
// lintWordSounds. shouting tells a word after "AN", or after "A" and before another capital word,
// where an all-capital word may be a plain word.
func lintSoundOf(w, rest string, shouting bool) lintSound {
	c := w[0]
	if '0' <= c && c <= '9' {
		return lintNumberSound(rest)
	}
	if c >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(w)
		if strings.ContainsRune("ÀÁÂÃÄÅÆÈÉÊËÌÍÎÏÒÓÔÕÖØÙÚÛÜàáâãäåæèéêëìíîïòóôõöøùúûü", r) {
			return lintSoundVowel
		}
		return lintSoundEither
	}
	isUpper := func(b byte) bool { return 'A' <= b && b <= 'Z' }
	if !isUpper(c) && (c < 'a' || c > 'z') {
		return lintSoundEither // "a _name_", "an @handle"
	}
	if len(w) == 1 || isUpper(c) && isUpper(w[1]) {
		switch {
		case lintIn(lintSaidBothWays, w):
			return lintSoundEither
		case len(w) > 1 && lintIn(lintSaidAsWords, w):
			// read as a word below
		default:
			letter := lintLetterSound(c)
			if shouting && len(w) > 1 && lintWordSound(w) != letter {
				return lintSoundEither // "AN HOUR" or "AN FBI AGENT": a word or letters
			}
			return letter
		}
	}
	return lintWordSound(w)
}

func lintLetterSound(c byte) lintSound {
	if c >= 'a' && c <= 'z' {
		c -= 'a' - 'A'
	}
	if strings.IndexByte(lintVowelLetters, c) >= 0 {
		return lintSoundVowel
	}
	return lintSoundConsonant
}

// lintWordSound is how the ASCII word w starts when read as a word.
func lintWordSound(w string) lintSound {
	var low [8]byte
	n := copy(low[:], w)
	for i := range n {
		if 'A' <= low[i] && low[i] <= 'Z' {
			low[i] += 'a' - 'A'
		}
	}
	sound, longest := lintSoundConsonant, 0
	if strings.IndexByte("aeiou", low[0]) >= 0 {
		sound = lintSoundVowel
	}
	if 'a' <= low[0] && low[0] <= 'z' {
		for _, e := range lintWordSoundsBy[low[0]-'a'] {
			if len(e.prefix) > longest && len(e.prefix) <= n && string(low[:len(e.prefix)]) == e.prefix {
				sound, longest = e.sound, len(e.prefix)
			}
		}
	}
	return sound
}

// lintNumberSound is how the number at the start of s is read: an 8, an 80, an 11, an 18, an
// 11,000, an 18.5; a 1, a 110, a 1,800; a/an 1100 and 1800 (eleven hundred, or a year).
func lintNumberSound(s string) lintSound {
	digits, commas := 0, false
	for i := 0; i < len(s); i++ {
		if c := s[i]; '0' <= c && c <= '9' {
			digits++
		} else if c == ',' && digits > 0 && lintThreeDigits(s[i+1:]) {
			commas = true
		} else {
			break
		}
	}
	switch {
	case s[0] == '8':
		return lintSoundVowel
	case !strings.HasPrefix(s, "11") && !strings.HasPrefix(s, "18"):
		return lintSoundConsonant
	case digits == 4 && !commas:
		return lintSoundEither
	case digits%3 == 2:
		return lintSoundVowel // eleven, eighteen, eleven thousand...
	}
	return lintSoundConsonant
}

// lintThreeDigits tells whether s starts with a group of exactly three digits.
func lintThreeDigits(s string) bool {
	if len(s) < 3 {
		return false
	}
	for i := range 3 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) == 3 || s[3] < '0' || s[3] > '9'
}
