package generators_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes"
)

func TestParseRecipeFileErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"unknown key", "recipe: reversal\nsed: 7\n", "f.yaml:2: sed: unknown key"},
		{"license a list", "recipe: reversal\nlicense: [mit]\n", "f.yaml:2: license:"},
		{"no recipe", "seed: 7\n", "no recipe"},
		{"unknown recipe", "recipe: reversl\n", `unknown recipe "reversl"`},
		{"seed not a number", "recipe: reversal\nseed: seven\n", "f.yaml:2: seed: want a positive whole number"},
		{"seed negative", "recipe: reversal\nseed: -1\n", "f.yaml:2: seed"},
		{"unknown option", "recipe: reversal\noptions:\n  facts: 3\n", `f.yaml:3: options.facts: recipe reversal has no option "facts"`},
		{"option wrong type", "recipe: reversal\noptions:\n  facts-per-group: many\n", "f.yaml:3: options.facts-per-group: want a whole number"},
		{"option out of range", "recipe: reversal\noptions:\n  facts-per-group: 0\n", "f.yaml:3: options.facts-per-group: --facts-per-group must be at least 1"},
		{"option check", "recipe: bios\noptions:\n  holdout: people\n", `f.yaml:3: options.holdout: --holdout: unknown value "people"`},
		{"option a list", "recipe: reversal\noptions:\n  facts-per-group: [1, 2]\n", "want a single value"},
		{"bad format", "recipe: reversal\nformats: [csv]\n", `f.yaml:2: formats: unknown format "csv"`},
		{"augment unknown key", "recipe: reversal\naugment:\n  kind: [word]\n", "f.yaml:3: augment.kind: unknown key"},
		{"augment bad kind", "recipe: reversal\naugment:\n  kinds: [flip]\n", `unknown augmentation "flip"`},
		{"augment share", "recipe: reversal\naugment:\n  kinds: [word]\n  share: 2\n", "--augment-share"},
		{"malformed", "recipe: [reversal\n", "f.yaml"},
		{"not a mapping", "- reversal\n", "a recipe file is a mapping"},
		{"options not a mapping", "recipe: reversal\noptions: 3\n", "f.yaml:2: options: want a mapping"},
		{"seed twice", "recipe: reversal\nseed: 1\nseed: 2\n", "f.yaml:3: seed: given twice (first on line 2)"},
		{"recipe twice", "recipe: reversal\nrecipe: bios\n", "f.yaml:2: recipe: given twice"},
		{"option twice", "recipe: reversal\noptions:\n  facts-per-group: 3\n  facts-per-group: 4\n", "f.yaml:4: options.facts-per-group: given twice (first on line 3)"},
		{"augment key twice", "recipe: reversal\naugment:\n  share: 0.5\n  share: 1\n", "f.yaml:4: augment.share: given twice"},
		{"JSON key twice", `{"recipe": "reversal", "seed": 1, "seed": 2}`, "f.yaml:1: seed: given twice"},
		{"a second document", "recipe: reversal\n---\nrecipe: bios\n", "f.yaml:2: a second YAML document"},
		{"an empty second document", "recipe: reversal\n---\n", "a second YAML document"},
		{"invalid UTF-8", "recipe: reversal\nname: caf\xe9\n", "f.yaml:2: not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := generators.ParseRecipeFile("f.yaml", []byte(tt.text), recipes.Lookup)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one naming %q", err, tt.want)
			}
		})
	}
}

// A manifest's config, as JSON, is a recipe file.
func TestManifestConfigIsARecipeFile(t *testing.T) {
	cfg, err := generators.ParseRecipeFile("config.json", []byte(`{"recipe":"reversal","name":"r","seed":9,"style":"messages","formats":["jsonl"],"license":"apache-2.0",
		"augment":{"kinds":["word","segment"],"only":true,"share":0.5,"segment_max":2,"segment_sep":" | ","semantic_mix":[1,2,3]},
		"options":{"eval-paraphrases":4,"facts-per-group":3,"paraphrases":2}}`), recipes.Lookup)
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.Augment
	if cfg.Seed != 9 || cfg.Style != "messages" || cfg.License != "apache-2.0" || len(cfg.Formats) != 1 || cfg.Options["facts-per-group"] != 3 ||
		!a.Only || a.Share != 0.5 || a.SegmentMax != 2 || a.SegmentSep != " | " || a.SemanticMix != [3]int{1, 2, 3} {
		t.Fatalf("parsed %+v %+v", cfg, a)
	}
}

func FuzzParseRecipeFile(f *testing.F) {
	for _, s := range []string{"recipe: reversal\n", "recipe: bios\noptions:\n  people: 3\n", "recipe: reversal\naugment:\n  kinds: [word]\n", "{}", "- x", "recipe: [", "options: {a: b}",
		`{"recipe": "bios", "seed": 1, "seed": 2}`, "recipe: reversal\n---\nrecipe: bios\n", "a: &a [*a, *a]\nrecipe: *a\n", "recipe: caf\xe9\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cfg, err := generators.ParseRecipeFile("f.yaml", []byte(text), recipes.Lookup)
		var fe *generators.FileError
		if err != nil && errors.As(err, &fe) && (fe.Line < 0 || fe.Path != "f.yaml") {
			t.Fatalf("error without a place: %v", err)
		}
		if err == nil && cfg.Recipe == "" {
			t.Fatal("a file without a recipe parsed")
		}
	})
}
