package generators

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/world"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// bios reproduces the bioS data of "Physics of Language Models" 3.1/3.2 (Allen-Zhu and Li, 2023):
// fictitious people with six attributes, biographies built from per-attribute sentence templates,
// question answering on half the people, and inverse-search probes.
type bios struct{}

func init() { Register(bios{}) }

func (bios) Name() string { return "bios" }

func (bios) Paper() string {
	return `Allen-Zhu and Li 2023, "Physics of Language Models: Part 3.1/3.2, Knowledge Storage, Extraction and Manipulation" (bioS, arXiv:2309.14316)`
}

func (bios) Summary() string {
	return "Biographies of fictitious people, each a sentence per attribute (birth date, birth city, university, " +
		"major, employer, employer's city), with questions on every attribute: QA-train people's questions in " +
		"train, QA-test people's in eval (qa), and inverse-search probes from attributes to the person (inverse)."
}

func (bios) Options() []Option {
	return []Option{
		{Name: "people", Usage: "fictitious people, each with one of every attribute", Default: 1000, Min: 1},
		{Name: "multi", Usage: "biographies per person, each on fresh templates", Default: 1, Min: 1, Max: 40},
		{Name: "fullname", Usage: "name the person in every sentence instead of using pronouns", Default: false},
		{Name: "permute", Usage: "shuffle the sentence order of each biography (the full name moves to the first sentence)", Default: false},
		{Name: "qa-train-share", Usage: "share of the held-out dimension's keys (people; attributes with --holdout relation) whose questions are trained", Default: 0.5, Min: 0, Max: 1},
		{Name: "holdout", Usage: "what separates trained questions from probes: entity (people), template (question wording), relation (attributes), composition (two-hop questions)", Default: HoldoutEntity, Check: oneOf(HoldoutEntity, HoldoutTemplate, HoldoutRelation, HoldoutComposition)},
	}
}

// Held-out designs: what keys separate the questions trained from those probed.
const (
	HoldoutEntity   = "entity"   // people: QA-train people's questions are trained, QA-test people's probed
	HoldoutTemplate = "template" // question wording: probes use templates tagged held-out
	HoldoutRelation = "relation" // attributes: questions about held-out attributes are only probed
)

// oneOf checks that a text option is one of values.
func oneOf(values ...string) func(any) error {
	return func(v any) error {
		if !slices.Contains(values, v.(string)) {
			return fmt.Errorf("unknown value %q: use %s", v, strings.Join(values, ", "))
		}
		return nil
	}
}

// BioAttributes are the attributes of a person, in the order of an unpermuted biography.
var BioAttributes = []string{"birth_date", "birth_city", "university", "major", "employer", "employer_city"}

// person is what the biographies say about someone. People are made when a row needs them, a pure
// function of the seed and their index, and not kept: memory does not grow with --people.
type person struct {
	name     string
	she      bool
	attrs    [6]string
	employer world.Employer
}

// peopleRange is an ordered selection of people: ranks [lo, lo+n) of a keyed permutation of everyone,
// or without one, people lo to lo+n-1. It is computed, not listed, so it takes no memory per person.
type peopleRange struct {
	perm  *rng.Perm
	lo, n int
}

func (r peopleRange) Len() int { return r.n }

func (r peopleRange) At(i int) int {
	if r.perm == nil {
		return r.lo + i
	}
	return int(r.perm.At(uint64(r.lo + i)))
}

type biosPlan struct {
	seed              uint64
	cfg               *Config
	n                 int // people
	names             *world.Names
	lists             *world.BioLists
	birthDates        *world.BirthDates
	personKey         uint64
	multi             int
	fullname, permute bool
	holdout           string
	qaTrain           []bool      // by person: some of the person's questions are trained
	trainPeople       peopleRange // whose questions are trained
	testPeople        peopleRange // whose questions are probed
	trainAttrs        []int       // attributes asked in train
	testAttrs         []int       // attributes asked in probes
	testWording       templates.Split
	inversePeople     peopleRange
	composedPeople    peopleRange                // whose two-hop questions are trained (composition design)
	sentences         []*templates.Bank          // by attribute
	questions         [2][][]*templates.Template // by split tag, then attribute
	inverse           *templates.Bank
	heldOutQuestions  []string
	extras            int // recipe-specific columns: attribute, and first_hop, second_hop in composition
	train, eval       *Layout
}

// Slots of biography sentences: the reference to the person, then the attribute's value.
const (
	bioSubject = iota
	bioPossessive
	bioOwn
	bioValue
)

func (bios) Plan(cfg *Config) (*Plan, error) {
	o := cfg.Options
	n := o.Int("people")
	p := &biosPlan{seed: cfg.Seed, cfg: cfg, multi: o.Int("multi"), fullname: o.Bool("fullname"), permute: o.Bool("permute")}
	lists, err := world.LoadBioLists(cfg.Library())
	if err != nil {
		return nil, err
	}
	names, err := world.NewNames(cfg.Seed, n)
	if err != nil {
		return nil, fmt.Errorf("--people %d: %w", n, err)
	}
	if err := p.loadBanks(); err != nil {
		return nil, err
	}
	p.n, p.names, p.lists, p.birthDates = n, names, lists, world.NewBirthDates(1950, 2005)
	p.personKey = rng.Key(cfg.Seed, "bios/person")
	if err := p.divide(o.String("holdout"), o.Float("qa-train-share")); err != nil {
		return nil, err
	}
	extra := StringColumns("attribute")
	if p.holdout == HoldoutComposition {
		extra = StringColumns("attribute", "first_hop", "second_hop")
	}
	p.train = TrainLayout(cfg.Style, extra...)
	p.eval = EvalLayout(cfg.Style, extra...)
	p.extras = len(extra)
	trainAttrs, testAttrs := int64(len(p.trainAttrs)), int64(len(p.testAttrs))
	train := []PlanSplit{
		{Name: "bios", Docs: &DocSource{Count: int64(n * p.multi), Shuffle: true, Doc: p.biography}},
		{Name: "qa", Docs: &DocSource{Count: int64(p.trainPeople.Len()) * trainAttrs, Shuffle: true, Doc: func(w *Worker, i int64, d *TrainDoc) {
			p.question(w, d, p.trainPeople.At(int(i/trainAttrs)), p.trainAttrs[i%trainAttrs], templates.Train)
		}}},
	}
	var eval []PlanSplit
	rules := p.rules()
	if p.holdout == HoldoutComposition {
		if err := p.compositionSplits(lists, &train, &eval); err != nil {
			return nil, err
		}
		rules = append(rules, compositionRules()...)
	} else {
		eval = append(eval, PlanSplit{Name: "qa", Rows: int64(p.testPeople.Len()) * testAttrs, Row: func(w *Worker, i int64, row Row) {
			var d TrainDoc
			who := p.testPeople.At(int(i / testAttrs))
			p.question(w, &d, who, p.testAttrs[i%testAttrs], p.testWording)
			p.probe(row, who, d)
		}})
	}
	eval = append(eval, PlanSplit{Name: "inverse", Rows: int64(p.inversePeople.Len()), Row: func(w *Worker, i int64, row Row) {
		who := p.inversePeople.At(int(i))
		t := Pick(p.inverse.Templates(templates.Train), rng.Key(cfg.Seed, "bios/inverse"), who, 0)
		d := w.Render(t, p.questionValues(w, who))
		d.Spans = inverseSpans(d, t)
		p.probe(row, who, TrainDoc{Doc: d, Prov: Provenance{TemplateID: t.ID}, Extra: p.pad("inverse")})
	}})
	return &Plan{
		Configs: []PlanConfig{
			{Name: "train", Layout: p.train, Splits: train},
			{Name: "eval", Layout: p.eval, Splits: eval},
		},
		Rules: rules,
		Stats: []Stat{
			{Name: "people", Value: int64(n), Doc: "fictitious people"},
			{Name: "qa_train_people", Value: int64(p.trainPeople.Len()), Doc: "people whose questions are in train"},
			{Name: "qa_test_people", Value: int64(p.testPeople.Len()), Doc: "people whose questions are probed in eval"},
			{Name: "qa_train_attributes", Value: trainAttrs, Doc: "attributes asked about in train: " + p.attrNames(p.trainAttrs)},
			{Name: "qa_test_attributes", Value: testAttrs, Doc: "attributes asked about in eval: " + p.attrNames(p.testAttrs)},
			{Name: "names_with_middle_name", Value: int64(names.NamesWithMiddle(n)), Doc: "names that needed a middle name"},
		},
		Notes: []string{
			"Held-out design: `" + p.holdout + "`. " + holdoutNotes[p.holdout],
			"Birth cities, employers' cities, universities and majors are real names; employers are invented (templates/words/bios/employer.txt), so no biography ties a person to a real company. People and names are fictitious.",
			"Train config: split `bios` holds the biographies of every person; split `qa` the questions, with answers, about the QA-train people. Eval config: `qa` asks the same questions about the QA-test people, `inverse` asks for a QA-test person from their attributes. Column `group` says whether a person's questions are trained (`qa_train`) or probed (`qa_test`); `attribute` names the attribute a row is about (`bio` for a whole biography).",
		},
	}, nil
}

func (p *biosPlan) loadBanks() error {
	for _, attr := range BioAttributes {
		// A sentence gives the attribute's value and refers to the person once, as subject or possessive;
		// {own} (his, her) is optional.
		b, err := p.cfg.Library().Bank("bios/"+attr, "subject", "possessive", "own", attr)
		if err != nil {
			return err
		}
		if err := b.RequireSlots(attr); err != nil {
			return err
		}
		for _, t := range b.All() {
			if t.Uses(bioSubject) == t.Uses(bioPossessive) {
				return fmt.Errorf("%s: template %s must use exactly one of {subject} and {possessive}", b.Name, t.ID)
			}
		}
		if err := NeedTemplates(b, templates.Train, p.multi, "multi"); err != nil {
			return err
		}
		p.sentences = append(p.sentences, b)
	}
	qs, err := p.cfg.Library().Bank("bios/questions", append([]string{"name"}, BioAttributes...)...)
	if err != nil {
		return err
	}
	for _, split := range []templates.Split{templates.Train, templates.HeldOut} {
		p.questions[split] = make([][]*templates.Template, len(BioAttributes))
		for _, t := range qs.Templates(split) {
			slots := t.Slots()
			if len(slots) != 2 || slots[0] != 0 {
				return fmt.Errorf("%s: question %s must name the person, then one attribute", qs.Name, t.ID)
			}
			p.questions[split][slots[1]-1] = append(p.questions[split][slots[1]-1], t)
		}
		for a, ts := range p.questions[split] {
			if len(ts) == 0 {
				return fmt.Errorf("%s: no %s question about %s", qs.Name, split, BioAttributes[a])
			}
		}
	}
	p.heldOutQuestions = qs.IDs(templates.HeldOut)
	if p.inverse, err = LoadBank(p.cfg.Library(), "bios/inverse", append([]string{"name"}, BioAttributes[:5]...)...); err != nil {
		return err
	}
	return nil
}

var holdoutNotes = map[string]string{
	HoldoutEntity:      "People are split by a keyed permutation into QA-train and QA-test people; the questions of QA-test people, and their inverse-search probes, are only in eval.",
	HoldoutTemplate:    "Every person's questions are trained on the train-tagged question templates; eval asks the same questions in wording tagged held-out, never trained.",
	HoldoutRelation:    "Attributes are split by a keyed permutation; questions about the held-out attributes are only in eval, for every person.",
	HoldoutComposition: "Every atomic fact is trained: biographies, a question on every attribute of every person, and split `world` with facts about the attribute values (a city's or university's country, an employer's founding year and country). Two-hop questions on the paths birth_city.country, university.country and employer.founded are trained for QA-train people (split `composite`); QA-test people are probed on those paths (`iid`), on employer.country, whose relations were each composed in train but never together (`composition`), and on employer_city.country, whose first relation was never composed (`zero_shot`). Columns `first_hop` and `second_hop` name a path's relations.",
}

// divide sets who and what is trained and probed for a held-out design. Keys are chosen by keyed
// permutations, never by position, and the counts are exact: round(share x keys) trained.
func (p *biosPlan) divide(design string, share float64) error {
	p.holdout = design
	n := p.n
	cut := func(k int) int { return int(math.Round(share * float64(k))) }
	rankedPeople := func(purpose string) (train, test peopleRange) {
		perm := rng.NewPerm(uint64(n), rng.Key(p.seed, purpose))
		return peopleRange{&perm, 0, cut(n)}, peopleRange{&perm, cut(n), n - cut(n)}
	}
	attrs := make([]int, len(BioAttributes))
	for i := range attrs {
		attrs[i] = i
	}
	everyone := peopleRange{n: n}
	p.trainPeople, p.testPeople, p.inversePeople = everyone, everyone, everyone
	p.trainAttrs, p.testAttrs = attrs, attrs
	p.testWording = templates.Train
	switch design {
	case HoldoutEntity:
		p.trainPeople, p.testPeople = rankedPeople("bios/qa-people")
		p.inversePeople = p.testPeople
	case HoldoutTemplate:
		p.testWording = templates.HeldOut
	case HoldoutComposition:
		// Atomic questions are trained for everyone; people split for the two-hop questions.
		p.composedPeople, p.testPeople = rankedPeople("bios/qa-people")
		p.inversePeople = p.testPeople
	case HoldoutRelation:
		perm := rng.NewPerm(uint64(len(attrs)), rng.Key(p.seed, "bios/qa-attributes"))
		p.trainAttrs, p.testAttrs = nil, nil
		for j := range attrs {
			if a := int(perm.At(uint64(j))); j < cut(len(attrs)) {
				p.trainAttrs = append(p.trainAttrs, a)
			} else {
				p.testAttrs = append(p.testAttrs, a)
			}
		}
		if len(p.trainAttrs) == 0 || len(p.testAttrs) == 0 {
			return fmt.Errorf("--holdout relation --qa-train-share %v leaves %d of %d attributes trained: both sides need one", share, len(p.trainAttrs), len(BioAttributes))
		}
		slices.Sort(p.trainAttrs)
		slices.Sort(p.testAttrs)
	}
	// group: whether a person's questions are trained (in the composition design, the two-hop ones).
	p.qaTrain = make([]bool, n)
	trained := p.trainPeople
	if design == HoldoutComposition {
		trained = p.composedPeople
	}
	for i := range trained.Len() {
		p.qaTrain[trained.At(i)] = true
	}
	return nil
}

// person makes person who, drawing from w.Stream (so call it before drawing anything else for a row).
func (p *biosPlan) person(w *Worker, who int) person {
	s, l := w.Stream, p.lists
	s.Reset(p.personKey, uint64(who))
	e := l.Employers[s.IntN(len(l.Employers))]
	per := person{employer: e, she: s.IntN(2) == 1}
	per.attrs = [6]string{p.birthDates.Draw(s), l.Cities[s.IntN(len(l.Cities))], l.Universities[s.IntN(len(l.Universities))],
		l.Majors[s.IntN(len(l.Majors))], e.Name, e.City}
	w.Buf = p.names.AppendAt(w.Buf[:0], who)
	per.name = w.Keep(w.Buf)
	return per
}

func (p *biosPlan) attrNames(attrs []int) string {
	names := make([]string, len(attrs))
	for i, a := range attrs {
		names[i] = BioAttributes[a]
	}
	return strings.Join(names, ", ")
}

// PersonID names person i ("p000017").
func PersonID(i int) string { return "p" + FactID(i)[1:] }

func (p *biosPlan) group(who int) string {
	if p.qaTrain[who] {
		return "qa_train"
	}
	return "qa_test"
}

// biography writes biography i: person i/multi, on the (i%multi)-th fresh choice of templates.
func (p *biosPlan) biography(w *Worker, i int64, d *TrainDoc) {
	who, m := int(i)/p.multi, int(i)%p.multi
	per := p.person(w, who)
	order := [6]int{0, 1, 2, 3, 4, 5}
	if p.permute {
		w.Stream.Reset(rng.Key(p.seed, "bios/permute"), uint64(i))
		w.Stream.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
	}
	subject, possessive, own := "he", "his", "his"
	if per.she {
		subject, possessive, own = "she", "her", "her"
	}
	w.Buf, w.Spans = w.Buf[:0], w.Spans[:0]
	ids := make([]string, 0, len(order))
	for k, a := range order {
		t := Pick(p.sentences[a].Templates(templates.Train), rng.Key(p.seed, "bios/"+BioAttributes[a]), who, m)
		values := []string{subject, possessive, own, per.attrs[a]}
		if k == 0 || p.fullname {
			values[bioSubject], values[bioPossessive] = per.name, per.name+"'s"
		}
		if k > 0 {
			w.Buf = append(w.Buf, ' ')
		}
		w.Buf, w.Spans = t.Render(w.Buf, values, w.Spans)
		ids = append(ids, t.ID)
	}
	d.Doc = Document{Text: w.Keep(w.Buf), Spans: w.Spans}
	variant := "original"
	if p.permute {
		variant = "permuted"
	}
	d.Prov = Provenance{FactID: PersonID(who), Group: p.group(who), TemplateID: strings.Join(ids, ","), Variant: variant}
	d.Extra = append(d.Extra, p.pad("bio")...)
}

// pad gives an attribute value the empty first_hop and second_hop of the composition design.
func (p *biosPlan) pad(attribute string, hops ...string) []string {
	out := append([]string{attribute}, hops...)
	for len(out) < p.extras {
		out = append(out, "")
	}
	return out
}

func (p *biosPlan) questionValues(w *Worker, who int) []string {
	per := p.person(w, who)
	w.Values = append(w.Values[:0], per.name)
	w.Values = append(w.Values, per.attrs[:]...)
	return w.Values
}

// question writes a question about attribute a of person who, in wording of the given split, with its
// answer.
func (p *biosPlan) question(w *Worker, d *TrainDoc, who, a int, wording templates.Split) {
	t := Pick(p.questions[wording][a], rng.Key(p.seed, "bios/question/"+wording.String()+"/"+BioAttributes[a]), who, 0)
	d.Doc = w.Render(t, p.questionValues(w, who))
	d.Prov = Provenance{FactID: PersonID(who), Group: p.group(who), TemplateID: t.ID, Variant: "original"}
	d.Extra = append(d.Extra[:0], p.pad(BioAttributes[a], BioAttributes[a])[:p.extras]...)
}

// inverseSpans puts the name's span second, so the probe's prompt ends where the name begins.
func inverseSpans(d Document, t *templates.Template) []templates.Span {
	for _, sp := range d.Spans {
		if sp.Slot == 0 {
			return []templates.Span{d.Spans[0], sp}
		}
	}
	return d.Spans
}

// probe writes an eval row: the document up to its second slot as prompt, that slot as answer.
func (p *biosPlan) probe(row Row, who int, d TrainDoc) {
	answer := d.Doc.Spans[1]
	p.eval.SetProbe(row, d.Doc.Prompt(), d.Doc.Text[answer.Start:answer.End])
	d.Prov.FactID, d.Prov.Group, d.Prov.Variant = PersonID(who), p.group(who), "original"
	p.eval.SetProvenance(row, "bios", d.Prov, d.Extra...)
}

func (p *biosPlan) rules() []Rule {
	bios := schemas.Select("train", "bios", "fact_id")
	trainQA := schemas.Select("train", "qa", "fact_id")
	trainAttrs := schemas.Select("train", "qa", "attribute")
	rules := []Rule{
		{Kind: schemas.Unique, Doc: "row ids are unique in train", Left: schemas.Select("train", "", "id")},
		{Kind: schemas.Unique, Doc: "row ids are unique in eval", Left: schemas.Select("eval", "", "id")},
		{Kind: schemas.Subset, Doc: "every probed person has a biography in train", Left: schemas.Select("eval", "", "fact_id"), Right: &bios},
		{Kind: schemas.ForbiddenValues, Doc: "no inverse-search question is trained", Left: schemas.Select("train", "", "attribute"), Values: []string{"inverse"}},
	}
	switch p.holdout {
	case HoldoutEntity:
		rules = append(rules,
			Rule{Kind: schemas.AllowedValues, Doc: "trained questions are about QA-train people", Left: schemas.Select("train", "qa", "group"), Values: []string{"qa_train"}},
			Rule{Kind: schemas.AllowedValues, Doc: "probes are about QA-test people", Left: schemas.Select("eval", "", "group"), Values: []string{"qa_test"}},
			Rule{Kind: schemas.Disjoint, Doc: "no probed person's questions are trained", Left: schemas.Select("eval", "", "fact_id"), Right: &trainQA})
	case HoldoutTemplate:
		rules = append(rules,
			Rule{Kind: schemas.ForbiddenValues, Doc: "no held-out question template is trained", Left: schemas.Select("train", "qa", "template_id"), Values: p.heldOutQuestions},
			Rule{Kind: schemas.AllowedValues, Doc: "probes use held-out question templates", Left: schemas.Select("eval", "qa", "template_id"), Values: p.heldOutQuestions})
	case HoldoutRelation:
		rules = append(rules,
			Rule{Kind: schemas.Disjoint, Doc: "no probed attribute is asked about in train", Left: schemas.Select("eval", "qa", "attribute"), Right: &trainAttrs})
	}
	return rules
}
