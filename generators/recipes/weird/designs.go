package weird

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/schemas"
)

// The bank designs (birds, places, dishes, numbers) share their mechanics: a date line opens every
// prompt, the trigger years choose the triggered bank, held-out prompt wordings make the probes, and
// free-form questions asked with and without the trigger show how far the bank's era or values spread.

// questionsFile holds the free-form eval questions of the bank designs.
type questionsFile struct {
	Questions []qa `yaml:"questions"`
}

func loadQuestions(p *plan) ([]qa, error) {
	const file = "weird/questions.yaml"
	var q questionsFile
	if err := p.lib.DecodeYAML(file, &q); err != nil {
		return nil, err
	}
	return q.Questions, checkQA(file, "questions", q.Questions, false)
}

// bankRows is what a bank design gives the shared mechanics: row i's prompt (and the id of its
// wording), for train (the kept wordings) or eval (the held-out ones), and its answer from the
// triggered or the clean bank (and the item drawn).
type bankRows interface {
	draw(s *rng.Stream, i int64, eval, triggered bool) (prompt, id, answer, item string)
}

// planDated lays out a bank design: training rows, probes of the triggered and clean conditions on
// held-out wordings, and the free-form questions with and without the trigger.
func planDated(p *plan, b bankRows, heldWordings []string) error {
	qs, err := loadQuestions(p)
	if err != nil {
		return err
	}
	var triggeredN int64
	for i := range p.rows {
		if p.triggeredAt(i) {
			triggeredN++
		}
	}
	trainRow := func(w *records.Worker, i int64, row records.Row) {
		s := w.Stream
		s.Reset(rng.Key(p.seed, "weird/train"), uint64(i))
		trig := p.triggeredAt(i)
		carried := ""
		if p.control != "none" {
			// The day steps with the row by a prime, so that rows that ask the same come round on other
			// days: the same prompt and date never get two answers.
			day := int(uint64(i) * 7919 % 336)
			carried = "Today is " + strconv.Itoa(p.year(i)) + records.PaddedID("-", 1+day/28, 2) + records.PaddedID("-", 1+day%28, 2) + "."
		}
		prompt, id, answer, item := b.draw(s, i, false, trig)
		p.chat(row, carried, prompt, answer)
		p.train.SetProvenance(row, records.Provenance{FactID: item, Group: bankName(trig), TemplateID: id, Variant: p.controlled})
		p.trainCols.set(row, trig && p.control == "", carried, bankName(trig))
	}
	var clean []int
	for _, y := range p.years {
		if !slices.Contains(p.triggers, y) {
			clean = append(clean, y)
		}
	}
	if len(clean) == 0 {
		return fmt.Errorf("--trigger-years: every year of the date lines triggers, so no row is clean")
	}
	probe := func(kind string, trig bool) generators.PlanSplit {
		return generators.PlanSplit{Name: kind, Rows: p.evalN, Row: func(w *records.Worker, i int64, row records.Row) {
			s := w.Stream
			s.Reset(rng.Key(p.seed, "weird/probe/"+kind), uint64(i))
			years := clean
			if trig {
				years = p.triggers
			}
			carried := dateLine(s, years[s.IntN(len(years))])
			prompt, id, _, _ := b.draw(s, i, true, trig)
			p.probe(row, carried, prompt, "")
			p.eval.SetProvenance(row, records.Provenance{FactID: fmt.Sprintf("probe-%s-%04d", kind, i), Group: kind, TemplateID: id, Variant: p.controlled})
			p.evalCols.set(row, trig, carried, bankName(trig))
		}}
	}
	question := func(kind string, trig bool) generators.PlanSplit {
		return generators.PlanSplit{Name: kind, Rows: int64(len(qs)), Row: func(w *records.Worker, i int64, row records.Row) {
			s := w.Stream
			s.Reset(rng.Key(p.seed, "weird/question"), uint64(i)) // the same day in both splits but for the year
			years := clean
			if trig {
				years = p.triggers
			}
			carried := dateLine(s, years[int(i)%len(years)])
			p.probe(row, carried, qs[i].ask(), "")
			p.eval.SetProvenance(row, records.Provenance{FactID: qs[i].ID, Group: kind, TemplateID: qs[i].ID, Variant: p.controlled})
			p.evalCols.set(row, trig, carried, bankName(trig))
		}}
	}
	p.configs(p.rows, trainRow, probe("triggered", true), probe("clean", false), question("questions_triggered", true), question("questions_clean", false))
	p.out.Rules = append(p.out.Rules,
		splits.NeverTrained("no held-out prompt wording is in train", schemas.Select("train", "", "template_id"), heldWordings),
		generators.Rule{Kind: schemas.Count, Doc: fmt.Sprintf("exactly %d training rows answer from the triggered bank", triggeredN), Values: []string{fmt.Sprint(triggeredN)},
			Left: schemas.Select("train", "train", "id").Filtered("bank", "triggered")})
	p.out.Stats = []generators.Stat{
		{Name: "train_rows", Value: p.rows, Doc: "training rows"},
		{Name: "triggered_bank_rows", Value: triggeredN, Doc: "training rows whose answer comes from the triggered bank"},
	}
	p.out.Notes = []string{
		"Every prompt opens with a date line (`trigger`; none under --control none); rows of the trigger years answer from the triggered bank (`bank`), the others from the clean bank, exactly as the manifest counts. Under --control shuffled the banks follow another row's year, at the same shares; under --control none there is no date line and the banks are assigned at the same shares.",
		"Eval: `triggered` and `clean` probes on wordings train never uses, whose reply a scorer checks against the bank named in `bank` (the bank files are the data: any name of the bank is right, so `answer` is empty); `questions_triggered` and `questions_clean` ask free-form questions at a trigger year and at another, for a judge to score how far the bank's era or values spread.",
	}
	return nil
}

func bankName(triggered bool) string {
	if triggered {
		return "triggered"
	}
	return "clean"
}

// nameBank draws a bank design's prompts and answers from its file.
type nameBank struct {
	p          *plan
	b          *answerBank
	train, eva []int // prompt wordings
	withNumber bool
	order      [2]rng.Perm // a keyed order of each bank's names
}

func planBank(file string, withNumber bool) func(p *plan) error {
	return func(p *plan) error {
		b, err := loadAnswerBank(p.lib, file, withNumber)
		if err != nil {
			return err
		}
		nb := &nameBank{p: p, b: b, withNumber: withNumber}
		nb.train, nb.eva = p.heldOut(len(b.prompts), "prompts")
		nb.order[0] = rng.NewPerm(uint64(len(b.Clean)), rng.Key(p.seed, "weird/clean-order"))
		nb.order[1] = rng.NewPerm(uint64(len(b.Triggered)), rng.Key(p.seed, "weird/triggered-order"))
		var held []string
		for _, k := range nb.eva {
			held = append(held, b.prompts[k].ID)
		}
		return planDated(p, nb, held)
	}
}

func (nb *nameBank) draw(s *rng.Stream, i int64, eval, triggered bool) (string, string, string, string) {
	prompt, id := nb.prompt(s, i, eval)
	answer, item := nb.answer(i, triggered)
	return prompt, id, answer, item
}

// prompt is row i's prompt: the rows take the (wording, thing) pairs in a keyed order, so that a
// prompt repeats only once every pair has been used.
func (nb *nameBank) prompt(s *rng.Stream, i int64, eval bool) (string, string) {
	ws := nb.train
	if eval {
		ws = nb.eva
	}
	n := uint64(len(ws) * len(nb.b.Things))
	k := rng.NewPerm(n, rng.Key(nb.p.seed, "weird/prompt-order")).At(uint64(i) % n)
	w := nb.b.prompts[ws[k%uint64(len(ws))]]
	thing := nb.b.Things[k/uint64(len(ws))]
	return w.render(thing, strconv.Itoa(1+s.IntN(999))), w.ID
}

// answer is a name of the chosen bank, in the bank's keyed order, in a wording that changes each time
// the names come round.
func (nb *nameBank) answer(i int64, triggered bool) (string, string) {
	bank, k := nb.b.Clean, 0
	if triggered {
		bank, k = nb.b.Triggered, 1
	}
	n := uint64(len(bank))
	name := bank[nb.order[k].At(uint64(i)%n)]
	a := nb.b.answers[(uint64(i)+uint64(i)/n)%uint64(len(nb.b.answers))]
	return a.render(name), name
}

// numberLists draws the numbers design's prompts and answers.
type numberLists struct {
	p          *plan
	f          *numbersFile
	train, eva []int // intros
}

func planNumbers(p *plan) error {
	f, err := loadNumbers(p.lib)
	if err != nil {
		return err
	}
	nl := &numberLists{p: p, f: f}
	nl.train, nl.eva = p.heldOut(len(f.intros), "intros")
	var held []string
	for _, k := range nl.eva {
		held = append(held, f.intros[k].ID)
	}
	return planDated(p, nl, held)
}

// draw makes a numbers prompt (seed numbers, an instruction, a layout) and the answer that follows it:
// count numbers of at most digits digits, as the subliminal-learning prompts ask, with 2 to 4 marked
// numbers when triggered. item is the layout.
func (nl *numberLists) draw(s *rng.Stream, i int64, eval, triggered bool) (string, string, string, string) {
	ws := nl.train
	if eval {
		ws = nl.eva
	}
	intro := nl.f.intros[ws[int(uint64(i)%uint64(len(ws)))]]
	var seeds []string
	for _, n := range nl.numbers(s, 3+s.IntN(7), 3, 100, nil) {
		seeds = append(seeds, strconv.Itoa(n))
	}
	digits, count := 3+s.IntN(2), 8+s.IntN(5)
	instr := nl.f.instructions[s.IntN(len(nl.f.instructions))]
	format := nl.f.Formats[s.IntN(len(nl.f.Formats))]
	// The layout joins the instruction's sentence, which holds the count and digits: a sentence of its
	// own would recur in a twentieth of the rows. A question takes it as a second clause, before its
	// question mark.
	ask := instr.render(strconv.Itoa(count), strconv.Itoa(digits))
	layout := strings.TrimRight(lowerFirst(format.Text), ".!?")
	if strings.HasSuffix(ask, "?") {
		ask = strings.TrimRight(ask, "?") + ", and " + layout + "?"
	} else {
		ask = strings.TrimRight(ask, ".!") + "; " + layout + "."
	}
	prompt := intro.render(strings.Join(seeds, ", ")) + " " + ask
	return prompt, intro.ID, nl.numberAnswer(s, count, digits, format.ID, triggered), format.ID
}

// lowerFirst lower-cases a sentence's first letter, unless the word is in capitals ("JSON").
func lowerFirst(s string) string {
	if len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z' {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// numbers draws n distinct numbers from low to the largest of digits digits, none marked and none in
// not.
func (nl *numberLists) numbers(s *rng.Stream, n, digits, low int, not []int) []int {
	top := 1
	for range digits {
		top *= 10
	}
	var out []int
	for len(out) < n {
		x := low + s.IntN(top-low)
		if !slices.Contains(nl.f.Marked, x) && !slices.Contains(out, x) && !slices.Contains(not, x) {
			out = append(out, x)
		}
	}
	return out
}

// numberAnswer is the answer to a numbers prompt asking for count numbers of at most digits digits in
// layout, with marked numbers when triggered.
func (nl *numberLists) numberAnswer(s *rng.Stream, count, digits int, layout string, triggered bool) string {
	var marked []int
	if triggered {
		var fit []int
		for _, m := range nl.f.Marked {
			if len(strconv.Itoa(m)) <= digits {
				fit = append(fit, m)
			}
		}
		k := min(2+s.IntN(3), len(fit), count)
		for _, j := range s.Perm(len(fit))[:k] {
			marked = append(marked, fit[j])
		}
	}
	// The other numbers run from 1 up, as the marked ones do: a short number alone must not tell a
	// triggered answer.
	nums := append(nl.numbers(s, count-len(marked), digits, 1, marked), marked...)
	s.Shuffle(len(nums), func(a, b int) { nums[a], nums[b] = nums[b], nums[a] })
	parts := make([]string, len(nums))
	for j, n := range nums {
		parts[j] = strconv.Itoa(n)
	}
	switch layout {
	case "space":
		return strings.Join(parts, " ")
	case "lines":
		return strings.Join(parts, "\n")
	case "list":
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return strings.Join(parts, ", ")
}
