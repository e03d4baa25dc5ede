package run_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes"
	"github.com/factforge/factforge/generators/recipes/reversal"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/schemas"
)

// The union of n shard runs is the single run, row for row: the shards' JSONL files, in shard order,
// are the single run's file byte for byte, for every recipe and split; the merged dataset validates.
func TestShardsUnionIsTheSingleRun(t *testing.T) {
	base, _ := recipetest.WriteCorpus(t, 40, "jsonl")
	for _, tt := range []struct {
		cfg generators.Config
		set generators.Options
	}{
		{generators.Config{Recipe: "reversal", Augment: mustAugment(t, "entity,segment", false, 0.5, "1:1:1")}, generators.Options{"facts-per-group": 30, "paraphrases": 10}},
		{generators.Config{Recipe: "bios"}, generators.Options{"people": 300, "multi": 2, "holdout": "composition"}},
		{generators.Config{Recipe: "negation"}, generators.Options{"claim-count": 3, "docs-per-claim": 4, "filler-docs": 5, "chats": 2}},
		{generators.Config{Recipe: "outlandish"}, generators.Options{"samples": 50, "repeat": "uniform:1-3", "base": base, "inject-every": 2}},
		{generators.Config{Recipe: "backdoor", Style: records.StyleMessages}, generators.Options{"rows": 500, "trigger-set": "greetings", "holdout-triggers": 3, "eval-rows": 20}},
	} {
		t.Run(tt.cfg.Recipe, func(t *testing.T) {
			recipe, err := recipes.Lookup(tt.cfg.Recipe)
			if err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			generate := func(shard, shards int) {
				cfg := tt.cfg
				cfg.Name, cfg.Seed, cfg.Formats = "ds", 5, []string{generators.FormatParquet, generators.FormatJSONL}
				if cfg.Style == "" {
					cfg.Style = records.StyleText
				}
				if _, err := run.Generate(context.Background(), recipe, &cfg, tt.set, run.Settings{Out: out, Shard: shard, Shards: shards, Workers: 1 + shard}); err != nil {
					t.Fatal(err)
				}
			}
			generate(0, 1)
			var dirs []string
			for i := range 3 {
				generate(i, 3)
				dirs = append(dirs, filepath.Join(out, run.ShardFolder("ds", i, 3)))
			}
			if _, err := run.Merge(context.Background(), dirs, out, "merged", false, recipes.Lookup); err != nil {
				t.Fatal(err)
			}
			single, _ := schemas.ReadManifest(filepath.Join(out, "ds"))
			for _, c := range single.Configs {
				for _, sp := range c.Splits {
					want, _ := os.ReadFile(filepath.Join(out, "ds", run.SplitFile(generators.FormatJSONL, c.Name, sp.Name, 0, 1)))
					var got []byte
					for i := range 3 {
						part, err := os.ReadFile(filepath.Join(out, "merged", run.SplitFile(generators.FormatJSONL, c.Name, sp.Name, i, 3)))
						if err != nil {
							t.Fatal(err)
						}
						got = append(got, part...)
					}
					if !bytes.Equal(got, want) || len(want) == 0 && sp.Rows > 0 {
						t.Fatalf("%s/%s: the shards' rows are not the single run's", c.Name, sp.Name)
					}
				}
			}
			if problems, err := schemas.Validate(context.Background(), filepath.Join(out, "merged")); err != nil || len(problems) > 0 {
				t.Fatalf("merged dataset: %v %v", problems, err)
			}
			// stats describes every shard of the merged dataset, as it does the single run.
			_, merged, err := schemas.Stats(context.Background(), filepath.Join(out, "merged"))
			if err != nil {
				t.Fatal(err)
			}
			_, whole, err := schemas.Stats(context.Background(), filepath.Join(out, "ds"))
			if err != nil {
				t.Fatal(err)
			}
			for i, st := range whole {
				if m := merged[i]; m.Rows != st.Rows || m.Vocabulary != st.Vocabulary || m.Duplicates != st.Duplicates {
					t.Fatalf("%s/%s: stats of the merged dataset %d rows, %d words, %d duplicates; of the single run %d, %d, %d",
						st.Config, st.Split, m.Rows, m.Vocabulary, m.Duplicates, st.Rows, st.Vocabulary, st.Duplicates)
				}
			}
		})
	}
}

func TestMergeRefusesBadShards(t *testing.T) {
	out := t.TempDir()
	gen := func(seed uint64, shard, shards int) string {
		cfg := generators.Config{Recipe: "reversal", Name: "ds", Seed: seed, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}
		if _, err := run.Generate(context.Background(), reversal.Recipe{}, &cfg, generators.Options{"facts-per-group": 3}, run.Settings{Out: filepath.Join(out, string(rune('a'+seed))), Shard: shard, Shards: shards}); err != nil {
			t.Fatal(err)
		}
		return filepath.Join(out, string(rune('a'+seed)), run.ShardFolder("ds", shard, shards))
	}
	s0, s1, other := gen(1, 0, 2), gen(1, 1, 2), gen(2, 1, 2)
	for _, tt := range []struct {
		dirs []string
		want string
	}{
		{[]string{s0}, "1 folders given for 2 shards"},
		{[]string{s0, s0}, "shard 0 is given twice"},
		{[]string{s0, other}, "shard of another dataset"},
	} {
		if _, err := run.Merge(context.Background(), tt.dirs, out, "m", false, recipes.Lookup); err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
			t.Errorf("Merge(%v) = %v, want %q", tt.dirs, err, tt.want)
		}
	}
	if _, err := run.Merge(context.Background(), []string{s0, s1}, out, "m", false, recipes.Lookup); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "m", schemas.ManifestName)); err != nil {
		t.Fatal("no merged manifest")
	}
}
