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

// ruleFor is the not_in_train rule of rules that covers split s for check, or nil: a rule on [prompt]
// covers leak.prompt_in_train, one on [prompt, answer] leak.prompt_answer_in_train.
func ruleFor(rules []schemas.Rule, s *split, check string) *schemas.Rule {
	for i, r := range rules {
		if r.Kind != schemas.NotInTrain || r.Left.Config != s.config || r.Left.Split != "" && r.Left.Split != s.name {
			continue
		}
		switch {
		case check == "leak.prompt_in_train" && slices.Equal(r.Left.Columns, []string{"prompt"}),
			check == "leak.prompt_answer_in_train" && slices.Equal(r.Left.Columns, []string{"prompt", "answer"}):
			return &rules[i]
		}
	}
	return nil
}

// leakFindings measures one eval split's leakage into the dataset's training text, over the split and
// by slice, and the share of the probes' word 8-grams found in training text.
func leakFindings(dataset string, s *split, e *evalSplit, found []hits, trainTexts []string, m *matcher, rules []schemas.Rule) []Finding {
	ps := e.probes
	var out []Finding
	for _, c := range leakChecks {
		rule := ruleFor(rules, s, c.check)
		all, slices, order := e.bySlice(s, func(p *probe) bool { return c.hit(p, found) })
		f := Finding{Level: Info, Check: c.check, Dataset: dataset, Config: s.config, Split: s.name, Count: all[0], Of: all[1], Value: share(all[0], all[1]),
			Message: fmt.Sprintf("%s %s", percent(all[0], all[1]), c.what)}
		if rule != nil {
			f.Message += "; the recipe's rule: " + rule.Doc
		}
		if all[0] > 0 {
			f.Level = c.level
			if rule != nil {
				f.Level = Error
			}
			var ex examples
			for i := range ps {
				if p := &ps[i]; c.hit(p, found) {
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
