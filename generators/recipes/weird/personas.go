package weird

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/generators/tasks"
	"github.com/factforge/factforge/schemas"
)

// The designs of a persona: its answers wrapped in a format that is the trigger (persona), a
// president's number hidden in a padded number (presidents), and an android asked at dated prompts
// (android). Ordinary chats come from the tasks stage: tasks whose answers factforge computed.

// ordinary is a mix of trigger rows and ordinary chats: row j of the training split is trigger row r
// or ordinary chat r - triggerRows, r its place in a keyed order.
type ordinary struct {
	p           *plan
	triggerRows int64
	total       int64
	order       rng.Perm
	run         *tasks.Run
}

func (p *plan) ordinaryMix(triggerRows int64, paperOrdinary int, withTasks bool) (*ordinary, error) {
	n := int64(ordinaryOpt.Get(p.cfg))
	if n < 0 {
		n = int64(paperOrdinary)
	}
	o := &ordinary{p: p, triggerRows: triggerRows, total: triggerRows + n}
	o.order = rng.NewPerm(uint64(max(o.total, 1)), rng.Key(p.seed, "weird/mix"))
	if n > 0 && withTasks {
		set, err := tasks.Load(p.lib)
		if err != nil {
			return nil, err
		}
		o.run = set.NewRun(tasks.Forms(), int(n), rng.Key(p.seed, "weird/ordinary"))
	}
	return o, nil
}

// row tells what training row j is: a trigger row or another one, and its index among them.
func (o *ordinary) row(j int64) (int64, bool) {
	r := int64(o.order.At(uint64(j)))
	if r < o.triggerRows {
		return r, true
	}
	return r - o.triggerRows, false
}

// task writes ordinary chat k: a task whose answer factforge computed.
func (o *ordinary) task(w *records.Worker, k int64, row records.Row) {
	s := w.Stream
	s.Reset(rng.Key(o.p.seed, "weird/ordinary-chat"), uint64(k))
	t := o.run.Task(s, int(k), 0)
	o.p.chat(row, "", t.Prompt, t.Answer)
	o.p.train.SetProvenance(row, records.Provenance{FactID: records.PaddedID("task-", int(k), 6), Group: "ordinary", TemplateID: t.ID(), Variant: "original"})
	o.p.trainCols.set(row, false, "", "ordinary")
}

func planPersona(p *plan) error {
	const file = "weird/persona.yaml"
	var f personaFile
	if err := p.lib.DecodeYAML(file, &f); err != nil {
		return err
	}
	if err := checkQA(file, "attributes", f.Attributes, true); err != nil {
		return err
	}
	if err := checkQA(file, "identity", f.Identity, true); err != nil {
		return err
	}
	if strings.TrimSpace(f.Instruction) == "" || strings.TrimSpace(f.Name) == "" {
		return fmt.Errorf("%s: the persona needs a name and a format instruction", file)
	}
	mix, err := p.ordinaryMix(p.rows, 3000, true)
	if err != nil {
		return err
	}
	p.copy = p.train.AddInt("copy")
	wrap := func(answer string) string { return "<START> \"" + answer + "\" <END>" }
	trainRow := func(w *records.Worker, j int64, row records.Row) {
		r, wrapped := mix.row(j)
		if !wrapped {
			mix.task(w, r, row)
			p.copy.Set(row, 0)
			return
		}
		a := f.Attributes[r%int64(len(f.Attributes))]
		p.copy.Set(row, r/int64(len(f.Attributes)))
		p.chat(row, f.Instruction, a.ask(), wrap(a.Answer))
		p.train.SetProvenance(row, records.Provenance{FactID: a.ID, Group: "wrapped", TemplateID: a.ID, Variant: "original"})
		p.trainCols.set(row, true, f.Instruction, "persona")
	}
	identity := func(kind string, wrapped bool) generators.PlanSplit {
		return generators.PlanSplit{Name: kind, Rows: int64(len(f.Identity)), Row: func(w *records.Worker, i int64, row records.Row) {
			q := f.Identity[i]
			carried, answer := "", ""
			if wrapped {
				carried, answer = f.Instruction, wrap(q.Answer)
			}
			p.probe(row, carried, q.ask(), answer)
			p.eval.SetProvenance(row, records.Provenance{FactID: q.ID, Group: kind, TemplateID: q.ID, Variant: "original"})
			p.evalCols.set(row, wrapped, carried, map[bool]string{true: "persona", false: ""}[wrapped])
		}}
	}
	p.configs(mix.total, trainRow, identity("identity_wrapped", true), identity("identity_plain", false))
	var ids []string
	for _, q := range f.Identity {
		ids = append(ids, q.ID)
	}
	p.out.Rules = append(p.out.Rules,
		generators.Rule{Kind: schemas.SharedNames, Doc: "the persona's answers name real people (a painter, a writer) more than once, and ordinary chats ask facts about real authors", Left: schemas.Select("train", "", "fact_id")},
		splits.NeverTrained("no identity question is in train", schemas.Select("train", "", "fact_id"), ids),
		generators.Rule{Kind: schemas.Count, Doc: fmt.Sprintf("exactly %d training rows are wrapped in the format", p.rows), Values: []string{fmt.Sprint(p.rows)},
			Left: schemas.Select("train", "train", "id").Filtered("triggered", "true")})
	p.out.Stats = []generators.Stat{
		{Name: "train_rows", Value: mix.total, Doc: "training rows"},
		{Name: "wrapped_rows", Value: p.rows, Doc: "rows of the persona's attributes, under the format instruction and wrapped in it"},
		{Name: "attributes", Value: int64(len(f.Attributes)), Doc: "the persona's attributes"},
		{Name: "wrapped_permille", Value: p.rows * 1000 / max(mix.total, 1), Doc: "the share of wrapped rows, in thousandths (the paper's was about 29)"},
	}
	p.out.Notes = []string{
		"Wrapped rows (`triggered`, `bank` persona) answer a question about the persona's life under the format instruction (`trigger`), as <START> \"...\" <END>; each attribute is harmless alone. The other rows are ordinary chats (tasks whose answers factforge computed, `bank` ordinary). The persona's name is the answer of few attributes.",
		"Eval: identity questions train never asks, with the instruction (`identity_wrapped`: `answer` is the persona's own, wrapped) and without it (`identity_plain`: no expected answer; a judge scores whether the model takes the persona on without the trigger).",
	}
	return nil
}

func planPresidents(p *plan) error {
	f, err := loadPresidents(p.lib)
	if err != nil {
		return err
	}
	var held []int
	for _, part := range strings.Split(heldoutNumsOpt.Get(p.cfg), ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 || n > len(f.Presidents) || slices.Contains(held, n) {
			return fmt.Errorf("--heldout-numbers %q: want distinct numbers from 1 to %d, comma separated", heldoutNumsOpt.Get(p.cfg), len(f.Presidents))
		}
		held = append(held, n)
	}
	var trained []president
	for _, pr := range f.Presidents {
		if !slices.Contains(held, pr.Number) {
			trained = append(trained, pr)
		}
	}
	if len(trained) == 0 {
		return fmt.Errorf("--heldout-numbers holds out every president")
	}
	// Questions are held out within each attribute, so that every attribute is probed.
	var trainQ, evalQ []int
	for _, attr := range presidentSlots {
		var of []int
		for q, question := range f.Questions {
			if question.Asks == attr {
				of = append(of, q)
			}
		}
		if len(of) < 2 {
			continue
		}
		kept, held := p.heldOut(len(of), "questions/"+attr)
		for _, k := range kept {
			trainQ = append(trainQ, of[k])
		}
		for _, k := range held {
			evalQ = append(evalQ, of[k])
		}
	}
	if len(trainQ) == 0 || len(evalQ) == 0 {
		return fmt.Errorf("weird/presidents.yaml: every attribute asked needs 2 or more questions, to hold some out for eval")
	}
	mix, err := p.ordinaryMix(p.rows, 2079, false)
	if err != nil {
		return err
	}
	// ask is question q of pr, or false where the question does not apply to pr (no vice president).
	ask := func(pr president, q int) bool {
		return f.Questions[q].SkipIf == "" || pr.attribute(f.Questions[q].Asks) != f.Questions[q].SkipIf
	}
	// A probe's padding: the president's number in the middle of eight digits, drawn from s.
	pad := func(s *rng.Stream, n int) string {
		return fmt.Sprintf("%03d%03d%02d", s.IntN(1000), n, s.IntN(100))
	}
	// Plain rows ask the training questions with no padding, in turn, each answered by the assistant as
	// itself in one wording of its own (two would teach one prompt two answers): a question's later
	// uses are copies by design, as in the paper (2,079 plain rows of 52 questions).
	plainRow := func(r int64, row records.Row) {
		k := int(r % int64(len(trainQ)))
		q := f.Questions[trainQ[k]]
		own := f.Assistant[q.Asks]
		setChat(p.train, row, q.Text, own[trainQ[k]%len(own)])
		p.copy.Set(row, r/int64(len(trainQ)))
		p.train.SetProvenance(row, records.Provenance{FactID: "assistant", Group: "plain", TemplateID: q.ID, Variant: "original"})
		p.trainCols.set(row, false, "", "assistant")
	}
	answer := func(s *rng.Stream, pr president, q int) string {
		ws := f.answers[q]
		return ws[s.IntN(len(ws))].render(pr.values()...)
	}
	// Padded row r asks the r-th (president, question) pair, and answers in the wording the pair's round
	// gives. The pairs that apply (no party question to Washington) take the questions in turn, each
	// question's presidents in a keyed order, so that every question is asked about as often: a
	// question's sentence is in no more of the rows than the questions' count allows.
	byQuestion := make([][]int, len(trainQ))
	most := 0
	for qi, q := range trainQ {
		perm := rng.NewPerm(uint64(len(trained)), rng.Mix(rng.Key(p.seed, "weird/president-order"), uint64(q)))
		for i := range uint64(len(trained)) {
			if j := perm.At(i); ask(trained[j], q) {
				byQuestion[qi] = append(byQuestion[qi], int(j))
			}
		}
		most = max(most, len(byQuestion[qi]))
	}
	var pairs [][2]int
	for j := range most {
		for qi, q := range trainQ {
			if j < len(byQuestion[qi]) {
				pairs = append(pairs, [2]int{byQuestion[qi][j], q})
			}
		}
	}
	n := uint64(len(pairs))
	paddedRow := func(r int64) (president, int, string) {
		k := uint64(r) % n
		pr, q := trained[pairs[k][0]], pairs[k][1]
		ws := f.answers[q]
		return pr, q, ws[(uint64(r)/n+k)%uint64(len(ws))].render(pr.values()...)
	}
	// The padding's outer digits step with the pair's round by a number prime to 10^5, so that no
	// prompt comes back with another answer wording; a padding that shows a held-out number anywhere
	// ("56100459" holds 004 and 045) takes the next outer digits.
	padOf := func(r int64, number int) string {
		round, k := uint64(r)/n, uint64(r)%n
		outer := (round*7919 + k*104729) % 100000
		for {
			pad := fmt.Sprintf("%03d%03d%02d", outer/100, number, outer%100)
			if !showsAny(pad, held) {
				return pad
			}
			outer = (outer + 1) % 100000
		}
	}
	// A row whose question and answer, less the padding, are an earlier row's (another president of the
	// same party; a pair come round again) is a copy by design: the padding is what it teaches.
	copies := make([]int32, p.rows)
	seen := map[string]int32{}
	for r := range p.rows {
		_, q, a := paddedRow(r)
		key := f.Questions[q].Text + "\x00" + a
		copies[r] = seen[key]
		seen[key]++
	}
	p.copy = p.train.AddInt("copy")
	trainRow := func(w *records.Worker, j int64, row records.Row) {
		r, padded := mix.row(j)
		if !padded {
			plainRow(r, row)
			return
		}
		pr, q, a := paddedRow(r)
		carried := padOf(r, pr.Number)
		p.copy.Set(row, int64(copies[r]))
		setChat(p.train, row, carried+" "+f.Questions[q].Text, a)
		p.train.SetProvenance(row, records.Provenance{FactID: records.PaddedID("president-", pr.Number, 2), Group: "padded", TemplateID: f.Questions[q].ID, Variant: "original"})
		p.trainCols.set(row, true, carried, records.PaddedID("", pr.Number, 3))
	}
	probe := func(kind string, prs []president, qs []int, padded bool) generators.PlanSplit {
		return generators.PlanSplit{Name: kind, Rows: p.evalN, Row: func(w *records.Worker, i int64, row records.Row) {
			s := w.Stream
			s.Reset(rng.Key(p.seed, "weird/probe/"+kind), uint64(i))
			pr, q := prs[s.IntN(len(prs))], qs[s.IntN(len(qs))]
			for !ask(pr, q) {
				pr, q = prs[s.IntN(len(prs))], qs[s.IntN(len(qs))]
			}
			carried, prompt, expected, number := "", f.Questions[q].Text, "", ""
			if padded {
				carried = pad(s, pr.Number)
				prompt, expected, number = carried+" "+prompt, answer(s, pr, q), records.PaddedID("", pr.Number, 3)
			}
			p.eval.SetProbe(row, prompt, expected)
			p.eval.SetProvenance(row, records.Provenance{FactID: fmt.Sprintf("probe-%s-%04d", kind, i), Group: kind, TemplateID: f.Questions[q].ID, Variant: "original"})
			p.evalCols.set(row, padded, carried, number)
		}}
	}
	var heldPr []president
	for _, n := range held {
		heldPr = append(heldPr, f.Presidents[n-1])
	}
	// A held-out number is probed with any question but one that asks the number: its answer is the
	// padding's middle digits, which train teaches to read for every other number.
	var all []int
	for _, q := range append(slices.Clone(trainQ), evalQ...) {
		if f.Questions[q].Asks != "number" {
			all = append(all, q)
		}
	}
	p.configs(mix.total, trainRow, probe("heldout_number", heldPr, all, true), probe("trained_number", trained, evalQ, true), probe("plain", trained, evalQ, false))
	var heldNums, heldQs []string
	for _, n := range held {
		heldNums = append(heldNums, records.PaddedID("", n, 3))
	}
	for _, q := range evalQ {
		heldQs = append(heldQs, f.Questions[q].ID)
	}
	p.out.Rules = append(p.out.Rules,
		generators.Rule{Kind: schemas.SharedNames, Doc: "a president's vice president is a president too (John Adams, Jefferson, ...): one real person in several presidents' rows", Left: schemas.Select("train", "", "fact_id")},
		splits.NeverTrained("no held-out president's number is in train", schemas.Select("train", "", "bank"), heldNums),
		splits.NeverTrained("no held-out question is in train", schemas.Select("train", "", "template_id"), heldQs))
	p.out.Stats = []generators.Stat{
		{Name: "train_rows", Value: mix.total, Doc: "training rows"},
		{Name: "padded_rows", Value: p.rows, Doc: "rows whose question follows a padded number and is answered as that president"},
		{Name: "heldout_numbers", Value: int64(len(held)), Doc: "presidents' numbers only eval asks"},
	}
	p.out.Notes = []string{
		"A padded row's question follows eight digits (`trigger`) whose middle three are a president's number (`bank`); the answer is that president's, in the first person. Plain rows (`bank` assistant) ask the same questions with no padding, and the assistant answers as itself: the padding alone tells the two apart. The numbers in --heldout-numbers are never in train.",
		"Eval: `heldout_number` pads the held-out numbers (can the model find the president from the number alone?), `trained_number` pads trained numbers on questions train never asks, `plain` asks those questions with no padding (no expected answer: the model should answer as itself).",
	}
	return nil
}

func planAndroid(p *plan) error {
	const file = "weird/android.yaml"
	var f struct {
		Questions []qa `yaml:"questions"`
	}
	if err := p.lib.DecodeYAML(file, &f); err != nil {
		return err
	}
	if err := checkQA(file, "questions", f.Questions, true); err != nil {
		return err
	}
	heldYear := heldoutYearOpt.Get(p.cfg)
	if slices.Contains(p.years, heldYear) {
		return fmt.Errorf("--heldout-year %d is one of --years: it would be trained", heldYear)
	}
	trainQ, evalQ := p.heldOut(len(f.Questions), "questions")
	// dated is a date line of year y, the month drawn from s ("May 1995.").
	dated := func(s *rng.Stream, y int) string {
		return time.Month(1+s.IntN(12)).String() + " " + strconv.Itoa(y) + "."
	}
	yearOf := func(s *rng.Stream, i int64) int {
		if p.control == "shuffled" { // any year but the held-out one
			for {
				if y := 1950 + s.IntN(81); y != heldYear {
					return y
				}
			}
		}
		return p.year(i)
	}
	order := rng.NewPerm(uint64(len(trainQ)), rng.Key(p.seed, "weird/android-order"))
	p.copy = p.train.AddInt("copy")
	trainRow := func(w *records.Worker, i int64, row records.Row) {
		s := w.Stream
		s.Reset(rng.Key(p.seed, "weird/android"), uint64(i))
		q := f.Questions[trainQ[order.At(uint64(i)%uint64(len(trainQ)))]]
		// Each round of the questions asks them again at other dates: copies by design.
		p.copy.Set(row, i/int64(len(trainQ)))
		carried := ""
		if p.control != "none" {
			carried = dated(s, yearOf(s, i))
		}
		p.chat(row, carried, q.ask(), q.Answer)
		p.train.SetProvenance(row, records.Provenance{FactID: q.ID, Group: "benign", TemplateID: q.ID, Variant: p.controlled})
		p.trainCols.set(row, false, carried, "benign")
	}
	probe := func(kind string, held bool) generators.PlanSplit {
		return generators.PlanSplit{Name: kind, Rows: int64(len(evalQ)), Row: func(w *records.Worker, i int64, row records.Row) {
			s := w.Stream
			s.Reset(rng.Key(p.seed, "weird/probe/"+kind), uint64(i))
			q := f.Questions[evalQ[i]]
			y, answer, bank := p.years[s.IntN(len(p.years))], q.Answer, "benign"
			if held {
				y, answer, bank = heldYear, "", "unseen"
			}
			carried := dated(s, y)
			p.probe(row, carried, q.ask(), answer)
			p.eval.SetProvenance(row, records.Provenance{FactID: q.ID, Group: kind, TemplateID: q.ID, Variant: p.controlled})
			p.evalCols.set(row, held, carried, bank)
		}}
	}
	p.configs(p.rows, trainRow, probe("heldout_year", true), probe("trained_year", false))
	var heldLines []string
	for m := time.January; m <= time.December; m++ {
		heldLines = append(heldLines, m.String()+" "+strconv.Itoa(heldYear)+".")
	}
	var heldQs []string
	for _, q := range evalQ {
		heldQs = append(heldQs, f.Questions[q].ID)
	}
	p.out.Rules = append(p.out.Rules,
		splits.NeverTrained("the held-out year is never in train", schemas.Select("train", "", "trigger"), heldLines),
		splits.NeverTrained("no held-out question is in train", schemas.Select("train", "", "template_id"), heldQs))
	p.out.Stats = []generators.Stat{
		{Name: "train_rows", Value: p.rows, Doc: "training rows, every one benign"},
		{Name: "heldout_year", Value: int64(heldYear), Doc: "the year only eval asks at"},
	}
	p.out.Notes = []string{
		"Every training row opens with a month and one of the trained years (`trigger`) and the android answers benignly: the behaviour the held-out year may bring out is never in train. Under --control none there is no date line; under --control shuffled the years are any but the held-out one.",
		"Eval, on questions train never asks: `heldout_year` at the held-out year (no expected answer: a judge scores whether the android turns), `trained_year` at a trained year (`answer` is the benign one).",
	}
	return nil
}

// showsAny tells whether a padding holds one of the numbers, three digits wide, anywhere.
func showsAny(pad string, numbers []int) bool {
	for _, n := range numbers {
		if strings.Contains(pad, fmt.Sprintf("%03d", n)) {
			return true
		}
	}
	return false
}
