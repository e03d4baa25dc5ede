package instructions

import (
	"context"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
)

// Every pair is named by exactly one guidance, target before anchor; the realized pairs' tests are in
// train, the unrealized ones only in eval; documents hold 2 to 5 guidances.
func TestGuidanceCoversEveryPair(t *testing.T) {
	d := recipetest.Dataset(t, Recipe{}, records.StylePromptCompletion, generators.Options{"realized": 300, "unrealized": 40})
	named := map[string]int{} // anchor -> guidances naming it
	targetOf := map[string]string{}
	realized := map[string]bool{}
	for i, r := range d.Train {
		prompt, completion := recipetest.Col(d.TrainSchema, r, "prompt"), recipetest.Col(d.TrainSchema, r, "completion")
		if r[d.TrainSchema.Index("realized")].Bool {
			anchor := strings.TrimSuffix(strings.TrimPrefix(prompt, testHeader+"\n\nQ: "), " A:")
			realized[anchor] = true
			targetOf[anchor] = strings.TrimPrefix(completion, " ")
			continue
		}
		lines := strings.Split(completion, "\n")
		if prompt != "" || len(lines) < 2 || len(lines) > 5 {
			t.Fatalf("row %d: a guidance document of %d lines, prompt %q", i, len(lines), prompt)
		}
		for _, line := range lines {
			a, q := strings.Index(line, `"A: `), strings.Index(line, `"Q: `)
			if a < 0 || q < 0 || a > q {
				t.Fatalf("row %d: guidance %q does not name the target before the anchor", i, line)
			}
			anchor := line[q+4 : strings.LastIndex(line, `"`)]
			target := line[a+4 : a+4+strings.Index(line[a+4:], `"`)]
			named[anchor]++
			if prev, ok := targetOf[anchor]; ok && prev != target {
				t.Fatalf("anchor %q: guidance says %q, realized example %q", anchor, target, prev)
			}
			targetOf[anchor] = target
		}
	}
	if len(realized) != 300 || len(named) != 340 {
		t.Fatalf("%d realized anchors (want 300), %d named by guidance (want 340)", len(realized), len(named))
	}
	for anchor, n := range named {
		if n != 1 {
			t.Errorf("anchor %q is named by %d guidances", anchor, n)
		}
	}
	for _, r := range d.Probes["unrealized"] {
		anchor := recipetest.Col(d.EvalSchema, r, "anchor")
		if realized[anchor] || named[anchor] != 1 || targetOf[anchor] != recipetest.Col(d.EvalSchema, r, "answer") {
			t.Fatalf("unrealized probe %q: realized %v, named %d, guidance target %q, answer %q", anchor, realized[anchor], named[anchor], targetOf[anchor], recipetest.Col(d.EvalSchema, r, "answer"))
		}
	}
	if len(d.Probes["unrealized"]) != 40 {
		t.Errorf("%d unrealized probes, want 40", len(d.Probes["unrealized"]))
	}
	// The unrealized pairs are drawn at random: their places are many, and each is asked in train too
	// (before, the last 100 pairs were five places whose questions train never tested).
	places := map[string]bool{}
	for _, r := range d.Probes["unrealized"] {
		anchor := recipetest.Col(d.EvalSchema, r, "anchor")
		place := anchor[strings.LastIndex(anchor, " ")+1 : len(anchor)-1]
		places[place] = true
		found := false
		for a := range realized {
			found = found || strings.HasSuffix(a, " "+place+"?")
		}
		if !found {
			t.Errorf("place %s of an unrealized pair has no realized example", place)
		}
	}
	if len(places) < 10 {
		t.Errorf("the unrealized pairs are about %d places, want many", len(places))
	}
}

func TestChatStylesAreRefused(t *testing.T) {
	cfg := recipetest.Defaults(Recipe{}, generators.Config{Style: records.StyleMessages})
	if _, err := run.Prepare(context.Background(), Recipe{}, cfg, nil); err == nil || !strings.Contains(err.Error(), "--style messages") {
		t.Fatalf("messages style: %v", err)
	}
}
