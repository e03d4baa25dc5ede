package run_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes/reversal"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/generators/variants"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// augmentedRows generates a small reversal dataset with cfg's augmentation and returns its train rows
// by variant, with the original of each document by its (fact, direction, template) key, and the
// rows' schema.
func augmentedRows(t *testing.T, cfg generators.Config, style string) (byVariant map[string][]records.Row, originals map[string]records.Row, s schemas.Schema) {
	t.Helper()
	cfg.Style = style
	dir := recipetest.Generate(t, reversal.Recipe{}, cfg, generators.Options{"facts-per-group": 8, "paraphrases": 5, "eval-paraphrases": 2}, 0)
	s, rows := recipetest.Rows(t, dir, "train", "train")
	byVariant, originals = map[string][]records.Row{}, map[string]records.Row{}
	for _, r := range rows {
		v := r[s.Index("variant")].Str
		byVariant[v] = append(byVariant[v], r)
		if v == "original" {
			originals[docKey(r, s)] = r
		}
	}
	if problems, err := schemas.Validate(context.Background(), dir); err != nil || len(problems) > 0 {
		t.Fatalf("validate: %v %v", problems, err)
	}
	return byVariant, originals, s
}

func docKey(r records.Row, s schemas.Schema) string {
	return r[s.Index("fact_id")].Str + "/" + r[s.Index("direction")].Str + "/" + r[s.Index("template_id")].Str
}

func mustAugment(t *testing.T, kinds string, only bool, share float64, mix string) *generators.Augment {
	t.Helper()
	a, err := generators.ParseAugment(kinds, only, share, 3, " [REV] ", mix)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Every augmented row has its source's words, separators aside; entity and semantic rows keep every
// entity intact; word rows are the source's words in reverse.
func TestAugmentationsKeepWordsAndEntities(t *testing.T) {
	byVariant, originals, s := augmentedRows(t, generators.Config{Augment: mustAugment(t, "semantic,segment,entity,word", false, 1, "1:1:1")}, records.StyleText)
	text := s.Index("text")
	want := map[string]int{"original": 160, "word": 160, "entity": 160, "segment": 160}
	for v, n := range want {
		if len(byVariant[v]) != n {
			t.Errorf("%d rows of variant %s, want %d", len(byVariant[v]), v, n)
		}
	}
	semantic := 0
	for v, rows := range byVariant {
		if strings.HasPrefix(v, "semantic-") {
			semantic += len(rows)
		}
		for _, r := range rows {
			src, ok := originals[docKey(r, s)]
			if !ok {
				t.Fatalf("%s row has no original", v)
			}
			got := r[text].Str
			if v == "segment" {
				got = strings.ReplaceAll(got, " [REV] ", " ")
			}
			if !slices.Equal(recipetest.Words(got), recipetest.Words(src[text].Str)) {
				t.Fatalf("%s row %q has other words than %q", v, got, src[text].Str)
			}
			if v == "word" {
				w := strings.Fields(src[text].Str)
				slices.Reverse(w)
				if got != strings.Join(w, " ") {
					t.Fatalf("word row %q is not %q reversed", got, src[text].Str)
				}
			}
		}
	}
	// Without --augment-only the original order is the original row itself: of 160 documents, the
	// 53 ranked in the mix's first third get no copy, which would repeat them word for word.
	if semantic != 107 || len(byVariant["semantic-original"]) != 0 {
		t.Errorf("%d semantic rows, %d of them in the original order; want 107 and none", semantic, len(byVariant["semantic-original"]))
	}
}

// Entities are exact: in entity and semantic rows each entity of the source (the text between the
// document's two slots and around them is known from the prompt-completion split) occurs intact.
func TestEntityAndSemanticRowsKeepEntitiesIntact(t *testing.T) {
	a := mustAugment(t, "entity,semantic", false, 1, "0:1:1")
	cfg := withDefaults(generators.Config{Augment: a, Style: records.StyleText})
	plan, err := run.Prepare(context.Background(), reversal.Recipe{}, cfg, generators.Options{"facts-per-group": 6, "paraphrases": 4})
	if err != nil {
		t.Fatal(err)
	}
	split := plan.Configs[0].Splits[0]
	row := make(records.Row, len(plan.Configs[0].Layout.Schema.Columns))
	w := records.NewWorker()
	var checked int
	for i := int64(0); i < split.Docs.Count; i++ {
		doc := split.Docs.Doc(w, i, row)
		var entities []string
		for _, sp := range doc.Spans {
			entities = append(entities, doc.Text[sp.Start:sp.End])
		}
		for _, kind := range []string{generators.AugmentEntity, generators.AugmentSemantic} {
			for mode := variants.SemanticReversed; mode <= variants.SemanticPermuted; mode++ {
				out, name := variants.Augment(w, cfg.Seed, cfg.Augment, kind, doc, uint64(i), mode)
				for _, e := range entities {
					if !strings.Contains(out.Text, e) {
						t.Fatalf("%s lost entity %q: %q", name, e, out.Text)
					}
				}
				if len(out.Spans) != 2 {
					t.Fatalf("%s row %q lost its spans", name, out.Text)
				}
				if name == "semantic-permuted" && out.Text == strings.Join(strings.Fields(doc.Text), " ") {
					t.Fatalf("semantic-permuted row equals its source: %q", out.Text)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
}

// withDefaults completes a test config: the reversal recipe unless another is set, seed 42, JSONL.
func withDefaults(cfg generators.Config) *generators.Config {
	if cfg.Recipe == "" {
		cfg.Recipe = reversal.Recipe{}.Name()
	}
	cfg.Name, cfg.Seed, cfg.Formats = "r", 42, []string{generators.FormatJSONL}
	if cfg.Style == "" {
		cfg.Style = records.StyleText
	}
	return &cfg
}

func TestAugmentShareOnlyAndMix(t *testing.T) {
	byVariant, originals, s := augmentedRows(t, generators.Config{Augment: mustAugment(t, "semantic", true, 0.25, "2:1:1")}, records.StyleText)
	if len(byVariant["original"]) != 120 {
		t.Errorf("--augment-only --augment-share 0.25 kept %d originals, want the 120 not augmented", len(byVariant["original"]))
	}
	for v, rows := range byVariant {
		for _, r := range rows {
			if _, dup := originals[docKey(r, s)]; dup && v != "original" {
				t.Fatalf("--augment-only kept the original of an augmented %s document", v)
			}
		}
	}
	// 160 documents, a quarter of them: 40, split 2:1:1.
	for v, n := range map[string]int{"semantic-original": 20, "semantic-reversed": 10, "semantic-permuted": 10} {
		if len(byVariant[v]) != n {
			t.Errorf("%d %s rows, want %d", len(byVariant[v]), v, n)
		}
	}
}

// In the prompt-completion style an entity-reversed row splits before its second entity, which is
// the source's first; a segment row at a word boundary.
func TestAugmentedPromptCompletion(t *testing.T) {
	byVariant, _, s := augmentedRows(t, generators.Config{Augment: mustAugment(t, "entity,segment", false, 1, "1:1:1")}, records.StylePromptCompletion)
	prompt, completion := s.Index("prompt"), s.Index("completion")
	for _, r := range byVariant["entity"] {
		if r[prompt].Str == "" || !strings.HasPrefix(r[completion].Str, " ") {
			t.Fatalf("entity row split as %q | %q", r[prompt].Str, r[completion].Str)
		}
	}
	// A segment row whose entities were cut apart splits at a word boundary: both parts hold words.
	for _, r := range byVariant["segment"] {
		if strings.TrimSpace(r[prompt].Str) == "" || !strings.HasPrefix(r[completion].Str, " ") || strings.TrimSpace(r[completion].Str) == "" {
			t.Fatalf("segment row split as %q | %q", r[prompt].Str, r[completion].Str)
		}
	}
}

func TestAugmentDeterministicAcrossWorkers(t *testing.T) {
	cfg := generators.Config{Augment: mustAugment(t, "word,segment,semantic", false, 0.5, "1:1:1")}
	set := generators.Options{"facts-per-group": 100, "paraphrases": 20}
	a := recipetest.Hashes(t, recipetest.Generate(t, reversal.Recipe{}, cfg, set, 1))
	b := recipetest.Hashes(t, recipetest.Generate(t, reversal.Recipe{}, cfg, set, 5))
	for f, h := range a {
		if b[f] != h {
			t.Errorf("%s differs between 1 and 5 workers", f)
		}
	}
}

func TestParseAugmentErrors(t *testing.T) {
	tests := []struct {
		kinds string
		share float64
		seg   int
		mix   string
		want  string
	}{
		{"word,flip", 1, 3, "1:1:1", `unknown augmentation "flip"`},
		{"word,word", 1, 3, "1:1:1", "named twice"},
		{"", 1, 3, "1:1:1", `unknown augmentation ""`},
		{"word", 0, 3, "1:1:1", "--augment-share"},
		{"word", 1.5, 3, "1:1:1", "--augment-share"},
		{"segment", 1, 0, "1:1:1", "--segment-max"},
		{"semantic", 1, 3, "1:1", "three weights"},
		{"semantic", 1, 3, "1:-1:1", "0 or more"},
		{"semantic", 1, 3, "0:0:0", "all 0"},
	}
	for _, tt := range tests {
		_, err := generators.ParseAugment(tt.kinds, false, tt.share, tt.seg, " ", tt.mix)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseAugment(%q, %v, %d, %q) = %v, want %q", tt.kinds, tt.share, tt.seg, tt.mix, err, tt.want)
		}
	}
}

func BenchmarkAugment(b *testing.B) {
	cfg := withDefaults(generators.Config{Augment: &generators.Augment{Kinds: generators.AugmentKinds, Share: 1, SegmentMax: 3, SegmentSep: " [REV] ", SemanticMix: [3]int{1, 1, 1}}})
	plan, err := run.Prepare(context.Background(), reversal.Recipe{}, cfg, generators.Options{"facts-per-group": 100})
	if err != nil {
		b.Fatal(err)
	}
	src := plan.Configs[0].Splits[0].Docs
	w := records.NewWorker()
	row := make(records.Row, len(plan.Configs[0].Layout.Schema.Columns))
	d := src.Doc(w, 0, row)
	doc := records.Document{Text: d.Text, Spans: append([]templates.Span(nil), d.Spans...)}
	i := 0
	for b.Loop() {
		variants.Augment(w, cfg.Seed, cfg.Augment, generators.AugmentKinds[i%4], doc, uint64(i), i%3)
		i++
	}
}

// No training row of any augmentation has an empty prompt or user turn in the prompt-completion and
// messages styles (OpenAI's format checks refuse one): a document whose slots a transform broke up is
// cut at a word boundary instead of at its second slot.
func TestAugmentedRowsHaveAPromptAndACompletion(t *testing.T) {
	a := generators.DefaultAugment()
	a.Kinds = generators.AugmentKinds
	for _, style := range []string{records.StylePromptCompletion, records.StyleMessages} {
		byVariant, _, s := augmentedRows(t, generators.Config{Augment: &a}, style)
		for v, rows := range byVariant {
			for _, r := range rows {
				var prompt, completion string
				if style == records.StylePromptCompletion {
					prompt, completion = r[s.Index("prompt")].Str, r[s.Index("completion")].Str
				} else {
					msgs := r[s.Index("messages")].Msgs
					prompt, completion = msgs[0].Content, msgs[1].Content
				}
				if strings.TrimSpace(prompt) == "" || strings.TrimSpace(completion) == "" {
					t.Fatalf("%s, variant %s: prompt %q, completion %q", style, v, prompt, completion)
				}
			}
		}
	}
}

// A mix of the original order alone writes no semantic row without --augment-only: an error, not a
// silent no-op.
func TestSemanticMixOfOriginalsOnly(t *testing.T) {
	cfg := withDefaults(generators.Config{Augment: mustAugment(t, "semantic", false, 1, "1:0:0")})
	_, err := run.Prepare(context.Background(), reversal.Recipe{}, cfg, generators.Options{"facts-per-group": 3})
	if err == nil || !strings.Contains(err.Error(), "writes no semantic row") {
		t.Fatalf("got %v", err)
	}
	cfg = withDefaults(generators.Config{Augment: mustAugment(t, "semantic", true, 1, "1:0:0")})
	if _, err := run.Prepare(context.Background(), reversal.Recipe{}, cfg, generators.Options{"facts-per-group": 3}); err != nil {
		t.Fatalf("with --augment-only: %v", err)
	}
}

// Asked for both, entity reversal and the semantic orders never write the same text for a document:
// where every run of words between entities is one word, the reversed order is the entity copy
// ("famous. Yolanda Little made the director ... Being"), so the semantic copy takes another order,
// and a permutation never lands on the reversed one (1,589 of 168,000 rows repeated at 10x before).
// The two templates that were entities alone ("{name}: {description}.") have words of their own now:
// no order of two units differs from both.
func TestEntityAndSemanticCopiesDiffer(t *testing.T) {
	byVariant, _, s := augmentedRows(t, generators.Config{Augment: mustAugment(t, "entity,semantic", false, 1, "0:1:1")}, records.StyleText)
	entity := map[string]string{} // source document -> its entity copy
	for _, r := range byVariant["entity"] {
		entity[docKey(r, s)] = r[s.Index("text")].Str
	}
	moved := len(byVariant["semantic-permuted"]) - len(byVariant["semantic-reversed"]) // the mix asks for as many of each
	for _, v := range []string{"semantic-reversed", "semantic-permuted"} {
		for _, r := range byVariant[v] {
			if text := r[s.Index("text")].Str; text == entity[docKey(r, s)] {
				t.Fatalf("%s copy repeats the entity copy: %q", v, text)
			}
		}
	}
	if moved == 0 {
		t.Fatal("no reversed copy was moved to another order: the test shows nothing")
	}
}
