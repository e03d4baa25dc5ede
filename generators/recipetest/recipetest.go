// Package recipetest has the helpers that recipe tests share, as httptest does for HTTP handlers:
// generate a recipe's dataset into a test's temporary folder with defaults filled in, read its rows
// back through the manifest's schema, and hash its files.
package recipetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/schemas"
)

// Generate writes the dataset of r under cfg (name, seed 42, the recipe's style and both formats when
// unset) with options set, on workers goroutines, into a temporary folder, and returns its folder.
func Generate(t testing.TB, r generators.Recipe, cfg generators.Config, set generators.Options, workers int) string {
	t.Helper()
	res, err := run.Generate(context.Background(), r, Defaults(r, cfg), set, run.Options{Out: t.TempDir(), Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return res.Dir
}

// Defaults fills what cfg leaves unset: the recipe, its name, seed 42, the recipe's style, both formats.
func Defaults(r generators.Recipe, cfg generators.Config) *generators.Config {
	cfg.Recipe = r.Name()
	if cfg.Name == "" {
		cfg.Name = r.Name()
	}
	if cfg.Seed == 0 {
		cfg.Seed = 42
	}
	if cfg.Style == "" {
		cfg.Style = generators.DefaultStyle(r)
	}
	if cfg.Formats == nil {
		cfg.Formats = []string{generators.FormatParquet, generators.FormatJSONL}
	}
	return &cfg
}

// Rows reads the JSONL rows of a split of the dataset in dir, through the schema its manifest gives.
func Rows(t testing.TB, dir, config, split string) (schemas.Schema, []records.Row) {
	t.Helper()
	m, err := schemas.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Configs {
		if c.Name != config {
			continue
		}
		var rows []records.Row
		for r, err := range schemas.ReadJSONL(filepath.Join(dir, run.SplitFile(generators.FormatJSONL, config, split, 0, 1)), c.Schema()) {
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
		}
		return c.Schema(), rows
	}
	t.Fatalf("%s has no config %s", dir, config)
	return schemas.Schema{}, nil
}

// Hashes maps every file of a dataset folder to its sha256.
func Hashes(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sum := sha256.Sum256(b)
		out[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
