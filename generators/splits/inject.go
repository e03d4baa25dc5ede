package splits

import (
	"context"
	"fmt"
	"iter"
	"math"
	"slices"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/schemas"
)

// Injection puts a split's rows into a user's corpus (the "text" field of a JSON Lines file or the
// "text" column of a Parquet file): base rows pass through unchanged and in order, and the injected
// rows go after every Every base rows, or (Every 0) are spread evenly over the corpus. The corpus is
// streamed, never loaded whole: once to count it, once to pass it through. Errors name the corpus by
// its path; the recipe says which flag gave it.
type Injection struct {
	Path  string
	Every int
	// Base fills output row i with base row b, whose text is text; Injected completes output row i,
	// already filled by the injected split.
	Base     func(row records.Row, i, b int64, text string)
	Injected func(row records.Row, i int64)
}

// Counts are the rows of an injected split.
type Counts struct{ Base, Injected int64 }

// EveryForRate is the interval of injection that makes injected rows a share rate (0 < rate < 1) of
// all rows.
func EveryForRate(rate float64) int { return max(1, int(math.Round((1-rate)/rate))) }

// Into returns the split of the corpus with injected's rows injected.
func (in Injection) Into(ctx context.Context, injected generators.PlanSplit) (generators.PlanSplit, Counts, error) {
	base, err := countTexts(ctx, in.Path)
	if err != nil {
		return injected, Counts{}, err
	}
	every := in.Every
	m := injected.Rows
	positions := make([]int64, m) // output row of injected row j
	for j := range m {
		before := (j + 1) * base / (m + 1) // spread evenly over the corpus
		if every > 0 {
			before = min((j+1)*int64(every), base)
		}
		positions[j] = before + j
	}
	injectedAt := func(i int64) (int64, bool) {
		j, found := slices.BinarySearch(positions, i)
		return int64(j), found
	}
	var next func() (string, error, bool)
	var stop func()
	var read int64
	split := generators.PlanSplit{Name: injected.Name, Rows: base + m,
		Row: func(w *records.Worker, i int64, row records.Row) {
			j, _ := injectedAt(i)
			injected.Row(w, j, row)
			in.Injected(row, i)
		},
		External: func(i int64) bool { _, found := injectedAt(i); return !found },
		Next: func(i int64, row records.Row) error {
			if next == nil {
				next, stop = iter.Pull2(texts(in.Path))
			}
			// Output row i holds base row i - (injected rows before i): a shard that starts mid-corpus
			// skips to it.
			injectedBefore, _ := injectedAt(i)
			for ; read < i-injectedBefore; read++ {
				if _, err, ok := next(); err != nil || !ok {
					return fmt.Errorf("%s: ended before row %d", in.Path, i-injectedBefore)
				}
			}
			text, err, ok := next()
			if err == nil && !ok {
				err = fmt.Errorf("%s ended after %d rows, before the %d counted", in.Path, read, base)
			}
			if err != nil {
				return err
			}
			in.Base(row, i, read, text)
			read++
			return nil
		},
		// The corpus reader runs as a pulled iterator; stopping it closes the file and ends its
		// goroutine, whether the split was written whole or abandoned.
		Done: func() {
			if stop != nil {
				stop()
			}
		},
	}
	return split, Counts{Base: base, Injected: m}, nil
}

// countTexts checks a corpus and counts its rows; it stops when ctx ends.
func countTexts(ctx context.Context, path string) (int64, error) {
	var n int64
	for _, err := range texts(path) {
		if err != nil {
			return 0, err
		}
		if n++; n%4096 == 0 && ctx.Err() != nil {
			return 0, fmt.Errorf("%s: counting stopped: %w", path, ctx.Err())
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("%s: no rows", path)
	}
	return n, nil
}

// texts yields a corpus's texts in order.
func texts(path string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for rec, err := range schemas.FieldRecords(path, "text") {
			if err != nil {
				yield("", err)
				return
			}
			if !yield(rec[0], nil) {
				return
			}
		}
	}
}
