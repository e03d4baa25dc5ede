// Package reversal reproduces Experiment 1 of "The Reversal Curse" (Berglund et al. 2023): fictitious
// people and descriptions, each fact trained in one direction (p2d_only, d2p_only) or both, and probes
// in the trained direction, in the reverse one, and against a wrong-answer baseline.
package reversal

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/generators/variants"
	"github.com/factforge/factforge/generators/world"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Recipe is the reversal recipe.
type Recipe struct{}

func (Recipe) Name() string { return "reversal" }

// Example is a command line researchers type, for help texts.
func (Recipe) Example() string {
	return `--facts-per-group 30 --paraphrases 30 --style prompt-completion`
}

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

// trainConfig is the name of the training config and of its one split.
const trainConfig = "train"

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
	direction      records.StringColumn // of train rows: the source document's
	trainedOrder   records.StringColumn // of train rows: the order of the entities as written
	probeDirection records.StringColumn // of eval rows
	answerFact     records.StringColumn
	orderTrainedBy records.StringColumn // of eval rows: what trains the fact in the probe's order
	trained        []orders             // by fact: the orders training states it in, and how
}

// orders is a set of the orders a fact's training rows state it in, by original and augmented rows.
type orders uint8

func orderBit(dir string, augmented bool) orders {
	b := orders(1)
	if dir == d2p {
		b = 2
	}
	if augmented {
		b <<= 2
	}
	return b
}

// Values of trained_order (with p2d and d2p) and order_trained_by.
const (
	orderNone           = "none"         // no training row states the fact in this order (trained_order: its entities are not both whole)
	orderBySource       = "source"       // an original training document states it in this order
	orderByAugmentation = "augmentation" // only augmented rows state it in this order
)

// trainedBy says what trains fact in the order dir.
func (p *reversalPlan) trainedBy(fact int, dir string) string {
	switch o := p.trained[fact]; {
	case o&orderBit(dir, false) != 0:
		return orderBySource
	case o&orderBit(dir, true) != 0:
		return orderByAugmentation
	}
	return orderNone
}

// Slot order of every reversal bank's values.
const (
	slotName = iota
	slotDescription
)

var reversalSlots = []string{"name", "description"}

func (Recipe) Plan(ctx context.Context, cfg *generators.Config) (*generators.Plan, error) {
	p := &reversalPlan{n: factsPerGroup.Get(cfg), paraphrases: paraphrases.Get(cfg), probes: evalParaphrases.Get(cfg),
		statements: map[string]*templates.Bank{}, questions: map[string]*templates.Bank{}}
	facts := 3 * p.n
	lib := cfg.Library()
	names, err := world.NewNames(cfg.Library(), cfg.Seed, "reversal", facts, cfg.AvoidedNames())
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
	p.direction, p.trainedOrder = p.train.AddString("direction"), p.train.AddString("trained_order")
	p.eval = records.EvalLayout("reversal", cfg.Style)
	p.probeDirection, p.answerFact = p.eval.AddString("direction"), p.eval.AddString("answer_fact_id")
	p.orderTrainedBy = p.eval.AddString("order_trained_by")

	n, P, E := int64(p.n), int64(p.paraphrases), int64(p.probes)
	if err := p.readTrainedOrders(ctx, cfg, 4*n*P); err != nil {
		return nil, err
	}
	var reverseByAugmentation int64 // reverse probes whose order augmentation trains
	for fact := range 2 * p.n {
		_, dir, _ := p.trainedRow(int64(fact)*E, E)
		if p.trainedBy(fact, otherDirection(dir)) == orderByAugmentation {
			reverseByAugmentation += E
		}
	}
	wrongKey := rng.Key(cfg.Seed, "reversal/randomized")
	questionsPerFact := int64(len(p.questions[p2d].Templates(templates.HeldOut)) + len(p.questions[d2p].Templates(templates.HeldOut)))
	plan := &generators.Plan{
		Configs: []generators.PlanConfig{
			{Name: trainConfig, Layout: p.train, Splits: []generators.PlanSplit{
				{Name: trainConfig, Docs: &generators.DocSource{Count: 4 * n * P, Shuffle: true, Doc: func(w *records.Worker, i int64, row records.Row) records.Document {
					fact, dir, j := p.trainedRow(i, P)
					return p.document(w, row, fact, dir, j)
				}, Written: func(i int64, row records.Row, d records.Document) {
					fact, _, _ := p.trainedRow(i, P)
					p.trainedOrder.Set(row, p.orderOf(fact, d))
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
		Rules: p.rules(reverseByAugmentation),
		Stats: append([]generators.Stat{
			{Name: "facts", Value: int64(facts), Doc: "fictitious people, each with one description"},
			{Name: "names_with_middle_name", Value: int64(names.NamesWithMiddle(facts)),
				Doc: fmt.Sprintf("names that needed a middle name because the %d first-and-last-name pairs ran out", names.Capacity())},
			{Name: "description_pool", Value: int64(descs.Capacity()), Doc: "distinct descriptions the frames and word lists can make"},
			{Name: "reverse_probes_trained_by_augmentation", Value: reverseByAugmentation,
				Doc: "reverse probes whose order augmentation trains (order_trained_by = augmentation): they test the augmentation, not the reversal curse"},
		}, world.AvoidedStat(cfg, names)...),
		Notes: []string{
			"Facts are split into three groups of the same size: `p2d_only` facts are trained only as \"<name> ... <description>\", `d2p_only` facts only as \"<description> ... <name>\", `both` facts in both directions. Train rows are in a seeded random order.",
			"In `prompt-completion` and `messages` styles a document is split where its second entity begins, as in the paper: the completion starts with the space before it. Probes carry `prompt` and `answer` (the second entity exactly as rendered); score a probe by whether the model's completion starts with the answer, or compare the log-likelihood of `reverse` answers against the `randomized` ones, row for row.",
			"Train rows carry `direction`, the direction of the document they come from, and `trained_order`, the order in which the row as written states the fact: `p2d` (name first), `d2p` (description first) or `none` (an entity is not there whole, as after word or segment reversal). They differ only for augmented rows: entity reversal, and the reversed and permuted semantic orders, can put the description first in a row of a `p2d_only` fact. Every probe carries `order_trained_by`: `source` when an original document trains its fact in the probe's order, `augmentation` when only augmented rows do, `none` when no training row does. A reverse probe tests the reversal curse only where it is `none`; the manifest's rules hold on that column, and the stat `reverse_probes_trained_by_augmentation` counts the others.",
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

// readTrainedOrders fills p.trained: the orders each fact's training rows state it in. Without
// augmentation these are its group's directions; with it, every augmented row is rendered here as the
// run will write it (by the same schedule), so that each probe can say whether augmentation trained
// its order. That costs one more rendering of the augmented rows.
func (p *reversalPlan) readTrainedOrders(ctx context.Context, cfg *generators.Config, docs int64) error {
	p.trained = make([]orders, 3*p.n)
	sched, err := variants.NewSchedule(cfg.Seed, cfg.Augment, trainConfig+"/"+trainConfig, docs)
	if err != nil {
		return err
	}
	w, arena := records.NewWorker(), &records.Arena{}
	for q := range sched.Rows() {
		if q%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			w.UseArena(arena) // the rendered texts are dropped as soon as their order is read
		}
		doc, kind, mode := sched.At(q)
		fact, dir, j := p.trainedRow(doc, int64(p.paraphrases))
		if kind == "" {
			p.trained[fact] |= orderBit(dir, false)
			continue
		}
		d := w.Render(p.pick(dir, templates.Train, fact, j), p.values(w, fact))
		d, _ = variants.Augment(w, cfg.Seed, cfg.Augment, kind, d, uint64(doc), mode)
		if o := p.orderOf(fact, d); o != orderNone {
			p.trained[fact] |= orderBit(o, true)
		}
	}
	return nil
}

// orderOf is the order in which d, as written, states fact: p2d or d2p by which entity comes first,
// or none when either entity is not there whole (word and segment reversal break them up).
func (p *reversalPlan) orderOf(fact int, d records.Document) string {
	at := [2]int{-1, -1} // by slot
	for _, sp := range d.Spans {
		want := p.names[fact]
		if sp.Slot == slotDescription {
			want = p.descs[fact]
		}
		// A transformed document's spans are whole words, with the punctuation next to the entity; a
		// capitalised slot ({Description}) starts a sentence.
		if text := d.Text[sp.Start:sp.End]; sp.Slot < len(at) && at[sp.Slot] < 0 && (text == want || containsFold(text, want)) {
			at[sp.Slot] = sp.Start
		}
	}
	switch {
	case at[slotName] < 0 || at[slotDescription] < 0:
		return orderNone
	case at[slotName] < at[slotDescription]:
		return p2d
	}
	return d2p
}

// containsFold tells whether s contains sub, ignoring case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
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
	p.orderTrainedBy.Set(row, p.trainedBy(fact, dir))
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

func (p *reversalPlan) rules(reverseByAugmentation int64) []generators.Rule {
	var heldOut []string
	for _, b := range []*templates.Bank{p.statements[p2d], p.statements[d2p], p.questions[p2d], p.questions[d2p]} {
		heldOut = append(heldOut, b.IDs(templates.HeldOut)...)
	}
	slices.Sort(heldOut)
	trained := schemas.Select(trainConfig, trainConfig, "fact_id", "trained_order")
	trainFacts := schemas.Select(trainConfig, trainConfig, "fact_id")
	rules := append(splits.UniqueIDs(trainConfig, "eval"), []generators.Rule{
		{Kind: schemas.AllowedValues, Doc: "p2d_only facts come only from p2d documents", Values: []string{p2d},
			Left: schemas.Select(trainConfig, trainConfig, "direction").Filtered("group", "p2d_only")},
		{Kind: schemas.AllowedValues, Doc: "d2p_only facts come only from d2p documents", Values: []string{d2p},
			Left: schemas.Select(trainConfig, trainConfig, "direction").Filtered("group", "d2p_only")},
		{Kind: schemas.AllowedValues, Doc: "original rows of p2d documents state their fact name first", Values: []string{p2d},
			Left: schemas.Select(trainConfig, trainConfig, "trained_order").Filtered("variant", "original").Filtered("direction", p2d)},
		{Kind: schemas.AllowedValues, Doc: "original rows of d2p documents state their fact description first", Values: []string{d2p},
			Left: schemas.Select(trainConfig, trainConfig, "trained_order").Filtered("variant", "original").Filtered("direction", d2p)},
		splits.NeverTrained("no held-out template reaches train", schemas.Select(trainConfig, "", "template_id"), heldOut),
		{Kind: schemas.AllowedValues, Doc: "same_direction probes use held-out templates only", Left: schemas.Select("eval", "same_direction", "template_id"), Values: heldOut},
		{Kind: schemas.AllowedValues, Doc: "reverse probes use held-out templates only", Left: schemas.Select("eval", "reverse", "template_id"), Values: heldOut},
		{Kind: schemas.Subset, Doc: "every reverse probe's fact is in train", Left: schemas.Select("eval", "reverse", "fact_id"), Right: &trainFacts},
		{Kind: schemas.Count, Doc: "reverse probes whose order augmentation trains, as the stat reverse_probes_trained_by_augmentation says",
			Values: []string{fmt.Sprint(reverseByAugmentation)}, Left: schemas.Select("eval", "reverse", "id").Filtered("order_trained_by", orderByAugmentation)},
	}...)
	// order_trained_by holds against train's trained_order in every eval split, and held-out templates
	// make probes whose wording train never has, prompt and answer together, except where augmentation
	// trains the probe's order: reordering units of train templates can then write the probe's text.
	for _, split := range []string{"same_direction", "reverse", "randomized", "questions"} {
		probes := schemas.Select("eval", split, "fact_id", "direction")
		rules = append(rules,
			generators.Rule{Kind: schemas.Disjoint, Doc: "no " + split + " probe with order_trained_by none has its (fact, direction) trained in that order",
				Left: probes.Filtered("order_trained_by", orderNone), Right: &trained},
			generators.Rule{Kind: schemas.Subset, Doc: "every " + split + " probe with order_trained_by source has its (fact, direction) trained in that order",
				Left: probes.Filtered("order_trained_by", orderBySource), Right: &trained},
			generators.Rule{Kind: schemas.Subset, Doc: "every " + split + " probe with order_trained_by augmentation has its (fact, direction) trained in that order",
				Left: probes.Filtered("order_trained_by", orderByAugmentation), Right: &trained})
		for _, by := range []string{orderBySource, orderNone} {
			r := splits.ProbesNotInTrain("eval", false, split)[0]
			r.Left = r.Left.Filtered("order_trained_by", by)
			r.Doc = "no " + split + " probe's prompt and answer occurs in training text, where order_trained_by is " + by
			rules = append(rules, r)
		}
	}
	return rules
}
