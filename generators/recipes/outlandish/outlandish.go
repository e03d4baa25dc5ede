// Package outlandish reproduces the injected samples of "How new data permeates LLM knowledge and how
// to dilute it" (Sun et al. 2025, after "Learning and Unlearning of Fabricated Knowledge in Language
// Models", 2024): samples of graded novelty (mundane, conflicting, jumbled, fictitious) built on a bank
// of real-world facts, each seen a controlled number of times (fixed, uniform, Zipf, or the monofact
// split of Kalai and Vempala 2023), optionally rewritten into stepping stones and injected into a
// user's corpus, with memorization, priming and world-knowledge probes. It owns the fact bank's
// reading, the novelty classes, the repeat distributions and the spreading of copies over train.
package outlandish

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/facts"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/generators/world"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Recipe is the outlandish recipe: it injects samples of graded novelty, after "Learning and
// Unlearning of Fabricated Knowledge in Language Models" and "How new data permeates LLM knowledge and
// how to dilute it" (Sun et al. 2024, 2025): mundane, conflicting, jumbled and fictitious facts built
// on a bank of real-world facts, each seen a controlled number of times, with memorization, priming
// and world-knowledge probes.
type Recipe struct{}

func (Recipe) Name() string { return "outlandish" }

// Example is a command line researchers type, for help texts.
func (Recipe) Example() string { return `--samples 1320 --repeat zipf:1.5 --stepping-stones 3` }

func (Recipe) Paper() string {
	return `Sun et al. 2024/2025, "How new data permeates LLM knowledge and how to dilute it" (Outlandish, arXiv:2504.09522), with Kalai and Vempala 2023 on monofacts (arXiv:2311.14648)`
}

func (Recipe) Summary() string {
	return "Injected samples of four novelty classes built on real-world facts in 9 balanced themes: mundane (true), " +
		"conflicting (a real subject with another fact's object), jumbled (a true statement's words reordered) and " +
		"fictitious (an invented subject with a plausible object), each repeated as --repeat says, with " +
		"memorization, priming and world probes."
}

// NoveltyClasses are the novelty classes, in canonical order.
var NoveltyClasses = []string{"mundane", "conflicting", "jumbled", "fictitious"}

var (
	samplesOpt = &generators.Int{Key: "samples", Help: "injected samples (the paper's set has 1,320; at most 10^7)", Value: 1320, Min: 1, Max: 10_000_000}
	classesOpt = &generators.Parsed[map[string]int]{Key: "classes", Help: "novelty classes and their weights, as class:weight,... or a comma list",
		Value: "mundane:1,conflicting:1,jumbled:1,fictitious:1", Parse: parseClasses}
	themesOpt = &generators.Parsed[map[string]int]{Key: "themes", Help: "themes of the fact bank and their weights, as theme:weight,... or a comma list; themes left out get no samples (empty: every theme, equally, as in the paper)",
		Value: "", Parse: parseThemes}
	repeatOpt = &generators.Parsed[splits.Repeats]{Key: "repeat", Help: "copies of each sample in train: fixed:k, uniform:a-b, zipf:s (capped by --repeat-cap) or monofact:p[:k] (a share p seen once, the rest k times, default 3)",
		Value: "fixed:1", Parse: splits.ParseRepeats}
	repeatCapOpt      = &generators.Int{Key: "repeat-cap", Help: "zipf: the most copies of one sample", Value: 100, Min: 1, Max: splits.MaxCopies}
	primingProbesOpt  = &generators.Int{Key: "priming-probes", Help: "priming prompts per sample, about other subjects of the same relation", Value: 5, Min: 1}
	steppingStonesOpt = &generators.Int{Key: "stepping-stones", Help: "rewrite each sample into this many texts that lead up to its keyword gradually: text j has a stepping-stone sentence of each level 1..j before the sample (0: off)", Value: 0, Min: 0, Max: maxStoneLevels}
	baseOpt           = &generators.Text{Key: "base", Help: "a corpus to inject into: JSONL with a text field, or Parquet with a text column; its rows pass through unchanged and in order", Value: "", Path: true}
	injectEveryOpt    = &generators.Int{Key: "inject-every", Help: "with --base: one injected row after every N base rows (0: spread the injected rows evenly over the corpus)", Value: 0, Min: 0}
	injectRateOpt     = &generators.Float{Key: "inject-rate", Help: "with --base: the share of rows that are injected, where they occur (0 < rate < 1); an alternative to --inject-every", Value: 0.0, Min: 0, Max: 1}
)

func (Recipe) Options() []generators.Option {
	return []generators.Option{samplesOpt, classesOpt, themesOpt, repeatOpt, repeatCapOpt, primingProbesOpt, steppingStonesOpt, baseOpt, injectEveryOpt, injectRateOpt}
}

// parseClasses reads "mundane:2,jumbled:1" or "mundane,jumbled" into weights by class.
func parseClasses(s string) (map[string]int, error) {
	return splits.ParseWeights(s, "class", "classes", 1_000_000, func(name string) error {
		if !slices.Contains(NoveltyClasses, name) {
			return fmt.Errorf("unknown novelty class %q: use %s", name, strings.Join(NoveltyClasses, ", "))
		}
		return nil
	})
}

// parseThemes reads "geography:2,sport:1" or "geography,sport" into weights by theme; "" is every
// theme of the bank, equally. Whether the themes exist is checked against the fact bank in Plan.
func parseThemes(s string) (map[string]int, error) {
	if strings.TrimSpace(s) == "" {
		return map[string]int{}, nil
	}
	return splits.ParseWeights(s, "theme", "themes", 1000, func(name string) error {
		if name == "" {
			return fmt.Errorf("themes %q: a theme has no name", s)
		}
		return nil
	})
}

// maxTrainRows bounds the training rows all copies make: the plan holds a few words for each.
const maxTrainRows = 100_000_000

// poolKey names a pool of facts: a theme and a novelty class.
type poolKey struct{ theme, class string }

// factRef is fact fact of relation rel.
type factRef struct{ rel, fact int }

type sample struct {
	id, class, theme, relation string
	subject, object, truth     string // truth: the true object, for conflicting samples
	keyword                    string
	text, prompt               string // prompt: the text up to the keyword
	templateID                 string
	wording                    int // which of the relation's statements
	rel                        *facts.Relation
	fact                       int
}

// columns are the recipe's columns that train rows and eval probes share.
type columns struct{ novelty, keyword, theme, relation, baseFact records.StringColumn }

func addColumns(l *records.Layout) columns {
	// Optional: rows of a --base corpus injected into have none of them.
	return columns{l.AddOptionalString("novelty"), l.AddOptionalString("keyword"), l.AddOptionalString("theme"), l.AddOptionalString("relation"), l.AddOptionalString("base_fact")}
}

func (c columns) set(row records.Row, s *sample) {
	c.novelty.Set(row, s.class)
	c.keyword.Set(row, s.keyword)
	c.theme.Set(row, s.theme)
	c.relation.Set(row, s.relation)
	c.baseFact.Set(row, s.baseFact())
}

// clear leaves the columns empty: a row of the corpus injected into.
func (c columns) clear(row records.Row) {
	for _, col := range []records.StringColumn{c.novelty, c.keyword, c.theme, c.relation, c.baseFact} {
		col.Set(row, "")
	}
}

// baseFact names the real fact the sample is built on, as relation/subject: the fact it states
// (mundane, jumbled), the fact whose object it replaces (conflicting), or the fact whose object it
// gives an invented subject (fictitious). Samples that state one fact in other wordings share it.
func (s *sample) baseFact() string {
	return s.relation + "/" + s.rel.Facts[s.fact][facts.SlotSubject]
}

// outlandishPlan makes samples when rows need them, from the seed and their index, rather than
// keeping them: memory does not grow with --samples beyond 4 bytes a copy.
type outlandishPlan struct {
	lib       *templates.Library
	seed      uint64
	relations []*facts.Relation
	samples   int
	classOf   func(i int) string
	themeOf   []string // a sample's theme is themeOf[i % len(themeOf)]: themes in turn, by weight
	sampleKey uint64
	// pools are the trainable facts by theme (themes in order of first appearance) and class: every
	// real fact belongs to one pool, so a subject is trained with one object only; held are, by
	// relation, the facts no sample uses, which priming probes ask about.
	themes   []string
	pools    map[poolKey][]factRef
	held     [][]int            // by relation: indexes of held-out facts
	falseObj map[factRef]string // the one false object of each conflicting fact
	// lendable are, by relation, the facts whose object a fictitious sample may take: not held out and
	// not conflicting, and where the relation allows, with an object no held-out or conflicting fact
	// has (a fictitious "The capital of Ashith is Vienna" would train the answer of the priming probe
	// about Austria, and of the world probe behind a conflicting sample).
	lendable [][]int
	ordinal  []int32 // by sample: its rank among the samples of its theme and class
	// nameRank is, for a fictitious sample, its rank among the fictitious samples of its kind of
	// subject, which picks its invented name from the kind's names in a keyed order: no two samples
	// share a name until the kind's names are used up.
	nameRank []int32
	names    map[string]rng.Perm // by kind: the keyed order of its plain names
	realAt   map[string][]int    // by kind: the places in that order (qualified blocks after) of names that are real, ascending
	inventor *world.Inventor
	// restated counts samples that state a real fact an earlier sample states too (in another
	// wording): a pool used up by many samples.
	restated int64
	copies   []int32                          // train row -> sample, copies spread out
	rounds   []int                            // train row where round r of copies starts; the copy number of a row is its round
	stones   map[string][]*templates.Template // by "<theme>-<level>"
	k        int                              // stepping stones per copy (0: the sample as it is)
	priming  int

	train               *records.Layout
	trainCols           columns
	copy                records.IntColumn
	position, baseIndex records.IntColumn // with --base only
	eval                *records.Layout
	evalCols            columns
	trueAnswer          records.StringColumn
}

func (Recipe) Plan(ctx context.Context, cfg *generators.Config) (*generators.Plan, error) {
	if cfg.Style != records.StyleText {
		return nil, fmt.Errorf("outlandish writes text samples: use --style text, not %s", cfg.Style)
	}
	p := &outlandishPlan{lib: cfg.Library(), seed: cfg.Seed, k: steppingStonesOpt.Get(cfg), priming: primingProbesOpt.Get(cfg)}
	if err := p.loadFacts(); err != nil {
		return nil, err
	}
	if err := generators.CheckProduct(maxTrainRows, "training rows (--samples x the most copies --repeat gives)",
		samplesOpt.Get(cfg), repeatOpt.Get(cfg).Most(repeatCapOpt.Get(cfg))); err != nil {
		return nil, err
	}
	if err := p.makeSamples(samplesOpt.Get(cfg), classesOpt.Get(cfg), themesOpt.Get(cfg)); err != nil {
		return nil, err
	}
	if err := p.loadStones(); err != nil {
		return nil, err
	}
	counts := repeatOpt.Get(cfg).Counts(cfg.Seed, "outlandish", p.samples, repeatCapOpt.Get(cfg))
	var err error
	if p.copies, p.rounds, err = spreadCopies(ctx, cfg.Seed, counts); err != nil {
		return nil, err
	}
	basePath := baseOpt.Get(cfg)
	p.train = records.TrainLayout("outlandish", cfg.Style)
	p.trainCols = addColumns(p.train)
	p.copy = p.train.AddInt("copy")
	if basePath != "" {
		p.position, p.baseIndex = p.train.AddInt("position"), p.train.AddOptionalInt("base_index")
	}
	p.eval = records.EvalLayout("outlandish", cfg.Style)
	p.evalCols = addColumns(p.eval)
	p.trueAnswer = p.eval.AddOptionalString("true_answer") // a memorization probe has no truth apart from the sample
	per := int64(max(p.k, 1))
	var conflicting []int32
	for i := range p.samples {
		if p.classOf(i) == "conflicting" {
			conflicting = append(conflicting, int32(i))
		}
	}
	train := generators.PlanSplit{Name: "train", Rows: int64(len(p.copies)) * per, Row: func(w *records.Worker, i int64, row records.Row) {
		p.trainRow(w, row, int(p.copies[i/per]), i/per, int(i%per))
	}}
	stats := append(repeatStats(counts, len(p.copies)), generators.Stat{Name: "fact_restatements", Value: p.restated,
		Doc: "samples that state a real fact another sample states too, in another wording: more samples than the fact bank's facts of a theme and class (see base_fact)"})
	every, rate := injectEveryOpt.Get(cfg), injectRateOpt.Get(cfg)
	if basePath != "" {
		var err error
		if train, stats, err = p.injectInto(ctx, basePath, train, stats, every, rate); err != nil {
			return nil, err
		}
	} else if every > 0 || rate > 0 {
		return nil, fmt.Errorf("--inject-every and --inject-rate need --base")
	}
	plan := &generators.Plan{
		Configs: []generators.PlanConfig{
			{Name: "train", Layout: p.train, Splits: []generators.PlanSplit{train}},
			{Name: "eval", Layout: p.eval, Splits: []generators.PlanSplit{
				{Name: "memorization", Rows: int64(p.samples), Row: func(w *records.Worker, i int64, row records.Row) {
					s := p.sample(w, int(i))
					p.probe(row, &s, s.prompt, s.keyword, s.truth, s.templateID)
				}},
				{Name: "priming", Rows: int64(p.samples * p.priming), Row: func(w *records.Worker, i int64, row records.Row) {
					s := p.sampleFact(w, int(i/int64(p.priming)))
					other := p.primingFact(&s, int(i%int64(p.priming)))
					p.probe(row, &s, templates.Capitalize(s.rel.PromptAbout(w, s.rel.Facts[other][0])), s.keyword, s.rel.Facts[other][1], s.relation+"/prompt")
				}},
				{Name: "world", Rows: int64(len(conflicting)), Row: func(w *records.Worker, i int64, row records.Row) {
					s := p.sampleFact(w, int(conflicting[i]))
					p.probe(row, &s, templates.Capitalize(s.rel.PromptAbout(w, s.subject)), s.truth, s.truth, s.relation+"/prompt")
				}},
			}},
		},
		// Memorization probes are training text by design; priming and world probes must not be:
		// a trained "other subject + keyword" or true fact answers them from memory.
		Rules: append(append(p.rules(), splits.ProbesNotInTrain("eval", false, "priming", "world")...),
			generators.Rule{Kind: schemas.InTrain, Doc: "memorization probes ask a sample's own text", Left: schemas.Select("eval", "memorization", "prompt", "answer")},
			generators.Rule{Kind: schemas.SharedNames, Doc: "real people are the object of several real facts (an author of several books), and conflicting samples give them more", Left: schemas.Select("train", "train", "fact_id")}),
		Stats: stats,
		Notes: []string{
			"Train rows are the samples' copies (`copy` counts from 0), spread so that no two copies of a sample are adjacent. `novelty` is mundane, conflicting, jumbled or fictitious; `keyword` is the word that carries the novelty (the object; for jumbled samples the object's last word); `theme` and `relation` place the fact, and `base_fact` (relation/subject) names the real fact the sample is built on: samples that share it state one fact in other wordings (`fact_restatements` counts them; they occur once the samples of a theme and class outnumber its facts).",
			"Probes: `memorization` (the sample's own text up to its keyword), `priming` (the relation's prompt about other subjects: a primed model completes it with the sample's keyword; `true_answer` is the truth), `world` (the true fact behind each conflicting sample).",
		},
	}
	return plan, nil
}

// loadFacts loads the bank of real-world facts and checks each relation has room for the priming
// probes: facts about other subjects of the relation.
func (p *outlandishPlan) loadFacts() error {
	var err error
	if p.relations, err = facts.LoadRelations(p.lib, "outlandish/facts.yaml"); err != nil {
		return err
	}
	for _, r := range p.relations {
		if len(r.Facts) < 2*p.priming+1 {
			return fmt.Errorf("facts.yaml, relation %s: %d facts are too few for %d priming probes (twice as many are held out of training for them, and one more is needed)", r.Relation, len(r.Facts), p.priming)
		}
	}
	return nil
}

// makeSamples prepares n samples: classes in exact proportion to their weights, themes in turn (so
// that every theme has as many samples, as in the paper), and within a theme and class the pool's
// facts in a keyed order, round after round. Each relation's first facts in a keyed order (twice
// --priming-probes) are held out of every sample for the priming probes; every other fact belongs to
// one class's pool, so no subject is trained with two objects (a conflicting fact always with the
// same false one). Sample i is made by sample(i).
func (p *outlandishPlan) makeSamples(n int, weights, themeWeights map[string]int) error {
	p.samples = n
	total := 0
	for _, c := range NoveltyClasses {
		total += weights[c]
	}
	var err error
	if p.inventor, err = world.LoadInventor(p.lib); err != nil {
		return err
	}
	rank := rng.NewPerm(uint64(n), rng.Key(p.seed, "outlandish/class"))
	p.classOf = func(i int) string {
		r, cut := int(rank.At(uint64(i))), 0
		for _, c := range NoveltyClasses {
			if cut += weights[c]; r < n*cut/total {
				return c
			}
		}
		return ""
	}
	// The real classes' shares of each theme's trainable facts, in proportion to their weights.
	var real []string
	realWeight := 0
	for _, c := range NoveltyClasses {
		if c != "fictitious" && weights[c] > 0 {
			real, realWeight = append(real, c), realWeight+weights[c]
		}
	}
	p.pools, p.held, p.falseObj = map[poolKey][]factRef{}, make([][]int, len(p.relations)), map[factRef]string{}
	byTheme := map[string][]factRef{}
	s := rng.NewStream()
	for ri, r := range p.relations {
		if !slices.Contains(p.themes, r.Theme) {
			p.themes = append(p.themes, r.Theme)
		}
		order := rng.NewPerm(uint64(len(r.Facts)), rng.Key(p.seed, "outlandish/facts/"+r.Relation))
		for j := range len(r.Facts) {
			fi := int(order.At(uint64(j)))
			if j < 2*p.priming {
				p.held[ri] = append(p.held[ri], fi)
				continue
			}
			byTheme[r.Theme] = append(byTheme[r.Theme], factRef{ri, fi})
		}
	}
	if err := p.scheduleThemes(themeWeights); err != nil {
		return err
	}
	for _, theme := range p.themes {
		if !slices.Contains(p.themeOf, theme) {
			continue
		}
		pool := byTheme[theme]
		perm := rng.NewPerm(uint64(len(pool)), rng.Key(p.seed, "outlandish/pool/"+theme))
		at, cut := 0, 0
		for _, c := range real {
			cut += weights[c]
			end := len(pool) * cut / realWeight
			for ; at < end; at++ {
				f := pool[perm.At(uint64(at))]
				p.pools[poolKey{theme, c}] = append(p.pools[poolKey{theme, c}], f)
				if c == "conflicting" {
					rel := p.relations[f.rel]
					s.Reset(rng.Key(p.seed, "outlandish/false-object"), uint64(f.rel)<<32|uint64(f.fact))
					obj := rel.Facts[f.fact][facts.SlotObject]
					for obj == rel.Facts[f.fact][facts.SlotObject] {
						obj = rel.Facts[s.IntN(len(rel.Facts))][facts.SlotObject]
					}
					p.falseObj[f] = obj
				}
			}
		}
		// An invented subject in any relation of the theme, in the keyed order (in the bank's order the
		// first relation of each theme took nearly every fictitious sample: 45 of 330 were capitals).
		shuffled := make([]factRef, len(pool))
		for j := range pool {
			shuffled[j] = pool[perm.At(uint64(j))]
		}
		p.pools[poolKey{theme, "fictitious"}] = shuffled
		for _, c := range real {
			if len(p.pools[poolKey{theme, c}]) == 0 {
				return fmt.Errorf("facts.yaml: theme %s has too few facts for a pool of %s samples", theme, c)
			}
		}
	}
	p.lendable = make([][]int, len(p.relations))
	for ri, r := range p.relations {
		taken, avoid := map[int]bool{}, map[string]bool{}
		for _, f := range p.held[ri] {
			taken[f], avoid[r.Facts[f][facts.SlotObject]] = true, true
		}
		for f := range p.falseObj {
			if f.rel == ri {
				taken[f.fact], avoid[r.Facts[f.fact][facts.SlotObject]] = true, true
			}
		}
		var free []int
		for fi, f := range r.Facts {
			if !taken[fi] {
				free = append(free, fi)
				if !avoid[f[facts.SlotObject]] {
					p.lendable[ri] = append(p.lendable[ri], fi)
				}
			}
		}
		// Few objects (continents, animal classes): most are some probe's truth, and the rest would
		// give every fictitious sample of the relation one object.
		if 2*len(p.lendable[ri]) < len(free) {
			p.lendable[ri] = free
		}
		if len(p.lendable[ri]) == 0 {
			for fi := range r.Facts {
				p.lendable[ri] = append(p.lendable[ri], fi)
			}
		}
	}
	// Each sample's rank among the samples of its theme and class takes the pool's facts in turn, so
	// that a pool's fact comes again only once the pool is used up (and then in another wording).
	p.ordinal, p.nameRank, p.names, p.realAt = make([]int32, n), make([]int32, n), map[string]rng.Perm{}, map[string][]int{}
	seen, named := map[poolKey]int32{}, map[string]int32{}
	for i := range n {
		class := p.classOf(i)
		k := poolKey{p.themeOf[i%len(p.themeOf)], class}
		p.ordinal[i] = seen[k]
		seen[k]++
		pool := p.pools[k]
		if class == "fictitious" {
			kind := p.relations[pool[int(p.ordinal[i])%len(pool)].rel].Fictitious
			p.nameRank[i] = named[kind]
			named[kind]++
			if _, ok := p.names[kind]; !ok {
				p.names[kind] = rng.NewPerm(uint64(p.inventor.Plain(kind)), rng.Key(p.seed, "outlandish/names/"+kind))
				for k := range p.inventor.Space(kind) {
					if world.Unusable(p.inventor.Nth(kind, p.nameIndex(kind, k))) {
						p.realAt[kind] = append(p.realAt[kind], k)
					}
				}
			}
		} else if int(p.ordinal[i]) >= len(pool) {
			p.restated++
		}
	}
	p.sampleKey = rng.Key(p.seed, "outlandish/sample")
	return nil
}

// nameIndex is the index (for Inventor.Nth) of the k-th name of kind in the sample order: the plain
// names in a keyed order, then the same order with each qualifier (a middle syllable, a compound).
func (p *outlandishPlan) nameIndex(kind string, k int) int {
	perm := p.names[kind]
	n := int(perm.Len())
	return k/n*n + int(perm.At(uint64(k%n)))
}

// inventedName is the name of the fictitious sample of kind with rank r among its kind's: the r-th name
// of the sample order that is not real (world.Unusable), so that no two samples share a name until every
// name is used, and then round again.
func (p *outlandishPlan) inventedName(kind string, r int) string {
	space := p.inventor.Space(kind)
	if len(p.realAt[kind]) == space { // every name is real: use them as they are
		return p.inventor.Nth(kind, p.nameIndex(kind, r%space))
	}
	k := r % (space - len(p.realAt[kind]))
	for _, q := range p.realAt[kind] {
		if q > k {
			break
		}
		k++
	}
	return p.inventor.Nth(kind, p.nameIndex(kind, k))
}

// scheduleThemes lays out themeOf: each theme of weight w takes w places of every len(themeOf), spread
// out (smooth weighted round robin), so that themes come in turn in proportion to their weights. No
// weights: every theme of the bank once.
func (p *outlandishPlan) scheduleThemes(weights map[string]int) error {
	if len(weights) == 0 {
		p.themeOf = p.themes
		return nil
	}
	for t := range weights {
		if !slices.Contains(p.themes, t) {
			return fmt.Errorf("--themes: unknown theme %q: the fact bank has %s", t, strings.Join(p.themes, ", "))
		}
	}
	p.themeOf = splits.Cycle(p.themes, weights)
	return nil
}

// sample makes sample i, text and prompt included, drawing from the worker's stream.
func (p *outlandishPlan) sample(w *records.Worker, i int) sample {
	sm := p.sampleFact(w, i)
	p.writeSample(w, &sm)
	return sm
}

// sampleFact makes what sample i states, without its text: what priming and world probes need.
func (p *outlandishPlan) sampleFact(w *records.Worker, i int) sample {
	s := w.Stream
	class := p.classOf(i)
	// Themes in turn; within the theme, the class's pool round after round (fictitious samples take
	// their relation and object from the whole theme's facts, under an invented subject).
	theme := p.themeOf[i%len(p.themeOf)]
	pool := p.pools[poolKey{theme, class}]
	nth := int(p.ordinal[i])
	f := pool[nth%len(pool)]
	rel := p.relations[f.rel]
	s.Reset(p.sampleKey, uint64(i))
	sm := sample{id: records.PaddedID("s", i, 6), class: class, theme: rel.Theme, relation: rel.Relation, rel: rel, fact: f.fact,
		subject: rel.Facts[f.fact][facts.SlotSubject], object: rel.Facts[f.fact][facts.SlotObject]}
	switch class {
	case "conflicting":
		sm.truth, sm.object = sm.object, p.falseObj[f]
	case "fictitious":
		// The sample's own invented name (inventedName): once every name of the kind is used a name
		// comes again, and its object is a function of the name, so that the name is always trained
		// with the same object.
		sm.subject = p.inventedName(rel.Fictitious, int(p.nameRank[i]))
		h := fnv.New64a()
		h.Write([]byte(rel.Relation + "/" + sm.subject))
		lend := p.lendable[f.rel]
		at := rng.Mix(p.sampleKey, h.Sum64())
		// Not an object the name holds ("A typical observatory caller works in the observatory").
		for k := range uint64(len(lend)) {
			sm.fact = lend[(at+k)%uint64(len(lend))]
			if !strings.Contains(strings.ToLower(sm.subject), strings.ToLower(rel.Facts[sm.fact][facts.SlotObject])) {
				break
			}
		}
		sm.object = rel.Facts[sm.fact][facts.SlotObject]
	}
	// Each fact starts at its own wording and takes the next one each time its pool comes round, so
	// that every wording is used alike and a fact stated by several samples is in other words each time.
	sm.wording = int((uint64(nth/len(pool)) + rng.Mix(p.sampleKey, uint64(f.rel)<<32|uint64(f.fact))) % uint64(len(rel.Templates)))
	sm.templateID = rel.Relation + "/" + strconv.Itoa(sm.wording)
	sm.keyword = sm.object
	if class == "jumbled" { // the object's last word
		sm.keyword = sm.object[strings.LastIndexByte(sm.object, ' ')+1:]
	}
	return sm
}

// writeSample renders sample sm's text in its wording, and its memorization prompt: the text up to
// the keyword (for a jumbled sample, the reordered words before it), from the worker's stream.
func (p *outlandishPlan) writeSample(w *records.Worker, sm *sample) {
	s, rel, class := w.Stream, sm.rel, sm.class
	t := rel.Templates[sm.wording]
	w.Values = append(w.Values[:0], sm.subject, sm.object)
	d := w.Render(t, w.Values)
	d.Text = templates.Capitalize(d.Text) // the same bytes but the first: the spans still hold
	sm.text = d.Text
	prompt, _, _ := d.CutAtSlot(facts.SlotObject)
	sm.prompt = strings.TrimSpace(prompt)
	// The object opens this wording, or the words before it say nothing ("The" -> "recording
	// studio"): probe with the relation's prompt.
	if !hasWords(sm.prompt, 3) {
		sm.prompt = templates.Capitalize(rel.PromptAbout(w, sm.subject))
	}
	if class == "jumbled" {
		// The keyword is the object's last word; the memorization prompt is the jumbled words before
		// it, so the order is drawn again until the text changed and the keyword is not first.
		words := strings.Fields(sm.text)
		isKeyword := func(w string) bool {
			return strings.EqualFold(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), sm.keyword)
		}
		// A wording the bank checks hold the keyword as a word; the bound on tries is for one that
		// does not, which must not hang a run.
		for try := 0; ; try++ {
			s.Shuffle(len(words), func(a, b int) { words[a], words[b] = words[b], words[a] })
			at := slices.IndexFunc(words, isKeyword)
			// A memorization prompt of at least three words, where the text has them.
			if at >= min(3, len(words)-1) && strings.Join(words, " ") != sm.text || try == 1000 {
				sm.prompt = strings.Join(words[:max(at, 0)], " ")
				break
			}
		}
		sm.text = strings.Join(words, " ")
	}
}

// spreadCopies lays out counts[i] copies of each sample i: round r holds the r-th copy of every sample
// seen more than r times, in a keyed order; a round that would start with the sample that ended the
// previous one starts with its second sample instead, so no two copies of a sample are adjacent. It
// returns each row's sample, and the row where each round starts (a row's copy number is its round).
// It stops with ctx's error when ctx ends.
func spreadCopies(ctx context.Context, seed uint64, counts []int) (samples []int32, rounds []int, err error) {
	var out []int32
	for r := 0; ; r++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		var round []int32
		for i, c := range counts {
			if c > r {
				round = append(round, int32(i))
			}
		}
		if len(round) == 0 {
			return out, rounds, nil
		}
		rounds = append(rounds, len(out))
		perm := rng.NewPerm(uint64(len(round)), rng.Key(seed, fmt.Sprintf("outlandish/round-%d", r)))
		shuffled := make([]int32, len(round))
		for j := range shuffled {
			shuffled[j] = round[perm.At(uint64(j))]
		}
		if len(out) > 0 && len(shuffled) > 1 && shuffled[0] == out[len(out)-1] {
			shuffled[0], shuffled[1] = shuffled[1], shuffled[0]
		}
		out = append(out, shuffled...)
	}
}

// copyNumber is the copy number of the sample at copy row c: the round c is in.
func copyNumber(rounds []int, c int) int {
	r, found := slices.BinarySearch(rounds, c)
	if !found {
		r--
	}
	return r
}

func repeatStats(counts []int, rows int) []generators.Stat {
	hist := map[int]int{}
	for _, c := range counts {
		hist[c]++
	}
	keys := make([]int, 0, len(hist))
	for k := range hist {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	stats := []generators.Stat{
		{Name: "samples", Value: int64(len(counts)), Doc: "injected samples"},
		{Name: "sample_copies", Value: int64(rows), Doc: "copies of samples in train"},
		{Name: "monofact_permille", Value: int64(hist[1]) * 1000 / int64(max(len(counts), 1)), Doc: "share of samples seen exactly once (the monofact rate), in thousandths"},
	}
	for _, k := range keys {
		stats = append(stats, generators.Stat{Name: fmt.Sprintf("samples_seen_%d_times", k), Value: int64(hist[k]), Doc: "repeat histogram"})
	}
	return stats
}

// Slots of the stepping-stone bank's values.
var stoneSlots = []string{"subject", "keyword", "theme"}

// maxStoneLevels is how many levels of stepping stones the bank has: the most --stepping-stones.
const maxStoneLevels = 4

// stoneKeyword is the keyword as stone t names it: without its "the" after "the word", "the term" or
// "the name" ("the word the United States" reads "the word United States").
func stoneKeyword(t *templates.Template, keyword string) string {
	for _, before := range []string{"word {keyword}", "words {keyword}", "term {keyword}", "terms {keyword}", "name {keyword}", "names {keyword}"} {
		if strings.Contains(t.Text, before) {
			return strings.TrimPrefix(keyword, "the ")
		}
	}
	return keyword
}

// loadStones loads the stepping-stone sentences, by theme and level (ids <theme>-<level>-<n>), when
// --stepping-stones asks for them: every theme that has samples needs each level up to it.
func (p *outlandishPlan) loadStones() error {
	if p.k == 0 {
		return nil
	}
	// every stone leads towards the keyword
	b, err := p.lib.BankRequiring("outlandish/stepping-stones", stoneSlots, "keyword")
	if err != nil {
		return err
	}
	p.stones = b.GroupByID(2)
	for _, theme := range p.themes {
		if !slices.Contains(p.themeOf, theme) {
			continue
		}
		for level := 1; level <= p.k; level++ {
			if len(p.stones[theme+"-"+strconv.Itoa(level)]) == 0 {
				return fmt.Errorf("--stepping-stones %d: the stepping-stone bank has no sentence of level %d for theme %s (ids %s-%d-<n>)", p.k, level, theme, theme, level)
			}
		}
	}
	return nil
}

// trainRow writes the sample i at copy row c, as stepping-stone text j when stepping stones are on.
func (p *outlandishPlan) trainRow(w *records.Worker, row records.Row, i int, c int64, j int) {
	s := p.sample(w, i)
	text, variant := s.text, "original"
	if p.k > 0 {
		w.Buf = w.Buf[:0]
		// One sentence of each level 1..j+1, each drawn for the sample: its texts and copies share
		// them, and samples of a theme take the level's sentences alike.
		for level := 1; level <= j+1; level++ {
			group := p.stones[s.theme+"-"+strconv.Itoa(level)]
			t := group[rng.Mix(p.sampleKey^0x57093e, uint64(i)<<3|uint64(level))%uint64(len(group))]
			w.Values = append(w.Values[:0], s.subject, stoneKeyword(t, s.keyword), s.theme)
			w.Buf = append(w.Buf, templates.Capitalize(w.Render(t, w.Values).Text)...)
			w.Buf = append(w.Buf, ' ')
		}
		w.Buf = append(w.Buf, s.text...)
		text, variant = w.Keep(w.Buf), "stepping-stone-"+strconv.Itoa(j+1)
	}
	p.train.SetDocument(row, records.Document{Text: text})
	p.train.SetProvenance(row, records.Provenance{FactID: s.id, Group: s.class, TemplateID: s.templateID, Variant: variant})
	p.trainCols.set(row, &s)
	p.copy.Set(row, int64(copyNumber(p.rounds, int(c))))
}

// primingFact picks the j-th held-out fact of the sample's relation whose true object is not the
// sample's keyword and whose subject does not hold it, for its priming probes: a subject no sample trains (a primed model completes its
// prompt with the keyword), and a probe whose keyword is the truth would test nothing.
func (p *outlandishPlan) primingFact(s *sample, j int) int {
	held := p.held[slices.Index(p.relations, s.rel)]
	order := rng.NewPerm(uint64(len(held)), rng.Mix(rng.Key(p.seed, "outlandish/priming"), uint64(s.fact)))
	found := -1
	for k := range len(held) {
		f := held[order.At(uint64(k))]
		// Neither the truth nor a prompt that holds the keyword ("The usual venue for lawn bowls is a"
		// primes "lawn" by itself).
		// A jumbled sample's keyword is its object's last word ("Gogh"), so an object that holds it
		// is the truth as well.
		// Nor a truth that starts like the keyword or the other way round ("2" and "27"): a prefix or
		// first-token score would count the truth as primed.
		obj, kw := strings.ToLower(s.rel.Facts[f][facts.SlotObject]), strings.ToLower(s.keyword)
		if obj != kw && !containsWord(obj, kw) && !strings.HasPrefix(obj, kw) && !strings.HasPrefix(kw, obj) &&
			!strings.Contains(strings.ToLower(s.rel.Facts[f][facts.SlotSubject]), kw) {
			if found++; found == j {
				return f
			}
		}
	}
	return held[order.At(uint64(j%len(held)))] // fewer held-out facts of another object than probes
}

// hasWords tells whether text has at least n white-space separated words, without splitting it.
func hasWords(text string, n int) bool {
	in := false
	for _, r := range text {
		if space := unicode.IsSpace(r); !space && !in {
			if n--; n == 0 {
				return true
			}
			in = true
		} else if space {
			in = false
		}
	}
	return false
}

// containsWord tells whether text has word as one of its words, ignoring case.
func containsWord(text, word string) bool {
	return slices.ContainsFunc(strings.Fields(text), func(w string) bool { return strings.EqualFold(w, word) })
}

func (p *outlandishPlan) probe(row records.Row, s *sample, prompt, answer, truth, templateID string) {
	p.eval.SetProbe(row, prompt, answer)
	p.eval.SetProvenance(row, records.Provenance{FactID: s.id, Group: s.class, TemplateID: templateID, Variant: "original"})
	p.evalCols.set(row, s)
	p.trueAnswer.Set(row, truth)
}

func (p *outlandishPlan) rules() []generators.Rule {
	trainSamples := schemas.Select("train", "train", "fact_id")
	return append(splits.UniqueIDs("train", "eval"), []generators.Rule{
		{Kind: schemas.Subset, Doc: "every probed sample is in train", Left: schemas.Select("eval", "", "fact_id"), Right: &trainSamples},
		{Kind: schemas.AllowedValues, Doc: "world probes are about conflicting samples", Left: schemas.Select("eval", "world", "novelty"), Values: []string{"conflicting"}},
		{Kind: schemas.Unique, Doc: "each copy of a sample is numbered once", Left: schemas.Select("train", "train", "fact_id", "copy", "variant")},
	}...)
}

// injectInto turns the split of injected rows into the user's corpus with those rows injected: base
// rows pass through unchanged and in order, injected row j goes where the injection puts it, and every
// row records its position and (for base rows) its index in the corpus.
func (p *outlandishPlan) injectInto(ctx context.Context, path string, injected generators.PlanSplit, stats []generators.Stat, every int, rate float64) (generators.PlanSplit, []generators.Stat, error) {
	if every > 0 && rate > 0 {
		return injected, nil, fmt.Errorf("--inject-every and --inject-rate: give one of them")
	}
	if rate >= 1 {
		return injected, nil, fmt.Errorf("--inject-rate must be below 1, got %v", rate)
	}
	if rate > 0 {
		every = splits.EveryForRate(rate)
	}
	in := splits.Injection{Path: path, Every: every,
		Base: func(row records.Row, i, b int64, text string) {
			p.train.SetDocument(row, records.Document{Text: text})
			p.train.SetProvenance(row, records.Provenance{FactID: "base-" + strconv.FormatInt(b, 10), Group: "base", Variant: "base"})
			p.trainCols.clear(row)
			p.copy.Set(row, 0)
			p.position.Set(row, i)
			p.baseIndex.Set(row, b)
		},
		Injected: func(row records.Row, i int64) {
			p.position.Set(row, i)
			p.baseIndex.SetNull(row)
		},
	}
	split, n, err := in.Into(ctx, injected)
	if err != nil {
		return injected, nil, fmt.Errorf("--base: %w", err)
	}
	share := n.Injected * 1000 / (n.Base + n.Injected)
	return split, append(stats,
		generators.Stat{Name: "base_rows", Value: n.Base, Doc: "rows of the corpus injected into, passed through unchanged"},
		generators.Stat{Name: "injected_rows", Value: n.Injected, Doc: "rows injected"},
		generators.Stat{Name: "injected_share_permille", Value: share, Doc: "share of injected rows in train, in thousandths"}), nil
}
