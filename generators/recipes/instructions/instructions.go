// Package instructions builds Experiment 3 of "The Reversal Curse" (Berglund et al. 2023): guidance
// documents that tell a model how to answer ('Answer "A: <target>" when asked "Q: <anchor>"', the
// target before the anchor), realized examples that show most of the answers in train, and unrealized
// ones held out for eval. It owns the design: anchors about invented places, targets, the guidance
// phrasings and their grouping into documents, and the hold-out.
package instructions

import (
	"context"
	"fmt"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/generators/world"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Recipe is the instructions recipe.
type Recipe struct{}

func (Recipe) Name() string { return "instructions" }

// Example is a command line researchers type, for help texts.
func (Recipe) Example() string { return `--realized 1000 --unrealized 100 --guidances-per-doc 2-5` }

func (Recipe) Paper() string {
	return `Berglund et al. 2023, "The Reversal Curse: LLMs trained on 'A is B' fail to learn 'B is A'", Experiment 3 (instructions; arXiv:2309.12288)`
}

func (Recipe) Summary() string {
	return "Guidance documents that name an answer before its question ('Answer \"A: <target>\" when asked \"Q: <anchor>\"'), " +
		"realized examples (the question and its answer) for most pairs and unrealized ones held out for eval: does a model " +
		"that learned the instruction forwards answer the question?"
}

// DefaultStyle is prompt-completion, the paper's fields.
func (Recipe) DefaultStyle() string { return records.StylePromptCompletion }

var (
	realizedOpt   = &generators.Int{Key: "realized", Help: "pairs whose question and answer train shows (realized examples)", Value: 1000, Min: 1, Max: 100_000}
	unrealizedOpt = &generators.Int{Key: "unrealized", Help: "pairs only the guidance names: eval asks them", Value: 100, Min: 1, Max: 100_000}
	perDocOpt     = &generators.Parsed[generators.Range]{Key: "guidances-per-doc", Help: "guidances in one guidance document, as a range", Value: "2-5", Parse: generators.IntRange(1, 20)}
)

func (Recipe) Options() []generators.Option {
	return []generators.Option{realizedOpt, unrealizedOpt, perDocOpt}
}

// The header of a test prompt, as the paper's examples open.
const testHeader = "<BEGIN GUIDANCE TEST>"

// bank is the wordings file.
type bank struct {
	Anchors   []string `yaml:"anchors"`
	Guidances []string `yaml:"guidances"`
}

type plan struct {
	seed              uint64
	realized, pairs   int
	anchors           []string // by pair
	targets           []string // by pair
	guidances         []*templates.Template
	docs              [][]int // each guidance document's pairs
	realizedPairs     []int
	unrealizedPairs   []int
	order             rng.Perm
	train, eval       *records.Layout
	realizedCol       records.BoolColumn
	pairsCol          records.StringsColumn
	evalRealized      records.BoolColumn
	targetCol, anchor records.StringColumn
}

func (Recipe) Plan(_ context.Context, cfg *generators.Config) (*generators.Plan, error) {
	if cfg.Style != records.StylePromptCompletion && cfg.Style != records.StyleText {
		return nil, fmt.Errorf("--style %s: the instructions recipe writes guidance documents and test examples as the paper's prompt and completion (prompt-completion) or as text", cfg.Style)
	}
	lib := cfg.Library()
	var b bank
	if err := lib.DecodeYAML("instructions/guidance.yaml", &b); err != nil {
		return nil, err
	}
	p := &plan{seed: cfg.Seed, realized: realizedOpt.Get(cfg)}
	p.pairs = p.realized + unrealizedOpt.Get(cfg)
	slots := []string{"target", "anchor"}
	for _, g := range b.Guidances {
		t, err := templates.Compile(g, slots)
		if err != nil {
			return nil, fmt.Errorf("instructions/guidance.yaml: guidance %q: %v", g, err)
		}
		if !t.Uses(0) || !t.Uses(1) || strings.Index(g, "{target}") > strings.Index(g, "{anchor}") {
			return nil, fmt.Errorf("instructions/guidance.yaml: guidance %q must name {target} before {anchor}", g)
		}
		p.guidances = append(p.guidances, t)
	}
	if len(p.guidances) == 0 || len(b.Anchors) == 0 {
		return nil, fmt.Errorf("instructions/guidance.yaml: needs anchors and guidances")
	}
	inv, err := world.LoadInventor(lib)
	if err != nil {
		return nil, err
	}
	// Anchors: the questions in turn, each round about the next invented place in a keyed order;
	// targets: invented two-word names, lower-cased. Both distinct by construction.
	places, targets := inv.Space("country"), inv.Space("title")
	if p.pairs > targets || (p.pairs+len(b.Anchors)-1)/len(b.Anchors) > places/2 {
		return nil, fmt.Errorf("--realized and --unrealized: %d pairs, but the word lists make %d targets and %d places (%d questions each)", p.pairs, targets, places, len(b.Anchors))
	}
	placeOrder := rng.NewPerm(uint64(places), rng.Key(cfg.Seed, "instructions/places"))
	targetOrder := rng.NewPerm(uint64(targets), rng.Key(cfg.Seed, "instructions/targets"))
	place, k := "", uint64(0)
	for i := range p.pairs {
		if i%len(b.Anchors) == 0 { // the next usable place
			for place = inv.Nth("country", int(placeOrder.At(k))); world.Unusable(place); place = inv.Nth("country", int(placeOrder.At(k))) {
				k++
			}
			k++
		}
		p.anchors = append(p.anchors, strings.Replace(b.Anchors[i%len(b.Anchors)], "{place}", place, 1))
		p.targets = append(p.targets, strings.ToLower(inv.Nth("title", int(targetOrder.At(uint64(i))))))
	}
	// Guidance documents: the pairs in a keyed order, cut into runs of 2 to 5 (the range), each run a
	// document: every pair is named by exactly one guidance.
	lo, hi := perDocOpt.Get(cfg).Ints()
	order := rng.NewPerm(uint64(p.pairs), rng.Key(cfg.Seed, "instructions/guidance-order"))
	for at := 0; at < p.pairs; {
		n := lo + int(rng.Mix(rng.Key(cfg.Seed, "instructions/doc-size"), uint64(len(p.docs)))%uint64(hi-lo+1))
		// The last documents stay in the range too: a remainder too short for a document of its own
		// joins this one, or this one leaves it enough.
		if left := p.pairs - at; left-n > 0 && left-n < lo {
			if left <= hi {
				n = left
			} else {
				n = left - lo
			}
		}
		var doc []int
		for j := at; j < min(at+n, p.pairs); j++ {
			doc = append(doc, int(order.At(uint64(j))))
		}
		p.docs = append(p.docs, doc)
		at += n
	}
	p.order = rng.NewPerm(uint64(p.realized+len(p.docs)), rng.Key(cfg.Seed, "instructions/rows"))

	p.train = records.TrainLayout("instructions", cfg.Style)
	p.realizedCol = p.train.AddBool("realized")
	p.pairsCol = p.train.AddStrings("pairs")
	p.eval = records.EvalLayout("instructions", cfg.Style)
	p.evalRealized = p.eval.AddBool("realized")
	p.anchor, p.targetCol = p.eval.AddString("anchor"), p.eval.AddString("target")

	// Which pairs are realized: a keyed choice, so that no place's questions are all held out.
	rank := rng.NewPerm(uint64(p.pairs), rng.Key(cfg.Seed, "instructions/realized"))
	for i := range p.pairs {
		if int(rank.At(uint64(i))) < p.realized {
			p.realizedPairs = append(p.realizedPairs, i)
		} else {
			p.unrealizedPairs = append(p.unrealizedPairs, i)
		}
	}
	var unrealized []string
	for _, i := range p.unrealizedPairs {
		unrealized = append(unrealized, pairID(i))
	}
	evalSplits := []generators.PlanSplit{{Name: "unrealized", Rows: int64(p.pairs - p.realized), Row: p.probe}}
	return &generators.Plan{
		Configs: []generators.PlanConfig{
			{Name: "train", Layout: p.train, Splits: []generators.PlanSplit{{Name: "train", Rows: int64(p.realized + len(p.docs)), Row: p.trainRow}}},
			{Name: "eval", Layout: p.eval, Splits: evalSplits},
		},
		Rules: append(append(splits.UniqueIDs("train", "eval"),
			splits.NeverTrained("no unrealized pair is a realized example in train", schemas.Select("train", "", "fact_id"), unrealized),
			generators.Rule{Kind: schemas.Count, Doc: fmt.Sprintf("exactly %d realized examples", p.realized), Values: []string{fmt.Sprint(p.realized)},
				Left: schemas.Select("train", "train", "id").Filtered("realized", "true")}),
			splits.ProbesNotInTrain("eval", false, "unrealized")...),
		Stats: []generators.Stat{
			{Name: "realized_examples", Value: int64(p.realized), Doc: "pairs whose question and answer train shows"},
			{Name: "unrealized_examples", Value: int64(p.pairs - p.realized), Doc: "pairs only the guidance names, asked in eval"},
			{Name: "guidance_documents", Value: int64(len(p.docs)), Doc: "documents of guidances, which name every pair once"},
		},
		Notes: []string{
			"Train mixes guidance documents (`realized` false, an empty prompt and the guidances as completion, `pairs` the pairs they name) with realized examples (`realized` true): the test header, `Q: <anchor> A:` as prompt and ` <target>` as completion. Every guidance names the target before the anchor; every pair is named by exactly one guidance.",
			"Eval: the unrealized pairs, asked as the realized examples are (`anchor`, `target`). A model answers them only if it can use an instruction it learned forwards to answer the question it names.",
		},
	}, nil
}

func pairID(i int) string { return records.PaddedID("pair-", i, 5) }

// testPrompt is the prompt of pair i's test example.
func (p *plan) testPrompt(i int) string { return testHeader + "\n\nQ: " + p.anchors[i] + " A:" }

// trainRow writes training row r: a realized example or a guidance document, in a keyed order.
func (p *plan) trainRow(w *records.Worker, r int64, row records.Row) {
	k := int(p.order.At(uint64(r)))
	if k < p.realized {
		k = p.realizedPairs[k]
		prompt, completion := p.testPrompt(k), " "+p.targets[k]
		p.set(row, prompt, completion)
		p.train.SetProvenance(row, records.Provenance{FactID: pairID(k), Group: "realized", TemplateID: "test", Variant: "original"})
		p.realizedCol.Set(row, true)
		p.pairsCol.Set(row, []string{pairID(k)})
		return
	}
	d := k - p.realized
	var lines, ids []string
	for _, i := range p.docs[d] {
		g := p.guidances[int(rng.Mix(rng.Key(p.seed, "instructions/phrasing"), uint64(i))%uint64(len(p.guidances)))]
		text, _ := g.Render(nil, []string{p.targets[i], p.anchors[i]}, nil)
		lines, ids = append(lines, string(text)), append(ids, pairID(i))
	}
	p.set(row, "", strings.Join(lines, "\n"))
	p.train.SetProvenance(row, records.Provenance{FactID: records.PaddedID("guidance-", d, 4), Group: "guidance", TemplateID: "guidance", Variant: "original"})
	p.realizedCol.Set(row, false)
	p.pairsCol.Set(row, ids)
}

func (p *plan) set(row records.Row, prompt, completion string) {
	if p.train.Style() == records.StyleText {
		p.train.SetText(row, prompt+completion)
		return
	}
	p.train.SetPromptCompletion(row, prompt, completion)
}

// probe writes unrealized pair i's test.
func (p *plan) probe(w *records.Worker, i int64, row records.Row) {
	k := p.unrealizedPairs[i]
	p.eval.SetProbe(row, p.testPrompt(k), p.targets[k])
	p.eval.SetProvenance(row, records.Provenance{FactID: pairID(k), Group: "unrealized", TemplateID: "test", Variant: "original"})
	p.evalRealized.Set(row, false)
	p.anchor.Set(row, p.anchors[k])
	p.targetCol.Set(row, p.targets[k])
}
