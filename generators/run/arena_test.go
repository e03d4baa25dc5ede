package run_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes/negation"
	"github.com/factforge/factforge/generators/recipes/outlandish"
	"github.com/factforge/factforge/generators/recipes/reversal"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/run"
)

// Rows' strings are cut from their chunk's arena and the arena is reused once the chunk is written.
// If any row (or a writer holding one) outlived its chunk, overwriting every recycled arena would
// change the files: they must come out the same, with several chunks per split, in both formats, on
// one worker and on several.
func TestNoRowOutlivesItsChunk(t *testing.T) {
	base := filepath.Join(t.TempDir(), "base.jsonl")
	var corpus strings.Builder
	for i := range 20_000 {
		fmt.Fprintf(&corpus, "{\"text\": \"base row %d\"}\n", i)
	}
	if err := os.WriteFile(base, []byte(corpus.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		r   generators.Recipe
		set generators.Options
	}{
		{reversal.Recipe{}, generators.Options{"facts-per-group": 300}},
		{negation.Recipe{}, generators.Options{"claim-count": 4, "docs-per-claim": 30, "modes": "positive,repeated"}},
		// rows streamed from a corpus are written by the split's writer, not encoded by a worker
		{outlandish.Recipe{}, generators.Options{"samples": 3000, "base": base}},
	}
	for _, tc := range cases {
		for _, workers := range []int{1, 3} {
			gen := func(poison bool) map[string]string {
				run.PoisonRecycled(poison)
				defer run.PoisonRecycled(false)
				res, err := run.Generate(context.Background(), tc.r, recipetest.Defaults(tc.r, generators.Config{}), tc.set, run.Settings{Out: t.TempDir(), Workers: workers})
				if err != nil {
					t.Fatal(err)
				}
				return recipetest.Hashes(t, res.Dir)
			}
			want := gen(false)
			before := run.Poisoned()
			got := gen(true)
			if run.Poisoned() == before {
				t.Fatalf("%s, %d workers: no recycled chunk was overwritten: the test tests nothing", tc.r.Name(), workers)
			}
			for f, h := range want {
				if got[f] != h {
					t.Errorf("%s, %d workers: %s changes when recycled chunks are overwritten", tc.r.Name(), workers, f)
				}
			}
		}
	}
}
