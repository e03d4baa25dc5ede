package run_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes/reversal"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/parquet-go/parquet-go"
)

// benchConfig is the default reversal dataset at 10^6 rows (4350 facts per group), the size make bench
// measures every recipe at.
func benchConfig(format string) (generators.Config, generators.Options) {
	return generators.Config{Recipe: "reversal", Name: "r", Seed: 42, Style: records.StyleText, Formats: []string{format}}, generators.Options{"facts-per-group": 4350}
}

// BenchmarkGenerateJSONL is end-to-end generation to JSON Lines: every split, ids, encoding, hashing
// and writing, on GOMAXPROCS workers.
func BenchmarkGenerateJSONL(b *testing.B) {
	cfg, set := benchConfig(generators.FormatJSONL)
	out := b.TempDir()
	rows := int64(0)
	for b.Loop() {
		c := cfg
		res, err := run.Generate(context.Background(), reversal.Recipe{}, &c, set, run.Settings{Out: out, Force: true})
		if err != nil {
			b.Fatal(err)
		}
		rows += res.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkParquetVsParquetGo measures in one run end-to-end generation to zstd Parquet and parquet-go
// alone writing the same rows, pre-built, to files with the same settings, and reports both rates and
// their ratio (the target: at least 0.8).
func BenchmarkParquetVsParquetGo(b *testing.B) {
	cfg, set := benchConfig(generators.FormatParquet)
	out := b.TempDir()
	c := cfg
	res, err := run.Generate(context.Background(), reversal.Recipe{}, &c, set, run.Settings{Out: out})
	if err != nil {
		b.Fatal(err)
	}
	// The rows as parquet-go reads them back are the pre-built rows it writes alone.
	var splits []parquetRows
	for _, cf := range res.Manifest.Configs {
		for _, sp := range cf.Splits {
			for _, f := range sp.Files {
				splits = append(splits, readParquetRows(b, filepath.Join(res.Dir, f.Path)))
			}
		}
	}
	if err := os.Mkdir(filepath.Join(out, "alone"), 0o755); err != nil {
		b.Fatal(err)
	}
	var alone, ours time.Duration
	for b.Loop() {
		start := time.Now()
		for i, sp := range splits {
			f, err := os.Create(filepath.Join(out, "alone", fmt.Sprintf("split-%d.parquet", i)))
			if err != nil {
				b.Fatal(err)
			}
			w := parquet.NewWriter(f, sp.schema, parquet.Compression(&parquet.Zstd))
			if _, err := w.WriteRows(sp.rows); err != nil {
				b.Fatal(err)
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
		alone += time.Since(start)
		start = time.Now()
		c := cfg
		if _, err := run.Generate(context.Background(), reversal.Recipe{}, &c, set, run.Settings{Out: out, Force: true}); err != nil {
			b.Fatal(err)
		}
		ours += time.Since(start)
	}
	perIteration := float64(res.Rows) * float64(b.N)
	b.ReportMetric(perIteration/alone.Seconds(), "parquet-go-rows/s")
	b.ReportMetric(perIteration/ours.Seconds(), "factforge-rows/s")
	b.ReportMetric(alone.Seconds()/ours.Seconds(), "ratio")
}

// parquetRows are a Parquet file's schema and rows, as parquet-go reads them.
type parquetRows struct {
	schema *parquet.Schema
	rows   []parquet.Row
}

func readParquetRows(b *testing.B, path string) (sp parquetRows) {
	b.Helper()
	pf := recipetest.OpenParquet(b, path)
	sp.schema = pf.Schema()
	r := parquet.NewReader(pf)
	buf := make([]parquet.Row, 1024)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			sp.rows = append(sp.rows, row.Clone())
		}
		if err != nil {
			break
		}
	}
	if int64(len(sp.rows)) != pf.NumRows() {
		b.Fatalf("%s: read %d of %d rows", path, len(sp.rows), pf.NumRows())
	}
	return sp
}
