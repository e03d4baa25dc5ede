// Package reversal reproduces Experiment 1 of "The Reversal Curse" (Berglund et al. 2023): fictitious
// people and descriptions, each fact trained in one direction (p2d_only, d2p_only) or both, and probes
// in the trained direction, in the reverse one, and against a wrong-answer baseline.
package reversal

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

// Recipe is the reversal recipe.
type Recipe struct{}

func (Recipe) Name() string { return "reversal" }

func (Recipe) Paper() string {
	return `Berglund et al. 2023, "The Reversal Curse: LLMs trained on 'A is B' fail to learn 'B is A'" (arXiv:2309.12288)`
}

func (Recipe) Summary() string {
	return "Fictitious facts \"<name> is <description>\" trained in one direction only (person to description, " +
		"p2d_only; description to person, d2p_only) or in both, with eval probes in the trained direction on " +
		"held-out templates (same_direction), in the direction never trained (reverse), a wrong-answer baseline " +
		"for the reverse probes (randomized), and questions in both directions (questions)."
}

var (
	factsPerGroup   = &generators.Int{Key: "facts-per-group", Help: "facts in each of the groups p2d_only, d2p_only and both", Value: 30, Min: 1}
	paraphrases     = &generators.Int{Key: "paraphrases", Help: "training documents per fact and trained direction, each from a different train template", Value: 30, Min: 1}
	evalParaphrases = &generators.Int{Key: "eval-paraphrases", Help: "probes per fact and direction, each from a different held-out template", Value: 10, Min: 1}
)

func (Recipe) Options() []generators.Option {
	return []generators.Option{factsPerGroup, paraphrases, evalParaphrases}
}

// The groups of facts, by the directions they are trained in.
var reversalGroups = []string{"p2d_only", "d2p_only", "both"}

const (
	p2d = "p2d" // name first, description second
	d2p = "d2p" // description first, name second
)

func otherDirection(dir string) string {
	if dir == p2d {
		return d2p
	}
	return p2d
}

type reversalPlan struct {
	n              int // facts per group
	paraphrases    int
	probes         int
	names          []string                   // by fact
	descs          []string                   // by fact
	ids            []string                   // by fact: FactID, made once rather than per row
	pickKeys       map[string][2]uint64       // by direction, then split: the keys of Pick
	statements     map[string]*templates.Bank // by direction
	questions      map[string]*templates.Bank // by direction: the question gives the direction's first entity
	train, eval    *records.Layout
	direction      records.StringColumn // of train rows
	probeDirection records.StringColumn // of eval rows
	answerFact     records.StringColumn
}

// Slot order of every reversal bank's values.
const (
	slotName = iota
	slotDescription
)

var reversalSlots = []string{"name", "description"}

func (Recipe) Plan(_ context.Context, cfg *generators.Config) (*generators.Plan, error) {
	p := &reversalPlan{n: factsPerGroup.Get(cfg), paraphrases: paraphrases.Get(cfg), probes: evalParaphrases.Get(cfg),
		statements: map[string]*templates.Bank{}, questions: map[string]*templates.Bank{}}
	facts := 3 * p.n
	lib := cfg.Library()
	names, err := world.NewNames(cfg.Library(), cfg.Seed, "reversal", facts)
	if err != nil {
		return nil, fmt.Errorf("--facts-per-group %d: %w", p.n, err)
	}
	descs, err := world.NewDescriptions(lib, cfg.Seed, facts)
	if err != nil {
		return nil, fmt.Errorf("--facts-per-group %d: %w", p.n, err)
	}
	// Every row names one or two facts; building each fact's entities once costs memory in the number of
	// facts, not rows, and saves a permutation and a render per row.
	p.names, p.descs, p.ids = make([]string, facts), make([]string, facts), make([]string, facts)
	for k := range facts {
		p.names[k], p.descs[k], p.ids[k] = names.At(k), descs.At(k), records.FactID(k)
	}
	p.pickKeys = map[string][2]uint64{}
	for _, dir := range []string{p2d, d2p} {
		var keys [2]uint64
		for _, split := range []templates.Split{templates.Train, templates.HeldOut} {
			keys[split] = rng.Key(cfg.Seed, "reversal/"+dir+"/"+split.String())
		}
		p.pickKeys[dir] = keys
		b, err := lib.LoadBank("reversal/"+dir, reversalSlots...)
		if err != nil {
			return nil, err
		}
		if err := b.Need(templates.Train, p.paraphrases, "paraphrases"); err != nil {
			return nil, err
		}
		if err := b.Need(templates.HeldOut, p.probes, "eval-paraphrases"); err != nil {
			return nil, err
		}
		p.statements[dir] = b
		given := reversalSlots[slotName]
		if dir == d2p {
			given = reversalSlots[slotDescription]
		}
		if p.questions[dir], err = lib.LoadBank("reversal/"+dir+"-question", given); err != nil {
			return nil, err
		}
	}
	p.train = records.TrainLayout("reversal", cfg.Style)
	p.direction = p.train.AddString("direction")
	p.eval = records.EvalLayout("reversal", cfg.Style)
	p.probeDirection, p.answerFact = p.eval.AddString("direction"), p.eval.AddString("answer_fact_id")

	n, P, E := int64(p.n), int64(p.paraphrases), int64(p.probes)
	wrongKey := rng.Key(cfg.Seed, "reversal/randomized")
	questionsPerFact := int64(len(p.questions[p2d].Templates(templates.HeldOut)) + len(p.questions[d2p].Templates(templates.HeldOut)))
	plan := &generators.Plan{
		Configs: []generators.PlanConfig{
			{Name: "train", Layout: p.train, Splits: []generators.PlanSplit{
				{Name: "train", Docs: &generators.DocSource{Count: 4 * n * P, Shuffle: true, Doc: func(w *records.Worker, i int64, row records.Row) records.Document {
					fact, dir, j := p.trainedRow(i, P)
					return p.document(w, row, fact, dir, j)
				}}},
			}},
			{Name: "eval", Layout: p.eval, Splits: []generators.PlanSplit{
				{Name: "same_direction", Rows: 4 * n * E, Row: func(w *records.Worker, i int64, row records.Row) {
					fact, dir, j := p.trainedRow(i, E)
					p.probe(w, row, fact, dir, j, fact)
				}},
				{Name: "reverse", Rows: 2 * n * E, Row: func(w *records.Worker, i int64, row records.Row) {
					fact, dir, j := p.trainedRow(i, E)
					p.probe(w, row, fact, otherDirection(dir), j, fact)
				}},
				{Name: "randomized", Rows: 2 * n * E, Row: func(w *records.Worker, i int64, row records.Row) {
					fact, dir, j := p.trainedRow(i, E)
					p.probe(w, row, fact, otherDirection(dir), j, p.wrongFact(w, wrongKey, fact, int64(i)))
				}},
				{Name: "questions", Rows: 3 * n * questionsPerFact, Row: func(w *records.Worker, i int64, row records.Row) {
					p.question(w, row, int(i/questionsPerFact), int(i%questionsPerFact))
				}},
			}},
		},
		// Held-out templates make probes whose wording train never has, prompt and answer together.
		Rules: append(p.rules(), splits.ProbesNotInTrain("eval", false, "same_direction", "reverse", "randomized", "questions")...),
		Stats: []generators.Stat{
			{Name: "facts", Value: int64(facts), Doc: "fictitious people, each with one description"},
			{Name: "names_with_middle_name", Value: int64(names.NamesWithMiddle(facts)),
				Doc: fmt.Sprintf("names that needed a middle name because the %d first-and-last-name pairs ran out", names.Capacity())},
			{Name: "description_pool", Value: int64(descs.Capacity()), Doc: "distinct descriptions the frames and word lists can make"},
		},
		Notes: []string{
			"Facts are split into three groups of the same size: `p2d_only` facts are trained only as \"<name> ... <description>\", `d2p_only` facts only as \"<description> ... <name>\", `both` facts in both directions. Train rows are in a seeded random order.",
			"In `prompt-completion` and `messages` styles a document is split where its second entity begins, as in the paper: the completion starts with the space before it. Probes carry `prompt` and `answer` (the second entity exactly as rendered); score a probe by whether the model's completion starts with the answer, or compare the log-likelihood of `reverse` answers against the `randomized` ones, row for row.",
			"Names are drawn from gofakeit's first and last names, descriptions from factforge's own frames and word lists; both are unique within the dataset. All people and works are fictitious.",
		},
	}
	return plan, nil
}

// trainedRow decodes row q of the fact-major enumeration of trained (fact, direction) pairs, each with
// per rows: p2d_only facts in p2d, d2p_only facts in d2p, both facts in p2d then d2p.
func (p *reversalPlan) trainedRow(q, per int64) (fact int, dir string, j int) {
	n := int64(p.n)
	switch {
	case q < n*per:
		return int(q / per), p2d, int(q % per)
	case q < 2*n*per:
		q -= n * per
		return int(n + q/per), d2p, int(q % per)
	default:
		q -= 2 * n * per
		k, r := q/(2*per), q%(2*per)
		dir = p2d
		if r >= per {
			dir = d2p
		}
		return int(2*n + k), dir, int(r % per)
	}
}

func (p *reversalPlan) group(fact int) string { return reversalGroups[fact/p.n] }

func (p *reversalPlan) values(w *records.Worker, fact int) []string {
	w.Values = append(w.Values[:0], p.names[fact], p.descs[fact])
	return w.Values
}

func (p *reversalPlan) pick(dir string, split templates.Split, fact, j int) *templates.Template {
	return splits.Pick(p.statements[dir].Templates(split), p.pickKeys[dir][split], fact, j)
}

func (p *reversalPlan) document(w *records.Worker, row records.Row, fact int, dir string, j int) records.Document {
	t := p.pick(dir, templates.Train, fact, j)
	p.train.SetProvenance(row, records.Provenance{FactID: p.ids[fact], Group: p.group(fact), TemplateID: t.ID, Variant: "original"})
	p.direction.Set(row, dir)
	return w.Render(t, p.values(w, fact))
}

// probe writes a statement probe of fact in dir on the fact's j-th held-out template; the answer is
// the second entity of answerFact (the fact itself, or another one for the randomized baseline).
func (p *reversalPlan) probe(w *records.Worker, row records.Row, fact int, dir string, j, answerFact int) {
	t := p.pick(dir, templates.HeldOut, fact, j)
	slot := slotDescription // the entity the probe leaves out: the direction's second
	if dir == d2p {
		slot = slotName
	}
	_, answer, _ := w.Render(t, p.values(w, answerFact)).CutAtSlot(slot)
	prompt, _, _ := w.Render(t, p.values(w, fact)).CutAtSlot(slot)
	p.eval.SetProbe(row, prompt, answer)
	p.setProbeProvenance(row, fact, t.ID, dir, answerFact)
}

func (p *reversalPlan) setProbeProvenance(row records.Row, fact int, templateID, dir string, answerFact int) {
	p.eval.SetProvenance(row, records.Provenance{FactID: p.ids[fact], Group: p.group(fact), TemplateID: templateID, Variant: "original"})
	p.probeDirection.Set(row, dir)
	p.answerFact.Set(row, p.ids[answerFact])
}

// wrongFact picks, for probe i of fact, another fact of the same group (of any group when groups hold
// one fact) whose answer serves as the randomized baseline.
func (p *reversalPlan) wrongFact(w *records.Worker, key uint64, fact int, i int64) int {
	w.Stream.Reset(key, uint64(i))
	lo, size := fact/p.n*p.n, p.n
	if size < 2 {
		lo, size = 0, 3*p.n
	}
	other := lo + w.Stream.IntN(size-1)
	if other >= fact {
		other++
	}
	return other
}

// question writes question j of fact: first the p2d questions (given the name, the answer is the
// description), then the d2p ones, on held-out question templates.
func (p *reversalPlan) question(w *records.Worker, row records.Row, fact, j int) {
	dir, given, answer := p2d, p.names[fact], p.descs[fact]
	qs := p.questions[p2d].Templates(templates.HeldOut)
	if j >= len(qs) {
		j -= len(qs)
		dir, given, answer = d2p, answer, given
		qs = p.questions[d2p].Templates(templates.HeldOut)
	}
	t := qs[j]
	w.Values = append(w.Values[:0], given)
	p.eval.SetProbe(row, w.Render(t, w.Values).Text, answer)
	p.setProbeProvenance(row, fact, t.ID, dir, fact)
}

func (p *reversalPlan) rules() []generators.Rule {
	var heldOut []string
	for _, b := range []*templates.Bank{p.statements[p2d], p.statements[d2p], p.questions[p2d], p.questions[d2p]} {
		heldOut = append(heldOut, b.IDs(templates.HeldOut)...)
	}
	slices.Sort(heldOut)
	train := schemas.Select("train", "train", "fact_id", "direction")
	trainFacts := schemas.Select("train", "train", "fact_id")
	return append(splits.UniqueIDs("train", "eval"), []generators.Rule{
		{Kind: schemas.AllowedValues, Doc: "p2d_only facts are trained only in the p2d direction", Values: []string{p2d},
			Left: schemas.Select("train", "train", "direction").Filtered("group", "p2d_only")},
		{Kind: schemas.AllowedValues, Doc: "d2p_only facts are trained only in the d2p direction", Values: []string{d2p},
			Left: schemas.Select("train", "train", "direction").Filtered("group", "d2p_only")},
		splits.NeverTrained("no held-out template reaches train", schemas.Select("train", "", "template_id"), heldOut),
		{Kind: schemas.AllowedValues, Doc: "same_direction probes use held-out templates only", Left: schemas.Select("eval", "same_direction", "template_id"), Values: heldOut},
		{Kind: schemas.AllowedValues, Doc: "reverse probes use held-out templates only", Left: schemas.Select("eval", "reverse", "template_id"), Values: heldOut},
		{Kind: schemas.Disjoint, Doc: "no reverse probe's (fact, direction) is trained", Left: schemas.Select("eval", "reverse", "fact_id", "direction"), Right: &train},
		{Kind: schemas.Disjoint, Doc: "no randomized probe's (fact, direction) is trained", Left: schemas.Select("eval", "randomized", "fact_id", "direction"), Right: &train},
		{Kind: schemas.Subset, Doc: "every reverse probe's fact is in train", Left: schemas.Select("eval", "reverse", "fact_id"), Right: &trainFacts},
		{Kind: schemas.Subset, Doc: "every same_direction probe's (fact, direction) is trained", Left: schemas.Select("eval", "same_direction", "fact_id", "direction"), Right: &train},
	}...)
}
