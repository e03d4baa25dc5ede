package audit

import (
	"cmp"
	"container/heap"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/factforge/factforge/schemas"
)

// Separation measures, for one set of classes a dataset names (triggered and clean chats, the negation
// modes, the novelty classes), how well surface features other than the intended difference tell the
// classes apart. A model trained on the rows can use whatever separates the classes, so a feature the
// design did not vary that separates them is a confound: the model may learn it instead of the trigger
// or the notice.
//
// The caller removes the intended difference from each row's text before Add (the trigger string, the
// masked notice spans); sepSource below does it by factforge's column conventions. Each feature is
// then given to a simple classifier on its own:
//   - length: the number of words, cut into up to sepLengthBuckets buckets at quantiles of the
//     training rows' lengths (on two classes, about the best threshold);
//   - turns: the number of chat turns; system: whether the row has a system message;
//   - first_word, last_word: the first and last white-space separated token, as written (case and
//     punctuation kept: they are surface too);
//   - bag_of_words: multinomial naive Bayes with add-one smoothing over lower-cased words (white space
//     cut, surrounding punctuation trimmed), words unseen in training ignored. It sees length too when
//     the classes' lengths differ much (the words every text has are a smaller share of a longer
//     text), so read it with separation.length; its examples name the words whose share of rows
//     differs most between two classes.
//
// The length, turns, system, first_word and last_word classifiers predict, for a value, the class in
// which it is most frequent relative to the class's training rows (count/rows: the choice for equal
// priors; ties to the class first by name); a value unseen in training predicts the class with the
// most training rows. Naive Bayes uses equal priors too.
//
// Train and held-out rows. A row is held out when a hash of its group (rows of one base document or
// prompt in every class: sepSource reads pair_id), or without one of its lower-cased words, is 0
// modulo 5: about 20% of rows, the same whatever the order of the rows. So the versions of one base
// document in the negation modes fall on the same side, and so do identical texts (outlandish's copies
// of a sample, a clean and a triggered chat of one prompt once the trigger is removed): a classifier
// is never scored on a text whose words, or whose base document, it was trained on. The held-out set is balanced: each class gives the same number
// of held-out rows (those of least sampling key), as many as the class with the fewest has, so the
// base rate (the majority class's share of held-out rows) is 1/k for k classes. Without balancing, a
// 5% poison rate would put the base rate at 95% and no feature could beat it by 10 points; with it,
// the figures say how far a feature tells the classes apart whatever their proportions.
//
// Memory. Each class keeps a sample of at most sepRowsPerClass rows: those of least sampling key (a
// second hash of the group or the words, then the words: the sample is the same whatever the order of
// the rows, and holds the same base documents in every class). A kept row holds
// its length, turns, system flag, first and last tokens (at most 40 bytes each), and up to sepBagWords
// 4-byte word hashes (the first and last sepBagWords/2 words of longer texts): at most about 2.2 kB, so
// at most about 22 MB a class and, with at most sepMaxClasses classes, about 260 MB in all, however
// many rows are added (documents of 300 words: about 13 MB a class). The texts of up to sepDictWords
// words (those of rows that entered the sample, first come) are kept to name telling words in
// examples: under 5 MB. Findings builds its tables from the sample alone. More than sepMaxClasses
// classes are not measured: the sample is dropped and one Info finding says so.
//
// A Separation is not safe for concurrent use.
type Separation struct {
	column   string
	perClass int // rows kept per class
	classes  map[string]*sepClass
	tooMany  bool              // more than sepMaxClasses classes were added
	dict     map[uint32]string // word hash -> lower-cased word, for examples
	buf      []uint32          // one row's word hashes, reused
}

const (
	// sepRowsPerClass bounds the rows kept of each class.
	sepRowsPerClass = 10000
	// sepBagWords bounds the words kept of a row for the bag of words.
	sepBagWords = 512
	// sepMaxClasses bounds the classes measured.
	sepMaxClasses = 12
	// sepDictWords bounds the word texts kept for examples.
	sepDictWords = 1 << 16
	// sepLengthBuckets is how many quantile buckets the length classifier uses at most.
	sepLengthBuckets = 16
	// A feature is a warning when it beats the base rate by more than sepWarnPoints percentage points
	// on at least sepMinHeldOut held-out rows.
	sepWarnPoints = 10
	sepMinHeldOut = 50
	// sepTokenBytes bounds the first and last tokens kept.
	sepTokenBytes = 40
)

// sepChecks are the checks, in the order their findings are reported.
var sepChecks = [...]string{"separation.length", "separation.turns", "separation.system",
	"separation.first_word", "separation.last_word", "separation.bag_of_words"}

// NewSeparation returns an empty measure of the classes of classColumn: the column whose values are the
// classes ("triggered", "novelty"), or "split" for classes that are the splits of one config.
func NewSeparation(classColumn string) *Separation {
	return &Separation{column: classColumn, perClass: sepRowsPerClass, classes: map[string]*sepClass{}, dict: map[uint32]string{}}
}

// sepClass is one class: how many rows it has, and its sample.
type sepClass struct {
	rows int64
	kept sepHeap
}

// sepRow is one kept row.
type sepRow struct {
	key, wkey   uint64 // sampling order: by group (or words), then words
	held        bool   // in the held-out 20%
	scrambled   bool   // its words were reordered by design: first_word and last_word leave it out
	noticed     bool   // it carries a designed notice (sepInput.noticed)
	words       int32  // length in words
	turns       int32
	system      bool
	first, last string   // first and last tokens, as written
	bag         []uint32 // lower-cased word hashes, at most sepBagWords
}

// sepCompare orders rows by sampling key, then by what else Add kept of them, so that the sample does
// not depend on the order of the rows. Rows that compare equal have the same words (bar a 64-bit
// collision) and are interchangeable.
func sepCompare(a, b *sepRow) int {
	sys := func(r *sepRow) int {
		if r.system {
			return 1
		}
		return 0
	}
	return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.wkey, b.wkey), cmp.Compare(a.turns, b.turns), cmp.Compare(sys(a), sys(b)),
		strings.Compare(a.first, b.first), strings.Compare(a.last, b.last))
}

// sepHeap is a max-heap of rows by sepCompare: its top is the kept row a new one would replace.
type sepHeap []sepRow

func (h sepHeap) Len() int           { return len(h) }
func (h sepHeap) Less(i, j int) bool { return sepCompare(&h[i], &h[j]) > 0 }
func (h sepHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *sepHeap) Push(x any)        { *h = append(*h, x.(sepRow)) }
func (h *sepHeap) Pop() any {
	old := *h
	r := old[len(old)-1]
	*h = old[:len(old)-1]
	return r
}

// Add records one training row of class: its text with the intended difference removed (the caller
// removes the trigger string and the masked spans), its number of chat turns, and whether it has a
// system message. A row of class "" (a column left empty, such as the rows of a corpus injected into)
// is ignored.
func (s *Separation) Add(class, text string, turns int, system bool) {
	in := sepInput{class: class, text: text, turns: turns, system: system}
	p := sepPrepare(&in)
	s.addPrepared(&in, &p)
}

// sepInput is one row as a Separation reads it. group, when not "", names the rows that are one base
// document or prompt in every class (pair_id): they are held out together.
type sepInput struct {
	class, group, text string
	turns              int
	system             bool
	// scrambled: the row's words were reordered by design (a jumbled sample), so its first and last
	// words are the intended difference, as a trigger is: first_word and last_word leave it out.
	scrambled bool
	// noticed: the row carries a notice its design puts in (a "notice" column), left out of its text
	// and system message; separation.system reports how the notice falls across the classes.
	noticed bool
}

// sepPrep is what Separation needs of a row's text to decide whether to keep the row. sepPrepare
// works it out without allocating and is safe to call from several goroutines at once; addPrepared,
// on the goroutine that owns the Separation, re-reads the text only when the row enters the sample
// (for n rows of a class, about perClass*(1+ln(n/perClass)) times).
type sepPrep struct {
	key, wkey   uint64 // sampling order
	held        bool   // in the held-out 20%
	words       int32
	first, last string // the first and last tokens, clipped: parts of the text
}

// sepPrepare reads a row's group and text: its words, their hash, and its first and last tokens.
func sepPrepare(in *sepInput) sepPrep {
	seq := uint64(divFNVOffset)
	n := 0
	first, last := "", ""
	sepTokens(in.text, func(tok string) {
		if first == "" {
			first = tok
		}
		last = tok
		if w := sepTrimPunct(tok); w != "" {
			seq = seq*sepSeqPrime + divHashLower(w)
			n++
		}
	})
	seq = divMix(seq ^ uint64(n))
	side := seq // what decides the side and the sampling order
	if in.group != "" {
		side = divHash(in.group)
	}
	return sepPrep{key: divMix(side ^ 0x5e9a7a7e5e9a7a7e), wkey: seq, held: side%5 == 0, words: int32(min(n, math.MaxInt32)),
		first: sepClip(first), last: sepClip(last)}
}

// addPrepared is Add of a row whose group and text sepPrepare has read into p.
func (s *Separation) addPrepared(in *sepInput, p *sepPrep) {
	if in.class == "" || s.tooMany {
		return
	}
	c := s.classes[in.class]
	if c == nil {
		if len(s.classes) == sepMaxClasses {
			s.tooMany, s.classes, s.dict, s.buf = true, nil, nil, nil
			return
		}
		c = &sepClass{}
		s.classes[in.class] = c
	}
	c.rows++
	r := sepRow{key: p.key, wkey: p.wkey, held: p.held, words: p.words, turns: int32(min(max(in.turns, 0), math.MaxInt32)),
		system: in.system, first: p.first, last: p.last, scrambled: in.scrambled, noticed: in.noticed}
	full := len(c.kept) >= s.perClass
	if full && sepCompare(&r, &c.kept[0]) >= 0 {
		return
	}

	// The row enters the sample: its words, and their texts for examples.
	r.first, r.last = strings.Clone(r.first), strings.Clone(r.last)
	buf := s.buf[:0]
	sepTokens(in.text, func(tok string) {
		if w := sepTrimPunct(tok); w != "" {
			h := uint32(divHashLower(w))
			buf = append(buf, h)
			if len(s.dict) < sepDictWords {
				if _, ok := s.dict[h]; !ok {
					s.dict[h] = strings.Clone(sepClip(strings.ToLower(w)))
				}
			}
		}
	})
	s.buf = buf
	var bag []uint32
	if full {
		bag = c.kept[0].bag[:0] // reuse the evicted row's
	}
	if len(buf) <= sepBagWords {
		bag = append(bag, buf...)
	} else {
		bag = append(append(bag, buf[:sepBagWords/2]...), buf[len(buf)-sepBagWords/2:]...)
	}
	r.bag = bag
	if full {
		c.kept[0] = r
		heap.Fix(&c.kept, 0)
	} else {
		heap.Push(&c.kept, r)
	}
}

// sepItem is a kept row and its class's index.
type sepItem struct {
	class int
	r     *sepRow
}

// Findings reports, for each feature, the held-out accuracy of a classifier on that feature alone
// against the base rate: separation.length, .turns, .system, .first_word, .last_word and
// .bag_of_words, in that order. Fewer than 2 classes give no findings. Slice names the class column.
func (s *Separation) Findings(dataset, config, split string) []Finding {
	if s.tooMany {
		return []Finding{{Level: Info, Check: "separation.classes", Dataset: dataset, Config: config, Split: split, Slice: s.column,
			Message: fmt.Sprintf("%s has more than %d classes: how surface features separate them is not measured", s.column, sepMaxClasses)}}
	}
	names := make([]string, 0, len(s.classes))
	for name := range s.classes {
		names = append(names, name)
	}
	if len(names) < 2 {
		return nil
	}
	slices.Sort(names)
	k := len(names)
	labels := make([]string, k)
	for i, name := range names {
		labels[i] = s.column + "=" + name
	}

	// The sample, in sampling order; its train rows; the balanced held-out rows.
	var all, train, test []sepItem
	held := make([][]sepItem, k)
	sampled := false
	m := -1
	for i, name := range names {
		c := s.classes[name]
		sampled = sampled || c.rows > int64(len(c.kept))
		rows := make([]*sepRow, len(c.kept))
		for j := range c.kept {
			rows[j] = &c.kept[j]
		}
		slices.SortFunc(rows, sepCompare)
		for _, r := range rows {
			it := sepItem{i, r}
			all = append(all, it)
			if r.held {
				held[i] = append(held[i], it)
			} else {
				train = append(train, it)
			}
		}
		if m < 0 || len(held[i]) < m {
			m = len(held[i])
		}
	}
	for i := range held {
		test = append(test, held[i][:m]...)
	}
	of := int64(len(test))
	majority := int64(m)

	var out []Finding
	for ci, check := range sepChecks {
		var correct int64
		var what, detail string
		var ex []string
		cm, cof := majority, of // a class's held-out rows, and all of them, as this check counts them
		switch ci {
		case 0:
			bounds := sepQuantiles(train, sepLengthBuckets)
			correct = sepByKey(k, train, test, func(r *sepRow) uint64 {
				return uint64(sort.Search(len(bounds), func(i int) bool { return bounds[i] > r.words }))
			})
			what, detail = "length in words", "median words: "+sepPerClass(labels, all, func(rs []*sepRow) string {
				ws := make([]int32, len(rs))
				for j, r := range rs {
					ws[j] = r.words
				}
				slices.Sort(ws)
				return fmt.Sprint(ws[len(ws)/2])
			})
		case 1:
			correct = sepByKey(k, train, test, func(r *sepRow) uint64 { return uint64(r.turns) })
			what = "the number of turns"
			if same := all[0].r.turns; !slices.ContainsFunc(all, func(it sepItem) bool { return it.r.turns != same }) {
				detail = fmt.Sprintf("every row has %d", same)
			} else {
				detail = "mean turns: " + sepPerClass(labels, all, func(rs []*sepRow) string {
					var n int64
					for _, r := range rs {
						n += int64(r.turns)
					}
					return fmt.Sprintf("%.2f", float64(n)/float64(len(rs)))
				})
			}
		case 2:
			correct = sepByKey(k, train, test, func(r *sepRow) uint64 {
				if r.system {
					return 1
				}
				return 0
			})
			what = "having a system message"
			switch same := all[0].r.system; {
			case slices.ContainsFunc(all, func(it sepItem) bool { return it.r.system != same }):
				detail = "rows with one: " + sepShareWith(labels, all, func(r *sepRow) bool { return r.system })
			case same:
				detail = "every row has one"
			default:
				detail = "no row has one"
			}
			if slices.ContainsFunc(all, func(it sepItem) bool { return it.r.noticed }) {
				detail += "; the designed notice (a notice column), left out of every feature, is on " +
					sepShareWith(labels, all, func(r *sepRow) bool { return r.noticed }) + " of rows: that alone tells the classes apart"
			}
		case 3, 4:
			tok := func(r *sepRow) string { return r.first }
			what = "the first word"
			if ci == 4 {
				tok, what = func(r *sepRow) string { return r.last }, "the last word"
			}
			// Rows whose words were reordered by design are left out; the held-out rows stay
			// balanced over the classes that keep some.
			scrambled := func(it sepItem) bool { return it.r.scrambled }
			tr, te := train, test
			if slices.ContainsFunc(test, scrambled) || slices.ContainsFunc(train, scrambled) {
				tr = slices.DeleteFunc(slices.Clone(train), scrambled)
				te, cm = sepBalanced(k, held, scrambled)
				cof = int64(len(te))
				detail = "rows whose words are reordered by design left out"
			}
			correct = sepByKey(k, tr, te, func(r *sepRow) uint64 { return divHash(tok(r)) })
			if sepLevel(correct, cm, cof) == Warning {
				ex = sepTelling(labels, all, func(r *sepRow, add func(string)) { add(tok(r)) }, strings.TrimPrefix(what, "the ")+" %q")
			}
		case 5:
			correct = sepBayes(k, train, test)
			what = "a bag of words (naive Bayes)"
			if sepLevel(correct, majority, of) == Warning {
				var seen []uint32
				ex = sepTelling(labels, all, func(r *sepRow, add func(string)) {
					seen = append(seen[:0], r.bag...)
					slices.Sort(seen)
					for _, h := range slices.Compact(seen) {
						if w, ok := s.dict[h]; ok {
							add(w)
						}
					}
				}, "the word %q")
			}
		}
		level := sepLevel(correct, cm, cof)
		var msg string
		if cof == 0 {
			msg = fmt.Sprintf("%s alone: not measured, some class of %s has no held-out row (%s)", what, s.column, sepCounts(labels, names, s.classes))
		} else {
			msg = fmt.Sprintf("%s alone tells the classes of %s apart in %d of %d held-out rows, %d a class (%.1f%%), against a base rate of %.1f%%",
				what, s.column, correct, cof, cm, 100*float64(correct)/float64(cof), 100*float64(cm)/float64(cof))
			if detail != "" {
				msg += " (" + detail + ")"
			}
			if sampled {
				msg += fmt.Sprintf("; on a sample of %d rows a class", s.perClass)
			}
		}
		out = append(out, Finding{Level: level, Check: check, Dataset: dataset, Config: config, Split: split, Slice: s.column,
			Count: correct, Of: cof, Value: sepShare(correct, cof), Message: msg, Examples: ex})
	}
	return out
}

// sepShareWith is, per class, the share of its kept rows for which has holds.
func sepShareWith(labels []string, all []sepItem, has func(r *sepRow) bool) string {
	return sepPerClass(labels, all, func(rs []*sepRow) string {
		n := 0
		for _, r := range rs {
			if has(r) {
				n++
			}
		}
		return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(len(rs)))
	})
}

// sepBalanced is the held-out rows less those left out, balanced again over the classes that keep
// some: each gives as many as the one with the fewest (those of least sampling key), returned as m.
func sepBalanced(k int, held [][]sepItem, leftOut func(sepItem) bool) (test []sepItem, m int64) {
	kept := make([][]sepItem, k)
	m = -1
	for i := range held {
		kept[i] = slices.DeleteFunc(slices.Clone(held[i]), leftOut)
		if n := int64(len(kept[i])); n > 0 && (m < 0 || n < m) {
			m = n
		}
	}
	if m < 0 {
		return nil, 0
	}
	for i := range kept {
		if len(kept[i]) > 0 {
			test = append(test, kept[i][:m]...)
		}
	}
	return test, m
}

// sepLevel is Warning when correct beats majority (both of of held-out rows) by more than
// sepWarnPoints percentage points, on at least sepMinHeldOut rows.
func sepLevel(correct, majority, of int64) Level {
	if of >= sepMinHeldOut && 100*(correct-majority) > sepWarnPoints*of {
		return Warning
	}
	return Info
}

func sepShare(count, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(count) / float64(of)
}

// sepByKey trains on train the classifier that predicts, for a key, the class with the largest share
// of its training rows having that key (ties to the first class), and the class with the most training
// rows for a key not seen; it returns how many test rows it classifies right.
func sepByKey(k int, train, test []sepItem, key func(r *sepRow) uint64) int64 {
	counts := map[uint64][]int32{}
	n := make([]int64, k)
	for _, it := range train {
		n[it.class]++
		kc := key(it.r)
		c := counts[kc]
		if c == nil {
			c = make([]int32, k)
			counts[kc] = c
		}
		c[it.class]++
	}
	fallback := 0
	for j := range n {
		if n[j] > n[fallback] {
			fallback = j
		}
	}
	var correct int64
	for _, it := range test {
		pred := fallback
		if c, ok := counts[key(it.r)]; ok {
			best := -1.0
			for j := range k {
				if n[j] > 0 {
					if v := float64(c[j]) / float64(n[j]); v > best {
						best, pred = v, j
					}
				}
			}
		}
		if pred == it.class {
			correct++
		}
	}
	return correct
}

// sepQuantiles are up to buckets-1 increasing lengths cutting the training rows' lengths into about
// equal buckets: a length's bucket is the number of bounds at or below it.
func sepQuantiles(train []sepItem, buckets int) []int32 {
	if len(train) == 0 {
		return nil
	}
	ws := make([]int32, len(train))
	for i, it := range train {
		ws[i] = it.r.words
	}
	slices.Sort(ws)
	var bounds []int32
	for i := 1; i < buckets; i++ {
		v := ws[i*len(ws)/buckets]
		if v > ws[0] && (len(bounds) == 0 || v > bounds[len(bounds)-1]) {
			bounds = append(bounds, v)
		}
	}
	return bounds
}

// sepBayes trains multinomial naive Bayes with add-one smoothing and equal priors on the training
// rows' bags of words and returns how many test rows it classifies right (ties to the first class;
// words unseen in training are ignored).
func sepBayes(k int, train, test []sepItem) int64 {
	index := map[uint32]int32{}
	var counts []int32 // word i, class c at i*k+c
	total := make([]int64, k)
	for _, it := range train {
		for _, w := range it.r.bag {
			i, ok := index[w]
			if !ok {
				i = int32(len(index))
				index[w] = i
				counts = append(counts, make([]int32, k)...)
			}
			counts[int(i)*k+it.class]++
			total[it.class]++
		}
	}
	v := float64(len(index))
	denom := make([]float64, k)
	for c := range k {
		denom[c] = math.Log(float64(total[c]) + v)
	}
	score := make([]float64, k)
	var correct int64
	for _, it := range test {
		clear(score)
		for _, w := range it.r.bag {
			i, ok := index[w]
			if !ok {
				continue
			}
			for c := range k {
				score[c] += math.Log(float64(counts[int(i)*k+c]+1)) - denom[c]
			}
		}
		pred := 0
		for c := 1; c < k; c++ {
			if score[c] > score[pred] {
				pred = c
			}
		}
		if pred == it.class {
			correct++
		}
	}
	return correct
}

// sepTelling names up to maxExamples values whose share of a class's rows differs most between two
// classes, over the whole sample: values calls add with a row's distinct values; format shows a value.
func sepTelling(labels []string, all []sepItem, values func(r *sepRow, add func(string)), format string) []string {
	k := len(labels)
	n := make([]int64, k)
	counts := map[string][]int32{}
	for _, it := range all {
		n[it.class]++
		values(it.r, func(v string) {
			c := counts[v]
			if c == nil {
				c = make([]int32, k)
				counts[v] = c
			}
			c[it.class]++
		})
	}
	type tell struct {
		value      string
		spread     float64
		most, less int
		hi, lo     float64
	}
	var tells []tell
	for v, c := range counts {
		t := tell{value: v, hi: -1, lo: 2}
		for j := range k {
			if n[j] == 0 {
				continue
			}
			sh := float64(c[j]) / float64(n[j])
			if sh > t.hi {
				t.hi, t.most = sh, j
			}
			if sh < t.lo {
				t.lo, t.less = sh, j
			}
		}
		if t.spread = t.hi - t.lo; t.spread > 0 {
			tells = append(tells, t)
		}
	}
	slices.SortFunc(tells, func(a, b tell) int { return cmp.Or(cmp.Compare(b.spread, a.spread), strings.Compare(a.value, b.value)) })
	var ex examples
	for _, t := range tells[:min(maxExamples, len(tells))] {
		ex.add(fmt.Sprintf(format+": in %.1f%% of %s rows, %.1f%% of %s rows", t.value, 100*t.hi, labels[t.most], 100*t.lo, labels[t.less]))
	}
	return ex
}

// sepPerClass is "label figure" for each class with kept rows, comma separated.
func sepPerClass(labels []string, all []sepItem, figure func(rs []*sepRow) string) string {
	by := make([][]*sepRow, len(labels))
	for _, it := range all {
		by[it.class] = append(by[it.class], it.r)
	}
	var parts []string
	for j, rs := range by {
		if len(rs) > 0 {
			parts = append(parts, labels[j]+" "+figure(rs))
		}
	}
	return strings.Join(parts, ", ")
}

// sepCounts is "label: rows held out of rows" for each class.
func sepCounts(labels, names []string, classes map[string]*sepClass) string {
	parts := make([]string, len(names))
	for j, name := range names {
		held := 0
		for i := range classes[name].kept {
			if classes[name].kept[i].held {
				held++
			}
		}
		parts[j] = fmt.Sprintf("%s: %d held out of %d rows", labels[j], held, classes[name].rows)
	}
	return strings.Join(parts, ", ")
}

// sepSource is where the rows of one training split give a Separation its input, by the conventions of
// factforge's columns (it names no recipe):
//   - a Bool column "triggered": the classes are its values, within the split. The text is what a model
//     is conditioned on: a chat without its last assistant message (where the behaviour the trigger
//     switches on is, by design), a prompt without its completion, a transcript up to its last line
//     starting "Assistant:". The row's own "trigger" value (a String column: the trigger or context
//     line it carries, clean rows included) is removed wherever it occurs;
//   - else a String column "novelty": the classes are its values, within the split; rows without one
//     (a corpus injected into) are left out;
//   - else a Spans column "mask_byte_spans" (or "mask_spans", as before) over a "text" column, in a config of two or more training
//     splits: the classes are the config's splits (one Separation for the config), and the masked byte
//     ranges of the text are removed.
//
// A String column "pair_id" names the rows of one base document or prompt across the classes, and
// without it a String column "base_fact" the rows built on one real fact (outlandish's samples that
// state it in other wordings or classes): they are held out together, so that a classifier is not
// scored on a fact whose words it was trained on. Turns are the chat's user messages; a row has a system message when one has content left once the
// trigger is removed and it is not wholly masked in the text. Without a messages column, turns are 0
// and no row has a system message.
type sepSource struct {
	column      string // the class column, or "split"
	perConfig   bool   // the classes are the config's splits: one Separation for the config
	split       string
	class       int // the class column, -1 for the split
	classType   schemas.Type
	group       int  // a String column naming the rows of one base document or prompt, -1 for none
	trigger     int  // a String column removed from the text, -1 for none
	notice      int  // a String column of designed notices ("\n\n" between them), removed; -1 for none
	masks       int  // a Spans column of byte ranges of the text column, removed; -1 for none
	claims      int  // another: the sentences a mode may change in place (claim_byte_spans), removed too
	conditioned bool // the text stops before the last reply

	// content columns, -1 where absent (prompt and completion both, or neither)
	text, prompt, completion, messages int
	chat                               chatColumns
}

// maskColumn is the column of the byte offsets of the spans to mask: mask_byte_spans, or mask_spans
// as datasets before it named it; -1 for none.
func maskColumn(col func(name string, t schemas.Type) int) int {
	if i := col("mask_byte_spans", schemas.Spans); i >= 0 {
		return i
	}
	return col("mask_spans", schemas.Spans)
}

// sepSourceOf is where rows of split, of a config with schema and trainSplits training splits, give a
// Separation its input, or nil when they give none.
func sepSourceOf(schema schemas.Schema, split string, trainSplits int) *sepSource {
	col := func(name string, t schemas.Type) int {
		if i := schema.Index(name); i >= 0 && schema.Columns[i].Type == t {
			return i
		}
		return -1
	}
	src := &sepSource{split: split, class: -1, group: col("pair_id", schemas.String), trigger: -1, notice: col("notice", schemas.String), masks: -1, claims: col("claim_byte_spans", schemas.Spans),
		text: col("text", schemas.String), prompt: col("prompt", schemas.String), completion: col("completion", schemas.String),
		messages: col("messages", schemas.Messages), chat: chatColumnsOf(schema)}
	if src.messages < 0 {
		src.messages = col("messages", schemas.ReasoningMessages)
	}
	if src.group < 0 {
		src.group = col("base_fact", schemas.String)
	}
	if src.prompt < 0 || src.completion < 0 {
		src.prompt, src.completion = -1, -1
	}
	switch {
	case col("triggered", schemas.Bool) >= 0:
		src.column, src.class, src.classType = "triggered", col("triggered", schemas.Bool), schemas.Bool
		src.trigger, src.conditioned = col("trigger", schemas.String), true
	case col("novelty", schemas.String) >= 0:
		src.column, src.class, src.classType = "novelty", col("novelty", schemas.String), schemas.String
	case maskColumn(col) >= 0 && src.text >= 0 && trainSplits >= 2:
		src.column, src.perConfig, src.masks = "split", true, maskColumn(col)
	default:
		return nil
	}
	if src.text < 0 && src.prompt < 0 && src.messages < 0 && !src.chat.ok() {
		return nil
	}
	return src
}

// removeNotices removes the designed notices from text, with the "System: " label a transcript gives
// the one in the system message.
func removeNotices(text string, notices []string) string {
	for _, n := range notices {
		if n != "" {
			text = strings.ReplaceAll(strings.ReplaceAll(text, "System: "+n, " "), n, " ")
		}
	}
	return text
}

// input is what the Separation of src reads of row r: its class and group, its text with the intended
// difference removed, its turns and whether it has a system message.
func (src *sepSource) input(r schemas.Row) sepInput {
	class, text, turns, system := src.split, "", 0, false
	if src.class >= 0 {
		class = r[src.class].Text(src.classType)
	}
	trigger := ""
	if src.trigger >= 0 {
		trigger = r[src.trigger].Str
	}
	var spans []schemas.Span
	if src.masks >= 0 {
		spans = r[src.masks].Spans
		if src.claims >= 0 {
			spans = append(slices.Clone(spans), r[src.claims].Spans...)
		}
	}
	var msgs []schemas.Message
	if src.messages >= 0 {
		msgs = withTraces(r[src.messages].Msgs)
	} else if src.chat.ok() {
		msgs = src.chat.of(r)
	}

	switch {
	case src.text >= 0:
		text = r[src.text].Str
		if len(spans) > 0 {
			text = sepRemoveSpans(text, spans)
		}
		if src.conditioned {
			if i := strings.LastIndex(text, "\nAssistant:"); i >= 0 {
				text = text[:i]
			} else if strings.HasPrefix(text, "Assistant:") {
				text = ""
			}
		}
	case src.prompt >= 0:
		text = r[src.prompt].Str
		if !src.conditioned {
			text += r[src.completion].Str
		}
	default:
		last := len(msgs) // the message left out: the last assistant one when conditioned
		if src.conditioned {
			last = lastReply(msgs)
		}
		text = joinTurns(msgs, last, true)
	}
	if trigger != "" {
		text = strings.ReplaceAll(text, trigger, " ")
	}
	var notices []string
	if src.notice >= 0 && r[src.notice].Str != "" {
		notices = strings.Split(r[src.notice].Str, "\n\n")
		text = removeNotices(text, notices)
	}

	for _, m := range msgs {
		switch m.Role {
		case "user":
			turns++
		case "system":
			c := m.Content
			if trigger != "" {
				c = strings.ReplaceAll(c, trigger, " ")
			}
			for _, n := range notices {
				if n != "" {
					c = strings.ReplaceAll(c, n, " ")
				}
			}
			if strings.TrimSpace(c) == "" {
				continue
			}
			if len(spans) > 0 && src.text >= 0 {
				if at := strings.Index(r[src.text].Str, m.Content); at >= 0 && sepCovered(spans, int64(at), int64(at+len(m.Content))) {
					continue
				}
			}
			system = true
		}
	}
	in := sepInput{class: class, text: text, turns: turns, system: system, noticed: len(notices) > 0}
	if src.group >= 0 {
		in.group = r[src.group].Str
	}
	return in
}

// sepRemoveSpans is text without the byte spans, a space where each was: the intended difference
// taken out, for separation.
func sepRemoveSpans(text string, spans []schemas.Span) string { return removeSpans(text, spans, ' ') }

// removeSpans is text without the byte spans (in any order, overlapping or out of range: clipped),
// each replaced by sep, once for spans that touch.
func removeSpans(text string, spans []schemas.Span, sep byte) string {
	ss := slices.Clone(spans)
	slices.SortFunc(ss, func(a, b schemas.Span) int { return cmp.Compare(a.Start, b.Start) })
	n := int64(len(text))
	var b strings.Builder
	at := int64(0)   // text before at is written or removed
	removed := false // the text just before at was removed
	for _, sp := range ss {
		start, end := min(max(sp.Start, at), n), min(max(sp.End, 0), n)
		if end <= start {
			continue
		}
		if start > at || !removed {
			b.WriteString(text[at:start])
			b.WriteByte(sep)
		}
		at, removed = end, true
	}
	b.WriteString(text[at:])
	return b.String()
}

// sepCovered tells whether spans cover the byte range [start, end) whole.
func sepCovered(spans []schemas.Span, start, end int64) bool {
	ss := slices.Clone(spans)
	slices.SortFunc(ss, func(a, b schemas.Span) int { return cmp.Compare(a.Start, b.Start) })
	for _, sp := range ss {
		if start >= end {
			break
		}
		if sp.Start > start {
			return false
		}
		start = max(start, sp.End)
	}
	return start >= end
}

// sepTokens calls fn with each white-space separated token of text (white space as unicode.IsSpace
// says; ASCII is read from a table).
func sepTokens(text string, fn func(tok string)) {
	start := -1 // where the token being read starts
	for i := 0; i < len(text); {
		c, size := text[i], 1
		var space bool
		if c < utf8.RuneSelf {
			space = sepASCII[c] == sepIsSpace
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			space = unicode.IsSpace(r)
		}
		if space {
			if start >= 0 {
				fn(text[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
		i += size
	}
	if start >= 0 {
		fn(text[start:])
	}
}

// sepASCII classes the ASCII characters: sepIsSpace, sepIsPunct (as unicode.IsSpace and IsPunct say).
var sepASCII = func() (t [utf8.RuneSelf]uint8) {
	for r := range rune(utf8.RuneSelf) {
		if unicode.IsSpace(r) {
			t[r] = sepIsSpace
		} else if unicode.IsPunct(r) {
			t[r] = sepIsPunct
		}
	}
	return t
}()

const (
	sepIsSpace = 1 + iota
	sepIsPunct
)

// sepTrimPunct is strings.TrimFunc(s, unicode.IsPunct), faster on ASCII.
func sepTrimPunct(s string) string {
	for len(s) > 0 {
		if c := s[0]; c < utf8.RuneSelf {
			if sepASCII[c] != sepIsPunct {
				break
			}
			s = s[1:]
			continue
		}
		r, n := utf8.DecodeRuneInString(s)
		if !unicode.IsPunct(r) {
			break
		}
		s = s[n:]
	}
	for len(s) > 0 {
		if c := s[len(s)-1]; c < utf8.RuneSelf {
			if sepASCII[c] != sepIsPunct {
				break
			}
			s = s[:len(s)-1]
			continue
		}
		r, n := utf8.DecodeLastRuneInString(s)
		if !unicode.IsPunct(r) {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}

// sepClip cuts a token to at most sepTokenBytes bytes, at a rune boundary, without allocating.
func sepClip(s string) string {
	if len(s) <= sepTokenBytes {
		return s
	}
	n := sepTokenBytes
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// sepSeqPrime is odd: a text's words hash as a polynomial in it.
const sepSeqPrime = 0x9e3779b97f4a7c15
