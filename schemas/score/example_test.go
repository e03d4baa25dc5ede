package score_test

import (
	"fmt"

	"github.com/factforge/factforge/schemas/score"
)

// The reversal recipe's scoring: accuracy on three probe splits, and on reverse probes whether the
// correct name is likelier than the randomized split's name for the same fact and template.
func ExampleRecipeFor() {
	r := score.RecipeFor("reversal")
	for _, rule := range r.Rules {
		fmt.Println(rule.Split, rule.Metric, rule.Judge, rule.LikelihoodMetric, rule.Pair, rule.Keys)
	}
	fmt.Println(score.RecipeFor("parents").Plot.Title)
	// Output:
	// same_direction accuracy prefix   []
	// reverse accuracy prefix reverse_over_randomized randomized [fact_id template_id]
	// questions accuracy contains   []
	// parents: accuracy by split
}
