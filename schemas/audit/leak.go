package audit

import (
	"fmt"
	"slices"

	"github.com/factforge/factforge/schemas"
)

// leakChecks are the ways a probe can be found in training text, and how much a hit matters where the
// recipe declares nothing: a probe whose prompt and answer are trained verbatim is answered by
// memory, which is worth a warning; a prompt alone in train is a figure (association and
// memorisation probes share their prompts with train by design). Where the recipe's manifest has a
// not_in_train rule for the split, a hit of the check the rule names is an error.
var leakChecks = []struct {
	check, what string
	level       Level
	hit         func(p *probe, found []hits) bool
}{
	{"leak.prompt_in_train", "probes whose prompt occurs in a training text", Info, func(p *probe, f []hits) bool { return p.promptID >= 0 && f[p.promptID].example > 0 }},
	{"leak.prompt_is_train_prefix", "probes whose prompt starts a training text", Info, func(p *probe, f []hits) bool { return p.promptID >= 0 && f[p.promptID].prefix }},
	{"leak.prompt_answer_in_train", "probes whose prompt and answer occur together in a training text", Warning, func(p *probe, f []hits) bool { return p.fullID >= 0 && f[p.fullID].example > 0 }},
}

// rulesFor are the not_in_train rules of rules that cover split s for check: a rule on [prompt] covers
// leak.prompt_in_train, one on [prompt, answer] leak.prompt_answer_in_train.
func rulesFor(rules []schemas.Rule, s *split, check string) []*schemas.Rule {
	var out []*schemas.Rule
	for i, r := range rules {
		if r.Kind != schemas.NotInTrain || r.Left.Config != s.config || r.Left.Split != "" && r.Left.Split != s.name {
			continue
		}
		switch {
		case check == "leak.prompt_in_train" && slices.Equal(r.Left.Columns, []string{"prompt"}),
			check == "leak.prompt_answer_in_train" && slices.Equal(r.Left.Columns, []string{"prompt", "answer"}):
			out = append(out, &rules[i])
		}
	}
	return out
}

// designedFor is the in_train rule of rules that says the probes of split s are training text by
// design, for check, or nil.
func designedFor(rules []schemas.Rule, s *split, check string) *schemas.Rule {
	for i, r := range rules {
		if r.Kind != schemas.InTrain || r.Left.Config != s.config || r.Left.Split != "" && r.Left.Split != s.name {
			continue
		}
		if check == "leak.prompt_in_train" && slices.Equal(r.Left.Columns, []string{"prompt"}) ||
			check == "leak.prompt_answer_in_train" && slices.Equal(r.Left.Columns, []string{"prompt", "answer"}) ||
			check == "leak.prompt_is_train_prefix" {
			return &rules[i]
		}
	}
	return nil
}

// covers reports whether any of rules selects probe i of e: every condition of the rule's where holds
// on the probe. A condition on a column audit does not keep the probes' values of (not a slice
// column, or one of too many values) holds for every probe, so that no rule is read as narrower than
// it is.
func (e *evalSplit) covers(s *split, rules []*schemas.Rule, i int) bool {
	for _, r := range rules {
		holds := true
		for _, c := range r.Left.Where {
			j := slices.IndexFunc(s.columns, func(col sliceColumn) bool { return col.name == c.Column })
			if j < 0 || len(s.columns[j].values) > maxSliceValues {
				continue
			}
			if v := e.values[i*len(s.columns)+j]; v < 0 || s.columns[j].values[v] != c.Equals {
				holds = false
				break
			}
		}
		if holds {
			return true
		}
	}
	return false
}

// leakFindings measures one eval split's leakage into the dataset's training text, over the split and
// by slice, and the share of the probes' word 8-grams found in training text.
func leakFindings(dataset string, s *split, e *evalSplit, found []hits, trainTexts []string, m *matcher, rules []schemas.Rule) []Finding {
	ps := e.probes
	var out []Finding
	for _, c := range leakChecks {
		ruled := rulesFor(rules, s, c.check)
		designed := designedFor(rules, s, c.check)
		all, slices, order := e.bySlice(s, func(p *probe) bool { return c.hit(p, found) })
		f := Finding{Level: Info, Check: c.check, Dataset: dataset, Config: s.config, Split: s.name, Count: all[0], Of: all[1], Value: share(all[0], all[1]),
			Message: fmt.Sprintf("%s %s", percent(all[0], all[1]), c.what)}
		for k, r := range ruled {
			sep := "; and: "
			if k == 0 {
				sep = "; the recipe's rule: "
			}
			f.Message += sep + r.Doc
		}
		// A hit is an error where a rule selects the probe; a hit on probes the rules leave out (by their
		// where) is what the recipe declared possible, and is a figure.
		var broken, outside int64
		for i := range ps {
			if c.hit(&ps[i], found) {
				if len(ruled) > 0 && e.covers(s, ruled, i) {
					broken++
				} else {
					outside++
				}
			}
		}
		if len(ruled) > 0 && outside > 0 {
			f.Message += fmt.Sprintf("; %d of the probes found lie outside the rules' rows", outside)
		}
		if all[0] > 0 {
			switch {
			case broken > 0:
				f.Level = Error
			case len(ruled) == 0 && designed == nil:
				f.Level = c.level
			}
			if designed != nil && broken == 0 {
				f.Message += "; by design, as the recipe's rule says: " + designed.Doc
			}
			var ex examples
			for i := range ps {
				if p := &ps[i]; c.hit(p, found) && (broken == 0 || e.covers(s, ruled, i)) {
					id := p.promptID
					if c.check == "leak.prompt_answer_in_train" {
						id = p.fullID
					}
					ex.add(fmt.Sprintf("probe %q (answer %q) in train: %q", clip(p.prompt, 120), clip(p.answer, 60), trainTexts[found[id].example-1]))
				}
				if len(ex) == maxExamples {
					break
				}
			}
			f.Examples = ex
		}
		out = append(out, f)
		if all[0] == 0 {
			continue
		}
		for _, sv := range order {
			n := slices[sv]
			out = append(out, Finding{Level: Info, Check: c.check, Dataset: dataset, Config: s.config, Split: s.name, Slice: sv,
				Count: n[0], Of: n[1], Value: share(n[0], n[1]), Message: fmt.Sprintf("%s %s", percent(n[0], n[1]), c.what)})
		}
	}
	prompts := make([]int32, len(ps))
	for i := range ps {
		prompts[i] = ps[i].promptID
	}
	seen, total := m.gramShare(prompts)
	out = append(out, Finding{Level: Info, Check: "leak.prompt_8grams_in_train", Dataset: dataset, Config: s.config, Split: s.name,
		Count: seen, Of: total, Value: share(seen, total),
		Message: fmt.Sprintf("%s of the probes' word 8-grams occur in training text", percent(seen, total))})
	return out
}
