package bios

import (
	"slices"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/generators/world"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// HoldoutComposition is the two-hop design of "From Atomic to Composite" (Cheng et al. 2025): every
// atomic fact is trained (biographies, questions on every attribute, and facts about the attribute
// values such as a city's country); two-hop questions ("In which country was X born?") are trained on
// some relation paths for QA-train people, and probed for QA-test people in three splits: iid (paths
// trained), composition (paths whose two relations were each composed in train, but never together)
// and zero_shot (paths with a relation never composed in train).
const HoldoutComposition = "composition"

// A relation path: the person's attribute, then a relation of its value.
type relationPath struct {
	name, first, second string
	answer              func(p *person, w *hopFacts) string
}

// hopFacts are the facts about attribute values that second hops ask for: the lists' countries and
// founding years, and the employers' founders (names made for the dataset, by employer index).
type hopFacts struct {
	lists    *world.BioLists
	founders []string
}

// relationPaths are the two-hop questions bios can ask. trainedPaths fixes which are composed in
// train; the eval split of every other path follows from the definitions (see classifyPaths), so the
// design has iid, composition and zero_shot probes whatever the seed.
//
// The answers of the three probe kinds are independent: no probe of one kind is answered through the
// path of another but by chance. The composition probe (employer.country) and the zero_shot probe
// (employer.founder) ask different things of the employer, and each country is drawn on its own
// (birth city, university, employer), by country first (world.BioLists). A zero_shot path that
// started from employer_city, as before, had the composition path's answer for every person: the
// employer's country is its city's.
var relationPaths = []relationPath{
	{"birth_city.country", "birth_city", "country", func(p *person, h *hopFacts) string { return h.lists.Country[p.attrs[1]] }},
	{"university.country", "university", "country", func(p *person, h *hopFacts) string { return h.lists.Country[p.attrs[2]] }},
	{"employer.founded", "employer", "founded", func(p *person, h *hopFacts) string { return p.employer.Founded }},
	{"employer.country", "employer", "country", func(p *person, h *hopFacts) string { return h.lists.Country[p.employer.City] }},
	{"employer.founder", "employer", "founder", func(p *person, h *hopFacts) string { return h.founders[p.employer.Index] }},
}

var trainedPaths = []string{"birth_city.country", "university.country", "employer.founded"}

// compositeSlots are the slots of two-hop questions; the answer is compositeAnswerSlot.
var compositeSlots = []string{"name", "answer"}

const compositeAnswerSlot = 1

// Eval splits of the composition design.
const (
	splitIID         = "iid"
	splitComposition = "composition"
	splitZeroShot    = "zero_shot"
)

// classifyPaths sorts every path not trained into composition (both relations composed in some
// trained path) or zero_shot (a relation never composed: founder).
func classifyPaths() map[string][]relationPath {
	composed := map[string]bool{}
	for _, rp := range relationPaths {
		if slices.Contains(trainedPaths, rp.name) {
			composed[rp.first], composed[rp.second] = true, true
		}
	}
	out := map[string][]relationPath{}
	for _, rp := range relationPaths {
		switch {
		case slices.Contains(trainedPaths, rp.name):
			out[splitIID] = append(out[splitIID], rp)
		case composed[rp.first] && composed[rp.second]:
			out[splitComposition] = append(out[splitComposition], rp)
		default:
			out[splitZeroShot] = append(out[splitZeroShot], rp)
		}
	}
	return out
}

// worldFact is one atomic fact about an attribute value, for the train split world.
type worldFact struct{ relation, entity, value string }

func worldFacts(h *hopFacts) []worldFact {
	l := h.lists
	var out []worldFact
	for _, c := range l.Cities {
		out = append(out, worldFact{"city.country", c, l.Country[c]})
	}
	for _, u := range l.Universities {
		out = append(out, worldFact{"university.country", u, l.Country[u]})
	}
	for _, e := range l.Employers {
		out = append(out, worldFact{"employer.founded", e.Name, e.Founded}, worldFact{"employer.country", e.Name, l.Country[e.City]},
			worldFact{"employer.founder", e.Name, h.founders[e.Index]})
	}
	return out
}

// compositeQuestions are the train templates of a path's two-hop questions and the key of Pick.
type compositeQuestions struct {
	templates []*templates.Template
	key       uint64
}

// compositionSplits adds the composition design's splits to the plan: world facts and trained two-hop
// questions in train, the three probe kinds in eval.
func (p *biosPlan) compositionSplits(lists *world.BioLists, train, eval *[]generators.PlanSplit, majority *[]generators.Stat) error {
	questions := map[string]compositeQuestions{} // by path
	for _, rp := range relationPaths {
		b, err := p.lib.LoadBank("bios/composite/"+rp.name, compositeSlots...)
		if err != nil {
			return err
		}
		questions[rp.name] = compositeQuestions{b.Templates(templates.Train), rng.Key(p.seed, "bios/composite/"+rp.name)}
	}
	hops := &hopFacts{lists: lists, founders: p.founders}
	facts := worldFacts(hops)
	factBanks := map[string][]*templates.Template{}
	for _, f := range facts {
		if factBanks[f.relation] == nil {
			b, err := p.lib.LoadBank("bios/world/"+f.relation, "entity", "value")
			if err != nil {
				return err
			}
			factBanks[f.relation] = b.Templates(templates.Train)
		}
	}
	perFact := int64(2) // every world fact in each of its bank's wordings
	for _, ts := range factBanks {
		perFact = min(perFact, int64(len(ts)))
	}
	*train = append(*train, generators.PlanSplit{Name: "world", Docs: &generators.DocSource{Count: int64(len(facts)) * perFact, Shuffle: true, Doc: func(w *records.Worker, i int64, row records.Row) records.Document {
		f := facts[i/perFact]
		t := factBanks[f.relation][i%perFact]
		w.Values = append(w.Values[:0], f.entity, f.value)
		d := w.Render(t, w.Values)
		p.trainCols.set(row, records.Provenance{FactID: f.relation + ":" + f.entity, Group: "world", TemplateID: t.ID, Variant: "original"}, f.relation, "", "")
		return d
	}}})
	// question renders the two-hop question of path rp about person who, with its answer, and fills the
	// row's provenance and recipe columns through c.
	question := func(w *records.Worker, c columns, row records.Row, who int, rp relationPath) records.Document {
		q := questions[rp.name]
		t := splits.Pick(q.templates, q.key, who, 0)
		per := p.person(w, who)
		w.Values = append(w.Values[:0], per.name, rp.answer(&per, hops))
		d := w.Render(t, w.Values)
		c.set(row, p.provenance(who, t.ID), rp.name, rp.first, rp.second)
		return d
	}
	byKind := classifyPaths()
	trained := byKind[splitIID]
	k := int64(len(trained))
	*train = append(*train, generators.PlanSplit{Name: "composite", Docs: &generators.DocSource{Count: int64(p.composedPeople.Len()) * k, Shuffle: true, Doc: func(w *records.Worker, i int64, row records.Row) records.Document {
		return question(w, p.trainCols, row, p.composedPeople.At(int(i/k)), trained[i%k])
	}}})
	for _, kind := range []string{splitIID, splitComposition, splitZeroShot} {
		probed := byKind[kind]
		k := int64(len(probed))
		*eval = append(*eval, generators.PlanSplit{Name: kind, Rows: int64(p.testPeople.Len()) * k, Row: func(w *records.Worker, i int64, row records.Row) {
			p.probe(row, question(w, p.evalCols, row, p.testPeople.At(int(i/k)), probed[i%k]), compositeAnswerSlot)
		}})
		person := p.probedPeople(k)
		*majority = append(*majority, splits.Majority(kind, int64(p.testPeople.Len())*k, func(i int64) string {
			return probed[i%k].answer(person(i), hops)
		}))
	}
	return nil
}

func compositionRules() []generators.Rule {
	trainedPeople := schemas.Select("train", "composite", "fact_id")
	trainedPaths := schemas.Select("train", "composite", "attribute")
	firstHops, secondHops := schemas.Select("train", "composite", "first_hop"), schemas.Select("train", "composite", "second_hop")
	return []generators.Rule{
		{Kind: schemas.Disjoint, Doc: "no probed person's two-hop questions are trained", Left: schemas.Select("eval", "", "fact_id"), Right: &trainedPeople},
		{Kind: schemas.Subset, Doc: "iid probes ask paths trained", Left: schemas.Select("eval", splitIID, "attribute"), Right: &trainedPaths},
		{Kind: schemas.Disjoint, Doc: "composition probes ask paths never trained", Left: schemas.Select("eval", splitComposition, "attribute"), Right: &trainedPaths},
		{Kind: schemas.Subset, Doc: "composition probes compose relations each composed in train (first hop)", Left: schemas.Select("eval", splitComposition, "first_hop"), Right: &firstHops},
		{Kind: schemas.Subset, Doc: "composition probes compose relations each composed in train (second hop)", Left: schemas.Select("eval", splitComposition, "second_hop"), Right: &secondHops},
		{Kind: schemas.Disjoint, Doc: "zero_shot probes end in a relation never composed in train", Left: schemas.Select("eval", splitZeroShot, "second_hop"), Right: &secondHops},
	}
}
