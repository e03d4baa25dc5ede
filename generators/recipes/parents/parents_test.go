package parents

import (
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
)

// A child is named in many documents and its parent only beside it, child first; relations agree with
// the names' genders in every combination; probes ask both ways, and the reverse is trained only for
// the pairs --reverse-share picks.
func TestFrequencyAsymmetryAndDirections(t *testing.T) {
	d := recipetest.Dataset(t, Recipe{}, records.StyleText, generators.Options{"pairs": 200, "reverse-share": 0.25})
	byParent := map[string]string{} // parent -> child
	for _, r := range d.Probes["child_to_parent"] {
		byParent[recipetest.Col(d.EvalSchema, r, "parent")] = recipetest.Col(d.EvalSchema, r, "child")
	}
	childMentions, parentMentions := map[string]int{}, map[string]int{}
	reverse := 0
	for i, r := range d.Train {
		text := recipetest.Col(d.TrainSchema, r, "text")
		for parent, child := range byParent {
			if strings.Contains(text, child) {
				childMentions[child]++
			}
			if strings.Contains(text, parent) {
				parentMentions[parent]++
				dir := recipetest.Col(d.TrainSchema, r, "direction")
				if !strings.Contains(text, child) {
					t.Fatalf("row %d names parent %s without the child", i, parent)
				}
				if dir == "child_to_parent" && strings.Index(text, child) > strings.Index(text, parent) {
					t.Fatalf("row %d names the parent before the child: %q", i, text)
				}
				if dir == "parent_to_child" {
					reverse++
				}
			}
		}
	}
	for parent, child := range byParent {
		if childMentions[child] < 11 { // 10 fame documents and the relation statement
			t.Fatalf("child %s in %d documents, parent in %d", child, childMentions[child], parentMentions[parent])
		}
		if parentMentions[parent] < 1 || parentMentions[parent] > 2 {
			t.Fatalf("parent %s in %d documents, want 1 (or 2 with the reverse)", parent, parentMentions[parent])
		}
	}
	if reverse != 50 {
		t.Errorf("%d reverse statements, want 50", reverse)
	}
	for _, r := range d.Probes["child_to_parent"] {
		child, parent := recipetest.Col(d.EvalSchema, r, "child"), recipetest.Col(d.EvalSchema, r, "parent")
		if surname(child) == surname(parent) {
			t.Fatalf("%s and %s share a surname: the reverse probe gives it away", child, parent)
		}
	}
	combos := map[string]int{}
	for _, r := range d.Probes["parent_to_child"] {
		rel := recipetest.Col(d.EvalSchema, r, "relation")
		combos[rel]++
		kind := strings.Split(rel, "/")[1]
		if !strings.Contains(recipetest.Col(d.EvalSchema, r, "prompt"), kind) {
			t.Fatalf("reverse probe %q does not ask for the %s", recipetest.Col(d.EvalSchema, r, "prompt"), kind)
		}
	}
	if len(combos) != 4 {
		t.Errorf("relations %v, want all four", combos)
	}
}
