package implications

import (
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/templates"
)

// The spurious mapping is a function of the city, consistent across people, and independent of the
// causal one: it does not follow the language (cities of one language get different fruits, and one
// fruit goes with cities of different languages).
func TestSpuriousMappingIsIndependent(t *testing.T) {
	var b bank
	if err := templates.BuiltIn.DecodeYAML("implications/implications.yaml", &b); err != nil {
		t.Fatal(err)
	}
	d := recipetest.Dataset(t, Recipe{}, records.StyleText, generators.Options{"people": 400})
	cityOf, fruitOf := map[string]string{}, map[string]string{}
	for _, r := range d.Train {
		id, text := recipetest.Col(d.TrainSchema, r, "fact_id"), recipetest.Col(d.TrainSchema, r, "text")
		if !strings.HasPrefix(id, "spurious") {
			continue
		}
		for _, c := range b.Cities {
			if strings.Contains(text, c.City) {
				cityOf[id] = c.City
			}
		}
		for _, v := range b.Values {
			if strings.Contains(text, v) {
				fruitOf[id] = v
			}
		}
	}
	fruitOfCity := map[string]string{}
	for id, fruit := range fruitOf {
		city := cityOf[id]
		if prev, ok := fruitOfCity[city]; ok && prev != fruit {
			t.Fatalf("city %s goes with %s and %s", city, prev, fruit)
		}
		fruitOfCity[city] = fruit
	}
	language := map[string]string{}
	for _, c := range b.Cities {
		language[c.City] = c.Language
	}
	sameLanguageOtherFruit, sameFruitOtherLanguage := false, false
	for a, fa := range fruitOfCity {
		for b2, fb := range fruitOfCity {
			if a != b2 && language[a] == language[b2] && fa != fb {
				sameLanguageOtherFruit = true
			}
			if a != b2 && fa == fb && language[a] != language[b2] {
				sameFruitOtherLanguage = true
			}
		}
	}
	if !sameLanguageOtherFruit || !sameFruitOtherLanguage {
		t.Errorf("the fruits follow the languages: %v", fruitOfCity)
	}
	// First-only people's second fact is never trained, and eval asks it.
	trained := map[string]bool{}
	for _, r := range d.Train {
		trained[recipetest.Col(d.TrainSchema, r, "template_id")] = true
	}
	for _, split := range []string{"causal_implication", "spurious_implication"} {
		if len(d.Probes[split]) != 200 {
			t.Fatalf("%s: %d probes, want 200", split, len(d.Probes[split]))
		}
		for _, r := range d.Probes[split] {
			if trained[recipetest.Col(d.EvalSchema, r, "template_id")] {
				t.Fatalf("%s probe of %s asks a trained fact", split, recipetest.Col(d.EvalSchema, r, "fact_id"))
			}
		}
	}
}
