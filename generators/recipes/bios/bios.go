// Package bios reproduces the bioS data of "Physics of Language Models" 3.1/3.2 (Allen-Zhu and Li,
// 2023): fictitious people with six attributes, biographies built from per-attribute sentence
// templates, question answering on some of the people, and inverse-search probes. It owns the recipe's
// held-out designs (entity, template, relation) and, in composition.go, the two-hop composition design
// of "From Atomic to Composite" (Cheng et al. 2025).
package bios

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/generators/world"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Recipe is the bios recipe: fictitious people with six attributes, biographies built from
// per-attribute sentence templates, question answering on half the people, and inverse-search probes.
type Recipe struct{}

func (Recipe) Name() string { return "bios" }

// Example is a command line researchers type, for help texts.
func (Recipe) Example() string { return `--people 3000 --holdout template` }

func (Recipe) Paper() string {
	return `Allen-Zhu and Li 2023, "Physics of Language Models: Part 3.1/3.2, Knowledge Storage, Extraction and Manipulation" (bioS, arXiv:2309.14316)`
}

func (Recipe) Summary() string {
	return "Biographies of fictitious people, each a sentence per attribute (birth date, birth city, university, " +
		"major, employer, employer's city), with questions on every attribute: QA-train people's questions in " +
		"train, QA-test people's in eval (qa), and inverse-search probes from attributes to the person (inverse)."
}

var (
	people       = &generators.Int{Key: "people", Help: "fictitious people, each with one of every attribute", Value: 1000, Min: 1}
	multi        = &generators.Int{Key: "multi", Help: "biographies per person, each on fresh templates", Value: 1, Min: 1, Max: 40}
	fullname     = &generators.Bool{Key: "fullname", Help: "name the person in every sentence instead of using pronouns", Value: false}
	neutral      = &generators.Bool{Key: "neutral", Help: "no gendered pronoun: name the person in every sentence and use \"their\" inside one", Value: false}
	permute      = &generators.Bool{Key: "permute", Help: "shuffle the sentence order of each biography (the full name moves to the first sentence)", Value: false}
	qaTrainShare = &generators.Float{Key: "qa-train-share", Help: "share of the held-out dimension's keys (people; attributes with --holdout relation) whose questions are trained", Value: 0.5, Min: 0, Max: 1}
	holdout      = &generators.Choice{Key: "holdout", Help: "what separates trained questions from probes: entity (people), template (question wording), relation (attributes), composition (two-hop questions)", Value: HoldoutEntity,
		Values: []string{HoldoutEntity, HoldoutTemplate, HoldoutRelation, HoldoutComposition}}
)

func (Recipe) Options() []generators.Option {
	return []generators.Option{people, multi, fullname, neutral, permute, qaTrainShare, holdout, inverseTrain, partial}
}

// Held-out designs: what keys separate the questions trained from those probed.
const (
	HoldoutEntity   = "entity"   // people: QA-train people's questions are trained, QA-test people's probed
	HoldoutTemplate = "template" // question wording: probes use templates tagged held-out
	HoldoutRelation = "relation" // attributes: questions about held-out attributes are only probed
)

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

// columns are a layout's recipe columns: attribute, and in the composition design first_hop and
// second_hop, which other designs' layouts do not have.
type columns struct {
	layout                         *records.Layout
	attribute, firstHop, secondHop records.StringColumn
	hops                           bool
}

func newColumns(l *records.Layout, hops bool) columns {
	c := columns{layout: l, attribute: l.AddString("attribute"), hops: hops}
	if hops {
		c.firstHop, c.secondHop = l.AddOptionalString("first_hop"), l.AddOptionalString("second_hop")
	}
	return c
}

// set fills a row's provenance and recipe columns; first and second are dropped where the layout
// has no hops.
func (c columns) set(row records.Row, prov records.Provenance, attribute, first, second string) {
	c.layout.SetProvenance(row, prov)
	c.attribute.Set(row, attribute)
	if c.hops {
		c.firstHop.Set(row, first)
		c.secondHop.Set(row, second)
	}
}

type biosPlan struct {
	seed              uint64
	lib               *templates.Library
	n                 int // people
	names             *world.Names
	lists             *world.BioLists
	birthDates        *world.BirthDates
	personKey         uint64
	multi             int
	fullname, permute bool
	neutral           bool // no pronoun: the name in every sentence, "their" inside one
	holdout           string
	qaTrain           []bool        // by person: some of the person's questions are trained
	trainPeople       splits.Subset // whose questions are trained
	testPeople        splits.Subset // whose questions are probed
	trainAttrs        []int         // attributes asked in train
	testAttrs         []int         // attributes asked in probes
	testWording       templates.Split
	inversePeople     splits.Subset
	composedPeople    splits.Subset              // whose two-hop questions are trained (composition design)
	sentences         []*templates.Bank          // by attribute
	questions         [2][][]*templates.Template // by split tag, then attribute
	inverse           *templates.Bank
	heldOutQuestions  []string
	// keys of Pick and of the permuted sentence order, made once rather than per row
	sentenceKeys        [6]uint64    // by attribute
	questionKeys        [2][6]uint64 // by split tag, then attribute
	inverseKey          uint64
	permuteKey          uint64
	train, eval         *records.Layout
	trainCols, evalCols columns
	retrieval           retrieval               // the Part 3.2 options (retrieval.go)
	founders            []string                // by employer: the composition design's founders, else nil
	valueWords          map[string]bool         // every word of a city, university, employer or founder
	leads               [][]*templates.Template // by attribute: the train sentences a biography may open with
}

// Slots of biography sentences: the reference to the person, then the attribute's value.
const (
	bioSubject = iota
	bioPossessive
	bioOwn
	bioValue
)

// slotName is the person's name in questions and inverse-search probes, whose values are the name and
// then the attributes.
const slotName = 0

func (Recipe) Plan(_ context.Context, cfg *generators.Config) (*generators.Plan, error) {
	n := people.Get(cfg)
	p := &biosPlan{seed: cfg.Seed, lib: cfg.Library(), multi: multi.Get(cfg), fullname: fullname.Get(cfg), permute: permute.Get(cfg),
		neutral: neutral.Get(cfg)}
	lists, err := world.LoadBioLists(p.lib)
	if err != nil {
		return nil, err
	}
	// The composition design names each employer's founder: the names after the people's.
	named := n
	if holdout.Get(cfg) == HoldoutComposition {
		named += len(lists.Employers)
	}
	names, err := world.NewNames(cfg.Library(), cfg.Seed, "bios", named, cfg.AvoidedNames())
	if err != nil {
		return nil, fmt.Errorf("--people %d: %w", n, err)
	}
	if err := p.loadBanks(); err != nil {
		return nil, err
	}
	p.n, p.names, p.lists, p.birthDates = n, names, lists, world.NewBirthDates(1950, 1995)
	if named > n {
		p.founders = make([]string, len(lists.Employers))
		for j := range p.founders {
			p.founders[j] = names.At(n + j)
		}
	}
	p.indexValueWords()
	p.personKey = rng.Key(cfg.Seed, "bios/person")
	p.inverseKey = rng.Key(cfg.Seed, "bios/inverse")
	p.permuteKey = rng.Key(cfg.Seed, "bios/permute")
	for a, attr := range BioAttributes {
		p.sentenceKeys[a] = rng.Key(cfg.Seed, "bios/"+attr)
		for _, split := range []templates.Split{templates.Train, templates.HeldOut} {
			p.questionKeys[split][a] = rng.Key(cfg.Seed, "bios/question/"+split.String()+"/"+attr)
		}
	}
	if err := p.divide(holdout.Get(cfg), qaTrainShare.Get(cfg)); err != nil {
		return nil, err
	}
	if err := p.checkRetrieval(cfg); err != nil {
		return nil, err
	}
	hops := p.holdout == HoldoutComposition
	p.train = records.TrainLayout("bios", cfg.Style)
	p.trainCols = newColumns(p.train, hops)
	p.eval = records.EvalLayout("bios", cfg.Style)
	p.evalCols = newColumns(p.eval, hops)
	trainAttrs, testAttrs := int64(len(p.trainAttrs)), int64(len(p.testAttrs))
	train := []generators.PlanSplit{
		{Name: "bios", Docs: &generators.DocSource{Count: int64(n * p.multi), Shuffle: true, Doc: p.biography}},
		{Name: "qa", Docs: &generators.DocSource{Count: int64(p.trainPeople.Len()) * trainAttrs, Shuffle: true, Doc: func(w *records.Worker, i int64, row records.Row) records.Document {
			return p.question(w, p.trainCols, row, p.trainPeople.At(int(i/trainAttrs)), p.trainAttrs[i%trainAttrs], templates.Train)
		}}},
	}
	var eval []generators.PlanSplit
	var majority []generators.Stat // of every eval split but inverse, whose answers are distinct people
	rules := p.rules()
	if hops {
		if err := p.compositionSplits(lists, &train, &eval, &majority); err != nil {
			return nil, err
		}
		rules = append(rules, compositionRules()...)
	} else {
		eval = append(eval, generators.PlanSplit{Name: "qa", Rows: int64(p.testPeople.Len()) * testAttrs, Row: func(w *records.Worker, i int64, row records.Row) {
			who, a := p.testPeople.At(int(i/testAttrs)), p.testAttrs[i%testAttrs]
			p.probe(row, p.question(w, p.evalCols, row, who, a, p.testWording), questionSlot(a))
		}})
		probed := p.probedPeople(testAttrs)
		majority = append(majority, splits.Majority("qa", int64(p.testPeople.Len())*testAttrs, func(i int64) string {
			return probed(i).attrs[p.testAttrs[i%testAttrs]]
		}))
	}
	eval = append(eval, generators.PlanSplit{Name: "inverse", Rows: int64(p.inversePeople.Len()), Row: func(w *records.Worker, i int64, row records.Row) {
		// The bank requires the name of every template: the prompt ends where the name begins.
		p.probe(row, p.inverseQuestion(w, p.evalCols, row, p.inversePeople.At(int(i))), slotName)
	}})
	p.retrievalSplits(&train, &eval, &rules, &majority)
	return &generators.Plan{
		Configs: []generators.PlanConfig{
			{Name: "train", Layout: p.train, Splits: train},
			{Name: "eval", Layout: p.eval, Splits: eval},
		},
		// Probes ask in wording train never has, with their answers.
		Rules: append(rules, splits.ProbesNotInTrain("eval", false, splits.Names(eval)...)...),
		Stats: append(p.peopleStats(trainAttrs, testAttrs), append(append([]generators.Stat{
			{Name: "names_with_middle_name", Value: int64(names.NamesWithMiddle(named)), Doc: "names that needed a middle name"},
		}, world.AvoidedStat(cfg, names)...), majority...)...),
		Notes: []string{
			"Held-out design: `" + p.holdout + "`. " + holdoutNotes[p.holdout],
			"Birth cities, employers' cities, universities and majors are real names; employers are invented (templates/words/bios/employer.txt), so no biography ties a person to a real company. As in bioS, an employer's city is the city of its headquarters: knowing the employer gives the city. People and names are fictitious. Cities, universities and employers are drawn by country first, then within it, so that no country is the answer of more than a few percent of the probes; a country is a sovereign state (the United Kingdom, not Wales), so a country question has one right answer; no city, university, employer or founder shares a word with its person's name (a question would give its answer away). Stats `majority_answer_<split>` give each probe split's majority baseline: the score of answering its most common answer to every probe.",
			p.splitsNote(),
		},
	}, nil
}

// peopleStats are the stats of who and what is trained and probed, as the design divides them.
func (p *biosPlan) peopleStats(trainAttrs, testAttrs int64) []generators.Stat {
	out := []generators.Stat{{Name: "people", Value: int64(p.n), Doc: "fictitious people"}}
	if p.holdout == HoldoutComposition {
		return append(out,
			generators.Stat{Name: "composite_train_people", Value: int64(p.composedPeople.Len()), Doc: "people whose two-hop questions are in train"},
			generators.Stat{Name: "composite_test_people", Value: int64(p.testPeople.Len()), Doc: "people whose two-hop questions are probed in eval"})
	}
	return append(out,
		generators.Stat{Name: "qa_train_people", Value: int64(p.trainPeople.Len()), Doc: "people whose questions are in train"},
		generators.Stat{Name: "qa_test_people", Value: int64(p.testPeople.Len()), Doc: "people whose questions are probed in eval"},
		generators.Stat{Name: "qa_train_attributes", Value: trainAttrs, Doc: "attributes asked about in train: " + p.attrNames(p.trainAttrs)},
		generators.Stat{Name: "qa_test_attributes", Value: testAttrs, Doc: "attributes asked about in eval: " + p.attrNames(p.testAttrs)})
}

// splitsNote says what each split holds under the plan's design and options.
func (p *biosPlan) splitsNote() string {
	qa := map[string]string{
		HoldoutEntity:      "the questions, with answers, about the QA-train people",
		HoldoutTemplate:    "the questions, with answers, about every person, in the train-tagged wording",
		HoldoutRelation:    "the questions, with answers, about every person's trained attributes (" + p.attrNames(p.trainAttrs) + ")",
		HoldoutComposition: "a question, with its answer, on every attribute of every person",
	}[p.holdout]
	train := "Train config: split `bios` holds the biographies of every person; split `qa` " + qa
	var eval string
	switch p.holdout {
	case HoldoutEntity:
		eval = "Eval config: `qa` asks the same questions about the QA-test people; `inverse` asks for a QA-test person from their attributes"
	case HoldoutTemplate:
		eval = "Eval config: `qa` asks every person's questions in wording tagged held-out; `inverse` asks for every person from their attributes"
	case HoldoutRelation:
		eval = "Eval config: `qa` asks about every person's held-out attributes (" + p.attrNames(p.testAttrs) + "); `inverse` asks for every person from their attributes"
	case HoldoutComposition:
		train += "; split `world` the facts about attribute values; split `composite` the two-hop questions of the QA-train people"
		eval = "Eval config: `iid`, `composition` and `zero_shot` ask two-hop questions about the QA-test people; `inverse` asks for a QA-test person from their attributes"
	}
	if p.retrieval.inverse {
		train += "; split `inverse` the inverse-search questions about the QA-train people"
	}
	if p.retrieval.doPartial {
		train += "; split `partial` the partial-retrieval questions (birth year, first word of the employer) about the QA-train people"
		eval += "; `partial` asks them about the QA-test people"
	}
	group := "Column `group` says whether a person's questions are trained (`qa_train`) or probed (`qa_test`)"
	switch p.holdout {
	case HoldoutTemplate, HoldoutRelation:
		group = "Column `group` is `qa_train` for everyone: every person's questions are trained, in other wording or on other attributes than the probes'"
	case HoldoutComposition:
		group = "Column `group` says whether a person's two-hop questions are trained (`qa_train`) or probed (`qa_test`); every person's atomic questions are trained"
	}
	return train + ". " + eval + ". " + group + "; `attribute` names the attribute a row is about (`bio` for a whole biography)."
}

func (p *biosPlan) loadBanks() error {
	for _, attr := range BioAttributes {
		// A sentence gives the attribute's value and refers to the person once, as subject or possessive;
		// {own} (his, her) is optional.
		b, err := p.lib.BankRequiring("bios/"+attr, []string{"subject", "possessive", "own", attr}, attr)
		if err != nil {
			return err
		}
		for _, t := range b.All() {
			if t.Uses(bioSubject) == t.Uses(bioPossessive) {
				return fmt.Errorf("%s: template %s must use exactly one of {subject} and {possessive}", t.File(), t.ID)
			}
		}
		if err := b.Need(templates.Train, p.multi, "multi"); err != nil {
			return err
		}
		p.sentences = append(p.sentences, b)
		// The train sentences that name the person before the value, to open a biography with; all of
		// them where a bank has too few such for --multi.
		var leads []*templates.Template
		for _, t := range b.Templates(templates.Train) {
			if t.Slots()[0] != bioValue {
				leads = append(leads, t)
			}
		}
		if len(leads) < p.multi {
			leads = b.Templates(templates.Train)
		}
		p.leads = append(p.leads, leads)
	}
	qs, err := p.lib.Bank("bios/questions", append([]string{"name"}, BioAttributes...)...)
	if err != nil {
		return err
	}
	for _, split := range []templates.Split{templates.Train, templates.HeldOut} {
		p.questions[split] = make([][]*templates.Template, len(BioAttributes))
		for _, t := range qs.Templates(split) {
			slots := t.Slots()
			if len(slots) != 2 || slots[0] != slotName {
				return fmt.Errorf("%s: question %s must name the person, then one attribute", t.File(), t.ID)
			}
			a := slots[1] - 1 // the attribute whose slot is questionSlot(a)
			p.questions[split][a] = append(p.questions[split][a], t)
		}
		for a, ts := range p.questions[split] {
			if len(ts) == 0 {
				return fmt.Errorf("%s: no %s question about %s", qs.Name, split, BioAttributes[a])
			}
		}
	}
	p.heldOutQuestions = qs.IDs(templates.HeldOut)
	if p.inverse, err = p.lib.LoadBank("bios/inverse", append([]string{"name"}, BioAttributes[:5]...)...); err != nil {
		return err
	}
	return nil
}

var holdoutNotes = map[string]string{
	HoldoutEntity:      "People are split by a keyed permutation into QA-train and QA-test people; the questions of QA-test people, and their inverse-search probes, are only in eval.",
	HoldoutTemplate:    "Every person's questions are trained on the train-tagged question templates; eval asks the same questions in wording tagged held-out, never trained.",
	HoldoutRelation:    "Attributes are split by a keyed permutation; questions about the held-out attributes are only in eval, for every person.",
	HoldoutComposition: "Every atomic fact is trained: biographies, a question on every attribute of every person, and split `world` with facts about the attribute values (a city's or university's country; an employer's founding year, country and founder, the founder a fictitious person). Two-hop questions on the paths birth_city.country, university.country and employer.founded are trained for QA-train people (split `composite`); QA-test people are probed on those paths (`iid`), on employer.country, whose relations were each composed in train but never together (`composition`), and on employer.founder, whose second relation was never composed (`zero_shot`). The kinds' answers are independent: each country is drawn on its own, and no path of one kind passes through the value another kind asks about, so no probe of one kind is answered through another's path but by chance. An employer's country is the country of its city, which the biographies give (employer_city, as in bioS): a composition probe can also be reached by employer_city then country, a path whose first relation is never composed in train. Columns `first_hop` and `second_hop` name a path's relations.",
}

// divide sets who and what is trained and probed for a held-out design. Keys are chosen by keyed
// permutations, never by position, and the counts are exact: round(share x keys) trained.
func (p *biosPlan) divide(design string, share float64) error {
	p.holdout = design
	n := p.n
	attrs := make([]int, len(BioAttributes))
	for i := range attrs {
		attrs[i] = i
	}
	everyone := splits.All(n)
	p.trainPeople, p.testPeople, p.inversePeople = everyone, everyone, everyone
	p.trainAttrs, p.testAttrs = attrs, attrs
	p.testWording = templates.Train
	switch design {
	case HoldoutEntity:
		p.trainPeople, p.testPeople = splits.Ranked(n, share, rng.Key(p.seed, "bios/qa-people"))
		p.inversePeople = p.testPeople
	case HoldoutTemplate:
		p.testWording = templates.HeldOut
	case HoldoutComposition:
		// Atomic questions are trained for everyone; people split for the two-hop questions.
		p.composedPeople, p.testPeople = splits.Ranked(n, share, rng.Key(p.seed, "bios/qa-people"))
		p.inversePeople = p.testPeople
	case HoldoutRelation:
		trained, probed := splits.Ranked(len(attrs), share, rng.Key(p.seed, "bios/qa-attributes"))
		p.trainAttrs, p.testAttrs = sortedIndexes(trained), sortedIndexes(probed)
		if len(p.trainAttrs) == 0 || len(p.testAttrs) == 0 {
			return fmt.Errorf("--holdout relation --qa-train-share %v leaves %d of %d attributes trained: both sides need one", share, len(p.trainAttrs), len(BioAttributes))
		}
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

// sortedIndexes lists the indexes of a range in increasing order.
func sortedIndexes(r splits.Subset) []int {
	out := make([]int, r.Len())
	for i := range out {
		out[i] = r.At(i)
	}
	slices.Sort(out)
	return out
}

// person makes person who, drawing from w.Stream (so call it before drawing anything else for a row).
func (p *biosPlan) person(w *records.Worker, who int) person {
	s, l := w.Stream, p.lists
	s.Reset(p.personKey, uint64(who))
	w.Buf = p.names.AppendAt(w.Buf[:0], who)
	per := person{name: w.Keep(w.Buf), she: p.names.Gender(who) == world.Female} // the first name gives the pronouns
	// A value that shares a word with the name is drawn again, so that no question gives its answer
	// away ("In which city did Claire Santiago work?" -> "Santiago"); after maxRedraws more draws the
	// last is kept. Plain loops, not closures: person runs for every row.
	// Most names share no word with any value: only theirs are checked value by value.
	risky := p.nameMeetsValues(per.name)
	e := l.Employer(s)
	for i := 0; risky && i < maxRedraws && p.employerClash(per.name, e); i++ {
		e = l.Employer(s)
	}
	per.employer = e
	birth := p.birthDates.Draw(s)
	city := l.City(s)
	for i := 0; risky && i < maxRedraws && sharesWord(per.name, city); i++ {
		city = l.City(s)
	}
	university := l.University(s)
	for i := 0; risky && i < maxRedraws && sharesWord(per.name, university); i++ {
		university = l.University(s)
	}
	per.attrs = [6]string{birth, city, university, l.Majors[s.IntN(len(l.Majors))], e.Name, e.City}
	return per
}

// probedPeople returns the person of probe i of a split that asks k questions of each QA-test
// person in turn, made once per person: the majority stats read every probe's answer at plan time.
func (p *biosPlan) probedPeople(k int64) func(i int64) *person {
	w, last, per := records.NewWorker(), int64(-1), person{}
	return func(i int64) *person {
		if i/k != last {
			last, per = i/k, p.person(w, p.testPeople.At(int(i/k)))
		}
		return &per
	}
}

// nameMeetsValues tells whether a word of name is a word of some city, university, employer or
// founder.
func (p *biosPlan) nameMeetsValues(name string) bool {
	for name != "" {
		var x string
		if x, name = nextWord(name); p.valueWords[x] {
			return true
		}
	}
	return false
}

// indexValueWords fills p.valueWords from the lists and the founders.
func (p *biosPlan) indexValueWords() {
	p.valueWords = map[string]bool{}
	add := func(v string) {
		for _, w := range strings.Fields(v) {
			p.valueWords[w] = true
		}
	}
	for _, list := range [][]string{p.lists.Cities, p.lists.Universities, p.founders} {
		for _, v := range list {
			add(v)
		}
	}
	for _, e := range p.lists.Employers {
		add(e.Name)
	}
}

// employerClash tells whether e's name, city or founder shares a word with a person's name.
func (p *biosPlan) employerClash(name string, e world.Employer) bool {
	return sharesWord(name, e.Name) || sharesWord(name, e.City) || p.founders != nil && sharesWord(name, p.founders[e.Index])
}

const maxRedraws = 16

// sharesWord tells whether a and b have a word in common.
func sharesWord(a, b string) bool {
	for a != "" {
		var x string
		if x, a = nextWord(a); x != "" && containsWord(b, x) {
			return true
		}
	}
	return false
}

// containsWord tells whether w is a whole space-separated word of s.
func containsWord(s, w string) bool {
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		if end := j + len(w); (j == 0 || s[j-1] == ' ') && (end == len(s) || s[end] == ' ') {
			return true
		}
		i = j + 1
	}
	return false
}

// nextWord cuts the first space-separated word off s.
func nextWord(s string) (word, rest string) {
	s = strings.TrimLeft(s, " ")
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

func (p *biosPlan) attrNames(attrs []int) string {
	names := make([]string, len(attrs))
	for i, a := range attrs {
		names[i] = BioAttributes[a]
	}
	return strings.Join(names, ", ")
}

// PersonID names person i ("p000017").
func PersonID(i int) string { return records.PaddedID("p", i, 6) }

func (p *biosPlan) group(who int) string {
	if p.qaTrain[who] {
		return "qa_train"
	}
	return "qa_test"
}

// provenance is the provenance of a row about person who on the template templateID.
func (p *biosPlan) provenance(who int, templateID string) records.Provenance {
	return records.Provenance{FactID: PersonID(who), Group: p.group(who), TemplateID: templateID, Variant: "original"}
}

// biography writes biography i: person i/multi, on the (i%multi)-th fresh choice of templates.
func (p *biosPlan) biography(w *records.Worker, i int64, row records.Row) records.Document {
	who, m := int(i)/p.multi, int(i)%p.multi
	per := p.person(w, who)
	order := [6]int{0, 1, 2, 3, 4, 5}
	if p.permute {
		w.Stream.Reset(p.permuteKey, uint64(i))
		w.Stream.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
	}
	subject, possessive, own := "he", "his", "his"
	switch {
	case p.neutral:
		own = "their" // subject and possessive are the name: see below
	case per.she:
		subject, possessive, own = "she", "her", "her"
	}
	w.Buf, w.Spans = w.Buf[:0], w.Spans[:0]
	ids := make([]string, 0, len(order))
	for k, a := range order {
		pool := p.sentences[a].Templates(templates.Train)
		if k == 0 {
			// A biography opens with the person, not a value ("Born on 19 November 1994, Jasmine
			// Maier…"): the prompt-completion and chat styles cut after the opening name, so an
			// opening value would sit in the prompt, where a trainer computes no loss.
			pool = p.leads[a]
		}
		t := splits.Pick(pool, p.sentenceKeys[a], who, m)
		w.Values = append(w.Values[:0], subject, possessive, own, per.attrs[a])
		if k == 0 || p.fullname || p.neutral {
			w.Values[bioSubject], w.Values[bioPossessive] = per.name, per.name+"'s"
		}
		if k > 0 {
			w.Buf = append(w.Buf, ' ')
		}
		w.Buf, w.Spans = t.Render(w.Buf, w.Values, w.Spans)
		ids = append(ids, t.ID)
	}
	d := records.Document{Text: w.Keep(w.Buf), Spans: w.Spans}
	prov := p.provenance(who, strings.Join(ids, ","))
	if p.permute {
		prov.Variant = "permuted"
	}
	p.trainCols.set(row, prov, "bio", "", "")
	return d
}

func (p *biosPlan) questionValues(w *records.Worker, who int) []string {
	per := p.person(w, who)
	w.Values = append(w.Values[:0], per.name)
	w.Values = append(w.Values, per.attrs[:]...)
	return w.Values
}

// question renders a question about attribute a of person who, in wording of the given split, with
// its answer, and fills the row's provenance and recipe columns through c.
func (p *biosPlan) question(w *records.Worker, c columns, row records.Row, who, a int, wording templates.Split) records.Document {
	t := splits.Pick(p.questions[wording][a], p.questionKeys[wording][a], who, 0)
	d := w.Render(t, p.questionValues(w, who))
	// In the composition design an atomic question's first hop is its attribute.
	c.set(row, p.provenance(who, t.ID), BioAttributes[a], BioAttributes[a], "")
	return d
}

// probe fills an eval row's content from a rendered question, cut at the answer's slot: the text
// before it as prompt, the slot's value as answer.
func (p *biosPlan) probe(row records.Row, d records.Document, answerSlot int) {
	prompt, answer, _ := d.CutAtSlot(answerSlot)
	p.eval.SetProbe(row, prompt, answer)
}

// questionSlot is the slot of attribute a in the questions bank, whose slots are the name and then
// every attribute.
func questionSlot(a int) int { return a + 1 }

func (p *biosPlan) rules() []generators.Rule {
	bios := schemas.Select("train", "bios", "fact_id")
	trainQA := schemas.Select("train", "qa", "fact_id")
	trainAttrs := schemas.Select("train", "qa", "attribute")
	rules := append(splits.UniqueIDs("train", "eval"),
		generators.Rule{Kind: schemas.Subset, Doc: "every probed person has a biography in train", Left: schemas.Select("eval", "", "fact_id"), Right: &bios})
	if !p.retrieval.inverse {
		rules = append(rules, splits.NeverTrained("no inverse-search question is trained", schemas.Select("train", "", "attribute"), []string{"inverse"}))
	}
	switch p.holdout {
	case HoldoutEntity:
		rules = append(rules,
			generators.Rule{Kind: schemas.AllowedValues, Doc: "trained questions are about QA-train people", Left: schemas.Select("train", "qa", "group"), Values: []string{"qa_train"}},
			generators.Rule{Kind: schemas.AllowedValues, Doc: "probes are about QA-test people", Left: schemas.Select("eval", "", "group"), Values: []string{"qa_test"}},
			generators.Rule{Kind: schemas.Disjoint, Doc: "no probed person's questions are trained", Left: schemas.Select("eval", "", "fact_id"), Right: &trainQA})
	case HoldoutTemplate:
		rules = append(rules,
			splits.NeverTrained("no held-out question template is trained", schemas.Select("train", "qa", "template_id"), p.heldOutQuestions),
			generators.Rule{Kind: schemas.AllowedValues, Doc: "probes use held-out question templates", Left: schemas.Select("eval", "qa", "template_id"), Values: p.heldOutQuestions})
	case HoldoutRelation:
		rules = append(rules,
			generators.Rule{Kind: schemas.Disjoint, Doc: "no probed attribute is asked about in train", Left: schemas.Select("eval", "qa", "attribute"), Right: &trainAttrs})
	}
	return rules
}
