// Package recipetest has the helpers that recipe tests share, as httptest does for HTTP handlers:
// generate a recipe's dataset into a test's temporary folder with defaults filled in, validate it, read
// back its rows (through the manifest's schema), its stats and its Parquet files, hash its files, and
// write a small corpus for options that read one. It imports no recipe, so that recipes' tests can.
package recipetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/schemas"
	"github.com/parquet-go/parquet-go"
)

// Generate writes the dataset of r under cfg (name, seed 42, the recipe's style and both formats when
// unset) with options set, on workers goroutines, into a temporary folder, and returns its folder.
func Generate(t testing.TB, r generators.Recipe, cfg generators.Config, set generators.Options, workers int) string {
	t.Helper()
	res, err := run.Generate(context.Background(), r, Defaults(r, cfg), set, run.Settings{Out: t.TempDir(), Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return res.Dir
}

// Defaults sets cfg's recipe to r and fills what cfg leaves unset: the name, seed 42, the recipe's
// style, both formats.
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

// RowsAs reads the rows of a split as Rows does, and fails the test unless the manifest gives the config
// the columns of want: for tests that lay out the columns they expect.
func RowsAs(t testing.TB, dir, config, split string, want schemas.Schema) []records.Row {
	t.Helper()
	s, rows := Rows(t, dir, config, split)
	if !slices.Equal(s.Columns, want.Columns) {
		t.Fatalf("%s: config %s has the columns %v, want %v", dir, config, s.Columns, want.Columns)
	}
	return rows
}

// Col is the string in the column called name of row r, whose schema is s.
func Col(s schemas.Schema, r records.Row, name string) string {
	i := s.Index(name)
	if i < 0 {
		panic(fmt.Sprintf("recipetest.Col: no column %q", name))
	}
	return r[i].Str
}

// Words are the words of s, sorted: two texts with the same words in any order have the same Words.
func Words(s string) []string {
	w := strings.Fields(s)
	slices.Sort(w)
	return w
}

// Validate fails the test unless the dataset in dir validates without problems.
func Validate(t testing.TB, dir string) {
	t.Helper()
	if problems, err := schemas.Validate(context.Background(), dir); err != nil || len(problems) > 0 {
		t.Fatalf("validate: %v %v", problems, err)
	}
}

// Stats maps the name of every stat in the manifest of the dataset in dir to its value.
func Stats(t testing.TB, dir string) map[string]int64 {
	t.Helper()
	m, err := schemas.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	stats := map[string]int64{}
	for _, s := range m.Stats {
		stats[s.Name] = s.Value
	}
	return stats
}

// OpenParquet opens a Parquet file with parquet-go; the file stays open until the test ends.
func OpenParquet(t testing.TB, path string) *parquet.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	return pf
}

// WriteCorpus writes a corpus of n rows, with the columns text and source, as format (Parquet or JSONL)
// into a temporary folder, for options that read one such as outlandish's --base, and returns its path
// and its texts in order. Each text has a quote and a line break, which both formats must keep.
func WriteCorpus(t testing.TB, n int, format string) (string, []string) {
	t.Helper()
	var texts []string
	for i := range n {
		texts = append(texts, fmt.Sprintf("Base document %d says \"hello\"\nover two lines.", i))
	}
	path := filepath.Join(t.TempDir(), "base."+format)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schema := schemas.Schema{Columns: []schemas.Column{{Name: "text", Type: schemas.String}, {Name: "source", Type: schemas.String}}}
	var w interface {
		Write(schemas.Row) error
		Close() error
	}
	if format == generators.FormatParquet {
		w = schemas.NewParquetWriter(f, schema, "test", "0")
	} else {
		w = schemas.NewJSONLWriter(f, schema)
	}
	for _, s := range texts {
		if err := w.Write(schemas.Row{{Str: s}, {Str: "web"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, texts
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

// Data is a dataset generated and read back: its folder, its training rows (config train, split
// train), its probes by split (config eval), the schemas its plan laid out, and its stats.
type Data struct {
	Dir                     string
	Train                   []records.Row
	Probes                  map[string][]records.Row
	TrainSchema, EvalSchema schemas.Schema
	Stats                   map[string]int64
}

// Dataset generates r's dataset in style with options set (a train config with a train split, and an
// eval config), validates it, and reads it back through the schemas its plan lays out.
func Dataset(t testing.TB, r generators.Recipe, style string, set generators.Options) Data {
	t.Helper()
	cfg := generators.Config{Style: style}
	dir := Generate(t, r, cfg, set, 0)
	Validate(t, dir)
	plan, err := run.Prepare(context.Background(), r, Defaults(r, cfg), set)
	if err != nil {
		t.Fatal(err)
	}
	d := Data{Dir: dir, TrainSchema: plan.Configs[0].Layout.Schema, EvalSchema: plan.Configs[1].Layout.Schema, Probes: map[string][]records.Row{}, Stats: Stats(t, dir)}
	d.Train = RowsAs(t, dir, "train", "train", d.TrainSchema)
	for _, sp := range plan.Configs[1].Splits {
		d.Probes[sp.Name] = RowsAs(t, dir, "eval", sp.Name, d.EvalSchema)
	}
	return d
}
