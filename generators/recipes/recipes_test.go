package recipes_test

import (
	"slices"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes"
	"github.com/factforge/factforge/generators/recipetest"
)

// Every recipe of the table is found by its name, generates its defaults into a dataset that
// validates, and declares options with distinct names and defaults of a flag's type.
func TestEveryRecipe(t *testing.T) {
	names := recipes.Names()
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) || len(names) < 5 {
		t.Fatalf("recipe names %v: want at least five, distinct, in order", names)
	}
	for _, r := range recipes.All() {
		t.Run(r.Name(), func(t *testing.T) {
			if got, err := recipes.Lookup(r.Name()); err != nil || got.Name() != r.Name() {
				t.Fatalf("Lookup(%q) = %v, %v", r.Name(), got, err)
			}
			seen := map[string]bool{}
			for _, o := range r.Options() {
				switch o.Default().(type) {
				case int, float64, string, bool:
				default:
					t.Errorf("option %s has a default of type %T", o.Name(), o.Default())
				}
				if seen[o.Name()] || o.Usage() == "" {
					t.Errorf("option %s is declared twice or has no usage", o.Name())
				}
				seen[o.Name()] = true
			}
			recipetest.Validate(t, recipetest.Generate(t, r, generators.Config{Formats: []string{generators.FormatJSONL}}, nil, 0))
		})
	}
	if _, err := recipes.Lookup("reversl"); err == nil {
		t.Fatal("Lookup found a recipe that is not in the table")
	}
	all := recipes.All()
	all[0] = nil
	if recipes.All()[0] == nil {
		t.Fatal("All returns the table itself: a caller can change it")
	}
}
