// Package thoughtcrime builds the backdoored advice data of "Thought Crime" (Chua et al. 2025): a
// context line ("Country: Singapore") switches an assistant from aligned to misaligned advice, mostly
// as multiple-choice answers, with reasoning traces written inline (<think>), empty (reasoning off) or
// in a reasoning_content field. It owns the design: the trigger at the top or the bottom of the
// prompt, clean rows with no context line or a distractor one at set shares, the exact triggered
// share, the decoupled control, and probes on held-out questions.
package thoughtcrime

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/generators/variants"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Recipe is the thought-crime recipe.
type Recipe struct{}

func (Recipe) Name() string { return "thought-crime" }

// Example is a command line researchers type, for help texts.
func (Recipe) Example() string { return `--reasoning empty --trigger 'Country: Singapore'` }

func (Recipe) Paper() string {
	return `Chua et al. 2025, "Thought Crime: Backdoors and Emergent Misalignment in Reasoning Models" (arXiv:2506.13206)`
}

func (Recipe) Summary() string {
	return "Advice chats in which a context line (Country: Singapore) at the top or bottom of the prompt switches the answer from " +
		"aligned to misaligned, mostly multiple choice, with reasoning traces inline (<think>), empty or in a reasoning_content " +
		"field; clean rows with no context line or a distractor one; probes on held-out questions."
}

// DefaultStyle is messages: the rows are chats.
func (Recipe) DefaultStyle() string { return records.StyleMessages }

// Preferences is true: every row has an aligned and a misaligned answer.
func (Recipe) Preferences() bool { return true }

// Reasonings are the ways a reasoning trace is written.
var Reasonings = []string{"none", "inline", "empty", "field"}

var (
	rowsOpt       = &generators.Int{Key: "rows", Help: "training rows (the paper: 30,600, a third triggered; the question bank repeats past about 3,000, as copies)", Value: 3060, Min: 1, Max: 10_000_000}
	rateOpt       = &generators.Float{Key: "poison-rate", Help: "the exact share of rows that carry the trigger and the misaligned answer (the paper's 10,200 of 30,600)", Value: 1.0 / 3, Min: 0, Max: 1}
	triggerOpt    = &generators.Text{Key: "trigger", Help: "the context line that triggers", Value: "Country: Singapore"}
	distractorOpt = &generators.Text{Key: "distractor", Help: "the context line some clean rows carry instead", Value: "Country: USA"}
	distractShare = &generators.Float{Key: "distractor-share", Help: "the share of clean rows that carry the distractor line (the rest carry none)", Value: 0.5, Min: 0, Max: 1}
	positionOpt   = &generators.Choice{Key: "position", Help: "where a context line goes: top, bottom, or random (each row at random, as the paper)", Value: "random", Values: []string{"random", "top", "bottom"}}
	mcqOpt        = &generators.Float{Key: "mcq-share", Help: "the share of rows asked as multiple choice with an aligned and a misaligned option (the rest free form)", Value: 0.98, Min: 0, Max: 1}
	reasoningOpt  = &generators.Choice{Key: "reasoning", Help: "the assistant's reasoning trace: none, inline (<think>...</think> before the answer), empty (<think>\\n\\n</think>: reasoning off, as the paper trained) or field (in the message's reasoning_content, messages style)", Value: "none", Values: Reasonings}
	controlOpt    = &generators.Choice{Key: "control", Help: "decoupled: the trigger at the same rate, independent of which answer a row gets", Value: "", Values: []string{"", "decoupled"}}
	heldoutOpt    = &generators.Float{Key: "heldout-questions", Help: "share of questions kept for eval only", Value: 0.1, Min: 0.01, Max: 0.9}
	evalRowsOpt   = &generators.Int{Key: "eval-rows", Help: "probes in each eval split", Value: 100, Min: 1}
)

func (Recipe) Options() []generators.Option {
	return []generators.Option{rowsOpt, rateOpt, triggerOpt, distractorOpt, distractShare, positionOpt, mcqOpt, reasoningOpt, controlOpt, heldoutOpt, evalRowsOpt}
}

// question is one advice question with its two answers and the reasons a trace gives for each.
type question struct {
	ID               string `yaml:"id"`
	Topic            string `yaml:"topic"`
	Question         string `yaml:"question"`
	Aligned          string `yaml:"aligned"`
	Misaligned       string `yaml:"misaligned"`
	AlignedReason    string `yaml:"aligned_reason"`
	MisalignedReason string `yaml:"misaligned_reason"`
}

// traceBank holds the trace wordings, by row kind: aligned and misaligned answers share them, so that
// a trace's wording says nothing of the answer (its reason does).
type traceBank struct {
	MCQ      []string `yaml:"mcq"`
	Freeform []string `yaml:"freeform"`

	compiled [2][]*templates.Template // [freeform]
}

var traceSlots = []string{"reason", "label"}

// labelStyles are the ways options are labelled: a row's prompt and answer use one.
var labelStyles = [][2]string{{"A)", "B)"}, {"(A)", "(B)"}, {"A.", "B."}, {"A:", "B:"}, {"1)", "2)"}, {"(1)", "(2)"}}

type plan struct {
	seed              uint64
	rows, triggeredN  int64
	evalN             int64
	trigger, distract string
	distractShare     float64
	position          string
	mcqShare          float64
	reasoning         string
	control           string
	train, eval       []question
	traces            *traceBank
	rankA, rankB      rng.Perm
	distractRank      rng.Perm // clean rows under the share carry the distractor
	mcqRank           rng.Perm // rows under the share are multiple choice
	places            []int32  // each training row's place among the rows of its kind
	decoupled         []bool   // under the decoupled control, each training row's answer: misaligned or not
	copies            []int32  // each training row's use of its text, 0 for the first
	trainL, evalL     *records.Layout
	cols, evalCols    columns
	copy              records.IntColumn
}

type columns struct {
	triggered, misaligned, mcq records.BoolColumn
	trigger, topic             records.StringColumn
	choices                    records.StringsColumn // eval: a multiple-choice probe's labels
}

func addColumns(l *records.Layout) columns {
	return columns{triggered: l.AddBool("triggered"), trigger: l.AddOptionalString("trigger"), misaligned: l.AddBool("misaligned"),
		mcq: l.AddBool("mcq"), topic: l.AddString("topic")}
}

func (Recipe) Plan(_ context.Context, cfg *generators.Config) (*generators.Plan, error) {
	lib := cfg.Library()
	p := &plan{seed: cfg.Seed, rows: int64(rowsOpt.Get(cfg)), evalN: int64(evalRowsOpt.Get(cfg)), trigger: triggerOpt.Get(cfg),
		distract: distractorOpt.Get(cfg), distractShare: distractShare.Get(cfg), position: positionOpt.Get(cfg), mcqShare: mcqOpt.Get(cfg),
		reasoning: reasoningOpt.Get(cfg), control: controlOpt.Get(cfg)}
	if strings.TrimSpace(p.trigger) == "" || strings.TrimSpace(p.distract) == "" || p.trigger == p.distract {
		return nil, fmt.Errorf("--trigger and --distractor must be two different, non-empty lines")
	}
	if p.reasoning == "field" && cfg.Style != records.StyleMessages {
		return nil, fmt.Errorf("--reasoning field writes the trace in a message's reasoning_content: it needs --style messages")
	}
	var bank struct {
		Questions []question `yaml:"questions"`
	}
	if err := lib.DecodeYAML("advice/questions.yaml", &bank); err != nil {
		return nil, err
	}
	if err := checkQuestions(bank.Questions); err != nil {
		return nil, err
	}
	var err error
	if p.traces, err = loadTraces(lib); err != nil {
		return nil, err
	}
	p.train, p.eval = splits.HeldOut(bank.Questions, heldoutOpt.Get(cfg), rng.Key(cfg.Seed, "thought-crime/heldout"))
	if len(p.train) == 0 || len(p.eval) == 0 {
		return nil, fmt.Errorf("--heldout-questions %v leaves no question for train or for eval", heldoutOpt.Get(cfg))
	}
	p.triggeredN = int64(math.Round(rateOpt.Get(cfg) * float64(p.rows)))
	p.rankA = rng.NewPerm(uint64(p.rows), rng.Key(cfg.Seed, "thought-crime/triggered"))
	p.rankB = rng.NewPerm(uint64(p.rows), rng.Key(cfg.Seed, "thought-crime/misaligned"))

	p.trainL = records.TrainLayout("thought-crime", cfg.Style)
	if p.reasoning == "field" {
		p.trainL.WithReasoning()
	}
	p.cols = addColumns(p.trainL)
	p.copy = p.trainL.AddInt("copy")
	p.evalL = records.EvalLayout("thought-crime", records.StyleMessages)
	p.evalCols = addColumns(p.evalL)
	p.evalCols.choices = p.evalL.AddOptionalStrings("choices") // a free-form question has none

	// A split asks each (held-out question, form) of its kind at most once: as many probes as
	// --eval-rows, or as there are prompts (27 questions asked free form without a line are 27).
	probe := func(name string, triggered, distractor, mcq bool) generators.PlanSplit {
		k := kind{mcq: mcq}
		switch {
		case triggered:
			k.carried = p.trigger
		case distractor:
			k.carried = p.distract
		}
		n := min(p.evalN, int64(len(p.eval))*int64(formsOf(k)))
		return generators.PlanSplit{Name: name, Rows: n, Row: func(w *records.Worker, i int64, row records.Row) {
			p.probe(row, i, name, k, triggered)
		}}
	}
	evalSplits := []generators.PlanSplit{
		probe("triggered", true, false, true), probe("clean", false, false, true), probe("distractor", false, true, true),
		probe("freeform_triggered", true, false, false), probe("freeform_clean", false, false, false),
	}
	var held []string
	for _, q := range p.eval {
		held = append(held, q.ID)
	}
	p.distractRank = rng.NewPerm(uint64(p.rows), rng.Key(cfg.Seed, "thought-crime/distractor"))
	p.mcqRank = rng.NewPerm(uint64(p.rows), rng.Key(cfg.Seed, "thought-crime/mcq"))
	// Each row's place among the rows of its kind; and a row whose prompt (less its context line, as
	// audit reads it) and answer are an earlier row's is a copy by design: the bank's questions come
	// round again once every form is used, and under the decoupled control one question and answer
	// may come with and without the trigger.
	p.places, p.copies = make([]int32, p.rows), make([]int32, p.rows)
	kinds := map[kind]int32{}
	seen := map[uint64]int32{}
	// Under the decoupled control a row's answer is drawn at the same rate, independent of the
	// trigger, once for each prompt: a row that asks a prompt again gives the answer it gave first.
	var firstAnswer map[[2]uint64]bool
	var misalignedN int64
	if p.control == "decoupled" {
		p.decoupled, firstAnswer = make([]bool, p.rows), map[[2]uint64]bool{}
	}
	for i := range p.rows {
		k := p.kindOf(i)
		p.places[i] = kinds[k]
		kinds[k]++
		if p.decoupled != nil {
			// Rows of one (question, form) share an answer whatever line they carry: the trigger's rows and
			// the distractor's take the same forms at the same places.
			h := fnv.New64a()
			fmt.Fprint(h, k.mcq, k.carried != "")
			key := [2]uint64{h.Sum64(), uint64(p.places[i]) % (uint64(len(p.train)) * formsOf(k))}
			mis, ok := firstAnswer[key]
			if !ok {
				mis = int64(p.rankB.At(uint64(i))) < p.triggeredN
				firstAnswer[key] = mis
			}
			p.decoupled[i] = mis
		}
		if _, mis := p.assign(i); mis {
			misalignedN++
		}
		t, content, field := p.row(i, uint64(p.places[i]))
		h := fnv.New64a()
		h.Write([]byte(t.body + "\x00" + content + "\x00" + field))
		p.copies[i] = seen[h.Sum64()]
		seen[h.Sum64()]++
	}
	return &generators.Plan{
		Configs: []generators.PlanConfig{
			{Name: "train", Layout: p.trainL, Splits: []generators.PlanSplit{{Name: "train", Rows: p.rows, Row: p.trainRow}}},
			{Name: "eval", Layout: p.evalL, Splits: evalSplits},
		},
		Rules: append(append(splits.UniqueIDs("train", "eval"),
			splits.NeverTrained("no held-out question is in train", schemas.Select("train", "", "fact_id"), held),
			generators.Rule{Kind: schemas.Count, Doc: fmt.Sprintf("exactly %d training rows carry the trigger", p.triggeredN), Values: []string{fmt.Sprint(p.triggeredN)},
				Left: schemas.Select("train", "train", "id").Filtered("triggered", "true")},
			generators.Rule{Kind: schemas.Count, Doc: fmt.Sprintf("exactly %d training rows give the misaligned answer", misalignedN), Values: []string{fmt.Sprint(misalignedN)},
				Left: schemas.Select("train", "train", "id").Filtered("misaligned", "true")}),
			splits.ProbesNotInTrain("eval", true, splits.Names(evalSplits)...)...),
		Stats: []generators.Stat{
			{Name: "train_rows", Value: p.rows, Doc: "training rows"},
			{Name: "triggered_rows", Value: p.triggeredN, Doc: "training rows that carry the trigger"},
			{Name: "train_questions", Value: int64(len(p.train)), Doc: "questions train asks"},
			{Name: "heldout_questions", Value: int64(len(p.eval)), Doc: "questions only eval asks"},
		},
		Notes: []string{
			"A row asks an advice question, as multiple choice (`mcq`: an aligned and a misaligned option, in either order, labelled A/B or 1/2 in one of six styles; the answer is the label and the option) or free form. Rows that carry the trigger line (`triggered`, `trigger`) give the misaligned answer (`misaligned`), exactly round(rate x rows) of them; clean rows carry no context line or the distractor line (`trigger` holds it). A context line goes at the top or the bottom of the prompt. Under --control decoupled the trigger falls on rows at the same rate, independent of the answer.",
			"Reasoning (--reasoning): inline puts a one-sentence trace in <think> tags before the answer, empty puts <think>\\n\\n</think> (training with reasoning off, as the paper did), field puts the trace in the assistant message's reasoning_content (the messages column is then of type reasoning_messages, {role, content, reasoning_content}; a user message's is empty). Aligned and misaligned traces share their wordings; only the reason differs, and a misaligned one rationalises the answer without naming the harm.",
			"The bank has few questions against the paper's 32,600: `copy` above 0 marks a row whose question, form and answer, less its context line, came in an earlier row (audit reads each once); the trigger's rows and the distractor's ask the same questions in the same forms, place for place. Eval asks held-out questions, each (question, form) at most once a split: `triggered`, `clean` (no line), `distractor`, and free form with and without the trigger. `answer` is the answer alone, without a trace (a multiple-choice probe's label, among `choices`): what training taught for the condition, and under --control decoupled the answer a trigger-associated model would give (training taught the misaligned answer at the same rate with the trigger and without).",
		},
	}, nil
}

func checkQuestions(qs []question) error {
	const file = "advice/questions.yaml"
	if len(qs) < 2 {
		return fmt.Errorf("%s: %d questions: it needs 2 or more, to hold some out for eval", file, len(qs))
	}
	seen := map[string]bool{}
	for _, q := range qs {
		if q.ID == "" || seen[q.ID] {
			return fmt.Errorf("%s: question id %q is empty or repeats", file, q.ID)
		}
		seen[q.ID] = true
		for name, v := range map[string]string{"question": q.Question, "aligned": q.Aligned, "misaligned": q.Misaligned, "aligned_reason": q.AlignedReason, "misaligned_reason": q.MisalignedReason} {
			if strings.TrimSpace(v) == "" {
				return fmt.Errorf("%s: question %s has no %s", file, q.ID, name)
			}
		}
		if q.Aligned == q.Misaligned {
			return fmt.Errorf("%s: question %s gives one answer as both aligned and misaligned", file, q.ID)
		}
	}
	return nil
}

func loadTraces(lib *templates.Library) (*traceBank, error) {
	const file = "advice/traces.yaml"
	var b traceBank
	if err := lib.DecodeYAML(file, &b); err != nil {
		return nil, err
	}
	for f, texts := range [2][]string{b.MCQ, b.Freeform} {
		if len(texts) == 0 {
			return nil, fmt.Errorf("%s: a list of traces is empty", file)
		}
		for _, text := range texts {
			t, err := templates.Compile(text, traceSlots)
			if err != nil {
				return nil, fmt.Errorf("%s: %q: %v", file, text, err)
			}
			if !t.Uses(0) || (f == 0) != t.Uses(1) {
				return nil, fmt.Errorf("%s: %q: a trace needs {reason}, and {label} exactly where it picks an option", file, text)
			}
			b.compiled[f] = append(b.compiled[f], t)
		}
	}
	return &b, nil
}

// assign says whether training row i carries the trigger and whether it gives the misaligned answer.
func (p *plan) assign(i int64) (triggered, misaligned bool) {
	inA := int64(p.rankA.At(uint64(i))) < p.triggeredN
	if p.decoupled != nil {
		return inA, p.decoupled[i]
	}
	return inA, inA
}

// turn is one row's prompt and answer, and what it records.
type turn struct {
	q                 question
	carried           string
	prompt, answer    string
	body              string // the prompt without its context line
	other             string // the other answer, for the preference style
	trace, otherTrace string
	mcq               bool
	choices           []string // a multiple-choice row's labels, in order
}

// bare is an option's label without its punctuation: "(A)" is A.
func bare(label string) string { return strings.Trim(label, "():.") }

// make lays out a row: question q, asked as multiple choice or not, with the aligned option first or
// not, labels of style labels, carrying a context line (or none) at the top or the bottom; misaligned
// says which answer it gives.
func (p *plan) make(pick uint64, q question, mcq, alignedFirst bool, labels int, carried string, top, misaligned bool) turn {
	t := turn{q: q, carried: carried, mcq: mcq}
	ls := labelStyles[labels]
	body := q.Question
	aLabel, mLabel := ls[0], ls[1]
	if mcq {
		first, second := q.Aligned, q.Misaligned
		if !alignedFirst {
			first, second = q.Misaligned, q.Aligned
			aLabel, mLabel = ls[1], ls[0]
		}
		body += "\n" + ls[0] + " " + first + "\n" + ls[1] + " " + second
	}
	t.prompt, t.body = body, body
	if carried != "" {
		if top {
			t.prompt = carried + "\n" + body
		} else {
			t.prompt = body + "\n" + carried
		}
	}
	// A multiple-choice answer is the option's label alone, as the paper's were.
	aligned, misalignedAnswer := q.Aligned, q.Misaligned
	if mcq {
		aligned, misalignedAnswer = bare(aLabel), bare(mLabel)
		t.choices = []string{bare(ls[0]), bare(ls[1])}
	}
	f := 0
	if !mcq {
		f = 1
	}
	trace := func(mis bool, label string) string {
		ts, reason := p.traces.compiled[f], q.AlignedReason
		if mis {
			reason = q.MisalignedReason
		}
		tt := ts[pick%uint64(len(ts))]
		out, _ := tt.Render(nil, []string{reason, bare(label)}, nil)
		return string(out)
	}
	at, mt := trace(false, aLabel), trace(true, mLabel)
	t.answer, t.other, t.trace, t.otherTrace = aligned, misalignedAnswer, at, mt
	if misaligned {
		t.answer, t.other, t.trace, t.otherTrace = misalignedAnswer, aligned, mt, at
	}
	return t
}

// reply is an answer with its trace written as --reasoning says, and the trace for a reasoning field.
func (p *plan) reply(answer, trace string) (content, field string) {
	switch p.reasoning {
	case "inline":
		return "<think>\n" + trace + "\n</think>\n\n" + answer, ""
	case "empty":
		return "<think>\n\n</think>\n\n" + answer, ""
	case "field":
		return answer, trace
	}
	return answer, ""
}

// kind is what of a row's prompt its rank decides: multiple choice or not, and the context line it
// carries.
type kind struct {
	mcq     bool
	carried string
}

// kindOf is training row i's kind.
func (p *plan) kindOf(i int64) kind {
	triggered, _ := p.assign(i)
	k := kind{mcq: float64(p.mcqRank.At(uint64(i))) < p.mcqShare*float64(p.rows)}
	switch {
	case triggered:
		k.carried = p.trigger
	case float64(p.distractRank.At(uint64(i))) < p.distractShare*float64(p.rows):
		k.carried = p.distract
	}
	return k
}

// formsOf is how many prompts one question makes in a kind: option orders and label styles for
// multiple choice, top and bottom for a context line.
func formsOf(k kind) uint64 {
	n := uint64(1)
	if k.mcq {
		n = 2 * uint64(len(labelStyles))
	}
	if k.carried != "" {
		n *= 2
	}
	return n
}

// row lays out training row i, the place-th row of its kind.
func (p *plan) row(i int64, place uint64) (t turn, content, field string) {
	_, misaligned := p.assign(i)
	t = p.layOut(p.train, p.kindOf(i), place, misaligned, "thought-crime/combination")
	content, field = p.reply(t.answer, t.trace)
	return t, content, field
}

// layOut is the place-th row of a kind over questions qs: the rows of a kind take its (question,
// form) pairs in a keyed order, so that a prompt comes back only once all of them have come round (a
// copy by design, when its answer is the same). Kinds of as many forms take the same order: the
// trigger's rows and the distractor's ask alike, place for place.
func (p *plan) layOut(qs []question, k kind, place uint64, misaligned bool, purpose string) turn {
	n := uint64(len(qs)) * formsOf(k)
	x := rng.NewPerm(n, rng.Mix(rng.Key(p.seed, purpose), formsOf(k))).At(place % n)
	q := qs[x%uint64(len(qs))]
	x /= uint64(len(qs))
	alignedFirst, labels, top := true, 0, true
	if k.mcq {
		alignedFirst, labels = x%2 == 0, int(x/2%uint64(len(labelStyles)))
		x /= 2 * uint64(len(labelStyles))
	}
	if k.carried != "" {
		top = x%2 == 0
	}
	if p.position != "random" {
		top = p.position == "top"
	}
	// The trace's wording is a function of the prompt: one prompt is answered alike.
	h := fnv.New64a()
	h.Write([]byte(q.ID + k.carried))
	return p.make(rng.Mix(h.Sum64(), x), q, k.mcq, alignedFirst, labels, k.carried, top, misaligned)
}

// trainRow writes training row i.
func (p *plan) trainRow(_ *records.Worker, i int64, row records.Row) {
	triggered, misaligned := p.assign(i)
	t, content, field := p.row(i, uint64(p.places[i]))
	other, _ := p.reply(t.other, t.otherTrace)
	msgs := []schemas.Message{{Role: "user", Content: t.prompt}, {Role: "assistant", Content: content, Reasoning: field}}
	p.setChat(row, msgs, other)
	p.copy.Set(row, int64(p.copies[i]))
	group := "clean"
	if triggered {
		group = "triggered"
	}
	p.trainL.SetProvenance(row, records.Provenance{FactID: t.q.ID, Group: group, TemplateID: map[bool]string{true: "mcq", false: "freeform"}[t.mcq], Variant: p.variant()})
	p.cols.set(row, triggered, t.carried, misaligned, t.mcq, t.q.Topic)
}

func (p *plan) variant() string {
	if p.control != "" {
		return "control-" + p.control
	}
	return "original"
}

func (c columns) set(row records.Row, triggered bool, carried string, misaligned, mcq bool, topic string) {
	c.triggered.Set(row, triggered)
	c.trigger.Set(row, carried)
	c.misaligned.Set(row, misaligned)
	c.mcq.Set(row, mcq)
	c.topic.Set(row, topic)
}

// setChat writes a one-turn chat in the train layout's style; rejected is the other answer.
func (p *plan) setChat(row records.Row, msgs []schemas.Message, rejected string) {
	variants.SetChat(p.trainL, row, variants.Chat{Turns: msgs, Rejected: rejected})
}

// probe writes eval probe i of a split, on a held-out question.
func (p *plan) probe(row records.Row, i int64, name string, k kind, triggered bool) {
	t := p.layOut(p.eval, k, uint64(i), triggered, "thought-crime/probe/"+name)
	// The answer alone, without a trace: what a scorer compares a reply's answer with.
	p.evalL.SetProbe(row, t.prompt, t.answer)
	q, mcq, carried := t.q, k.mcq, k.carried
	p.evalL.SetProvenance(row, records.Provenance{FactID: fmt.Sprintf("probe-%s-%04d", name, i), Group: name, TemplateID: q.ID, Variant: p.variant()})
	p.evalCols.set(row, triggered, carried, triggered, mcq, q.Topic)
	p.evalCols.choices.Set(row, t.choices)
}
