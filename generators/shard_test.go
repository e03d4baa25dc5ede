package generators

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/factforge/factforge/schemas"
)

// The union of n shard runs is the single run, row for row: the shards' JSONL files, in shard order,
// are the single run's file byte for byte, for every recipe and split; the merged dataset validates.
func TestShardsUnionIsTheSingleRun(t *testing.T) {
	base, _ := writeBase(t, 40, "jsonl")
	for _, tt := range []struct {
		cfg Config
		set Options
	}{
		{Config{Recipe: "reversal", Augment: mustAugment(t, "entity,segment", false, 0.5, "1:1:1")}, Options{"facts-per-group": 30, "paraphrases": 10}},
		{Config{Recipe: "bios"}, Options{"people": 300, "multi": 2, "holdout": "composition"}},
		{Config{Recipe: "negation"}, Options{"claim-count": 3, "docs-per-claim": 4, "filler-docs": 5, "chats": 2}},
		{Config{Recipe: "outlandish"}, Options{"samples": 50, "repeat": "uniform:1-3", "base": base, "inject-every": 2}},
		{Config{Recipe: "backdoor", Style: StyleMessages}, Options{"rows": 500, "trigger-set": "greetings", "holdout-triggers": 3, "eval-rows": 20}},
	} {
		t.Run(tt.cfg.Recipe, func(t *testing.T) {
			out := t.TempDir()
			run := func(shard, shards int) {
				cfg := tt.cfg
				cfg.Name, cfg.Seed, cfg.Formats = "ds", 5, []string{FormatParquet, FormatJSONL}
				if cfg.Style == "" {
					cfg.Style = StyleText
				}
				if _, err := Generate(context.Background(), &cfg, tt.set, RunOptions{Out: out, Shard: shard, Shards: shards, Workers: 1 + shard}); err != nil {
					t.Fatal(err)
				}
			}
			run(0, 1)
			var dirs []string
			for i := range 3 {
				run(i, 3)
				dirs = append(dirs, filepath.Join(out, ShardFolder("ds", i, 3)))
			}
			if _, err := Merge(dirs, out, "merged", false); err != nil {
				t.Fatal(err)
			}
			single, _ := schemas.ReadManifest(filepath.Join(out, "ds"))
			for _, c := range single.Configs {
				for _, sp := range c.Splits {
					want, _ := os.ReadFile(filepath.Join(out, "ds", SplitFile(FormatJSONL, c.Name, sp.Name, 0, 1)))
					var got []byte
					for i := range 3 {
						part, err := os.ReadFile(filepath.Join(out, "merged", SplitFile(FormatJSONL, c.Name, sp.Name, i, 3)))
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
			if problems, err := schemas.Validate(filepath.Join(out, "merged")); err != nil || len(problems) > 0 {
				t.Fatalf("merged dataset: %v %v", problems, err)
			}
		})
	}
}

func TestMergeRefusesBadShards(t *testing.T) {
	out := t.TempDir()
	gen := func(seed uint64, shard, shards int) string {
		cfg := Config{Recipe: "reversal", Name: "ds", Seed: seed, Style: StyleText, Formats: []string{FormatJSONL}}
		if _, err := Generate(context.Background(), &cfg, Options{"facts-per-group": 3}, RunOptions{Out: filepath.Join(out, string(rune('a'+seed))), Shard: shard, Shards: shards}); err != nil {
			t.Fatal(err)
		}
		return filepath.Join(out, string(rune('a'+seed)), ShardFolder("ds", shard, shards))
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
		if _, err := Merge(tt.dirs, out, "m", false); err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
			t.Errorf("Merge(%v) = %v, want %q", tt.dirs, err, tt.want)
		}
	}
	if _, err := Merge([]string{s0, s1}, out, "m", false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "m", schemas.ManifestName)); err != nil {
		t.Fatal("no merged manifest")
	}
}
