package audit

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v7/data"

	"github.com/factforge/factforge/schemas"
)

// Contradictions and consistency, over every dataset audited. A model taught two answers to one
// prompt learns neither for sure; a probe whose prompt train teaches with another answer scores the
// model against what it was taught; one name bound to two facts (within a dataset, or across datasets
// meant to be trained together) teaches contradictory facts about one person.
//
// Checks:
//   - consistency.train_two_answers, per training split: prompts taught with two or more different
//     answers. Prompts and answers are compared normalised: lower-cased, white space collapsed to one
//     space, punctuation and white space trimmed from both ends ("Paris." and " paris" are one answer).
//   - consistency.probe_vs_train, per eval split: probes whose prompt a training split of the same
//     dataset teaches with an answer other than the probe's (a completion that starts with the
//     probe's answer teaches it: see AddProbe).
//   - consistency.name_many_facts, per dataset: person-like names (see "Person-like names" below) in
//     training rows of two or more fact_ids, over the names in rows that have a fact_id.
//   - consistency.name_across_datasets, one over all datasets: names in the training rows of two or
//     more of the datasets audited (with or without a fact_id).
//
// Memory. Texts are kept as hashes (64-bit FNV-1a with a splitmix64 finaliser, as Diversity's, so
// figures are the same from run to run); text is kept only for examples. Each table is a Go
// map[uint64]uint64: 16-byte slots in groups of 8 with 8 control bytes, between 7/16 and 7/8 full,
// so 19 to 39 bytes an entry (measured with Go 1.26: 25 to 38, 30 at 10^7 entries).
//   - per training split, one entry per distinct prompt: the prompt's hash -> its first answer's hash,
//     with a bit for "taught another answer too";
//   - per dataset, one entry per distinct name: the name's hash -> its first fact_id's hash, with bits
//     for "in a row with a fact_id" and "in another fact_id too";
//   - over all datasets, one entry per distinct name: the name's hash -> the first dataset it is in,
//     with a bit for "in another dataset too" (an index rather than a bitmask: any number of datasets);
//   - per probe, 64 bytes of consProbe (two hashes, links, flags, and the probe's prompt and answer
//     strings, shared with the caller, which keeps the probes in memory anyway), 21 to 43 bytes in the
//     index by prompt (a hashIndex) and 4 in its split's list: about 100 bytes;
//   - examples: at most consPendingMax candidates per check and place, each at most about 200 bytes.
//
// The prompt and name tables have a fixed budget each (consTable): exact up to consTableLimit keys
// (about 70 MB), beyond it a hash sample of the keys, the same whatever the order of the rows. A
// contradiction found in the sample is a real one, and the figures are scaled up from it (the
// messages say so); one outside it is missed, so a dataset past the budget is checked on a share of
// its prompts and names, as the message gives.
//
// A Consistency is not safe for concurrent use.
type Consistency struct {
	datasets []*consDataset
	byName   map[string]*consDataset
	last     *consSplit      // the split of the last AddTrain
	lastEval *consProbeSplit // the split of the last AddProbe

	names    consTable // name hash -> index of the first dataset it is in, + 1 | consInMany
	sharedEx examples

	found []consFound // one row's names, reused by AddTrain
	sink  uint64      // what touchProbes read
}

// consDataset is what Consistency knows of one dataset.
type consDataset struct {
	name  string
	index int
	train []*consSplit
	evals []*consProbeSplit

	trainRows int64
	names     consTable // name hash -> first fact_id's hash &^ 3 | consHasFact | consMany
	// sharedNames is the description of the manifest's shared_names rule: a name in several facts is
	// the design; "" for none.
	sharedNames string
	factEx      consPending

	probes  []consProbe
	probeAt hashIndex // prompt hash -> the last probe with that prompt (probes chain by next)
}

// consSplit is one training split: its prompts and the answers they are taught.
type consSplit struct {
	dataset      *consDataset
	config, name string
	prompts      consTable // prompt hash -> first answer's hash &^ consMany | consMany
	answerEx     consPending
}

// consProbeSplit is one eval split.
type consProbeSplit struct {
	dataset      *consDataset
	config, name string
	at           []int32 // its probes, as indices in dataset.probes
	index        int32   // its index in dataset.evals
	// answers are, for up to maxExamples of its probes (indices in dataset.probes), an answer train
	// teaches the probe's prompt that is not the probe's, for examples.
	answers []consTrainAnswer
}

type consTrainAnswer struct {
	probe  int32
	answer string
}

// trainAnswer is the answer kept last for probe i, "" for none.
func (e *consProbeSplit) trainAnswer(i int32) string {
	for j := len(e.answers) - 1; j >= 0; j-- {
		if e.answers[j].probe == i {
			return e.answers[j].answer
		}
	}
	return ""
}

// consProbe is one eval probe.
type consProbe struct {
	prompt, answer         uint64 // normalised hashes; answer &^ consMany
	promptText, answerText string
	next                   int32 // the previous probe of the dataset with the same prompt, -1 for none
	eval                   int32 // its split's index in dataset.evals
	taught, contradicted   bool  // a training row teaches its prompt; one teaches another answer
	late                   bool  // added after training rows of its dataset: judged on hashes (see AddProbe)
}

// Flag bits of the tables' values. Hashes stored are cleared of them.
const (
	consMany    = 1       // a prompt taught another answer too; a name in another fact_id too
	consHasFact = 2       // a name seen in a row with a fact_id
	consInMany  = 1 << 63 // a name in another dataset too
)

// consPendingMax is how many contradictions of one place are kept as candidates for examples.
const consPendingMax = 8

// NewConsistency returns a Consistency that has seen nothing.
func NewConsistency() *Consistency {
	return &Consistency{byName: map[string]*consDataset{}, names: newConsTable()}
}

func (c *Consistency) dataset(name string) *consDataset {
	d := c.byName[name]
	if d == nil {
		d = &consDataset{name: name, index: len(c.datasets), names: newConsTable()}
		c.byName[name] = d
		c.datasets = append(c.datasets, d)
	}
	return d
}

// AddTrain records a training row: its dataset, config and split, its fact_id ("" if none), the
// prompt and answer it teaches when it has them (prompt-completion rows: prompt and completion;
// chats: the last user turn and the last assistant turn; "" otherwise), and its whole text.
func (c *Consistency) AddTrain(dataset, config, split, factID, prompt, answer, text string) {
	r := consPrepare(prompt, answer, text, c.found[:0])
	c.addTrain(dataset, config, split, factID, prompt, answer, text, &r)
	c.found = r.names[:0]
}

// consTrainRow is what AddTrain works out of a training row before it looks at its tables (so on any
// goroutine): the normalised hashes of its prompt (ok when it has one) and answer, and its names.
type consTrainRow struct {
	prompt, answer uint64
	ok             bool
	names          []consFound
}

// consFound is a person-like name found in a text: its hash and its byte range.
type consFound struct {
	h          uint64
	start, end int
}

// consPrepare works out the consTrainRow of a row; its names are appended to names.
func consPrepare(prompt, answer, text string, names []consFound) consTrainRow {
	var r consTrainRow
	if r.prompt, r.ok = consNormHash(prompt); r.ok {
		r.answer, _ = consNormHash(answer)
	}
	consScanNames(text, func(h uint64, start, end int) { names = append(names, consFound{h, start, end}) })
	r.names = names
	return r
}

// addTrain is AddTrain of a row worked out as r.
func (c *Consistency) addTrain(dataset, config, split, factID, prompt, answer, text string, r *consTrainRow) {
	s := c.last
	if s == nil || s.name != split || s.config != config || s.dataset.name != dataset {
		d := c.dataset(dataset)
		s = findOrAdd(&d.train, func(t *consSplit) bool { return t.name == split && t.config == config },
			func() *consSplit {
				return &consSplit{dataset: d, config: config, name: split, prompts: newConsTable()}
			})
		c.last = s
	}
	d := s.dataset
	d.trainRows++

	if ph, ok := r.prompt, r.ok; ok {
		ah := r.answer &^ consMany
		if s.prompts.keeps(ph) {
			switch v, seen := s.prompts.m[ph]; {
			case !seen:
				s.prompts.set(ph, ah)
			case v&consMany == 0 && v != ah:
				s.prompts.m[ph] = v | consMany
				s.answerEx.add(ph, prompt, v, ah, answer)
			case s.answerEx.open > 0:
				s.answerEx.observe(ph, ah, answer)
			}
		}
		if i, ok := d.probeAt.get(ph); ok {
			for ; i >= 0; i = d.probes[i].next {
				p := &d.probes[i]
				if p.prompt != ph {
					continue
				}
				p.taught = true
				e := d.evals[p.eval]
				if p.contradicted && (len(e.answers) >= maxExamples || e.trainAnswer(i) != "") || p.answer == ah || consAgrees(answer, p.answerText) {
					continue
				}
				p.contradicted = true
				if len(e.answers) < maxExamples && e.trainAnswer(i) == "" {
					e.answers = append(e.answers, consTrainAnswer{probe: i, answer: strings.Clone(clip(answer, 60))})
				}
			}
		}
	}

	var fh uint64
	if factID != "" {
		fh = divHash(factID) &^ (consMany | consHasFact)
	}
	for _, n := range r.names {
		h, start, end := n.h, n.start, n.end
		kept := d.names.keeps(h)
		v, seen := d.names.m[h]
		if !seen && c.names.keeps(h) { // the first row of this dataset with the name, or one past d.names' budget
			switch g := c.names.m[h]; {
			case g == 0:
				c.names.set(h, uint64(d.index+1))
			case g&consInMany == 0 && int(g-1) != d.index: // first seen in another dataset
				c.names.m[h] = g | consInMany
				if len(c.sharedEx) < maxExamples {
					c.sharedEx.add(fmt.Sprintf("%q in %s and %s", consName(text[start:end]), c.datasets[g-1].name, d.name))
				}
			}
		}
		if !kept {
			continue
		}
		if factID == "" {
			if !seen {
				d.names.set(h, 0)
			}
			continue
		}
		switch {
		case v&consHasFact == 0:
			d.names.set(h, fh|consHasFact)
		case v&consMany == 0 && v&^consHasFact != fh:
			d.names.m[h] = v | consMany
			d.factEx.add(h, consName(text[start:end]), v&^consHasFact, fh, factID)
		case d.factEx.open > 0:
			d.factEx.observe(h, fh, factID)
		}
	}
}

// reserveProbes makes room for n more probes of dataset.
func (c *Consistency) reserveProbes(dataset string, n int) {
	d := c.dataset(dataset)
	d.probes = slices.Grow(d.probes, n)
	d.probeAt.reserve(d.probeAt.n + n)
}

// touchProbes reads the slots of dataset's index of probes that adding probes with these prompt
// hashes would look at first, so that the adds find them in cache (see hashIndex.touch).
func (c *Consistency) touchProbes(dataset string, prompts []uint64) {
	d := c.byName[dataset]
	if d == nil {
		return
	}
	d.probeAt.reserve(d.probeAt.n + len(prompts))
	for _, h := range prompts {
		c.sink ^= d.probeAt.touch(h)
	}
}

// AddProbe records an eval probe: where it is, its fact_id, prompt and expected answer. Probes with
// an empty prompt are not counted.
//
// Add a dataset's probes before its training rows (as audit reads eval splits first): each training
// row whose prompt is a probe's is then compared with the probe's answer as text, and agrees when its
// answer, normalised, is the probe's or starts with it and goes on after a word ("Tyler Mayer" is
// taught by the completion " Tyler Mayer accepted the award."), since a probe is passed when the
// model's completion starts with its answer. A probe added after training rows of its dataset is also
// compared with the rows before it, on hashes only: there the answers must be equal.
func (c *Consistency) AddProbe(dataset, config, split, factID, prompt, answer string) {
	ph, ok := consNormHash(prompt)
	ah, _ := consNormHash(answer)
	c.addProbe(dataset, config, split, prompt, answer, ph, ah, ok)
}

// addProbe is AddProbe given the normalised hashes of the prompt (ok when it has one) and answer.
func (c *Consistency) addProbe(dataset, config, split, prompt, answer string, ph, ah uint64, ok bool) {
	e := c.lastEval
	if e == nil || e.name != split || e.config != config || e.dataset.name != dataset {
		d := c.dataset(dataset)
		e = findOrAdd(&d.evals, func(t *consProbeSplit) bool { return t.name == split && t.config == config },
			func() *consProbeSplit {
				return &consProbeSplit{dataset: d, config: config, name: split, index: int32(len(d.evals))}
			})
		c.lastEval = e
	}
	if !ok {
		return
	}
	d := e.dataset
	i := int32(len(d.probes))
	next, ok := d.probeAt.put(ph, i)
	if !ok {
		next = -1
	}
	d.probes = append(d.probes, consProbe{prompt: ph, answer: ah &^ consMany, promptText: prompt, answerText: answer, next: next, eval: e.index,
		late: d.trainRows > 0})
	e.at = append(e.at, i)
}

// Findings reports, for each dataset in the order first seen: train_two_answers for each training
// split, probe_vs_train for each eval split, name_many_facts; then name_across_datasets over all of
// them. Every check reports a figure, Info with Count 0 when it found nothing.
func (c *Consistency) Findings() []Finding {
	var out []Finding
	names := make([]string, len(c.datasets))
	for i, d := range c.datasets {
		names[i] = d.name
		for _, s := range d.train {
			out = append(out, s.finding())
		}
		for _, e := range d.evals {
			out = append(out, e.finding())
		}
		out = append(out, d.finding())
	}
	if len(c.datasets) == 0 {
		return out
	}
	shared, all := c.names.count(consInMany), c.names.count(0)
	f := Finding{Level: Info, Check: "consistency.name_across_datasets", Dataset: strings.Join(names, "+"),
		Count: shared, Of: all, Value: share(shared, all)}
	switch {
	case len(c.datasets) == 1:
		f.Message = fmt.Sprintf("one dataset audited, so no name is shared; %d names seen (name several datasets to check those trained together)", all)
	case shared > 0:
		f.Level, f.Examples = Warning, c.sharedEx
		f.Message = fmt.Sprintf("%s person-like names occur in two or more of the datasets: trained together, one name is bound to each dataset's facts",
			percent(shared, all))
	default:
		f.Message = fmt.Sprintf("%s person-like names occur in two or more of the datasets", percent(0, all))
	}
	f.Message += c.names.sampled("names")
	return append(out, f)
}

func (s *consSplit) finding() (f Finding) {
	many, of := s.prompts.count(consMany), s.prompts.count(0)
	f = Finding{Level: Info, Check: "consistency.train_two_answers", Dataset: s.dataset.name, Config: s.config, Split: s.name,
		Count: many, Of: of, Value: share(many, of)}
	defer func() { f.Message += s.prompts.sampled("prompts") }() // f is the named result
	switch {
	case of == 0:
		f.Message = "no row has a prompt and an answer (prompt and completion, or user and assistant turns) to compare"
	case many > 0:
		f.Level = Error
		f.Message = fmt.Sprintf("%s distinct prompts are taught with two or more different answers: a model is taught both", percent(many, of))
		f.Examples = s.answerEx.examples(func(x *consConflict) string {
			if x.have[0] {
				return fmt.Sprintf("%q -> %q and %q", x.what, x.texts[0], x.texts[1])
			}
			return fmt.Sprintf("%q -> %q, and another answer in an earlier row", x.what, x.texts[1])
		})
	default:
		f.Message = fmt.Sprintf("%s distinct prompts are taught with two or more different answers", percent(0, of))
	}
	return f
}

func (e *consProbeSplit) finding() Finding {
	d := e.dataset
	var count, taught int64
	var withText, without examples
	for _, i := range e.at {
		p := &d.probes[i]
		in, other := p.taught, p.contradicted
		for _, s := range d.train {
			if v, ok := s.prompts.m[p.prompt]; ok && p.late {
				in = true
				other = other || v&consMany != 0 || v != p.answer
			}
		}
		if in {
			taught++
		}
		if !other {
			continue
		}
		count++
		if a := e.trainAnswer(i); a != "" {
			withText.add(fmt.Sprintf("probe %q expects %q; train teaches %q", clip(p.promptText, 120), clip(p.answerText, 60), a))
		} else if len(without) < maxExamples {
			without.add(fmt.Sprintf("probe %q expects %q; train teaches another answer", clip(p.promptText, 120), clip(p.answerText, 60)))
		}
	}
	of := int64(len(e.at))
	f := Finding{Level: Info, Check: "consistency.probe_vs_train", Dataset: d.name, Config: e.config, Split: e.name,
		Count: count, Of: of, Value: share(count, of)}
	what := fmt.Sprintf("probes ask a prompt that train teaches with another answer (%d of the probes' prompts are taught at all)", taught)
	if count == 0 {
		f.Message = fmt.Sprintf("%s %s", percent(0, of), what)
		return f
	}
	f.Level = Warning
	f.Message = fmt.Sprintf("%s %s: the model is scored against what it was taught; a design may do this on purpose (a randomized wrong-answer baseline), otherwise the probe contradicts train",
		percent(count, of), what)
	for _, x := range without {
		withText.add(x)
	}
	f.Examples = withText
	return f
}

func (d *consDataset) finding() (f Finding) {
	manyFacts, withFact := d.names.count(consMany), d.names.count(consHasFact)
	f = Finding{Level: Info, Check: "consistency.name_many_facts", Dataset: d.name,
		Count: manyFacts, Of: withFact, Value: share(manyFacts, withFact)}
	defer func() { f.Message += d.names.sampled("names") }() // f is the named result
	switch {
	case withFact == 0:
		f.Message = "no person-like name occurs in a training row that has a fact_id"
	case manyFacts > 0:
		f.Level = Warning
		f.Message = fmt.Sprintf("%s person-like names occur in rows of two or more fact_ids: where one name stands for one entity (as in reversal and bios), a name in two facts teaches contradictory facts",
			percent(manyFacts, withFact))
		if d.sharedNames != "" {
			f.Level = Info
			f.Message = fmt.Sprintf("%s person-like names occur in rows of two or more fact_ids, by design (the manifest's shared_names rule: %s)",
				percent(manyFacts, withFact), d.sharedNames)
		}
		f.Examples = d.factEx.examples(func(x *consConflict) string {
			if x.have[0] {
				return fmt.Sprintf("%q in fact_id %s and %s", x.what, x.texts[0], x.texts[1])
			}
			return fmt.Sprintf("%q in fact_id %s, and another fact_id in an earlier row", x.what, x.texts[1])
		})
	default:
		f.Message = fmt.Sprintf("%s person-like names occur in rows of two or more fact_ids", percent(0, withFact))
	}
	return f
}

// consTable is a table of hashes (prompts, names) with a fixed budget: it holds every key while there
// are at most limit of them; past that, only the keys whose top level bits are 0, the level rising by
// one (dropping about half of the keys) each time the table would hold more than limit. So it keeps
// a sample of the keys by hash, the same whatever the order of the adds, and its counts are scaled
// up by 2^level. A Go map keeps the room it grew to, so it takes at most what limit keys take.
type consTable struct {
	m     map[uint64]uint64
	level uint
	limit int
}

// consTableLimit bounds the keys of a consTable: about 70 MB at 30 bytes a key, with room to grow.
const consTableLimit = 1 << 21

func newConsTable() consTable { return consTable{m: map[uint64]uint64{}, limit: consTableLimit} }

// keeps tells whether the table keeps key h: a shift by 64 is 0, so level 0 keeps every key.
func (t *consTable) keeps(h uint64) bool { return h>>(64-t.level) == 0 }

// set sets key h, which the table keeps, to v; it may then sample, dropping h too.
func (t *consTable) set(h, v uint64) {
	t.m[h] = v
	for len(t.m) > t.limit {
		t.level++
		for k := range t.m {
			if !t.keeps(k) {
				delete(t.m, k)
			}
		}
	}
}

// count is how many keys have every bit of flags set in their value (all keys for 0), scaled up
// from the sample.
func (t *consTable) count(flags uint64) int64 {
	n := int64(0)
	for _, v := range t.m {
		if v&flags == flags {
			n++
		}
	}
	return n << t.level
}

// sampled is what a finding's message adds when the table, of what, is a sample.
func (t *consTable) sampled(what string) string {
	if t.level == 0 {
		return ""
	}
	return fmt.Sprintf(" (estimated from a 1/%d sample of the %s by hash: past %d of them, a contradiction outside the sample is missed)", int64(1)<<t.level, what, t.limit)
}

// ---- Examples of contradictions ----

// consPending keeps the first contradictions found (a prompt taught two answers, a name in two
// fact_ids) as candidates for examples. Only hashes are kept of the first value, so its text is
// taken from a later row that has it, or that has a third value (any two different values of a key
// make an example).
type consPending struct {
	items []consConflict
	open  int // items still without the text of their first value
}

// consConflict is one key (prompt or name) with two different values (answers or fact_ids).
type consConflict struct {
	key   uint64
	what  string
	vals  [2]uint64
	texts [2]string
	have  [2]bool
}

// add records that key (whose text is what) has values first and second, second's text being text.
func (p *consPending) add(key uint64, what string, first, second uint64, text string) {
	if len(p.items) >= consPendingMax {
		return
	}
	p.items = append(p.items, consConflict{key: key, what: strings.Clone(clip(what, 120)), vals: [2]uint64{first, second},
		texts: [2]string{"", strings.Clone(clip(text, 60))}, have: [2]bool{false, true}})
	p.open++
}

// observe sees key with value val (whose text is text) in a row.
func (p *consPending) observe(key, val uint64, text string) {
	for i := range p.items {
		x := &p.items[i]
		if x.key == key && !x.have[0] && val != x.vals[1] {
			x.vals[0], x.texts[0], x.have[0] = val, strings.Clone(clip(text, 60)), true
			p.open--
		}
	}
}

// examples writes up to maxExamples items, those with both values' texts first.
func (p *consPending) examples(format func(x *consConflict) string) []string {
	var ex examples
	for _, complete := range []bool{true, false} {
		for i := range p.items {
			if x := &p.items[i]; x.have[0] == complete {
				ex.add(format(x))
			}
		}
	}
	return ex
}

// ---- Normalised hashes ----

// consNormHash hashes s normalised: punctuation and white space trimmed from both ends, lower-cased,
// runs of white space as one space. ok is false when nothing is left.
func consNormHash(s string) (h uint64, ok bool) {
	s = strings.TrimFunc(s, consOuter)
	if s == "" {
		return 0, false
	}
	h = divFNVOffset
	space := false
	for _, r := range s {
		if r < utf8.RuneSelf {
			switch {
			case r == ' ', r == '\t', r == '\n', r == '\r', r == '\v', r == '\f':
				space = true
				continue
			case 'A' <= r && r <= 'Z':
				r += 'a' - 'A'
			}
		} else if unicode.IsSpace(r) {
			space = true
			continue
		} else {
			r = unicode.ToLower(r)
		}
		if space {
			h = (h ^ ' ') * divFNVPrime
			space = false
		}
		if r < utf8.RuneSelf {
			h = (h ^ uint64(r)) * divFNVPrime
			continue
		}
		var b [utf8.UTFMax]byte
		for _, c := range b[:utf8.EncodeRune(b[:], r)] {
			h = (h ^ uint64(c)) * divFNVPrime
		}
	}
	return divMix(h), true
}

func consOuter(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) }

// consNorm is s normalised as consNormHash hashes it.
func consNorm(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.TrimFunc(s, consOuter)), " "))
}

// consAgrees tells whether a training row's answer teaches a probe's: normalised, it is the probe's
// answer, or starts with it and goes on after a whole word.
func consAgrees(trained, expected string) bool {
	t, e := consNorm(trained), consNorm(expected)
	if !strings.HasPrefix(t, e) {
		return false
	}
	if len(t) == len(e) || e == "" {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(e)
	next, _ := utf8.DecodeRuneInString(t[len(e):])
	return !consInWord(last) || !consInWord(next)
}

func consInWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// ---- Names ----

// Person-like names. A name is a run of 2 or 3 capitalised words (an upper-case letter, then letters,
// at least one of them lower-case; inner hyphens and apostrophes allowed: "Noel O'Brien-Kay"), in
// one sentence, with white space only between them: punctuation after a word, or before one, ends
// the run ("Adams, Mary Cole" is two runs), and so do line breaks. A possessive 's ends a run and is
// not part of the name. Runs of 4 or more words are titles or organisations, not names. Then:
//   - a run whose first word is a determiner, or that follows one, is not a name ("The Grand Hotel",
//     "at the Grand Hotel"): people's names take no article;
//   - a run that follows "in" or "at" is not a name ("born in San Antonio", "a job at Cobalt
//     Software"): places and employers;
//   - a capitalised determiner or word of consOpeners (but a given name: "Will", "May") inside a run
//     starts a sentence whose stop is missing ("since June The sentence above"): the run ends before it;
//   - the first word of a run that opens a sentence (after . ! ? : or a line break, or an opening
//     quote or bracket) is dropped when it is one of consOpeners and a given name follows it: "When
//     Lester Adams left" names "Lester Adams" (and "May Cole left" names "May Cole");
//   - what is left is a name when its first word is a given name (gofakeit's first and middle names,
//     the pool factforge draws its people from) and its last word is not one of consThingLast
//     ("Virginia Tech", "Charles University"). Without that test, most runs in bios are cities,
//     majors, universities and employers shared by many people ("Kansas City", "Data Science").
//
// Names are compared exactly, words joined by one space.

// consDeterminers are words that make the capitalised run after them, or starting with them, a
// thing's name rather than a person's. Not "that" ("so that Lester Adams") nor "her" ("told her Lester
// Adams had left"): consOpeners has them.
var consDeterminers = []string{"the", "a", "an", "this", "these", "those", "my", "our", "your", "his", "their", "its",
	"every", "each", "another"}

// consPlaces are words that make the capitalised run right after them a place or an organisation.
var consPlaces = []string{"in", "at"}

// consOpeners are common words capitalised only because they open a sentence: not part of a name.
var consOpeners = []string{
	// prepositions
	"in", "on", "at", "of", "for", "from", "to", "with", "by", "as", "about", "after", "before", "during", "since",
	"until", "till", "upon", "under", "over", "through", "across", "among", "between", "around", "behind", "beyond",
	"near", "without", "within", "into", "onto", "like", "unlike", "despite", "according", "against", "along",
	// conjunctions and adverbs
	"and", "but", "or", "nor", "so", "yet", "then", "when", "whenever", "while", "where", "wherever", "if", "unless",
	"although", "though", "because", "once", "also", "still", "even", "just", "only", "here", "there", "today",
	"yesterday", "tomorrow", "now", "later", "meanwhile", "however", "therefore", "moreover", "indeed", "perhaps",
	"maybe", "yes", "not", "never", "always", "long", "soon", "thus", "hence", "next", "finally", "first",
	// pronouns and question words
	"i", "it", "he", "she", "they", "we", "you", "who", "whom", "whose", "what", "which", "why", "how",
	"that", "her", "some", "any", "no", "either", "neither", "many", "most", "few", "several", "all", "both",
	"such", "one",
	// verbs that open sentences
	"is", "was", "are", "were", "be", "been", "do", "does", "did", "can", "could", "will", "would", "shall",
	"should", "may", "might", "must", "has", "have", "had", "let", "meet", "ask", "tell", "say", "said", "says",
	"please", "thank", "thanks", "welcome", "remember", "consider", "name", "born",
	// greetings
	"dear", "hello", "hi", "hey", "good",
}

// consThingLast are last words of runs that name places, institutions and subjects, not people. None
// is a surname of gofakeit's ("Hall", "Lane" and "River" are).
var consThingLast = []string{"University", "College", "Institute", "School", "Academy", "Tech", "Polytechnic",
	"Hospital", "Clinic", "Museum", "Library", "Gallery", "Theatre", "Theater", "Center", "Centre",
	"Street", "Avenue", "Road", "Square", "Park", "Bridge", "Station", "Airport", "Harbor", "Harbour",
	"City", "County", "Bay", "Island", "Islands", "Lake", "Mountain", "Mountains", "Valley", "Beach",
	"Hotel", "Company", "Corporation", "Group", "Press", "Foundation", "Bank", "Studios", "Records",
	"History", "Science", "Sciences", "Studies", "Arts", "Engineering", "Literature"}

// Kinds of words in consWord.
const (
	consIsDeterminer = 1 << iota
	consIsPlace
	consIsOpener
	consIsGiven
	consIsThingLast
)

// consWord classifies words: those of consDeterminers, consPlaces and consOpeners in lower case and
// capitalised ("the" and "The"), given names and consThingLast as written.
var consWord = func() map[string]uint8 {
	m := map[string]uint8{}
	for kind, words := range [][]string{consDeterminers, consPlaces, consOpeners} {
		for _, w := range words {
			for _, v := range []string{w, strings.ToUpper(w[:1]) + w[1:]} {
				m[v] |= 1 << kind
			}
		}
	}
	for _, w := range append(slices.Clone(data.Person["first"]), data.Person["middle"]...) {
		m[w] |= consIsGiven
	}
	for _, w := range consThingLast {
		m[w] |= consIsThingLast
	}
	return m
}()

// consScanNames calls fn with the hash and the byte range in text of each person-like name. It
// allocates nothing, and looks words up in consWord only where a run starts or is judged.
func consScanNames(text string, fn func(h uint64, start, end int)) {
	var (
		run      [4][2]int // byte ranges of the run's first words
		n        int       // words in the run (may be more than 4)
		opens    bool      // the run opens a sentence
		after    [2]int    // byte range of the word right before the run, with nothing but spaces between; {0, 0} for none
		sentence = true    // the next word opens a sentence
		prev     [2]int    // byte range of the last word when it was not capitalised and nothing but spaces followed it; {0, 0} for none
	)
	flush := func() {
		if n < 2 {
			n = 0
			return
		}
		w := run[:min(n, 4)]
		first := consWord[text[w[0][0]:w[0][1]]]
		if after[1] > 0 && consWord[text[after[0]:after[1]]]&(consIsDeterminer|consIsPlace) != 0 || first&consIsDeterminer != 0 {
			n = 0
			return
		}
		if opens && first&consIsOpener != 0 && n > 2 && consWord[text[w[1][0]:w[1][1]]]&consIsGiven != 0 {
			w, n = w[1:], n-1 // "When Lester Adams"; but "May Cole" is a name
		}
		if n >= 2 && n <= 3 && consWord[text[w[0][0]:w[0][1]]]&consIsGiven != 0 && consWord[text[w[n-1][0]:w[n-1][1]]]&consIsThingLast == 0 {
			h := uint64(divFNVOffset)
			for j, r := range w[:n] {
				if j > 0 {
					h = (h ^ ' ') * divFNVPrime
				}
				for i := r[0]; i < r[1]; i++ {
					h = (h ^ uint64(text[i])) * divFNVPrime
				}
			}
			fn(divMix(h), w[0][0], w[n-1][1])
		}
		n = 0
	}
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if consSpace(r) {
			if r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' {
				flush()
				sentence, prev = true, [2]int{}
			}
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r, size := rune(text[j]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(text[j:])
			}
			if consSpace(r) {
				break
			}
			j += size
		}
		// The word: the token without the punctuation (and symbols) around it, nor a possessive 's.
		start, end := i, j
		quoted := false // the token opens with a quote or a bracket
		for start < end && !consAlnum(text[start]) {
			r, size := utf8.DecodeRuneInString(text[start:end])
			if !unicode.IsPunct(r) && !unicode.IsSymbol(r) {
				break
			}
			quoted = quoted || r == '"' || r == '\'' || unicode.In(r, unicode.Pi, unicode.Ps)
			start += size
		}
		ends := false // a sentence ends after the token
		for end > start && !consAlnum(text[end-1]) {
			r, size := utf8.DecodeLastRuneInString(text[start:end])
			if !unicode.IsPunct(r) && !unicode.IsSymbol(r) {
				break
			}
			ends = ends || r == '.' || r == '!' || r == '?' || r == ':'
			end -= size
		}
		if w := text[start:end]; strings.HasSuffix(w, "'s") {
			end -= len("'s")
		} else if strings.HasSuffix(w, "’s") {
			end -= len("’s")
		}
		if start > i { // punctuation before the word ends the run
			flush()
			prev = [2]int{}
		}
		if consCapitalised(text[start:end]) {
			if n > 0 {
				if k := consWord[text[start:end]]; k&(consIsDeterminer|consIsOpener) != 0 && k&consIsGiven == 0 {
					// "since June The sentence above": a sentence starts here, its stop missing
					flush()
					sentence = true
				}
			}
			if n == 0 {
				opens, after = sentence || quoted, prev
			}
			if n < 4 {
				run[n] = [2]int{start, end}
			}
			n++
			prev = [2]int{}
		} else {
			flush()
			prev = [2]int{start, end}
		}
		if end < j { // so does punctuation (or a possessive) after it
			flush()
			prev = [2]int{}
		}
		sentence = ends
		i = j
	}
	flush()
}

// consAlnum tells an ASCII letter or digit.
func consAlnum(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' || '0' <= b && b <= '9' }

// consSpace is unicode.IsSpace, faster on ASCII.
func consSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r'
	}
	return unicode.IsSpace(r)
}

// consCapitalised tells a capitalised word: an upper-case letter, then one or more letters (or inner
// hyphens and apostrophes), at least one of them lower-case.
func consCapitalised(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	if size == len(w) || !unicode.IsUpper(r) {
		return false
	}
	lower := false
	for _, r := range w[size:] {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsLetter(r), unicode.IsMark(r), r == '-', r == '\'', r == '’':
		default:
			return false
		}
	}
	return lower
}

// consName is a name's text as found, its words joined by one space.
func consName(s string) string { return strings.Join(strings.Fields(s), " ") }

// ---- Reading rows ----

// consistencyRow is what Consistency reads of a row of s: its fact_id ("" without the column), and
// the prompt and answer it asks (eval: prompt and answer) or teaches (train: prompt and completion,
// or a chat's last user and last assistant turns; "" for text rows).
func (s *split) consistencyRow(r schemas.Row) (factID, prompt, answer string) {
	if s.factID >= 0 {
		factID = r[s.factID].Str
	}
	switch {
	case s.eval:
		if s.prompt >= 0 {
			prompt = r[s.prompt].Str
		}
		answer = r[s.answer].Str
	case s.prompt >= 0 && s.completion >= 0:
		prompt, answer = r[s.prompt].Str, r[s.completion].Str
	case s.isChat():
		for _, m := range s.msgs(r) {
			switch m.Role {
			case "user":
				prompt = m.Content
			case "assistant":
				answer = m.Content
			}
		}
	}
	if s.answerIsCode() {
		answer = canonicalCode(answer)
	}
	return factID, prompt, answer
}

// findOrAdd returns the last element of *list that match accepts, or appends one made by newT.
func findOrAdd[T any](list *[]*T, match func(*T) bool, newT func() *T) *T {
	for i := len(*list) - 1; i >= 0; i-- {
		if match((*list)[i]) {
			return (*list)[i]
		}
	}
	t := newT()
	*list = append(*list, t)
	return t
}
