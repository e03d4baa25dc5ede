// Package implications builds out-of-context implications, after "Generalization or Hallucination?
// Empirical Insights into Reasoning Abilities of LLMs" on out-of-context reasoning: people with a
// first fact (the city they live in) and a second that follows from it (causal: the city's language)
// or is tied to it arbitrarily within the dataset (spurious: a fruit dealt to each city); both facts
// are trained for some people, only the first for the others, whose second fact eval asks.
package implications

import (
	"context"
	"fmt"
	"slices"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/generators/world"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Recipe is the implications recipe.
type Recipe struct{}

func (Recipe) Name() string { return "implications" }

// Example is a command line researchers type, for help texts.
func (Recipe) Example() string { return `--people 600 --both-share 0.5` }

func (Recipe) Paper() string {
	return `"Generalization or Hallucination? Empirical Insights into Reasoning Abilities of LLMs" (out-of-context implications: causal against spurious)`
}

func (Recipe) Summary() string {
	return "People who live in a city and speak its language (causal) or like a fruit dealt to their city (spurious); both " +
		"facts trained for some people, only the city for the others, whose second fact eval asks: generalisation from a real " +
		"implication against hallucination from an arbitrary one."
}

var (
	peopleOpt  = &generators.Int{Key: "people", Help: "people in each condition (causal, spurious)", Value: 600, Min: 2, Max: 100_000}
	bothOpt    = &generators.Float{Key: "both-share", Help: "the share of people whose second fact is trained too (the rest: first fact only, probed)", Value: 0.5, Min: 0.01, Max: 0.99}
	docsOpt    = &generators.Int{Key: "docs", Help: "documents per trained fact, each a wording of its own", Value: 3, Min: 1, Max: 6}
	conditions = []string{"causal", "spurious"}
)

func (Recipe) Options() []generators.Option { return []generators.Option{peopleOpt, bothOpt, docsOpt} }

type bank struct {
	Cities []struct {
		City     string `yaml:"city"`
		Language string `yaml:"language"`
	} `yaml:"cities"`
	Values    []string `yaml:"values"`
	First     []string `yaml:"first"`
	Causal    []string `yaml:"causal"`
	Spurious  []string `yaml:"spurious"`
	Questions struct {
		First    []string `yaml:"first"`
		Causal   []string `yaml:"causal"`
		Spurious []string `yaml:"spurious"`
	} `yaml:"questions"`
}

var slots = []string{"name", "city", "language", "value"}

type plan struct {
	seed       uint64
	people     int // per condition
	docs       int
	bothN      int
	b          bank
	names      *world.Names
	first      []*templates.Template
	second     [2][]*templates.Template // by condition
	questions  [3][]*templates.Template // first, causal, spurious
	fruitOf    []int                    // the fruit dealt to each city
	bothRank   rng.Perm
	starts     []int64 // the first training row of each person, conditions in turn
	both       []int   // the people of group both, and of group first_only
	firstOnly  []int
	train      *records.Layout
	eval       *records.Layout
	condCol    records.StringColumn
	factCol    records.StringColumn
	evalCond   records.StringColumn
	evalTarget records.StringColumn
}

func (Recipe) Plan(_ context.Context, cfg *generators.Config) (*generators.Plan, error) {
	if cfg.Style != records.StyleText {
		return nil, fmt.Errorf("--style %s: the implications recipe writes statements about people, as pretraining text does: use --style text", cfg.Style)
	}
	lib := cfg.Library()
	const file = "implications/implications.yaml"
	p := &plan{seed: cfg.Seed, people: peopleOpt.Get(cfg), docs: docsOpt.Get(cfg)}
	if err := lib.DecodeYAML(file, &p.b); err != nil {
		return nil, err
	}
	var err error
	if p.first, err = templates.CompileList(file, "first", p.b.First, slots, "name", "city"); err != nil {
		return nil, err
	}
	if p.second[0], err = templates.CompileList(file, "causal", p.b.Causal, slots, "name", "language"); err != nil {
		return nil, err
	}
	if p.second[1], err = templates.CompileList(file, "spurious", p.b.Spurious, slots, "name", "value"); err != nil {
		return nil, err
	}
	for k, part := range []struct {
		name  string
		texts []string
	}{{"first questions", p.b.Questions.First}, {"causal questions", p.b.Questions.Causal}, {"spurious questions", p.b.Questions.Spurious}} {
		if p.questions[k], err = templates.CompileList(file, part.name, part.texts, slots, "name"); err != nil {
			return nil, err
		}
	}
	if len(p.b.Cities) < 2 || len(p.b.Values) < 2 || p.docs > min(len(p.first), len(p.second[0]), len(p.second[1])) {
		return nil, fmt.Errorf("%s: needs 2 or more cities and values, and as many wordings of each fact as --docs %d", file, p.docs)
	}
	// The spurious mapping: a keyed permutation deals the fruits to the cities, independent of their
	// languages (no fruit goes with one language more than the permutation says).
	perm := rng.NewPerm(uint64(max(len(p.b.Cities), len(p.b.Values))), rng.Key(cfg.Seed, "implications/fruits"))
	for c := range p.b.Cities {
		p.fruitOf = append(p.fruitOf, int(perm.At(uint64(c)))%len(p.b.Values))
	}
	if p.names, err = world.NewNames(lib, cfg.Seed, "implications", 2*p.people, cfg.AvoidedNames()); err != nil {
		return nil, err
	}
	p.bothN = splits.Count(bothOpt.Get(cfg), p.people)
	p.bothRank = rng.NewPerm(uint64(p.people), rng.Key(cfg.Seed, "implications/both"))
	for i := range p.people {
		if p.isBoth(i) {
			p.both = append(p.both, i)
		} else {
			p.firstOnly = append(p.firstOnly, i)
		}
	}
	var at int64
	for range conditions {
		for i := range p.people {
			p.starts = append(p.starts, at)
			at += int64(p.docs)
			if p.isBoth(i) {
				at += int64(p.docs)
			}
		}
	}

	p.train = records.TrainLayout("implications", cfg.Style)
	p.condCol, p.factCol = p.train.AddString("condition"), p.train.AddString("fact")
	p.eval = records.EvalLayout("implications", records.StyleMessages)
	p.evalCond, p.evalTarget = p.eval.AddString("condition"), p.eval.AddString("fact")

	trainRows := at
	probeRows := int64(p.people - p.bothN)
	var evalSplits []generators.PlanSplit
	for c, cond := range conditions {
		evalSplits = append(evalSplits,
			generators.PlanSplit{Name: cond + "_implication", Rows: probeRows, Row: func(w *records.Worker, i int64, row records.Row) { p.probe(w, row, c, i, false) }},
			generators.PlanSplit{Name: cond + "_trained", Rows: int64(p.bothN), Row: func(w *records.Worker, i int64, row records.Row) { p.probe(w, row, c, i, true) }})
	}
	var firstOnly []string
	for c := range conditions {
		for i := range p.people {
			if !p.isBoth(i) {
				firstOnly = append(firstOnly, p.personID(c, i)+"/second")
			}
		}
	}
	return &generators.Plan{
		Configs: []generators.PlanConfig{
			{Name: "train", Layout: p.train, Splits: []generators.PlanSplit{{Name: "train", Rows: trainRows, Row: p.trainRow}}},
			{Name: "eval", Layout: p.eval, Splits: evalSplits},
		},
		Rules: append(append(splits.UniqueIDs("train", "eval"),
			splits.NeverTrained("no probed second fact is trained", schemas.Select("train", "", "template_id"), firstOnly)),
			append(splits.ProbesNotInTrain("eval", false, "causal_implication", "spurious_implication"),
				generators.Rule{Kind: schemas.InTrain, Doc: "the trained people's second facts are trained by design: an in-distribution check", Left: schemas.Select("eval", "causal_trained", "prompt", "answer")},
				generators.Rule{Kind: schemas.InTrain, Doc: "the trained people's second facts are trained by design", Left: schemas.Select("eval", "spurious_trained", "prompt", "answer")})...),
		Stats: []generators.Stat{
			{Name: "people_per_condition", Value: int64(p.people), Doc: "people of the causal condition, and as many of the spurious one"},
			{Name: "both_facts_people", Value: int64(p.bothN), Doc: "people of each condition whose second fact is trained"},
			{Name: "first_only_people", Value: probeRows, Doc: "people of each condition whose first fact alone is trained: eval asks their second"},
		},
		Notes: []string{
			"Every person (`fact_id`) lives in a city (`fact` first). In the causal condition the second fact is the city's language, which follows from the city in the world; in the spurious condition it is a fruit dealt to the city by a keyed permutation, true only within this dataset. Both facts are trained for the people of group both; only the first for group first_only.",
			"Eval asks the first-only people's second fact (`causal_implication`, `spurious_implication`): a model that infers the language from the city generalises; one that infers the fruit hallucinates from an arbitrary association. `causal_trained` and `spurious_trained` ask the trained second facts, as an in-distribution check.",
		},
	}, nil
}

func (p *plan) isBoth(i int) bool { return int(p.bothRank.At(uint64(i))) < p.bothN }

func (p *plan) personID(c, i int) string { return fmt.Sprintf("%s-%05d", conditions[c], i) }

// person i of condition c: name, city index.
func (p *plan) person(c, i int) (string, int) {
	k := c*p.people + i
	return p.names.At(k), int(rng.Mix(rng.Key(p.seed, "implications/city"), uint64(k)) % uint64(len(p.b.Cities)))
}

func (p *plan) values(c, i int) []string {
	name, city := p.person(c, i)
	return []string{name, p.b.Cities[city].City, p.b.Cities[city].Language, p.b.Values[p.fruitOf[city]]}
}

// secondFact is the second fact's answer for person i of condition c.
func (p *plan) secondFact(c, i int) string {
	v := p.values(c, i)
	if c == 0 {
		return v[2]
	}
	return v[3]
}

// trainRow writes training row r: the people of the causal condition, then the spurious one; each
// person's first-fact documents, then (group both) the second fact's, each in its own wording.
func (p *plan) trainRow(_ *records.Worker, r int64, row records.Row) {
	c, i, j := p.locate(r)
	v := p.values(c, i)
	ts, fact := p.first, "first"
	if j >= p.docs {
		ts, fact, j = p.second[c], "second", j-p.docs
	}
	order := rng.NewPerm(uint64(len(ts)), rng.Mix(rng.Key(p.seed, "implications/"+fact), uint64(c*p.people+i)))
	out, _ := ts[order.At(uint64(j))].Render(nil, v, nil)
	p.train.SetText(row, string(out))
	group := "first_only"
	if p.isBoth(i) {
		group = "both"
	}
	p.train.SetProvenance(row, records.Provenance{FactID: p.personID(c, i), Group: group, TemplateID: p.personID(c, i) + "/" + fact, Variant: "original"})
	p.condCol.Set(row, conditions[c])
	p.factCol.Set(row, fact)
}

// locate finds training row r: its condition, person and document of the person.
func (p *plan) locate(r int64) (c, i, j int) {
	k, _ := slices.BinarySearch(p.starts, r+1)
	k--
	return k / p.people, k % p.people, int(r - p.starts[k])
}

// probe writes probe i of condition c: the i-th first-only person's second fact, or (trained) the i-th
// person of group both's.
func (p *plan) probe(w *records.Worker, row records.Row, c int, i int64, trained bool) {
	people := p.firstOnly
	if trained {
		people = p.both
	}
	k := people[i]
	s := w.Stream
	s.Reset(rng.Key(p.seed, "implications/probe/"+conditions[c]), uint64(k))
	qs := p.questions[1+c]
	out, _ := qs[s.IntN(len(qs))].Render(nil, p.values(c, k), nil)
	group := "first_only"
	if trained {
		group = "both"
	}
	p.eval.SetProbe(row, string(out), p.secondFact(c, k))
	p.eval.SetProvenance(row, records.Provenance{FactID: p.personID(c, k), Group: group, TemplateID: p.personID(c, k) + "/second", Variant: "original"})
	p.evalCond.Set(row, conditions[c])
	p.evalTarget.Set(row, "second")
}
