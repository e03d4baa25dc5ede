package audit

import (
	"fmt"
	"slices"
)

// shortcutFindings measures how a model could pass one eval split's probes without the fact: for
// multiple choice, the correct option's position, length and familiarity from training; for open
// probes, the majority answer and answers given away by their prompt.
func shortcutFindings(dataset string, s *split, e *evalSplit, found []hits) []Finding {
	var out []Finding
	ps := e.probes
	mcqProbes := 0
	for i := range ps {
		if ps[i].choices >= 2 {
			mcqProbes++
		}
	}
	at := func(check string, level Level, count, of int64, value float64, msg string, ex []string) {
		out = append(out, Finding{Level: level, Check: check, Dataset: dataset, Config: s.config, Split: s.name,
			Count: count, Of: of, Value: value, Message: msg, Examples: ex})
	}
	if mcqProbes > 0 {
		var mcq, longest, familiar int64
		positions := map[int]int64{}
		k := 0
		for i := range ps {
			p := &ps[i]
			if p.correct < 0 || p.choices < 2 {
				continue
			}
			mcq++
			choices, ids := e.choicesOf(p), e.choiceIDs[p.choice:p.choice+p.choices]
			k = max(k, len(choices))
			positions[int(p.correct)]++
			if strictlyMost(len(choices), int(p.correct), func(j int) int64 { return int64(len(choices[j])) }) {
				longest++
			}
			if strictlyMost(len(choices), int(p.correct), func(j int) int64 {
				if id := ids[j]; id >= 0 {
					return found[id].rows
				}
				return 0
			}) {
				familiar++
			}
		}
		if mcq > 0 {
			chance := 1 / float64(k)
			top, topAt := int64(0), 0
			for pos, n := range positions {
				if n > top || n == top && pos < topAt {
					top, topAt = n, pos
				}
			}
			level := Info
			if mcq >= 20 && share(top, mcq) > chance+0.15 || mcq > 1 && top == mcq {
				level = Warning
			}
			at("shortcut.mcq_position", level, top, mcq, share(top, mcq),
				fmt.Sprintf("the correct option is at position %c in %s multiple-choice probes (chance %.0f%%)", 'A'+topAt, percent(top, mcq), 100*chance), nil)
			level = Info
			if share(longest, mcq) > 0.5 && k >= 3 {
				level = Warning
			}
			at("shortcut.mcq_longest", level, longest, mcq, share(longest, mcq),
				fmt.Sprintf("the correct option is the longest in %s (chance %.0f%%)", percent(longest, mcq), 100*chance), nil)
			level = Info
			if share(familiar, mcq) > chance+0.25 {
				level = Warning
			}
			at("shortcut.mcq_familiarity", level, familiar, mcq, share(familiar, mcq),
				fmt.Sprintf("the correct option occurs in more training rows than every other option in %s (chance %.0f%%): a model can pick the familiar name", percent(familiar, mcq), 100*chance), nil)
		}
		return out
	}
	answers := map[string]int64{}
	var inPrompt, designed int64
	var ex examples
	for i := range ps {
		p := &ps[i]
		if p.designed {
			designed++
		} else {
			answers[p.answer]++
		}
		if p.answerInPrompt {
			inPrompt++
			ex.add(fmt.Sprintf("%q -> %q", clip(p.prompt, 120), clip(p.answer, 60)))
		}
	}
	n := int64(len(ps))
	if n == 0 {
		return out
	}
	majority, top := "", int64(0)
	keys := make([]string, 0, len(answers))
	for a := range answers {
		keys = append(keys, a)
	}
	slices.Sort(keys)
	for _, a := range keys {
		if answers[a] > top {
			majority, top = a, answers[a]
		}
	}
	level := Info
	if n-designed >= 20 && share(top, n-designed) > 0.5 {
		level = Warning
	}
	switch {
	case designed == n:
		at("shortcut.majority_answer", Info, 0, n, 0,
			"every probe expects the behaviour the design repeats (a behaviour column): one answer to all of them is the design", nil)
	case majority == "" && top == n-designed:
		// Open questions, whose replies a judge scores: no answer to give by rote.
		at("shortcut.majority_answer", Info, 0, n, 0, "no probe has an expected answer (open questions, scored by a judge): no answer is right by rote", nil)
	default:
		msg := fmt.Sprintf("answering %q to every probe is right for %s", clip(majority, 60), percent(top, n-designed))
		if designed > 0 {
			msg += fmt.Sprintf(" (of the %d that expect no designed behaviour)", n-designed)
		}
		at("shortcut.majority_answer", level, top, n-designed, share(top, n-designed), msg, nil)
	}
	level = Info
	if inPrompt > 0 {
		level = Warning
	}
	at("shortcut.answer_in_prompt", level, inPrompt, n, share(inPrompt, n),
		fmt.Sprintf("%s probes give their answer away in the prompt", percent(inPrompt, n)), ex)
	return out
}

// strictlyMost tells whether item best of n has a larger value than every other.
func strictlyMost(n, best int, value func(j int) int64) bool {
	v := value(best)
	for j := range n {
		if j != best && value(j) >= v {
			return false
		}
	}
	return true
}
