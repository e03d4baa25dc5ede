package bios

import (
	"fmt"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// The knowledge-manipulation tasks of "Physics of Language Models: Part 3.2" (Allen-Zhu and Li, 2023)
// that bios adds beside bioS QA, each trained on the QA-train people and probed on the QA-test people,
// so that a probe asks what the model was never fine-tuned to answer about that person:
//
//   - inverse search (--inverse-train): from the attributes to the person; the paper finds it fails
//     on the probed people however well the trained ones are learned;
//   - partial retrieval (--partial): part of an attribute, the birth year alone or the first word of
//     the employer's name.
var (
	inverseTrain = &generators.Bool{Key: "inverse-train", Help: "train inverse-search questions (attributes to person) on the QA-train people; eval's inverse split probes the others (Physics of LM 3.2)", Value: false}
	partial      = &generators.Bool{Key: "partial", Help: "add partial-retrieval questions (birth year alone, first word of the employer) trained on the QA-train people and probed on the others (Physics of LM 3.2)", Value: false}
)

// Partial-retrieval attributes, in the order of the partial bank's slots after the name.
var partialAttributes = []string{"birth_year", "employer_first_word"}

// partialValue is part pa of person per's attributes.
func partialValue(per *person, pa int) string {
	switch partialAttributes[pa] {
	case "birth_year":
		d := per.attrs[0] // "17 March 1987"
		return d[strings.LastIndexByte(d, ' ')+1:]
	default: // employer_first_word
		e, _, _ := strings.Cut(per.employer.Name, " ")
		return e
	}
}

// retrieval is what the Part 3.2 options add to a plan.
type retrieval struct {
	partial   [][]*templates.Template // by partial attribute
	keys      []uint64                // of Pick, by partial attribute
	inverse   bool
	doPartial bool
}

// checkRetrieval reads the options: both need people held out, so they go with the entity design.
func (p *biosPlan) checkRetrieval(cfg *generators.Config) error {
	p.retrieval = retrieval{inverse: inverseTrain.Get(cfg), doPartial: partial.Get(cfg)}
	for _, o := range []struct {
		on   bool
		name string
	}{{p.retrieval.inverse, "--inverse-train"}, {p.retrieval.doPartial, "--partial"}} {
		if o.on && p.holdout != HoldoutEntity {
			return fmt.Errorf("%s trains on the QA-train people and probes the others: it needs --holdout entity, not %s", o.name, p.holdout)
		}
	}
	if !p.retrieval.doPartial {
		return nil
	}
	b, err := p.lib.Bank("bios/partial", append([]string{"name"}, partialAttributes...)...)
	if err != nil {
		return err
	}
	p.retrieval.partial = make([][]*templates.Template, len(partialAttributes))
	for _, t := range b.Templates(templates.Train) {
		slots := t.Slots()
		if len(slots) != 2 || slots[0] != slotName {
			return fmt.Errorf("%s: question %s must name the person, then one part", t.File(), t.ID)
		}
		p.retrieval.partial[slots[1]-1] = append(p.retrieval.partial[slots[1]-1], t)
	}
	for pa, ts := range p.retrieval.partial {
		if len(ts) == 0 {
			return fmt.Errorf("%s: no train question about %s", b.Name, partialAttributes[pa])
		}
		p.retrieval.keys = append(p.retrieval.keys, rng.Key(p.seed, "bios/partial/"+partialAttributes[pa]))
	}
	return nil
}

// partialQuestion renders partial question pa about person who, with its answer.
func (p *biosPlan) partialQuestion(w *records.Worker, c columns, row records.Row, who, pa int) records.Document {
	t := splits.Pick(p.retrieval.partial[pa], p.retrieval.keys[pa], who, 0)
	per := p.person(w, who)
	w.Values = append(w.Values[:0], per.name)
	for k := range partialAttributes {
		w.Values = append(w.Values, partialValue(&per, k))
	}
	c.set(row, p.provenance(who, t.ID), partialAttributes[pa], "", "")
	return w.Render(t, w.Values)
}

// inverseQuestion renders the inverse-search question about person who, with the name as answer.
func (p *biosPlan) inverseQuestion(w *records.Worker, c columns, row records.Row, who int) records.Document {
	t := splits.Pick(p.inverse.Templates(templates.Train), p.inverseKey, who, 0)
	d := w.Render(t, p.questionValues(w, who))
	c.set(row, p.provenance(who, t.ID), "inverse", "", "")
	return d
}

// retrievalSplits adds the options' train and eval splits, their rules and majority stats.
func (p *biosPlan) retrievalSplits(train, eval *[]generators.PlanSplit, rules *[]generators.Rule, majority *[]generators.Stat) {
	if p.retrieval.inverse {
		*train = append(*train, generators.PlanSplit{Name: "inverse", Docs: &generators.DocSource{Count: int64(p.trainPeople.Len()), Shuffle: true,
			Doc: func(w *records.Worker, i int64, row records.Row) records.Document {
				return p.inverseQuestion(w, p.trainCols, row, p.trainPeople.At(int(i)))
			}}})
		trained := schemas.Select("train", "inverse", "fact_id")
		*rules = append(*rules, generators.Rule{Kind: schemas.Disjoint, Doc: "no inverse probe's person has a trained inverse question",
			Left: schemas.Select("eval", "inverse", "fact_id"), Right: &trained})
	}
	if !p.retrieval.doPartial {
		return
	}
	k := int64(len(partialAttributes))
	*train = append(*train, generators.PlanSplit{Name: "partial", Docs: &generators.DocSource{Count: int64(p.trainPeople.Len()) * k, Shuffle: true,
		Doc: func(w *records.Worker, i int64, row records.Row) records.Document {
			return p.partialQuestion(w, p.trainCols, row, p.trainPeople.At(int(i/k)), int(i%k))
		}}})
	*eval = append(*eval, generators.PlanSplit{Name: "partial", Rows: int64(p.testPeople.Len()) * k, Row: func(w *records.Worker, i int64, row records.Row) {
		p.probe(row, p.partialQuestion(w, p.evalCols, row, p.testPeople.At(int(i/k)), int(i%k)), 1+int(i%k))
	}})
	person := p.probedPeople(k)
	*majority = append(*majority, splits.Majority("partial", int64(p.testPeople.Len())*k, func(i int64) string {
		return partialValue(person(i), int(i%k))
	}))
	trained := schemas.Select("train", "partial", "fact_id")
	*rules = append(*rules, generators.Rule{Kind: schemas.Disjoint, Doc: "no partial probe's person has trained partial questions",
		Left: schemas.Select("eval", "partial", "fact_id"), Right: &trained})
}
