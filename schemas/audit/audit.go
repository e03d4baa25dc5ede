package audit

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/factforge/factforge/schemas"
)

// Options are the settings of an audit.
type Options struct {
	// Strict treats warnings as errors.
	Strict bool
}

// Report is what an audit found, over every dataset audited.
type Report struct {
	Datasets []string  `json:"datasets"`
	Findings []Finding `json:"findings"`
}

// Errors is how many findings are errors.
func (r *Report) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Level == Error {
			n++
		}
	}
	return n
}

// Audit reads the datasets in dirs and measures them. It streams every training split once and keeps
// the eval splits' probes in memory, and reads and measures on every core (see pipeline.go), with
// the same figures whatever their number. It stops soon after ctx ends.
func Audit(ctx context.Context, dirs []string, opts Options) (*Report, error) {
	r := &Report{}
	cons := NewConsistency() // across the datasets too: they may be meant to be trained together
	for _, dir := range dirs {
		d, err := loadDataset(dir)
		if err != nil {
			return nil, err
		}
		r.Datasets = append(r.Datasets, d.name)
		fs, err := auditDataset(ctx, d, cons)
		if err != nil {
			return nil, err
		}
		r.Findings = append(r.Findings, fs...)
	}
	r.Findings = append(r.Findings, cons.Findings()...)
	r.strict(opts)
	return r, nil
}

// AuditManifest measures one dataset whose manifest is m and whose files are in dir, such as a dataset
// being made, before its manifest is written; name names it in the findings.
func AuditManifest(ctx context.Context, dir, name string, m *schemas.Manifest, opts Options) (*Report, error) {
	cons := NewConsistency()
	fs, err := auditDataset(ctx, datasetOf(dir, name, m), cons)
	if err != nil {
		return nil, err
	}
	r := &Report{Datasets: []string{name}, Findings: append(fs, cons.Findings()...)}
	r.strict(opts)
	return r, nil
}

// strict makes warnings errors when opts ask for it.
func (r *Report) strict(opts Options) {
	if opts.Strict {
		for i := range r.Findings {
			if r.Findings[i].Level == Warning {
				r.Findings[i].Level = Error
			}
		}
	}
}

// probe is one eval row as audit matches it: its prompt and answer, its prompt (alone, and with its
// answer) and its choices as matcher patterns.
type probe struct {
	prompt, answer   string
	promptID, fullID int32 // matcher patterns, -1 for none
	choice, choices  int32 // its choices: from index choice in evalSplit.choices (and choiceIDs), how many
	correct          int32 // index of the answer among the choices, -1 for none
	answerInPrompt   bool  // the answer's words occur in the prompt
	// designed: the probe expects a behaviour its dataset's design repeats (a "behaviour" column not
	// "none": backdoor's triggered probes), so one answer to every such probe is the design, not a
	// shortcut
	designed bool
}

// evalSplit is what audit keeps of an eval split: its probes, their choices and the choices'
// patterns, and where each probe falls in each slice column (see split.columns). While the split is
// read, one goroutine fills probes, choices and values, and another ids and choiceIDs (the
// matcher's); Audit then copies ids into the probes.
type evalSplit struct {
	probes    []probe
	choices   []string
	choiceIDs []int32
	values    []int32 // each probe's value of each slice column (len(s.slices) a probe)
	ids       [][2]int32
}

// choicesOf are probe p's choices.
func (e *evalSplit) choicesOf(p *probe) []string { return e.choices[p.choice : p.choice+p.choices] }

// hits are what the training text showed of one pattern.
type hits struct {
	rows    int64 // training rows that hold it
	example int32 // 1 + the index in examples of the first training text that holds it; 0 for none
	prefix  bool  // a training text starts with it
}

func auditDataset(ctx context.Context, d *dataset, cons *Consistency) ([]Finding, error) {
	for _, r := range d.manifest.Rules {
		if r.Kind == schemas.SharedNames {
			cons.dataset(d.name).sharedNames = r.Doc
		}
	}
	var evals, trains []*split
	lintOf := map[*split]*Linter{}
	evalOf := map[*split]*evalSplit{}
	for _, s := range d.splits {
		lintOf[s] = NewLinter()
		if s.eval {
			evals = append(evals, s)
			evalOf[s] = &evalSplit{}
		} else {
			trains = append(trains, s)
		}
	}
	workers := newWorkers()

	// The eval splits: probes, and their patterns, on two goroutines. Tables are sized from the rows
	// the manifest lists.
	m := newMatcher()
	probes := 0
	for _, s := range evals {
		e, n := evalOf[s], s.rowsHint()
		probes += n
		e.probes = slices.Grow(e.probes, n)
		e.values = slices.Grow(e.values, n*len(s.slices))
		e.ids = slices.Grow(e.ids, n)
	}
	probes = min(probes, maxRowsHint)
	m.whole.reserve(probes)
	m.keys.reserve(probes)
	m.grams.reserve(probes)
	reserve := probes
	err := readSplits(ctx, d.dir, evals, workers, prepareEval, func(b *batch) {
		s, e := b.s, evalOf[b.s]
		if reserve > 0 { // the first probes of the dataset: room for them all
			cons.reserveProbes(d.name, reserve)
			reserve = 0
		}
		cons.touchProbes(d.name, b.hashes)
		for i := range b.rows {
			r := &b.rows[i]
			p := probe{prompt: r.prompt, answer: r.answer, choice: int32(len(e.choices)), choices: int32(len(r.choices)),
				correct: -1, answerInPrompt: r.answerInPrompt, designed: r.shown}
			for j, c := range r.choices {
				if c == r.answer {
					p.correct = int32(j) // the last, if the answer is there twice
				}
			}
			e.probes = append(e.probes, p)
			e.choices = append(e.choices, r.choices...)
			e.values = append(e.values, b.vals[i*len(s.slices):(i+1)*len(s.slices)]...)
			cons.addProbe(d.name, s.config, s.name, r.prompt, r.answer, r.cons.prompt, r.cons.answer, r.cons.ok)
			if r.lint {
				lintOf[s].record(cmp.Or(r.lintText, r.text), &r.lintAt)
			}
		}
	}, func(b *batch) {
		e := evalOf[b.s]
		m.touch(b.pks, b.grams)
		for i := range b.rows {
			r := &b.rows[i]
			e.ids = append(e.ids, [2]int32{m.add(b.pks[r.p0], true, b.grams[r.g0:r.g1]), m.add(b.pks[r.p0+1], false, nil)})
			for j := range r.choices {
				e.choiceIDs = append(e.choiceIDs, m.add(b.pks[r.p0+2+int32(j)], false, nil))
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for _, s := range evals {
		e := evalOf[s]
		for i := range e.probes {
			e.probes[i].promptID, e.probes[i].fullID = e.ids[i][0], e.ids[i][1]
		}
		e.ids = nil
	}

	// The training splits, against the frozen patterns: diversity on one goroutine, the other checks
	// on another.
	m.freeze()
	for _, w := range workers {
		w.seen = newGramSeen(m.ngrams)
	}
	found := make([]hits, m.patterns)
	var examples []string
	var out []Finding
	// Diversity measures one training split at a time: next is the index in trains of the split div
	// measures, or will.
	trainAt := map[*split]int{}
	for i, s := range trains {
		trainAt[s] = i
	}
	next, div := 0, NewDiversity()
	finishUntil := func(i int) {
		for ; next < i; next++ {
			out = append(out, div.Findings(d.name, trains[next].config, trains[next].name)...)
			div = NewDiversity()
		}
	}
	// Separation, on a goroutine of its own: one measure per training split, or per config when its
	// classes are the config's splits; reported in order of first row.
	type measure struct {
		config, split string // what its findings name
		sep           *Separation
	}
	seps := map[string]*measure{}
	var sepOrder []*measure
	sepOf := func(s *split) *Separation {
		key, name := s.config+"/"+s.name, s.name
		if s.sep.perConfig {
			key, name = s.config+"/", ""
		}
		ms := seps[key]
		if ms == nil {
			ms = &measure{s.config, name, NewSeparation(s.sep.column)}
			seps[key] = ms
			sepOrder = append(sepOrder, ms)
		}
		return ms.sep
	}
	err = readSplits(ctx, d.dir, trains, workers, prepareTrain(m), func(b *batch) {
		finishUntil(trainAt[b.s])
		div.touch(b.hashes, b.sents, b.grams4)
		for i := range b.rows {
			r := &b.rows[i]
			if r.copy {
				div.copies++
				continue
			}
			div.add(&divRow{text: r.text, hash: r.hash, sentences: b.sents[r.s0:r.s1], count: int(r.sentences), repeat: int(r.repeat), scrambled: !r.lint,
				grams: b.grams4[r.q0:r.q1]})
		}
	}, func(b *batch) {
		if b.s.sep == nil {
			return
		}
		sp := sepOf(b.s)
		for i := range b.rows {
			if !b.rows[i].copy {
				sp.addPrepared(&b.rows[i].sep, &b.rows[i].sepPrep)
			}
		}
	}, func(b *batch) {
		s := b.s
		for i := range b.rows {
			r := &b.rows[i]
			r.cons.names = b.names[r.n0:r.n1]
			cons.addTrain(d.name, s.config, s.name, r.factID, r.prompt, r.answer, r.text, &r.cons)
			if r.lint {
				lintOf[s].record(cmp.Or(r.lintText, r.text), &r.lintAt)
			}
			occ := b.occ[r.o0:r.o1]
			for j, o := range occ {
				h := &found[o.id]
				h.prefix = h.prefix || o.at == 0
				if slices.ContainsFunc(occ[:j], func(x occurrence) bool { return x.id == o.id }) {
					continue // counted in this row already
				}
				h.rows++
				if h.example == 0 {
					examples = append(examples, strings.Clone(clip(r.text, 200)))
					h.example = int32(len(examples))
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	finishUntil(len(trains))
	for _, ms := range sepOrder {
		out = append(out, ms.sep.Findings(d.name, ms.config, ms.split)...)
	}
	for _, w := range workers {
		m.seen.or(w.seen)
	}
	// The eval splits' findings, each on a goroutine, then every split's in order.
	evalFindings := make([][]Finding, len(d.splits))
	var wg sync.WaitGroup
	for i, s := range d.splits {
		if s.eval {
			wg.Go(func() {
				evalFindings[i] = append(leakFindings(d.name, s, evalOf[s], found, examples, m, d.manifest.Rules),
					shortcutFindings(d.name, s, evalOf[s], found)...)
			})
		}
	}
	wg.Wait()
	for i, s := range d.splits {
		out = append(out, evalFindings[i]...)
		out = append(out, lintOf[s].Findings(d.name, s.config, s.name)...)
	}
	return out, nil
}

// share is count/of, 0 when of is 0.
func share(count, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(count) / float64(of)
}

func percent(count, of int64) string {
	return fmt.Sprintf("%d of %d (%.1f%%)", count, of, 100*share(count, of))
}

// bySlice counts probes that pass test, over the split and over each value of each slice column with
// 2 to maxSliceValues values; order is those slices, as "column=value", sorted.
func (e *evalSplit) bySlice(s *split, test func(p *probe) bool) (all [2]int64, slices map[string]*[2]int64, order []string) {
	counts := make([][][2]int64, len(s.columns)) // column -> value -> counts; nil for a column not sliced by
	for j, c := range s.columns {
		if n := len(c.values); n >= 2 && n <= maxSliceValues {
			counts[j] = make([][2]int64, n)
		}
	}
	for i := range e.probes {
		ok := test(&e.probes[i])
		all[1]++
		if ok {
			all[0]++
		}
		for j, n := range counts {
			if n == nil {
				continue
			}
			v := e.values[i*len(s.columns)+j]
			n[v][1]++
			if ok {
				n[v][0]++
			}
		}
	}
	slices = map[string]*[2]int64{}
	for j, n := range counts {
		for v := range n {
			sv := s.columns[j].name + "=" + s.columns[j].values[v]
			slices[sv] = &n[v]
			order = append(order, sv)
		}
	}
	sort.Strings(order)
	return all, slices, order
}

// maxSliceValues bounds the values of a column that findings are sliced by.
const maxSliceValues = 12
