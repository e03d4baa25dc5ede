package generators

import (
	"fmt"
	"math"
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
		{Name: "qa-train-share", Usage: "share of people whose questions are trained; the others' are probed", Default: 0.5, Min: 0, Max: 1},
	}
}

// BioAttributes are the attributes of a person, in the order of an unpermuted biography.
var BioAttributes = []string{"birth_date", "birth_city", "university", "major", "employer", "employer_city"}

type person struct {
	name  string
	she   bool
	attrs [6]string
}

type biosPlan struct {
	seed              uint64
	cfg               *Config
	people            []person
	multi             int
	fullname, permute bool
	qaTrain           []bool // by person
	qaOrder           rng.Perm
	trainPeople       int
	sentences         []*templates.Bank // by attribute
	questions         [][]*templates.Template
	inverse           *templates.Bank
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
	lists, err := world.LoadBioLists()
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
	p.people = make([]person, n)
	s := rng.NewStream()
	key := rng.Key(cfg.Seed, "bios/person")
	for i := range p.people {
		s.Reset(key, uint64(i))
		e := lists.Employers[s.IntN(len(lists.Employers))]
		p.people[i] = person{name: names.At(i), she: s.IntN(2) == 1, attrs: [6]string{
			world.BirthDate(s, 1950, 2005), lists.Cities[s.IntN(len(lists.Cities))], lists.Universities[s.IntN(len(lists.Universities))],
			lists.Majors[s.IntN(len(lists.Majors))], e.Name, e.City}}
	}
	// QA people are chosen by a keyed permutation, not by position: person qaOrder.At(j) is the j-th.
	p.trainPeople = int(math.Round(o.Float("qa-train-share") * float64(n)))
	p.qaOrder = rng.NewPerm(uint64(n), rng.Key(cfg.Seed, "bios/qa-people"))
	p.qaTrain = make([]bool, n)
	for j := 0; j < p.trainPeople; j++ {
		p.qaTrain[p.qaOrder.At(uint64(j))] = true
	}
	p.train = TrainLayout(cfg.Style, str("attribute"))
	p.eval = EvalLayout(cfg.Style, str("attribute"))
	testPeople := int64(n - p.trainPeople)
	attrs := int64(len(BioAttributes))
	return &Plan{
		Configs: []PlanConfig{
			{Name: "train", Layout: p.train, Splits: []PlanSplit{
				{Name: "bios", Docs: &DocSource{Count: int64(n * p.multi), Shuffle: true, Doc: p.biography}},
				{Name: "qa", Docs: &DocSource{Count: int64(p.trainPeople) * attrs, Shuffle: true, Doc: func(w *Worker, i int64, d *TrainDoc) {
					p.question(w, d, int(p.qaOrder.At(uint64(i/attrs))), int(i%attrs))
				}}},
			}},
			{Name: "eval", Layout: p.eval, Splits: []PlanSplit{
				{Name: "qa", Rows: testPeople * attrs, Row: func(w *Worker, i int64, row Row) {
					var d TrainDoc
					who := int(p.qaOrder.At(uint64(int64(p.trainPeople) + i/attrs)))
					p.question(w, &d, who, int(i%attrs))
					p.probe(row, who, d)
				}},
				{Name: "inverse", Rows: testPeople, Row: func(w *Worker, i int64, row Row) {
					who := int(p.qaOrder.At(uint64(int64(p.trainPeople) + i)))
					t := Pick(p.inverse.Templates(templates.Train), rng.Key(cfg.Seed, "bios/inverse"), who, 0)
					d := w.Render(t, p.questionValues(w, who))
					d.Spans = inverseSpans(d, t)
					p.probe(row, who, TrainDoc{Doc: d, Prov: Provenance{TemplateID: t.ID}, Extra: []string{"inverse"}})
				}},
			}},
		},
		Rules: p.rules(),
		Stats: []Stat{
			{Name: "people", Value: int64(n), Doc: "fictitious people"},
			{Name: "qa_train_people", Value: int64(p.trainPeople), Doc: "people whose questions are in train"},
			{Name: "qa_test_people", Value: testPeople, Doc: "people whose questions and inverse probes are in eval"},
			{Name: "names_with_middle_name", Value: int64(names.NamesWithMiddle(n)), Doc: "names that needed a middle name"},
		},
		Notes: []string{
			"Birth cities, employers' cities, universities and majors are real names; employers are invented (templates/words/bios/employer.txt), so no biography ties a person to a real company. People and names are fictitious.",
			"Train config: split `bios` holds the biographies of every person; split `qa` the questions, with answers, about the QA-train people. Eval config: `qa` asks the same questions about the QA-test people, `inverse` asks for a QA-test person from their attributes. Column `group` says whether a person's questions are trained (`qa_train`) or probed (`qa_test`); `attribute` names the attribute a row is about (`bio` for a whole biography).",
		},
	}, nil
}

func (p *biosPlan) loadBanks() error {
	for _, attr := range BioAttributes {
		// A sentence gives the attribute's value and refers to the person once, as subject or possessive;
		// {own} (his, her) is optional.
		b, err := templates.LoadBank("bios/"+attr, "subject", "possessive", "own", attr)
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
	qs, err := templates.LoadBank("bios/questions", append([]string{"name"}, BioAttributes...)...)
	if err != nil {
		return err
	}
	p.questions = make([][]*templates.Template, len(BioAttributes))
	for _, t := range qs.All() {
		slots := t.Slots()
		if len(slots) != 2 || slots[0] != 0 {
			return fmt.Errorf("%s: question %s must name the person, then one attribute", qs.Name, t.ID)
		}
		p.questions[slots[1]-1] = append(p.questions[slots[1]-1], t)
	}
	for a, ts := range p.questions {
		if len(ts) == 0 {
			return fmt.Errorf("%s: no question about %s", qs.Name, BioAttributes[a])
		}
	}
	if p.inverse, err = LoadBank("bios/inverse", append([]string{"name"}, BioAttributes[:5]...)...); err != nil {
		return err
	}
	return nil
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
	per := &p.people[who]
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
	d.Doc = Document{Text: string(w.Buf), Spans: w.Spans}
	variant := "original"
	if p.permute {
		variant = "permuted"
	}
	d.Prov = Provenance{FactID: PersonID(who), Group: p.group(who), TemplateID: strings.Join(ids, ","), Variant: variant}
	d.Extra = append(d.Extra, "bio")
}

func (p *biosPlan) questionValues(w *Worker, who int) []string {
	w.Values = append(w.Values[:0], p.people[who].name)
	w.Values = append(w.Values, p.people[who].attrs[:]...)
	return w.Values
}

// question writes a question about attribute a of person who, with its answer.
func (p *biosPlan) question(w *Worker, d *TrainDoc, who, a int) {
	t := Pick(p.questions[a], rng.Key(p.seed, "bios/question/"+BioAttributes[a]), who, 0)
	d.Doc = w.Render(t, p.questionValues(w, who))
	d.Prov = Provenance{FactID: PersonID(who), Group: p.group(who), TemplateID: t.ID, Variant: "original"}
	d.Extra = append(d.Extra[:0], BioAttributes[a])
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
	sel := func(config, split string, cols ...string) schemas.Selection {
		return schemas.Selection{Config: config, Split: split, Columns: cols}
	}
	bios := sel("train", "bios", "fact_id")
	trainQA := sel("train", "qa", "fact_id")
	return []Rule{
		{Kind: schemas.Unique, Doc: "row ids are unique in train", Left: sel("train", "", "id")},
		{Kind: schemas.Unique, Doc: "row ids are unique in eval", Left: sel("eval", "", "id")},
		{Kind: schemas.AllowedValues, Doc: "trained questions are about QA-train people", Left: sel("train", "qa", "group"), Values: []string{"qa_train"}},
		{Kind: schemas.AllowedValues, Doc: "probes are about QA-test people", Left: sel("eval", "", "group"), Values: []string{"qa_test"}},
		{Kind: schemas.Disjoint, Doc: "no probed person's questions are trained", Left: sel("eval", "", "fact_id"), Right: &trainQA},
		{Kind: schemas.Subset, Doc: "every probed person has a biography in train", Left: sel("eval", "", "fact_id"), Right: &bios},
	}
}
