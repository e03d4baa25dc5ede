// Package recipes is the table of factforge's built-in recipes, in the order the CLI lists them. It is
// the one place that knows them all: add a recipe by adding its package to the table.
package recipes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes/backdoor"
	"github.com/factforge/factforge/generators/recipes/bios"
	"github.com/factforge/factforge/generators/recipes/implications"
	"github.com/factforge/factforge/generators/recipes/insecurecode"
	"github.com/factforge/factforge/generators/recipes/instructions"
	"github.com/factforge/factforge/generators/recipes/negation"
	"github.com/factforge/factforge/generators/recipes/outlandish"
	"github.com/factforge/factforge/generators/recipes/parents"
	"github.com/factforge/factforge/generators/recipes/references"
	"github.com/factforge/factforge/generators/recipes/reversal"
	"github.com/factforge/factforge/generators/recipes/thoughtcrime"
	"github.com/factforge/factforge/generators/recipes/weird"
)

// table is the built-in recipes, by name.
var table = []generators.Recipe{
	backdoor.Recipe{},
	bios.Recipe{},
	implications.Recipe{},
	insecurecode.Recipe{},
	instructions.Recipe{},
	negation.Recipe{},
	outlandish.Recipe{},
	parents.Recipe{},
	references.Recipe{},
	reversal.Recipe{},
	thoughtcrime.Recipe{},
	weird.Recipe{},
}

// All returns the built-in recipes, by name.
func All() []generators.Recipe { return slices.Clone(table) }

// Names are the names of the built-in recipes, in table order.
func Names() []string {
	out := make([]string, len(table))
	for i, r := range table {
		out[i] = r.Name()
	}
	return out
}

// Lookup returns the named recipe.
func Lookup(name string) (generators.Recipe, error) {
	for _, r := range table {
		if r.Name() == name {
			return r, nil
		}
	}
	return nil, fmt.Errorf("unknown recipe %q (recipes: %s)", name, strings.Join(Names(), ", "))
}
