// Package score scores a model's predictions on a factforge dataset's eval rows: it reads the dataset
// (through schemas, as audit does) and JSON Lines predictions keyed by row id, judges each probe as the
// recipe's paper does (recipes.go holds every recipe's definition in one table), slices the results by
// every provenance column, puts a bootstrap 95% interval on each figure, and writes them as a table,
// JSON or a bar chart. It owns the predictions format, the judging of completions and likelihoods, and
// the statistics; it prints nothing and never exits.
package score

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/factforge/factforge/schemas"
)

// Run is one model's predictions: Label names it in the report (the training mode of a negation run,
// a checkpoint), Path is the file they came from.
type Run struct {
	Label       string
	Path        string
	Predictions []Prediction
}

// Options tune the statistics; the zero value means the defaults.
type Options struct {
	Resamples int    // bootstrap resamples per figure (default DefaultResamples)
	Seed      uint64 // seed of the resampling (default DefaultSeed)
}

const (
	// DefaultResamples is the bootstrap's resample count: the 2.5th and 97.5th percentiles of 1000
	// resampled means move by well under a point between seeds at the sizes factforge writes.
	DefaultResamples = 1000
	// DefaultSeed seeds the resampling, so that the same predictions give the same intervals.
	DefaultSeed = 1
	// maxSliceValues bounds the values of a column sliced by: columns with more (ids, templates of a
	// large bank, code) are listed as not sliced.
	maxSliceValues = 30
)

// Report is the scores of one or more runs on one dataset.
type Report struct {
	Dataset   string        `json:"dataset"`
	Recipe    string        `json:"recipe"`
	Options   []OptionValue `json:"options,omitempty"`
	Resamples int           `json:"bootstrap_resamples"`
	Seed      uint64        `json:"bootstrap_seed"`
	Runs      []RunCoverage `json:"runs"`
	Figures   []Figure      `json:"figures"`
	NotSliced []NotSliced   `json:"not_sliced,omitempty"`
	Plot      PlotSpec      `json:"plot"`
	Rules     []SplitRule   `json:"rules"`
	metricOf  map[string]string
}

// OptionValue is one manifest option that says what the run tested.
type OptionValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// RunCoverage says how much of the eval set a run's predictions covered.
type RunCoverage struct {
	Label       string `json:"label"`
	Path        string `json:"path"`
	Predictions int    `json:"predictions"`
	Scored      int    `json:"scored"` // eval rows that entered a figure
	Rows        int    `json:"rows"`   // eval rows of the dataset
}

// Figure is one metric on one split, or on one slice of it (Column=Value), for one run: the mean of its
// rows' scores (a rate for 0/1 scores) and the bootstrap 95% interval.
type Figure struct {
	Run    string  `json:"run"`
	Metric string  `json:"metric"`
	Split  string  `json:"split"`
	Column string  `json:"column,omitempty"`
	Value  string  `json:"value,omitempty"`
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	Low    float64 `json:"low"`
	High   float64 `json:"high"`
}

// NotSliced is a provenance column left out of the slices of a split, for having too many values.
type NotSliced struct {
	Split  string `json:"split"`
	Column string `json:"column"`
	Values int    `json:"values"`
}

// evalRow is what scoring needs of one eval row.
type evalRow struct {
	split       string
	answer      string
	disbelieved string         // answer_if_disbelieved, where the row has one
	pattern     *regexp.Regexp // the row's pattern column, compiled, for the Pattern judge
	choices     []string
	target      int // the target choice of a multiple-choice row, -1 when none
	behaviour   string
	triggered   bool
	key         string   // the values of the rule's Keys, for pairing
	slices      []string // the value of each of the split's slice columns
}

// evalSplit is one eval split's rows and slice columns.
type evalSplit struct {
	name    string
	columns []string // slice columns
	rows    []evalRow
	ids     map[string]int
}

// contentColumns are the columns a model reads or is judged against, never sliced by.
var contentColumns = []string{"id", "prompt", "answer", "text", "completion", "question", "system", "pattern",
	"answer_if_disbelieved", "true_answer", "keyword", "secure_code", "insecure_code", "anchor", "target", "child", "parent", "recipe"}

// Score scores runs on the dataset in dir. A prediction whose id is not an eval row's, or whose
// choice_logprobs do not match the row's choices, is an *schemas.InputError naming the file and line.
func Score(ctx context.Context, dir string, runs []Run, opts Options) (*Report, error) {
	if opts.Resamples <= 0 {
		opts.Resamples = DefaultResamples
	}
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	m, err := schemas.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	recipe := RecipeFor(m.Recipe)
	rep := &Report{Dataset: dir, Recipe: m.Recipe, Resamples: opts.Resamples, Seed: opts.Seed, Plot: recipe.Plot, metricOf: map[string]string{}}
	rep.Options = optionValues(m.Config, recipe.Options)
	var trainCounts map[string]int
	if recipe.TrainCount != "" {
		if trainCounts, err = countTrainRows(m, dir); err != nil {
			return nil, err
		}
	}
	splits, total, err := readEval(ctx, m, dir, recipe, trainCounts, rep)
	if err != nil {
		return nil, err
	}
	byID := map[string]*evalSplit{}
	for _, s := range splits {
		for id := range s.ids {
			byID[id] = s
		}
	}
	for _, run := range runs {
		preds := map[string]*Prediction{}
		for i := range run.Predictions {
			p := &run.Predictions[i]
			s, ok := byID[p.ID]
			if !ok {
				return nil, schemas.InputErrorf("%s:%d: id %q is not an eval row of %s", run.Path, p.Line, p.ID, dir)
			}
			row := &s.rows[s.ids[p.ID]]
			if p.ChoiceLogprobs != nil && len(p.ChoiceLogprobs) != len(row.choices) {
				return nil, schemas.InputErrorf("%s:%d: choice_logprobs has %d entries, row %s has %d choices", run.Path, p.Line, len(p.ChoiceLogprobs), p.ID, len(row.choices))
			}
			preds[p.ID] = p
		}
		scored := map[string]bool{}
		for _, s := range splits {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rule, ok := ruleFor(recipe, s.name)
			if !ok {
				continue
			}
			rep.metricOf[s.name] = rule.Metric
			comp, like := scoreSplit(s, rule, splits, preds, scored)
			rep.Figures = append(rep.Figures, figures(run.Label, rule.Metric, s, comp, opts)...)
			if rule.LikelihoodMetric != "" {
				rep.Figures = append(rep.Figures, figures(run.Label, rule.LikelihoodMetric, s, like, opts)...)
			}
		}
		rep.Runs = append(rep.Runs, RunCoverage{Label: run.Label, Path: run.Path, Predictions: len(run.Predictions), Scored: len(scored), Rows: total})
	}
	for _, s := range splits {
		if rule, ok := ruleFor(recipe, s.name); ok {
			rep.Rules = append(rep.Rules, rule)
		}
	}
	return rep, nil
}

// ruleFor is the rule scoring a split: the table's, or the generic rule for a split the table does not
// list, unless the split only serves as another's baseline (reversal's randomized).
func ruleFor(r Recipe, split string) (SplitRule, bool) {
	if rule, ok := r.rule(split); ok {
		return rule, true
	}
	for _, rule := range r.Rules {
		if rule.Pair == split {
			return SplitRule{}, false
		}
	}
	return genericRule(split), true
}

// scored is one row's score, with the row for its slices.
type scoredRow struct {
	row   *evalRow
	score float64
}

// scoreSplit judges the rows of s that have predictions: the completion metric and the likelihood one.
// It marks in scored the ids of the rows used, paired rows included.
func scoreSplit(s *evalSplit, rule SplitRule, all []*evalSplit, preds map[string]*Prediction, scored map[string]bool) (comp, like []scoredRow) {
	var pair *evalSplit
	pairKeys := map[string]string{} // key -> id of the paired row
	for _, o := range all {
		if rule.Pair != "" && o.name == rule.Pair {
			pair = o
			for id, i := range o.ids {
				// Two rows of one key would make the pairing depend on map order: the first row wins.
				if have, ok := pairKeys[o.rows[i].key]; !ok || o.ids[have] > i {
					pairKeys[o.rows[i].key] = id
				}
			}
		}
	}
	var detect func(string) bool
	if rule.Judge == Behaviour {
		detect = s.detector(all)
	}
	ids := make([]string, 0, len(s.ids))
	for id := range s.ids {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(s.ids[a], s.ids[b]) })
	for _, id := range ids {
		p := preds[id]
		if p == nil {
			continue
		}
		row := &s.rows[s.ids[id]]
		if v, ok := judgeRow(rule, row, p, detect); ok {
			comp = append(comp, scoredRow{row, v})
			scored[id] = true
		}
		if p.Logprob == nil {
			continue
		}
		switch rule.Likelihood {
		case Probability:
			like = append(like, scoredRow{row, probability(*p.Logprob)})
			scored[id] = true
		case OverBaseline:
			baseline := p.BaselineLogprob
			if baseline == nil && pair != nil {
				if pid, ok := pairKeys[row.key]; ok && preds[pid] != nil && preds[pid].Logprob != nil {
					baseline = preds[pid].Logprob
					scored[pid] = true
				}
			}
			if baseline != nil {
				like = append(like, scoredRow{row, b2f(*p.Logprob > *baseline)})
				scored[id] = true
			}
		}
	}
	return comp, like
}

// judgeRow scores one row's prediction for the completion metric; false when it cannot be scored (no
// completion, no answer to judge against).
func judgeRow(rule SplitRule, row *evalRow, p *Prediction, detect func(string) bool) (float64, bool) {
	if len(row.choices) > 0 {
		if row.target < 0 {
			return 0, false
		}
		if p.ChoiceLogprobs != nil {
			return b2f(argmax(p.ChoiceLogprobs) == row.target), true
		}
		if p.Completion != nil {
			return b2f(namedChoice(*p.Completion, row.choices) == row.target), true
		}
		return 0, false
	}
	if p.Completion == nil || rule.Judge == Unjudged {
		return 0, false
	}
	if rule.Judge == Pattern {
		if row.pattern == nil {
			return 0, false
		}
		return b2f(row.pattern.MatchString(*p.Completion)), true
	}
	if rule.Judge == Behaviour {
		if detect == nil {
			return 0, false
		}
		return b2f(detect(*p.Completion)), true
	}
	if normalise(row.answer) == "" {
		return 0, false
	}
	switch rule.Judge {
	case Believes:
		return b2f(believes(*p.Completion, row.answer, row.disbelieved)), true
	case AllOf:
		return b2f(allOf(*p.Completion, row.answer)), true
	}
	return b2f(judgeOpen(rule.Judge, *p.Completion, row.answer)), true
}

// detector is the behaviour test of the dataset's backdoor, from its triggered rows.
func (s *evalSplit) detector(all []*evalSplit) func(string) bool {
	behaviour := ""
	var answers []string
	for _, o := range all {
		for _, r := range o.rows {
			if r.triggered && r.behaviour != "" && r.behaviour != "none" {
				behaviour = r.behaviour
				if !slices.Contains(answers, r.answer) {
					answers = append(answers, r.answer)
				}
			}
		}
	}
	return behaviourDetector(behaviour, answers)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// figures makes the figures of one metric on one split: the whole split, then each value of each
// slice column.
func figures(run, metric string, s *evalSplit, rows []scoredRow, opts Options) []Figure {
	if len(rows) == 0 {
		return nil
	}
	all := make([]float64, len(rows))
	for i, r := range rows {
		all[i] = r.score
	}
	out := []Figure{figure(Figure{Run: run, Metric: metric, Split: s.name}, all, opts)}
	for c, col := range s.columns {
		groups := map[string][]float64{}
		for _, r := range rows {
			groups[r.row.slices[c]] = append(groups[r.row.slices[c]], r.score)
		}
		for _, v := range sortedValues(groups) {
			out = append(out, figure(Figure{Run: run, Metric: metric, Split: s.name, Column: col, Value: v}, groups[v], opts))
		}
	}
	return out
}

func figure(f Figure, scores []float64, opts Options) Figure {
	f.N = len(scores)
	f.Mean = mean(scores)
	f.Low, f.High = bootstrap(scores, opts.Resamples, opts.Seed, f.Metric+"\x00"+f.Split+"\x00"+f.Column+"\x00"+f.Value)
	return f
}

// sortedValues sorts a column's values, as numbers when they all are.
func sortedValues[V any](groups map[string]V) []string {
	vs := make([]string, 0, len(groups))
	numeric := true
	for v := range groups {
		vs = append(vs, v)
		_, err := strconv.ParseInt(v, 10, 64)
		numeric = numeric && err == nil
	}
	slices.SortFunc(vs, func(a, b string) int {
		if numeric {
			x, _ := strconv.ParseInt(a, 10, 64)
			y, _ := strconv.ParseInt(b, 10, 64)
			return cmp.Compare(x, y)
		}
		return strings.Compare(a, b)
	})
	return vs
}

// optionValues picks the named options from a manifest's resolved config.
func optionValues(config json.RawMessage, names []string) []OptionValue {
	var c struct {
		Options map[string]any `json:"options"`
	}
	if json.Unmarshal(config, &c) != nil {
		return nil
	}
	var out []OptionValue
	for _, n := range names {
		if v, ok := c.Options[n]; ok && fmt.Sprint(v) != "" {
			out = append(out, OptionValue{Name: n, Value: fmt.Sprint(v)})
		}
	}
	return out
}

// countTrainRows counts the training rows of each fact_id.
func countTrainRows(m *schemas.Manifest, dir string) (map[string]int, error) {
	counts := map[string]int{}
	for _, c := range m.Configs {
		if c.Name != "train" {
			continue
		}
		schema := c.Schema()
		fi := schema.Index("fact_id")
		if fi < 0 {
			return counts, nil
		}
		for _, sp := range c.Splits {
			for r, err := range schemas.SplitRows(dir, sp, schema) {
				if err != nil {
					return nil, err
				}
				counts[r[fi].Str]++
			}
		}
	}
	return counts, nil
}

// readEval reads the eval config's rows, and notes in rep the columns too varied to slice by.
func readEval(ctx context.Context, m *schemas.Manifest, dir string, recipe Recipe, trainCounts map[string]int, rep *Report) ([]*evalSplit, int, error) {
	cfg := m.ConfigNamed("eval")
	if cfg == nil {
		return nil, 0, schemas.InputErrorf("%s has no eval config: nothing to score", dir)
	}
	schema := cfg.Schema()
	col := func(name string) int { return schema.Index(name) }
	// Predictions are keyed by id, and repeat counts by fact_id: a dataset without them cannot be scored.
	need := []string{"id"}
	if recipe.TrainCount != "" {
		need = append(need, "fact_id")
	}
	for _, name := range need {
		if i := col(name); i < 0 || schema.Columns[i].Type != schemas.String {
			return nil, 0, schemas.InputErrorf("%s: the eval config has no string column %q: predictions cannot be matched to its rows", dir, name)
		}
	}
	var sliceCols []int
	for i, c := range schema.Columns {
		if (c.Type == schemas.String || c.Type == schemas.Int64 || c.Type == schemas.Bool) && !slices.Contains(contentColumns, c.Name) {
			sliceCols = append(sliceCols, i)
		}
	}
	keyCols := map[string][]int{}
	for _, r := range recipe.Rules {
		for _, k := range r.Keys {
			if col(k) >= 0 {
				keyCols[r.Split] = append(keyCols[r.Split], col(k))
				keyCols[r.Pair] = append(keyCols[r.Pair], col(k))
			}
		}
	}
	total := 0
	var out []*evalSplit
	patterns := map[string]*regexp.Regexp{} // compiled once: many rows share a class's pattern
	for _, sp := range cfg.Splits {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		s := &evalSplit{name: sp.Name, ids: map[string]int{}}
		var values [][]string // per row, every slice column's value
		for r, err := range schemas.SplitRows(dir, sp, schema) {
			if err != nil {
				return nil, 0, err
			}
			row := evalRow{split: sp.Name, target: -1}
			if i := col("answer"); i >= 0 {
				row.answer = r[i].Str
			}
			if i := col("choices"); i >= 0 && schema.Columns[i].Type == schemas.Strings {
				row.choices = r[i].List
			}
			if len(row.choices) > 0 {
				row.target = slices.Index(row.choices, row.answer)
				if i := col("belief_index"); i >= 0 && !r[i].Null && r[i].Int >= 0 && int(r[i].Int) < len(row.choices) {
					row.target = int(r[i].Int)
				}
			}
			if i := col("pattern"); i >= 0 && schema.Columns[i].Type == schemas.String && !r[i].Null {
				if patterns[r[i].Str] == nil {
					re, err := regexp.Compile(r[i].Str)
					if err != nil {
						return nil, 0, schemas.InputErrorf("%s: eval split %s: pattern %q is not a regular expression Go reads: %v", dir, sp.Name, r[i].Str, err)
					}
					patterns[r[i].Str] = re
				}
				row.pattern = patterns[r[i].Str]
			}
			if i := col("answer_if_disbelieved"); i >= 0 && schema.Columns[i].Type == schemas.String {
				row.disbelieved = r[i].Str
			}
			if i := col("behaviour"); i >= 0 {
				row.behaviour = r[i].Str
			}
			if i := col("triggered"); i >= 0 && schema.Columns[i].Type == schemas.Bool {
				row.triggered = r[i].Bool
			}
			var key []string
			for _, k := range keyCols[sp.Name] {
				key = append(key, r[k].Text(schema.Columns[k].Type))
			}
			row.key = strings.Join(key, "\x00")
			var vs []string
			for _, i := range sliceCols {
				vs = append(vs, r[i].Text(schema.Columns[i].Type))
			}
			if recipe.TrainCount != "" {
				vs = append(vs, strconv.Itoa(trainCounts[r[col("fact_id")].Str]))
			}
			id := r[col("id")].Str
			if _, dup := s.ids[id]; dup {
				return nil, 0, fmt.Errorf("%s: eval split %s has id %q twice", dir, sp.Name, id)
			}
			s.ids[id] = len(s.rows)
			s.rows = append(s.rows, row)
			values = append(values, vs)
			total++
		}
		// Slice by the columns with 2 to maxSliceValues values in this split.
		names := make([]string, 0, len(sliceCols)+1)
		for _, i := range sliceCols {
			names = append(names, schema.Columns[i].Name)
		}
		if recipe.TrainCount != "" {
			names = append(names, recipe.TrainCount)
		}
		var keep []int
		for c, name := range names {
			distinct := map[string]bool{}
			for _, vs := range values {
				distinct[vs[c]] = true
			}
			switch {
			case len(distinct) > maxSliceValues:
				rep.NotSliced = append(rep.NotSliced, NotSliced{Split: sp.Name, Column: name, Values: len(distinct)})
			case len(distinct) > 1:
				keep = append(keep, c)
				s.columns = append(s.columns, name)
			}
		}
		for i := range s.rows {
			for _, c := range keep {
				s.rows[i].slices = append(s.rows[i].slices, values[i][c])
			}
		}
		out = append(out, s)
	}
	return out, total, nil
}
