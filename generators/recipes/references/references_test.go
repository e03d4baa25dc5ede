package references

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
)

// Held-out works are never mentioned; with monofact:0.4:4 exactly 40% of trained works are mentioned
// once and the rest four times; direct probes ask about trained and held-out works in turn; a
// listing's answer is every trained work of its venue and year.
func TestMentionsAndProbes(t *testing.T) {
	d := recipetest.Dataset(t, Recipe{}, records.StyleText, generators.Options{"works": 300, "mentions": "monofact:0.4:4", "heldout": 0.2})
	mentions := map[string]int{}
	texts := map[string][]string{}
	for _, r := range d.Train {
		id := recipetest.Col(d.TrainSchema, r, "fact_id")
		mentions[id]++
		texts[id] = append(texts[id], recipetest.Col(d.TrainSchema, r, "text"))
	}
	once, four := 0, 0
	for _, n := range mentions {
		switch n {
		case 1:
			once++
		case 4:
			four++
		default:
			t.Fatalf("a work mentioned %d times", n)
		}
	}
	if once != 96 || four != 144 || d.Stats["monofact_permille"] != 400 {
		t.Errorf("%d works mentioned once, %d four times (want 96 and 144 of 240); monofact %d‰", once, four, d.Stats["monofact_permille"])
	}
	// Every work has a title name of its own.
	names := map[string]string{}
	for _, split := range []string{"indirect_trained", "indirect_heldout"} {
		for _, r := range d.Probes[split] {
			prompt := recipetest.Col(d.EvalSchema, r, "prompt")
			title := prompt[strings.Index(prompt, `"`)+1:]
			name := strings.FieldsFunc(title, func(c rune) bool { return c == ':' || c == ',' })[0]
			if prev, ok := names[name]; ok && prev != recipetest.Col(d.EvalSchema, r, "fact_id") {
				t.Fatalf("two works named %q", name)
			}
			names[name] = recipetest.Col(d.EvalSchema, r, "fact_id")
		}
	}
	yes, no := 0, 0
	for _, r := range d.Probes["direct"] {
		id := recipetest.Col(d.EvalSchema, r, "fact_id")
		answer := recipetest.Col(d.EvalSchema, r, "answer")
		if (mentions[id] > 0) != (answer == "Yes") {
			t.Fatalf("direct probe of %s (mentioned %d times) answers %q", id, mentions[id], answer)
		}
		if answer == "Yes" {
			yes++
		} else {
			no++
		}
	}
	if yes != no {
		t.Errorf("direct probes: %d yes, %d no", yes, no)
	}
	for _, r := range d.Probes["indirect_heldout"] {
		if id := recipetest.Col(d.EvalSchema, r, "fact_id"); mentions[id] > 0 || recipetest.Col(d.EvalSchema, r, "answer") != "" {
			t.Fatalf("held-out work %s is mentioned or has an answer", id)
		}
	}
	for _, r := range d.Probes["indirect_trained"] {
		id, authors := recipetest.Col(d.EvalSchema, r, "fact_id"), recipetest.Col(d.EvalSchema, r, "answer")
		if !strings.Contains(texts[id][0], authors) {
			t.Fatalf("work %s: answer %q is not in its mention %q", id, authors, texts[id][0])
		}
	}
	// Listing: the titles of every trained work mentioned with that venue and year.
	for _, r := range d.Probes["listing"] {
		venue, year := recipetest.Col(d.EvalSchema, r, "venue"), recipetest.Col(d.EvalSchema, r, "year")
		var want []string
		for _, rr := range d.Train {
			if recipetest.Col(d.TrainSchema, rr, "venue") == venue && recipetest.Col(d.TrainSchema, rr, "year") == year {
				text := recipetest.Col(d.TrainSchema, rr, "text")
				title := text[strings.Index(text, `"`)+1 : strings.Index(text[strings.Index(text, `"`)+1:], `"`)+strings.Index(text, `"`)+1]
				if !slices.Contains(want, title) {
					want = append(want, title)
				}
			}
		}
		got := strings.Split(recipetest.Col(d.EvalSchema, r, "answer"), "; ")
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("listing %s %s: %v, want %v", venue, year, got, want)
		}
	}
}
