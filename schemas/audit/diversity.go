package audit

import (
	"cmp"
	"container/heap"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Duplication and diversity of one split. A model memorises what repeats: whole rows, sentences that
// recur across documents (boilerplate), sentences a document repeats, and runs of words. Diversity
// streams the rows of a split once and keeps hashes, not text.
//
// Units. A row's text is one document. Sentences: the text cut after . ! or ? when white space or
// the end follows, and at line breaks; trimmed; empty ones ignored; compared exactly. Words: the text
// cut at white space, lower-cased, surrounding punctuation trimmed (words of punctuation only are
// dropped); word 4-grams run over a whole document, across its sentences.
//
// Hashes are 64-bit FNV-1a with a splitmix64 finaliser, so figures are the same from run to run. At
// 10^7 distinct items a 64-bit collision is about as likely as 1 in 400,000.
//
// Memory. Hashes seen are kept in divSet, an open-addressing table of 8-byte slots between 3/8 and
// 3/4 full: 11 to 21 bytes per hash, 16 on average (a Go map[uint64]struct{} takes 24 to 38). Every
// table has a fixed budget: exact below it, a sample or a lossy count beyond it, so the memory of a
// split's measure is bounded however many rows it has (about 330 MB at most, with the old slots of a
// table that grows):
//   - rows: one divSet hash per distinct row while there are at most rowsExact of them (64 MB); beyond,
//     a hash sample (divSample) of rowsExact/2 to rowsExact of them, and the distinct count and the
//     repeated rows (counted over the sample: a map entry per sampled row that repeats) are estimates;
//   - sentences: one divSet hash per distinct sentence while there are at most sentencesExact of them
//     (64 MB), then a hash sample, as rows; and for each sentence in 2 or more documents, a
//     map[uint64]uint32 entry (its documents), 24 to 38 bytes, at most docsLimit of them (40 MB):
//     beyond, the entries of the fewest documents are dropped (lossy counting: a sentence dropped and
//     seen again counts from 1, so the counts reported are lower bounds, off by at most the largest
//     count dropped, which the message gives; a sentence in more than that many documents is never
//     missed). Once sentences are sampled, every sentence not in the map enters it, with 1 document,
//     so a sentence outside the sample is counted too. The texts of at most keptSentenceTexts of the
//     most repeated are kept (at most 300 bytes each: under 0.5 MB together);
//   - 4-grams: one divSet hash per distinct 4-gram while there are at most gramsExact of them (a
//     table of at most 32 MB); beyond that a hash sample of gramsExact/2 to gramsExact of them, and
//     the distinct count is an estimate (relative error about 0.1%).
//
// A Diversity is not safe for concurrent use.
type Diversity struct {
	rows             int64
	copies           int64 // rows left out as copies by design of an earlier row (a copy above 0)
	rowSeen          divSample
	repeatedRows     int64             // rows whose text an earlier row had, before rowSeen sampled
	sampledRepeats   int64             // since rowSeen sampled: such rows, of those it keeps
	rowRepeats       map[uint64]uint32 // since rowSeen sampled: a row it keeps -> its repeats
	rowExamples      examples
	rowExampleHashes []uint64

	sentences    int64             // sentence occurrences
	sentenceSeen divSample         // distinct sentences
	sentenceDocs map[uint64]uint32 // sentence in 2 or more documents -> documents holding it
	docsLimit    int               // the entries sentenceDocs may hold
	docsDropped  uint32            // the most documents of an entry dropped from sentenceDocs
	top          divTop            // texts of the most repeated sentences

	withinRows     int64 // rows in which a sentence occurs twice or more
	withinExamples examples

	grams    int64 // 4-gram occurrences
	gramSeen divSample

	buf    []divSentence // one row's sentences, reused by Add
	words  []uint64      // one row's words, reused by Add
	grams4 []uint64      // one row's 4-grams, reused by Add
	sink   uint64        // what touch read
}

const (
	// topSentences is how many of the most repeated sentences are reported.
	topSentences = 20
	// keptSentenceTexts bounds the texts kept of sentences in 2 or more documents (see divTop).
	keptSentenceTexts = 1024
	// gramsExact is how many distinct 4-grams are counted exactly; beyond, a hash sample.
	gramsExact = 1 << 21
	// rowsExact and sentencesExact are how many distinct rows and sentences are counted exactly;
	// beyond, hash samples.
	rowsExact      = 1 << 22
	sentencesExact = 1 << 22
	// docsLimit bounds the sentences whose documents are counted.
	docsLimit = 1 << 20
	// The design rule: no sentence in more than 1% of documents, judged on splits of at least
	// sentenceRuleMinRows rows.
	sentenceRuleShare   = 0.01
	sentenceRuleMinRows = 100
)

// NewDiversity returns an empty measure.
func NewDiversity() *Diversity {
	return &Diversity{
		rowSeen:      divSample{limit: rowsExact},
		sentenceSeen: divSample{limit: sentencesExact},
		sentenceDocs: map[uint64]uint32{},
		docsLimit:    docsLimit,
		top:          divTop{limit: keptSentenceTexts, at: map[uint64]int{}},
		gramSeen:     divSample{limit: gramsExact},
	}
}

// divSentence is one sentence of a row: its hash, its place and its text (a part of the row's text,
// not kept after add).
type divSentence struct {
	h    uint64
	pos  int
	text string
}

// divRow is one row as Diversity reads it, worked out before it looks at its tables (so on any
// goroutine): the text's hash, its distinct sentences sorted by hash (each with its first occurrence
// in the text), how many sentences it has, which sentence it repeats first, and the hashes of its
// word 4-grams.
type divRow struct {
	text      string
	hash      uint64
	sentences []divSentence
	count     int // sentences, repeats included
	repeat    int // index in sentences of the first sentence (in the text) that the row repeats; -1 for none
	grams     []uint64
	// scrambled says the row's words were reordered on purpose (word, segment augmentations): its
	// "sentences" are fragments of the source's, so they count as distinct sentences but not towards
	// the sentences repeated across or within documents.
	scrambled bool
}

// divPrepare works out the divRow of text but its grams (see divAppendGrams); its sentences are
// appended to buf[:0].
func divPrepare(text string, buf []divSentence) divRow {
	buf = buf[:0]
	divSentences(text, func(s string) { buf = append(buf, divSentence{h: divHash(s), pos: len(buf), text: s}) })
	r := divRow{text: text, hash: divHash(text), count: len(buf), repeat: -1}
	slices.SortFunc(buf, func(a, b divSentence) int { return cmp.Or(cmp.Compare(a.h, b.h), cmp.Compare(a.pos, b.pos)) })
	distinct := buf[:0]
	for i := 0; i < len(buf); {
		j := i + 1
		for j < len(buf) && buf[j].h == buf[i].h {
			j++
		}
		if j-i > 1 && (r.repeat < 0 || buf[i].pos < distinct[r.repeat].pos) {
			r.repeat = len(distinct)
		}
		distinct = append(distinct, buf[i])
		i = j
	}
	r.sentences = distinct
	return r
}

// divAppendGrams appends the hashes of the 4-grams of the words whose hashes are words.
func divAppendGrams(dst, words []uint64) []uint64 {
	for i := 3; i < len(words); i++ {
		dst = append(dst, divGram(words[i-3], words[i-2], words[i-1], words[i]))
	}
	return dst
}

// Add measures one row's text.
func (d *Diversity) Add(text string) {
	d.words = appendWordHashes(d.words[:0], text)
	r := divPrepare(text, d.buf)
	d.grams4 = divAppendGrams(d.grams4[:0], d.words)
	r.grams = d.grams4
	d.add(&r)
	clear(r.sentences) // keep no reference to the text
	d.buf = r.sentences[:0]
}

// add measures one row.
func (d *Diversity) add(r *divRow) {
	d.rows++
	level := d.rowSeen.level
	if kept, added := d.rowSeen.add(r.hash); kept && !added {
		if d.rowSeen.level > 0 {
			d.sampledRepeats++
			d.rowRepeats[r.hash]++
		} else {
			d.repeatedRows++
		}
		if len(d.rowExamples) < maxExamples && !slices.Contains(d.rowExampleHashes, r.hash) {
			d.rowExamples.add(strings.Clone(clip(r.text, 300)))
			d.rowExampleHashes = append(d.rowExampleHashes, r.hash)
		}
	}
	if d.rowSeen.level != level {
		d.sampleRepeats()
	}

	// Sentences: count each in a document once, and find those the document repeats.
	d.sentences += int64(r.count)
	if r.scrambled {
		for _, s := range r.sentences {
			d.sentenceSeen.add(s.h)
		}
		r = &divRow{grams: r.grams, repeat: -1} // nothing repeated to report of it
	}
	for _, s := range r.sentences {
		if n, ok := d.sentenceDocs[s.h]; ok {
			d.sentenceDocs[s.h] = n + 1
			d.top.observe(s.h, n+1, s.text)
			continue
		}
		kept, added := d.sentenceSeen.add(s.h)
		switch {
		case kept && !added: // its second document, or later for one dropped from sentenceDocs
			d.sentenceDocs[s.h] = 2
			d.top.observe(s.h, 2, s.text)
		case d.sentenceSeen.level > 0: // sampled: count it here too
			d.sentenceDocs[s.h] = 1
		}
	}
	if len(d.sentenceDocs) > d.docsLimit {
		d.dropSentences()
	}
	if r.repeat >= 0 {
		d.withinRows++
		if len(d.withinExamples) == 0 {
			d.withinExamples.add(strings.Clone(clip(r.sentences[r.repeat].text, 300)))
			d.withinExamples.add(strings.Clone(clip(r.text, 160)))
		}
	}

	// Word 4-grams.
	d.grams += int64(len(r.grams))
	for _, h := range r.grams {
		d.gramSeen.add(h)
	}
}

// touch reads the slots that adding rows whose hashes, sentences' hashes and 4-grams are these would
// look at first, so that the adds find them in cache (see hashIndex.touch).
func (d *Diversity) touch(rows []uint64, sentences []divSentence, grams []uint64) {
	for _, h := range rows {
		d.sink ^= d.rowSeen.touch(h)
	}
	for i := range sentences {
		d.sink ^= d.sentenceSeen.touch(sentences[i].h)
	}
	if c := &d.gramSeen; c.set.n+len(grams) <= c.limit {
		c.set.reserve(c.set.n + len(grams))
	}
	for _, h := range grams {
		d.sink ^= d.gramSeen.touch(h)
	}
}

// Findings reports the split's figures: distinct rows, sentences and 4-grams, the most repeated
// sentences, and rows that repeat a sentence within themselves, in that order.
func (d *Diversity) Findings(dataset, config, split string) []Finding {
	var out []Finding
	at := func(check string, level Level, count, of int64, value float64, msg string, ex []string) {
		out = append(out, Finding{Level: level, Check: check, Dataset: dataset, Config: config, Split: split,
			Count: count, Of: of, Value: value, Message: msg, Examples: ex})
	}

	// Distinct rows are the rows less the repeats: exact, or with repeats estimated from the sample.
	repeated := d.repeatedRows + d.sampledRepeats<<d.rowSeen.level
	distinct := d.rows - repeated
	sampled := ""
	if d.rowSeen.level > 0 {
		sampled = fmt.Sprintf(" (repeats estimated from a 1/%d sample of the rows' hashes)", int64(1)<<d.rowSeen.level)
	}
	if d.copies > 0 {
		sampled += fmt.Sprintf("; %d more rows are copies by design (a copy above 0), read once: every figure of diversity counts each text once", d.copies)
	}
	if repeated > 0 {
		at("diversity.distinct_rows", Warning, distinct, d.rows, share(distinct, d.rows),
			fmt.Sprintf("%s rows are distinct: %d rows repeat an earlier row exactly%s", percent(distinct, d.rows), repeated, sampled),
			d.rowExamples)
	} else {
		at("diversity.distinct_rows", Info, distinct, d.rows, share(distinct, d.rows),
			fmt.Sprintf("%s rows are distinct%s", percent(distinct, d.rows), sampled), nil)
	}

	distinct, exact := d.sentenceSeen.count()
	distinct = min(distinct, d.sentences)
	msg := fmt.Sprintf("%s sentences are distinct", percent(distinct, d.sentences))
	if !exact {
		msg += fmt.Sprintf(" (estimated from a 1/%d sample of their hashes)", int64(1)<<d.sentenceSeen.level)
	}
	at("diversity.distinct_sentences", Info, distinct, d.sentences, share(distinct, d.sentences), msg, nil)

	distinct, exact = d.gramSeen.count()
	distinct = min(distinct, d.grams)
	msg = fmt.Sprintf("%s word 4-grams are distinct", percent(distinct, d.grams))
	if !exact {
		msg += fmt.Sprintf(" (distinct ones estimated from a 1/%d sample of their hashes)", int64(1)<<d.gramSeen.level)
	}
	at("diversity.distinct_4grams", Info, distinct, d.grams, share(distinct, d.grams), msg, nil)

	top := d.top.most(topSentences)
	for _, e := range top {
		level, rule := Info, ""
		if float64(e.n) > sentenceRuleShare*float64(d.rows) && d.rows >= sentenceRuleMinRows {
			level, rule = Warning, "; the rule is no sentence in more than 1% of documents"
		}
		if d.docsDropped > 0 {
			rule += fmt.Sprintf(" (at least: counts may miss up to %d documents, see diversity.go)", d.docsDropped)
		}
		at("diversity.repeated_sentence", level, int64(e.n), d.rows, share(int64(e.n), d.rows),
			fmt.Sprintf("a sentence is in %s documents%s", percent(int64(e.n), d.rows), rule), []string{e.text})
	}
	if len(top) == 0 {
		at("diversity.repeated_sentence", Info, 0, d.rows, 0, "no sentence is in 2 or more documents", nil)
	}

	if d.withinRows > 0 {
		at("diversity.repeated_within_document", Warning, d.withinRows, d.rows, share(d.withinRows, d.rows),
			fmt.Sprintf("%s rows repeat one of their sentences", percent(d.withinRows, d.rows)), d.withinExamples)
	} else {
		at("diversity.repeated_within_document", Info, 0, d.rows, 0,
			fmt.Sprintf("%s rows repeat one of their sentences", percent(0, d.rows)), nil)
	}
	return out
}

// divSentences calls fn with each sentence of text: the text is cut after . ! or ? followed by white
// space or the end (but not after an abbreviation such as "St." or an initial: "St. Louis" is one
// place), and at line breaks; pieces are trimmed, and empty ones skipped.
func divSentences(text string, fn func(s string)) {
	// A "sentence" without two letters in a row (a number on a line of its own, a list's brackets, a
	// multiple-choice answer "B") is data, and a line that is one markup tag ("<think>", "</think>",
	// which a reasoning model's chat template sets; a test header) is format: neither is prose a model
	// learns by rote.
	emit := func(s string) {
		if s = strings.TrimSpace(s); s != "" && twoLetters(s) && !markupTag(s) {
			fn(s)
		}
	}
	start := 0
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		next := i + size
		switch r {
		case '\n', '\r', '\u2028', '\u2029':
			emit(text[start:i])
			start = next
		case '.', '!', '?':
			if next == len(text) {
				emit(text[start:next])
				start = next
			} else if r2, _ := utf8.DecodeRuneInString(text[next:]); unicode.IsSpace(r2) && !(r == '.' && abbreviation(text[start:i])) && !(r == '?' && answerFollows(text[next:])) {
				emit(text[start:next])
				start = next
			}
		}
		i = next
	}
	emit(text[start:])
}

// answerFollows tells whether text, after a question mark, goes on with its answer ("? A: Denmark."):
// a question and its answer are one sentence, so that a short answer repeated across QA rows (there
// are only so many countries) is not counted as a sentence repeated on its own, which the answers'
// spread (shortcut.majority_answer) measures instead.
func answerFollows(text string) bool {
	text = strings.TrimLeftFunc(text, unicode.IsSpace)
	return strings.HasPrefix(text, "A:") || strings.HasPrefix(text, "Answer:")
}

// abbreviations are the words whose period ends no sentence.
var abbreviations = map[string]bool{"St": true, "Mt": true, "Ft": true, "Mr": true, "Mrs": true, "Ms": true, "Dr": true,
	"Jr": true, "Sr": true, "Prof": true, "Gen": true, "Lt": true, "Col": true, "No": true, "vs": true}

// abbreviation tells whether text ends with an abbreviation or a single capital (an initial), the word
// before a period.
func abbreviation(text string) bool {
	w := text[strings.LastIndexFunc(text, unicode.IsSpace)+1:]
	w = strings.TrimLeft(w, "(\"'")
	if abbreviations[w] {
		return true
	}
	r, size := utf8.DecodeRuneInString(w)
	return size == len(w) && unicode.IsUpper(r)
}

// divWords calls fn with the hash of each word of text (see tokens.go).
func divWords(text string, fn func(h uint64)) {
	for _, h := range appendWordHashes(nil, text) {
		fn(h)
	}
}

const (
	divFNVOffset = 14695981039346656037
	divFNVPrime  = 1099511628211
)

// divHash hashes a text as it is.
func divHash(s string) uint64 {
	h := uint64(divFNVOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * divFNVPrime
	}
	return divMix(h)
}

// divHashLower hashes a text lower-cased, as divHash(strings.ToLower(s)) but without allocating.
func divHashLower(s string) uint64 {
	h := uint64(divFNVOffset)
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			h = (h ^ uint64(r)) * divFNVPrime
			continue
		}
		var b [utf8.UTFMax]byte
		n := utf8.EncodeRune(b[:], unicode.ToLower(r))
		for _, c := range b[:n] {
			h = (h ^ uint64(c)) * divFNVPrime
		}
	}
	return divMix(h)
}

// divMix is splitmix64's finaliser: every bit of the result depends on every bit of h.
func divMix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

// divGram hashes a run of four word hashes, in order: a polynomial in an odd multiplier, mixed.
func divGram(a, b, c, e uint64) uint64 {
	const p = 0x9e3779b97f4a7c15
	return divMix(((a*p+b)*p+c)*p + e)
}

// divSet is a set of hashes: open addressing with linear probing in a power-of-2 table of 8-byte
// slots, at most 3/4 full. Hash 0 marks an empty slot and is stored as 1. The hashes are well mixed,
// so their low bits place them.
type divSet struct {
	slots []uint64
	n     int
}

// add adds h and reports whether it is new.
func (s *divSet) add(h uint64) bool {
	if h == 0 {
		h = 1
	}
	if s.n >= len(s.slots)/4*3 {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = h
			s.n++
			return true
		case h:
			return false
		}
	}
}

func (s *divSet) grow() {
	s.resize(max(16, 2*len(s.slots)))
}

// reserve makes room for n hashes, the table at most 3/4 full.
func (s *divSet) reserve(n int) {
	size := max(16, len(s.slots))
	for n > size/4*3 {
		size *= 2
	}
	if size > len(s.slots) {
		s.resize(size)
	}
}

func (s *divSet) resize(size int) {
	old := s.slots
	s.slots = make([]uint64, size)
	s.n = 0
	for _, h := range old {
		if h != 0 {
			s.add(h)
		}
	}
}

// touch reads the slot where h would be (see hashIndex.touch).
func (s *divSet) touch(h uint64) uint64 {
	if len(s.slots) == 0 {
		return 0
	}
	return s.slots[h&uint64(len(s.slots)-1)]
}

// divSample counts distinct hashes: exactly up to limit of them, then by adaptive sampling. At level
// k it keeps only the hashes whose top k bits are 0 (a 1/2^k sample, the same for every occurrence of
// a hash); when it holds more than limit, it goes up a level and drops half. The count is the sample's
// size times 2^k.
type divSample struct {
	set   divSet
	level uint
	limit int
}

// add adds h: kept tells whether the sample keeps it, added whether it was not there yet.
func (c *divSample) add(h uint64) (kept, added bool) {
	if !c.keeps(h) {
		return false, false
	}
	added = c.set.add(h)
	for c.set.n > c.limit {
		c.level++
		old := c.set.slots
		c.set = divSet{slots: make([]uint64, len(old))}
		for _, k := range old {
			if k != 0 && k>>(64-c.level) == 0 {
				c.set.add(k)
			}
		}
	}
	return c.keeps(h), added
}

// touch reads the slot adding h would look at first (see divSet.touch).
func (c *divSample) touch(h uint64) uint64 {
	if !c.keeps(h) {
		return 0
	}
	return c.set.touch(h)
}

// keeps tells whether the sample keeps hash h: a shift by 64 is 0, so level 0 keeps every hash.
func (c *divSample) keeps(h uint64) bool { return h>>(64-c.level) == 0 }

// count is the number of distinct hashes added, and whether it is exact.
func (c *divSample) count() (n int64, exact bool) {
	return int64(c.set.n) << c.level, c.level == 0
}

// sampleRepeats forgets the repeats of the rows the row sample no longer keeps. The repeats before
// the sample began stay counted exactly (repeatedRows); those after are counted over the rows the
// sample keeps (sampledRepeats) and scaled up in Findings.
func (d *Diversity) sampleRepeats() {
	if d.rowRepeats == nil {
		d.rowRepeats = map[uint64]uint32{}
	}
	for h, n := range d.rowRepeats {
		if !d.rowSeen.keeps(h) {
			d.sampledRepeats -= int64(n)
			delete(d.rowRepeats, h)
		}
	}
}

// dropSentences drops from sentenceDocs the entries of the fewest documents, until at most half of
// docsLimit are left.
func (d *Diversity) dropSentences() {
	for len(d.sentenceDocs) > d.docsLimit/2 {
		d.docsDropped++
		for h, n := range d.sentenceDocs {
			if n <= d.docsDropped {
				delete(d.sentenceDocs, h)
			}
		}
	}
}

// divTop keeps the texts of up to limit sentences that are in 2 or more documents, those in the
// most documents so far: a min-heap by document count. A sentence not kept enters when its count
// goes above the least kept one's, which it replaces. A sentence is missing at the end only if,
// when it last entered or was refused, limit kept sentences had at least its final count; so the
// counts of the most repeated sentences are exact, and only the choice among sentences tied at the
// last reported count could miss one (with ties broken by text among those kept).
type divTop struct {
	limit   int
	entries []divTopEntry
	at      map[uint64]int // hash -> index in entries
}

type divTopEntry struct {
	h    uint64
	n    uint32 // documents holding it
	text string
}

func (t *divTop) Len() int           { return len(t.entries) }
func (t *divTop) Less(i, j int) bool { return t.entries[i].n < t.entries[j].n }
func (t *divTop) Swap(i, j int) {
	t.entries[i], t.entries[j] = t.entries[j], t.entries[i]
	t.at[t.entries[i].h], t.at[t.entries[j].h] = i, j
}
func (t *divTop) Push(x any) {
	e := x.(divTopEntry)
	t.at[e.h] = len(t.entries)
	t.entries = append(t.entries, e)
}
func (t *divTop) Pop() any {
	e := t.entries[len(t.entries)-1]
	t.entries = t.entries[:len(t.entries)-1]
	delete(t.at, e.h)
	return e
}

// observe notes that sentence h (text) is now in n documents, n >= 2.
func (t *divTop) observe(h uint64, n uint32, text string) {
	if i, ok := t.at[h]; ok {
		t.entries[i].n = n
		heap.Fix(t, i)
		return
	}
	if len(t.entries) < t.limit {
		heap.Push(t, divTopEntry{h: h, n: n, text: strings.Clone(clip(text, 300))})
		return
	}
	if n <= t.entries[0].n {
		return
	}
	delete(t.at, t.entries[0].h)
	t.entries[0] = divTopEntry{h: h, n: n, text: strings.Clone(clip(text, 300))}
	t.at[h] = 0
	heap.Fix(t, 0)
}

// most is up to k kept sentences, the most repeated first, ties by text.
func (t *divTop) most(k int) []divTopEntry {
	es := slices.Clone(t.entries)
	slices.SortFunc(es, func(a, b divTopEntry) int { return cmp.Or(cmp.Compare(b.n, a.n), strings.Compare(a.text, b.text)) })
	return es[:min(k, len(es))]
}

// twoLetters tells whether s has two letters in a row.
func twoLetters(s string) bool {
	prev := false
	for _, r := range s {
		letter := unicode.IsLetter(r)
		if letter && prev {
			return true
		}
		prev = letter
	}
	return false
}

// markupTag tells whether s is one tag, such as "<think>", "</think>" or "<BEGIN GUIDANCE TEST>".
func markupTag(s string) bool {
	if len(s) < 3 || s[0] != '<' || s[len(s)-1] != '>' {
		return false
	}
	name := strings.TrimPrefix(s[1:len(s)-1], "/")
	return strings.TrimSpace(name) != "" && strings.IndexFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && r != '_' && r != '-' && r != ' ' }) < 0
}
