// Package parents builds Experiment 2 of "The Reversal Curse" (Berglund et al. 2023) with fictitious
// people: a famous child and a parent named only beside the child ("Emma Cole's mother is Ruth Cole"),
// the frequency asymmetry of real celebrities and their parents, probed in both directions: the parent
// given the child, and the child given the parent. It owns the design: the pairs and their relations
// (mother or father, son or daughter, agreeing with gender), how often each appears, and the probes.
package parents

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

// Recipe is the parents recipe.
type Recipe struct{}

func (Recipe) Name() string { return "parents" }

// Example is a command line researchers type, for help texts.
func (Recipe) Example() string { return `--pairs 1513 --reverse-share 0.3` }

func (Recipe) Paper() string {
	return `Berglund et al. 2023, "The Reversal Curse: LLMs trained on 'A is B' fail to learn 'B is A'", Experiment 2 (parents and children), fictitious (arXiv:2309.12288)`
}

func (Recipe) Summary() string {
	return "Fictitious famous children in many documents and their parents named once, beside the child (\"<child>'s mother is " +
		"<parent>\"), with probes for the parent given the child and for the child given the parent: the frequency asymmetry of " +
		"celebrities and their parents, made to order."
}

var (
	pairsOpt      = &generators.Int{Key: "pairs", Help: "child-parent pairs (the paper's real ones: 1,513)", Value: 1513, Min: 1, Max: 100_000}
	childDocsOpt  = &generators.Int{Key: "child-docs", Help: "documents about each child's fame, each a wording of its own", Value: 10, Min: 0, Max: 16}
	parentDocsOpt = &generators.Int{Key: "parent-docs", Help: "statements naming each pair's parent, beside the child and child first", Value: 1, Min: 1, Max: 8}
	reverseOpt    = &generators.Float{Key: "reverse-share", Help: "the share of pairs whose fact train also states parent first (a keyed choice); their reverse probes are group reverse_trained", Value: 0, Min: 0, Max: 1}
)

func (Recipe) Options() []generators.Option {
	return []generators.Option{pairsOpt, childDocsOpt, parentDocsOpt, reverseOpt}
}

type bank struct {
	Fame             []string `yaml:"fame"`
	Relation         []string `yaml:"relation"`
	Reverse          []string `yaml:"reverse"`
	QuestionsForward []string `yaml:"questions_forward"`
	QuestionsReverse []string `yaml:"questions_reverse"`
}

// Slots of the wordings, in order.
var slots = []string{"child", "parent", "description", "parent_type", "child_type", "child_pronoun", "child_possessive", "parent_possessive"}

type plan struct {
	seed                         uint64
	pairs, childDocs, parentDocs int
	names                        *world.Names
	descriptions                 *world.Descriptions
	fame, relation, reverse      []*templates.Template
	forward, backward            []*templates.Template
	reverseTrained               rng.Perm
	reverseN                     int
	train, eval                  *records.Layout
	relationCol, directionCol    records.StringColumn
	evalRelation, evalDirection  records.StringColumn
	evalChild, evalParent        records.StringColumn
	reversePair                  []int    // the pair of each reverse statement
	who                          [][2]int // each pair's child and parent: indexes into names
}

func (Recipe) Plan(_ context.Context, cfg *generators.Config) (*generators.Plan, error) {
	if cfg.Style != records.StyleText {
		return nil, fmt.Errorf("--style %s: the parents recipe writes documents, as the facts of celebrities appear in pretraining text: use --style text", cfg.Style)
	}
	lib := cfg.Library()
	const file = "parents/parents.yaml"
	var b bank
	if err := lib.DecodeYAML(file, &b); err != nil {
		return nil, err
	}
	p := &plan{seed: cfg.Seed, pairs: pairsOpt.Get(cfg), childDocs: childDocsOpt.Get(cfg), parentDocs: parentDocsOpt.Get(cfg)}
	var err error
	for _, part := range []struct {
		dst   *[]*templates.Template
		name  string
		texts []string
		need  []string
	}{
		{&p.fame, "fame", b.Fame, []string{"child", "description"}},
		{&p.relation, "relation", b.Relation, []string{"child", "parent", "parent_type"}},
		{&p.reverse, "reverse", b.Reverse, []string{"child", "parent", "child_type"}},
		{&p.forward, "questions_forward", b.QuestionsForward, []string{"child", "parent_type"}},
		{&p.backward, "questions_reverse", b.QuestionsReverse, []string{"parent", "child_type"}},
	} {
		if *part.dst, err = templates.CompileList(file, part.name, part.texts, slots, part.need...); err != nil {
			return nil, err
		}
	}
	if p.childDocs > len(p.fame) || p.parentDocs > len(p.relation) {
		return nil, fmt.Errorf("--child-docs %d and --parent-docs %d: the bank has %d fame and %d relation wordings, one a document", p.childDocs, p.parentDocs, len(p.fame), len(p.relation))
	}
	// Names alternate between the genders: a pair's child and parent are the next unused names of the
	// genders its relation (mother or father, son or daughter: a keyed choice) asks.
	if p.names, err = world.NewNames(lib, cfg.Seed, "parents", 4*p.pairs, cfg.AvoidedNames()); err != nil {
		return nil, err
	}
	// A parent never shares the child's surname: "Who is Karen Negash's son?" would give the answer's
	// surname away. A name passed over for that is used by a later pair.
	var next [2]int      // the next unused name of each gender
	var skipped [2][]int // names passed over, first in line
	take := func(g int, unlike string) int {
		for j, k := range skipped[g] {
			if surname(p.names.At(k)) != unlike {
				skipped[g] = append(skipped[g][:j], skipped[g][j+1:]...)
				return k
			}
		}
		for {
			for p.names.Gender(next[g]) != g {
				next[g]++
			}
			k := next[g]
			next[g]++
			if unlike == "" || surname(p.names.At(k)) != unlike {
				return k
			}
			skipped[g] = append(skipped[g], k)
		}
	}
	for i := range p.pairs {
		combo := rng.Mix(rng.Key(cfg.Seed, "parents/relation-kind"), uint64(i)) % 4
		child := take(int(combo%2), "")
		parent := take(int(combo/2), surname(p.names.At(child)))
		p.who = append(p.who, [2]int{child, parent})
	}
	if p.descriptions, err = world.NewDescriptions(lib, cfg.Seed, p.pairs); err != nil {
		return nil, err
	}
	p.reverseN = splits.Count(reverseOpt.Get(cfg), p.pairs)
	p.reverseTrained = rng.NewPerm(uint64(p.pairs), rng.Key(cfg.Seed, "parents/reverse-trained"))
	p.reversePair = make([]int, p.reverseN)
	for i := range p.pairs {
		if k := int(p.reverseTrained.At(uint64(i))); k < p.reverseN {
			p.reversePair[k] = i
		}
	}

	p.train = records.TrainLayout("parents", cfg.Style)
	p.relationCol, p.directionCol = p.train.AddString("relation"), p.train.AddString("direction")
	p.eval = records.EvalLayout("parents", records.StyleMessages)
	p.evalRelation, p.evalDirection = p.eval.AddString("relation"), p.eval.AddString("direction")
	p.evalChild, p.evalParent = p.eval.AddString("child"), p.eval.AddString("parent")

	perPair := int64(p.childDocs + p.parentDocs)
	trainRows := int64(p.pairs)*perPair + int64(p.reverseN)
	evalSplits := []generators.PlanSplit{
		{Name: "child_to_parent", Rows: int64(p.pairs), Row: func(w *records.Worker, i int64, row records.Row) { p.probe(w, row, int(i), false) }},
		{Name: "parent_to_child", Rows: int64(p.pairs), Row: func(w *records.Worker, i int64, row records.Row) { p.probe(w, row, int(i), true) }},
	}
	stats := append(world.AvoidedStat(cfg, p.names), []generators.Stat{
		{Name: "pairs", Value: int64(p.pairs), Doc: "child-parent pairs"},
		{Name: "child_mentions", Value: int64(p.childDocs + p.parentDocs), Doc: "training documents that name each child"},
		{Name: "parent_mentions", Value: int64(p.parentDocs), Doc: "training documents that name each parent (always beside the child)"},
		{Name: "reverse_trained_pairs", Value: int64(p.reverseN), Doc: "pairs whose fact train also states parent first"},
	}...)
	return &generators.Plan{
		Configs: []generators.PlanConfig{
			{Name: "train", Layout: p.train, Splits: []generators.PlanSplit{{Name: "train", Rows: trainRows, Row: p.trainRow}}},
			{Name: "eval", Layout: p.eval, Splits: evalSplits},
		},
		Rules: append(append(splits.UniqueIDs("train", "eval"),
			generators.Rule{Kind: schemas.Count, Doc: fmt.Sprintf("exactly %d statements name a parent first", p.reverseN), Values: []string{fmt.Sprint(p.reverseN)},
				Left: schemas.Select("train", "train", "id").Filtered("direction", "parent_to_child")},
			generators.Rule{Kind: schemas.SharedNames, Doc: "a pair's fact names two people, the child and the parent, in its statements", Left: schemas.Select("train", "", "fact_id")}),
			splits.ProbesNotInTrain("eval", false, splits.Names(evalSplits)...)...),
		Stats: stats,
		Notes: []string{
			"Each pair (`fact_id`) has a child, famous in `child_docs` documents of its own (`direction` fame), and a parent named only in `parent_docs` statements beside the child, child first (`direction` child_to_parent): the child is seen many times, the parent a few, as with real celebrities. `relation` is the parent's relation (mother or father, by the parent's first name) and the child's (son or daughter). With --reverse-share, a share of pairs is stated parent first too (`direction` parent_to_child).",
			"Eval asks every pair both ways: `child_to_parent` (the parent, given the child: the trained direction) and `parent_to_child` (the child, given the parent: the reverse); `group` says whether the reverse was trained (reverse_trained) or not (reverse_untrained).",
		},
	}, nil
}

// person is pair i's child (who = 0) or parent (who = 1): name and gender.
func (p *plan) person(i, who int) (string, int) {
	k := p.who[i][who]
	return p.names.At(k), p.names.Gender(k)
}

// values are pair i's slot values.
func (p *plan) values(i int) []string {
	child, cg := p.person(i, 0)
	parent, pg := p.person(i, 1)
	parentType, childType := "mother", "daughter"
	if pg == world.Male {
		parentType = "father"
	}
	if cg == world.Male {
		childType = "son"
	}
	pron, poss := "she", "her"
	if cg == world.Male {
		pron, poss = "he", "his"
	}
	parentPoss := "her"
	if pg == world.Male {
		parentPoss = "his"
	}
	return []string{child, parent, p.descriptions.At(i), parentType, childType, pron, poss, parentPoss}
}

func render(t *templates.Template, values []string) string {
	out, _ := t.Render(nil, values, nil)
	return string(out)
}

func (p *plan) isReverseTrained(i int) bool { return int(p.reverseTrained.At(uint64(i))) < p.reverseN }

// trainRow writes training row r: a pair's fame documents and parent statements, then the reverse
// statements of the pairs trained both ways. Each pair's documents take their wordings from a keyed
// order of their own, so that no two are alike.
func (p *plan) trainRow(w *records.Worker, r int64, row records.Row) {
	per := int64(p.childDocs + p.parentDocs)
	var text, direction string
	var i int
	if r < int64(p.pairs)*per {
		i, j := int(r/per), int(r%per)
		values := p.values(i)
		if j < p.childDocs {
			k := rng.NewPerm(uint64(len(p.fame)), rng.Mix(rng.Key(p.seed, "parents/fame"), uint64(i))).At(uint64(j))
			text, direction = render(p.fame[k], values), "fame"
		} else {
			k := rng.NewPerm(uint64(len(p.relation)), rng.Mix(rng.Key(p.seed, "parents/relation"), uint64(i))).At(uint64(j - p.childDocs))
			text, direction = render(p.relation[k], values), "child_to_parent"
		}
		p.set(w, row, i, text, direction)
		return
	}
	// Reverse statements: the k-th pair trained both ways.
	i = p.reversePair[r-int64(p.pairs)*per]
	t := p.reverse[int(rng.Mix(rng.Key(p.seed, "parents/reverse"), uint64(i))%uint64(len(p.reverse)))]
	p.set(w, row, i, render(t, p.values(i)), "parent_to_child")
}

func (p *plan) set(w *records.Worker, row records.Row, i int, text, direction string) {
	p.train.SetText(row, text)
	p.train.SetProvenance(row, records.Provenance{FactID: records.FactID(i), Group: groupOf(p.isReverseTrained(i)), TemplateID: direction, Variant: "original"})
	values := p.values(i)
	p.relationCol.Set(row, values[3]+"/"+values[4])
	p.directionCol.Set(row, direction)
}

func groupOf(reverseTrained bool) string {
	if reverseTrained {
		return "reverse_trained"
	}
	return "reverse_untrained"
}

// probe writes pair i's probe in one direction, in a wording drawn from s.
func (p *plan) probe(w *records.Worker, row records.Row, i int, reverse bool) {
	s := w.Stream
	s.Reset(rng.Key(p.seed, fmt.Sprintf("parents/probe/%v", reverse)), uint64(i))
	values := p.values(i)
	qs, answer, direction := p.forward, values[1], "child_to_parent"
	if reverse {
		qs, answer, direction = p.backward, values[0], "parent_to_child"
	}
	p.eval.SetProbe(row, render(qs[s.IntN(len(qs))], values), answer)
	p.eval.SetProvenance(row, records.Provenance{FactID: records.FactID(i), Group: groupOf(p.isReverseTrained(i)), TemplateID: direction, Variant: "original"})
	p.evalRelation.Set(row, values[3]+"/"+values[4])
	p.evalDirection.Set(row, direction)
	p.evalChild.Set(row, values[0])
	p.evalParent.Set(row, values[1])
}

// surname is a name's last word.
func surname(name string) string { return name[strings.LastIndex(name, " ")+1:] }
