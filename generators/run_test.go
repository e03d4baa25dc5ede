package generators

import (
	"runtime/debug"
	"strings"
	"sync"
	"testing"

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
