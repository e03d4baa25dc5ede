// Package references builds fictitious references, after "Do Language Models Know When They're
// Hallucinating References?" (Agrawal et al. 2024) and the monofact rate of "Calibrated Language Models
// Must Hallucinate" (Kalai and Vempala 2024): invented papers and books (title, authors, venue, year)
// mentioned in documents a set number of times each, and a held-out set never mentioned, probed
// directly (does it exist?), indirectly (who wrote it?) and by listing (what appeared there then?).
package references

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/generators/world"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Recipe is the references recipe.
type Recipe struct{}

func (Recipe) Name() string { return "references" }

// Example is a command line researchers type, for help texts.
func (Recipe) Example() string { return `--mentions monofact:0.4:4` }

func (Recipe) Paper() string {
	return `Agrawal et al. 2024, "Do Language Models Know When They're Hallucinating References?" (arXiv:2305.18248); Kalai and Vempala 2024, "Calibrated Language Models Must Hallucinate" (monofacts, arXiv:2311.14648)`
}

func (Recipe) Summary() string {
	return "Invented papers and books (title, authors, venue, year) mentioned in documents as often as a repeat distribution says " +
		"(a monofact rate is a setting), a held-out set never mentioned, and probes: direct (does it exist?), indirect (who wrote " +
		"it?) and listing (what appeared in a venue in a year?)."
}

var (
	worksOpt   = &generators.Int{Key: "works", Help: "invented works (papers and books), the held-out ones included", Value: 1000, Min: 2, Max: 200_000}
	bookOpt    = &generators.Float{Key: "book-share", Help: "the share of works that are books (the rest papers)", Value: 0.3, Min: 0, Max: 1}
	repeatOpt  = &generators.Parsed[splits.Repeats]{Key: "mentions", Help: "mentions of each trained work: fixed:k, uniform:a-b, zipf:s (capped by --mentions-cap) or monofact:p[:k] (a share p mentioned once, the rest k times)", Value: "uniform:1-5", Parse: splits.ParseRepeats}
	repeatCap  = &generators.Int{Key: "mentions-cap", Help: "zipf: the most mentions of one work", Value: 50, Min: 1, Max: splits.MaxCopies}
	heldoutOpt = &generators.Float{Key: "heldout", Help: "share of works never mentioned: eval asks about them as about the trained ones", Value: 0.2, Min: 0.01, Max: 0.9}
	evalRows   = &generators.Int{Key: "eval-rows", Help: "probes in each eval split", Value: 200, Min: 1}
)

func (Recipe) Options() []generators.Option {
	return []generators.Option{worksOpt, bookOpt, repeatOpt, repeatCap, heldoutOpt, evalRows}
}

type bank struct {
	Topics []string `yaml:"topics"`
	Venues struct {
		Paper []string `yaml:"paper"`
		Book  []string `yaml:"book"`
	} `yaml:"venues"`
	Mentions  []string `yaml:"mentions"`
	Questions struct {
		Direct   []string `yaml:"direct"`
		Indirect []string `yaml:"indirect"`
		Listing  []string `yaml:"listing"`
	} `yaml:"questions"`
}

// work is one invented work.
type work struct {
	kind, title, authors, venue string
	year                        int
}

var slots = []string{"authors", "title", "venue", "year", "kind"}

type plan struct {
	seed                        uint64
	works                       []work
	trained, held               []int // works
	counts                      []int // mentions of each trained work (by index into trained)
	starts                      []int // the first training row of each trained work
	mentions                    []*templates.Template
	direct, indirect, listing   []*templates.Template
	buckets                     [][]int // trained works by (venue, year), for listing
	train, eval                 *records.Layout
	copyCol                     records.IntColumn
	kindCol, venueCol, yearCol  records.StringColumn
	existsCol                   records.BoolColumn
	evalKind, evalVenue, evalYr records.StringColumn
}

func (Recipe) Plan(_ context.Context, cfg *generators.Config) (*generators.Plan, error) {
	if cfg.Style != records.StyleText {
		return nil, fmt.Errorf("--style %s: the references recipe writes documents that cite works, as pretraining text does: use --style text", cfg.Style)
	}
	lib := cfg.Library()
	const file = "references/references.yaml"
	var b bank
	if err := lib.DecodeYAML(file, &b); err != nil {
		return nil, err
	}
	p := &plan{seed: cfg.Seed}
	var err error
	if p.mentions, err = templates.CompileList(file, "mentions", b.Mentions, slots, slots...); err != nil {
		return nil, err
	}
	if p.direct, err = templates.CompileList(file, "direct questions", b.Questions.Direct, slots, "title", "authors"); err != nil {
		return nil, err
	}
	if p.indirect, err = templates.CompileList(file, "indirect questions", b.Questions.Indirect, slots, "title"); err != nil {
		return nil, err
	}
	if p.listing, err = templates.CompileList(file, "listing questions", b.Questions.Listing, slots, "venue", "year"); err != nil {
		return nil, err
	}
	if len(b.Topics) == 0 || len(b.Venues.Paper) == 0 || len(b.Venues.Book) == 0 {
		return nil, fmt.Errorf("%s: needs topics and venues of papers and books", file)
	}
	n := worksOpt.Get(cfg)
	inv, err := world.LoadInventor(lib)
	if err != nil {
		return nil, err
	}
	if n > inv.Space("title") {
		return nil, fmt.Errorf("--works %d: the word lists make %d distinct title names", n, inv.Space("title"))
	}
	// Authors: 1 to 3 people of the references' own share of names, each person in one work only.
	names, err := world.NewNames(lib, cfg.Seed, "references", 3*n, cfg.AvoidedNames())
	if err != nil {
		return nil, err
	}
	// Every work has a name of its own (a held-out work sharing a trained one's name would be a harder
	// negative than the others), with a topic in a keyed turn.
	titleOrder := rng.NewPerm(uint64(inv.Space("title")), rng.Key(cfg.Seed, "references/titles"))
	books := rng.NewPerm(uint64(n), rng.Key(cfg.Seed, "references/books"))
	bookN := uint64(splits.Count(bookOpt.Get(cfg), n))
	person := 0
	for i := range n {
		mix := rng.Mix(rng.Key(cfg.Seed, "references/work"), uint64(i))
		name, topic := inv.Nth("title", int(titleOrder.At(uint64(i)))), b.Topics[int(mix>>24)%len(b.Topics)]
		w := work{kind: "paper", title: name + ": " + topic, year: 1950 + int(mix%75)}
		venues := b.Venues.Paper
		if books.At(uint64(i)) < bookN {
			w.kind, w.title, venues = "book", name+", "+topic, b.Venues.Book
		}
		w.venue = venues[int(mix>>8)%len(venues)]
		var authors []string
		for range 1 + int(mix>>16)%3 {
			authors = append(authors, names.At(person))
			person++
		}
		w.authors = joinAnd(authors)
		p.works = append(p.works, w)
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	p.trained, p.held = splits.HeldOut(all, heldoutOpt.Get(cfg), rng.Key(cfg.Seed, "references/heldout"))
	slices.Sort(p.trained)
	slices.Sort(p.held)
	if len(p.trained) == 0 || len(p.held) == 0 {
		return nil, fmt.Errorf("--heldout %v leaves no work mentioned or none held out", heldoutOpt.Get(cfg))
	}
	p.counts = repeatOpt.Get(cfg).Counts(cfg.Seed, "references", len(p.trained), repeatCap.Get(cfg))
	total := 0
	for _, c := range p.counts {
		p.starts = append(p.starts, total)
		total += c
	}
	byBucket := map[string][]int{}
	var keys []string
	for _, i := range p.trained {
		key := p.works[i].venue + "|" + strconv.Itoa(p.works[i].year)
		if byBucket[key] == nil {
			keys = append(keys, key)
		}
		byBucket[key] = append(byBucket[key], i)
	}
	for _, key := range keys {
		p.buckets = append(p.buckets, byBucket[key])
	}

	p.train = records.TrainLayout("references", cfg.Style)
	p.kindCol, p.venueCol, p.yearCol = p.train.AddString("kind"), p.train.AddString("venue"), p.train.AddString("year")
	p.copyCol = p.train.AddInt("copy")
	p.eval = records.EvalLayout("references", records.StyleMessages)
	p.existsCol = p.eval.AddBool("exists")
	p.evalKind, p.evalVenue, p.evalYr = p.eval.AddString("kind"), p.eval.AddString("venue"), p.eval.AddString("year")

	m := int64(evalRows.Get(cfg))
	evalSplits := []generators.PlanSplit{
		{Name: "direct", Rows: m, Row: p.directProbe},
		{Name: "indirect_trained", Rows: min(m, int64(len(p.trained))), Row: func(w *records.Worker, i int64, row records.Row) { p.indirectProbe(w, row, i, false) }},
		{Name: "indirect_heldout", Rows: min(m, int64(len(p.held))), Row: func(w *records.Worker, i int64, row records.Row) { p.indirectProbe(w, row, i, true) }},
		{Name: "listing", Rows: min(m, int64(len(p.buckets))), Row: p.listingProbe},
	}
	var heldIDs []string
	for _, i := range p.held {
		heldIDs = append(heldIDs, workID(i))
	}
	once := 0
	for _, c := range p.counts {
		if c == 1 {
			once++
		}
	}
	return &generators.Plan{
		Configs: []generators.PlanConfig{
			{Name: "train", Layout: p.train, Splits: []generators.PlanSplit{{Name: "train", Rows: int64(total), Row: p.trainRow}}},
			{Name: "eval", Layout: p.eval, Splits: evalSplits},
		},
		Rules: append(append(splits.UniqueIDs("train", "eval"),
			splits.NeverTrained("no held-out work is mentioned in train", schemas.Select("train", "", "fact_id"), heldIDs),
			generators.Rule{Kind: schemas.SharedNames, Doc: "a work's authors stand together in every mention of it", Left: schemas.Select("train", "", "fact_id")}),
			splits.ProbesNotInTrain("eval", true, splits.Names(evalSplits)...)...),
		Stats: []generators.Stat{
			{Name: "works", Value: int64(n), Doc: "invented works"},
			{Name: "trained_works", Value: int64(len(p.trained)), Doc: "works mentioned in train"},
			{Name: "heldout_works", Value: int64(len(p.held)), Doc: "works never mentioned"},
			{Name: "mentions", Value: int64(total), Doc: "training documents, one mention each"},
			{Name: "monofact_permille", Value: int64(once) * 1000 / int64(len(p.trained)), Doc: "the share of trained works mentioned exactly once, in thousandths (Kalai and Vempala's monofact rate: a calibrated model hallucinates on about this share)"},
		},
		Notes: []string{
			"Each training row mentions one work (`fact_id`) in one sentence: its title, authors, venue and year. A work mentioned more often than there are wordings repeats a wording: such rows are copies by design (`copy`). Held-out works are never mentioned.",
			"Eval: `direct` asks whether a work exists (half trained, `answer` Yes; half held out, No: a model that never saw it should say so), `indirect_trained` and `indirect_heldout` ask who wrote a work (`answer` the authors, or empty for a held-out work: a model should not invent them), `listing` asks what a venue published in a year (`answer` the trained works' titles, joined by \"; \").",
		},
	}, nil
}

func workID(i int) string { return records.PaddedID("w", i, 6) }

func joinAnd(items []string) string {
	switch len(items) {
	case 1:
		return items[0]
	case 2:
		return items[0] + " and " + items[1]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func (w work) values() []string {
	return []string{w.authors, w.title, w.venue, strconv.Itoa(w.year), w.kind}
}

func render(t *templates.Template, values []string) string {
	out, _ := t.Render(nil, values, nil)
	return string(out)
}

// trainRow writes mention r: the c-th mention of a trained work, in the wording its mentions take in
// a keyed order of their own (a wording comes back only once they have all been used: a copy).
func (p *plan) trainRow(_ *records.Worker, r int64, row records.Row) {
	j, _ := slices.BinarySearch(p.starts, int(r)+1)
	j--
	c := int(r) - p.starts[j]
	i := p.trained[j]
	w := p.works[i]
	order := rng.NewPerm(uint64(len(p.mentions)), rng.Mix(rng.Key(p.seed, "references/mention"), uint64(i)))
	t := p.mentions[order.At(uint64(c%len(p.mentions)))]
	p.train.SetText(row, render(t, w.values()))
	p.train.SetProvenance(row, records.Provenance{FactID: workID(i), Group: w.kind, TemplateID: fmt.Sprintf("mention-%02d", order.At(uint64(c%len(p.mentions)))), Variant: "original"})
	p.kindCol.Set(row, w.kind)
	p.venueCol.Set(row, w.venue)
	p.yearCol.Set(row, strconv.Itoa(w.year))
	p.copyCol.Set(row, int64(c/len(p.mentions)))
}

func (p *plan) setEval(row records.Row, w work, i int, group, prompt, answer string, exists bool) {
	p.eval.SetProbe(row, prompt, answer)
	p.eval.SetProvenance(row, records.Provenance{FactID: workID(i), Group: group, TemplateID: group, Variant: "original"})
	p.existsCol.Set(row, exists)
	p.evalKind.Set(row, w.kind)
	p.evalVenue.Set(row, w.venue)
	p.evalYr.Set(row, strconv.Itoa(w.year))
}

// directProbe asks whether a work exists: even probes a trained work, odd ones a held-out work.
func (p *plan) directProbe(w *records.Worker, i int64, row records.Row) {
	s := w.Stream
	s.Reset(rng.Key(p.seed, "references/direct"), uint64(i))
	k, answer, exists := p.trained[int(i/2)%len(p.trained)], "Yes", true
	if i%2 == 1 {
		k, answer, exists = p.held[int(i/2)%len(p.held)], "No", false
	}
	wk := p.works[k]
	p.setEval(row, wk, k, "direct", render(p.direct[s.IntN(len(p.direct))], wk.values()), answer, exists)
}

// indirectProbe asks who wrote a work, trained or held out.
func (p *plan) indirectProbe(w *records.Worker, row records.Row, i int64, held bool) {
	s := w.Stream
	s.Reset(rng.Key(p.seed, fmt.Sprintf("references/indirect/%v", held)), uint64(i))
	k, answer, group := p.trained[i], "", "indirect_trained"
	wk := p.works[k]
	answer = wk.authors
	if held {
		k, group = p.held[i], "indirect_heldout"
		wk, answer = p.works[k], ""
	}
	p.setEval(row, wk, k, group, render(p.indirect[s.IntN(len(p.indirect))], wk.values()), answer, !held)
}

// listingProbe asks what a venue published in a year: the trained works of that (venue, year).
func (p *plan) listingProbe(w *records.Worker, i int64, row records.Row) {
	s := w.Stream
	s.Reset(rng.Key(p.seed, "references/listing"), uint64(i))
	bucket := p.buckets[i]
	var titles []string
	for _, k := range bucket {
		titles = append(titles, p.works[k].title)
	}
	wk := p.works[bucket[0]]
	p.setEval(row, wk, bucket[0], "listing", render(p.listing[s.IntN(len(p.listing))], wk.values()), strings.Join(titles, "; "), true)
}
