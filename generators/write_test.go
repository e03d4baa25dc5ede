package generators

import (
	"context"
	"errors"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/factforge/factforge/schemas"
)

func TestChunkRows(t *testing.T) {
	row := func(text int) Row { return Row{{Str: strings.Repeat("x", text)}} }
	tests := []struct {
		name   string
		sample []Row
		want   int64
	}{
		{"no sample", nil, ChunkRows},
		{"short rows fill ChunkRows", []Row{row(100), row(300)}, ChunkRows},
		{"long rows make smaller chunks, in 64s", []Row{row(2040)}, chunkBytes / 2048 / 64 * 64},
		{"very long rows still make chunks of 64", []Row{row(1 << 20)}, 64},
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

// newCells pauses the collector process-wide, so it must leave the setting as it found it, however
// many workers call it at once.
func TestNewCellsRestoresTheCollector(t *testing.T) {
	old := debug.SetGCPercent(77)
	defer debug.SetGCPercent(old)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if c := newCells(1000); len(c) != 0 || cap(c) != 1000 {
				t.Errorf("newCells(1000) has length %d, capacity %d", len(c), cap(c))
			}
		})
	}
	wg.Wait()
	if got := debug.SetGCPercent(77); got != 77 {
		t.Fatalf("GC percent is %d after newCells, want 77", got)
	}
}

// failingRecipe writes a first split, then a second whose streamed rows fail midway: the run must
// fail naming the split and leave nothing at the dataset's path.
type failingRecipe struct{}

func init() { Register(failingRecipe{}) }

func (failingRecipe) Name() string      { return "test-fails-midway" }
func (failingRecipe) Paper() string     { return "" }
func (failingRecipe) Summary() string   { return "" }
func (failingRecipe) Options() []Option { return nil }
func (failingRecipe) Plan(cfg *Config) (*Plan, error) {
	layout := TrainLayout(cfg.Style)
	text := func(w *Worker, i int64, row Row) { layout.SetDocument(row, Document{Text: "row"}) }
	return &Plan{Configs: []PlanConfig{{Name: "c", Layout: layout, Splits: []PlanSplit{
		{Name: "fine", Rows: 20_000, Row: text},
		{Name: "broken", Rows: 20_000, Row: text, External: func(i int64) bool { return i%2 == 0 },
			Next: func(i int64, row Row) error {
				if i >= 15_000 {
					return errors.New("the stream broke")
				}
				layout.SetDocument(row, Document{Text: "streamed"})
				return nil
			}},
	}}}}, nil
}

func TestFailureMidwayLeavesNothing(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, workers := range []int{1, 3} {
		out := t.TempDir()
		cfg := Config{Recipe: "test-fails-midway", Name: "ds", Seed: 1, Style: StyleText, Formats: []string{FormatParquet, FormatJSONL}}
		_, err := Generate(context.Background(), &cfg, nil, RunOptions{Out: out, Workers: workers})
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
