package run

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/schemas"
)

func TestChunkRows(t *testing.T) {
	row := func(text int) records.Row { return records.Row{{Str: strings.Repeat("x", text)}} }
	tests := []struct {
		name   string
		sample []records.Row
		want   int64
	}{
		{"no sample", nil, ChunkRows},
		{"short rows fill ChunkRows", []records.Row{row(100), row(300)}, ChunkRows},
		{"long rows make smaller chunks, in 64s", []records.Row{row(2040)}, chunkBytes / 2048 / 64 * 64},
		{"very long rows still make chunks of 64", []records.Row{row(1 << 20)}, 64},
	}
	for _, tt := range tests {
		got := chunkRows(tt.sample)
		if got != tt.want || got%64 != 0 {
			t.Errorf("%s: chunkRows = %d, want %d", tt.name, got, tt.want)
		}
		if bytes := got * schemas.RowBytes(append(tt.sample, row(0))[0]); len(tt.sample) > 0 && got > 64 && bytes > chunkBytes {
			t.Errorf("%s: %d rows of %d bytes pass chunkBytes", tt.name, got, bytes/got)
		}
	}
}

// failingRecipe writes a first split, then a second whose streamed rows fail midway: the run must
// fail naming the split and leave nothing at the dataset's path.
type failingRecipe struct{}

func (failingRecipe) Name() string                 { return "test-fails-midway" }
func (failingRecipe) Paper() string                { return "" }
func (failingRecipe) Summary() string              { return "" }
func (failingRecipe) Options() []generators.Option { return nil }
func (failingRecipe) Plan(_ context.Context, cfg *generators.Config) (*generators.Plan, error) {
	layout := records.TrainLayout("test-fails-midway", cfg.Style)
	text := func(w *records.Worker, i int64, row records.Row) {
		layout.SetDocument(row, records.Document{Text: "row"})
	}
	return &generators.Plan{Configs: []generators.PlanConfig{{Name: "c", Layout: layout, Splits: []generators.PlanSplit{
		{Name: "fine", Rows: 20_000, Row: text},
		{Name: "broken", Rows: 20_000, Row: text, External: func(i int64) bool { return i%2 == 0 },
			Next: func(i int64, row records.Row) error {
				if i >= 15_000 {
					return errors.New("the stream broke")
				}
				layout.SetDocument(row, records.Document{Text: "streamed"})
				return nil
			}},
	}}}}, nil
}

func TestFailureMidwayLeavesNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, workers := range []int{1, 3} {
		out := t.TempDir()
		cfg := generators.Config{Recipe: "test-fails-midway", Name: "ds", Seed: 1, Style: records.StyleText, Formats: []string{generators.FormatParquet, generators.FormatJSONL}}
		_, err := Generate(context.Background(), failingRecipe{}, &cfg, nil, Settings{Out: out, Workers: workers})
		if err == nil || !strings.Contains(err.Error(), "writing c/broken: the stream broke") {
			t.Fatalf("workers=%d: error %v", workers, err)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Fatalf("workers=%d: the failed run left %v", workers, entries)
		}
	}
	// Workers and writers all stop: none is left waiting for work that will not come.
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%d goroutines before, %d after", before, runtime.NumGoroutine())
}

// Prepare refuses a config made for another recipe than the one it is handed, as bad input.
func TestPrepareRefusesAnotherRecipesConfig(t *testing.T) {
	cfg := generators.Config{Recipe: "reversal", Name: "ds", Seed: 1, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}
	_, err := Prepare(context.Background(), failingRecipe{}, &cfg, nil)
	var ce ConfigError
	if err == nil || !errors.As(err, &ce) || !strings.Contains(err.Error(), `config is for recipe "reversal", not "test-fails-midway"`) {
		t.Fatalf("error %v", err)
	}
}
