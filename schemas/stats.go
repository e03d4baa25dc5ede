package schemas

import (
	"context"
	"fmt"
	"hash/fnv"
	"iter"
	"slices"
	"strings"
)

// SplitStats describes the rows of one split.
type SplitStats struct {
	Config, Split string
	Rows          int64
	Words         []int // words of each row's content, sorted
	Chars         int64
	Vocabulary    int
	Duplicates    int64                     // rows whose content repeats an earlier row's
	Values        map[string]map[string]int // column -> value -> rows, for columns of few values
	Distinct      map[string]int            // column -> distinct values
}

// NullValue is how stats counts a null cell among a column's values.
const NullValue = "(null)"

// isContent tells the columns a model reads from the ones that describe a row.
func isContent(c Column) bool {
	switch c.Name {
	case "text", "prompt", "completion", "answer", "question":
		return true
	}
	return IsChat(c.Type)
}

// contentOf joins the content columns of a row: the text a model reads.
func contentOf(s Schema, r Row) string {
	var parts []string
	for i, c := range s.Columns {
		switch {
		case IsChat(c.Type):
			for _, m := range r[i].Msgs {
				if m.Reasoning != "" {
					parts = append(parts, m.Reasoning)
				}
				parts = append(parts, m.Content)
			}
		case isContent(c) && c.Name != "question":
			parts = append(parts, r[i].Str)
		}
	}
	return strings.Join(parts, " ")
}

// maxListedValues bounds the value counts kept for one column; columns with more distinct values
// (ids, texts) report only how many there are.
const maxListedValues = 50

// Stats reads every split of the dataset in dir (every shard's file, in the first format listed) and
// describes it. It stops soon after ctx is cancelled, returning an error wrapping ctx.Err().
func Stats(ctx context.Context, dir string) (m *Manifest, splits []SplitStats, err error) {
	err = whole(dir, func() error {
		m, splits, err = stats(ctx, dir)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return m, splits, nil
}

// stats is Stats of a dataset nobody replaces meanwhile.
func stats(ctx context.Context, dir string) (*Manifest, []SplitStats, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, nil, err
	}
	var out []SplitStats
	for _, c := range m.Configs {
		schema := c.Schema()
		for _, sp := range c.Splits {
			if len(sp.Files) == 0 {
				continue
			}
			if err := ctx.Err(); err != nil {
				return nil, nil, statsStopped(dir, err)
			}
			st := SplitStats{Config: c.Name, Split: sp.Name, Values: map[string]map[string]int{}, Distinct: map[string]int{}}
			vocab := map[string]bool{}
			seen := map[uint64]bool{}
			distinct := map[string]map[string]bool{}
			for r, err := range SplitRows(dir, sp, schema) {
				if err != nil {
					return nil, nil, err
				}
				if st.Rows%cancelCheckRows == 0 {
					if err := ctx.Err(); err != nil {
						return nil, nil, statsStopped(dir, err)
					}
				}
				st.Rows++
				text := contentOf(schema, r)
				words := strings.Fields(text)
				st.Words = append(st.Words, len(words))
				st.Chars += int64(len(text))
				for _, w := range words {
					vocab[strings.ToLower(strings.Trim(w, `.,;:!?"'()`))] = true
				}
				h := fnv.New64a()
				h.Write([]byte(text))
				if seen[h.Sum64()] {
					st.Duplicates++
				}
				seen[h.Sum64()] = true
				for i, col := range schema.Columns {
					if col.Name == "id" || isContent(col) || col.Type == Spans || col.Type == Strings {
						continue
					}
					v := r[i].Text(col.Type)
					if r[i].Null {
						v = NullValue
					}
					if distinct[col.Name] == nil {
						distinct[col.Name] = map[string]bool{}
					}
					if len(distinct[col.Name]) <= maxListedValues {
						distinct[col.Name][v] = true
						if st.Values[col.Name] == nil {
							st.Values[col.Name] = map[string]int{}
						}
						st.Values[col.Name][v]++
					}
				}
			}
			for col, vals := range distinct {
				st.Distinct[col] = len(vals)
				if len(vals) > maxListedValues {
					delete(st.Values, col)
				}
			}
			if err := ctx.Err(); err != nil { // before sorting a word count per row
				return nil, nil, statsStopped(dir, err)
			}
			slices.Sort(st.Words)
			st.Vocabulary = len(vocab)
			out = append(out, st)
		}
	}
	return m, out, nil
}

// statsStopped is the error of a Stats that ctx ended.
func statsStopped(dir string, err error) error { return fmt.Errorf("%s: stats stopped: %w", dir, err) }

// Percentile returns the p-th percentile (0-100) of the sorted word counts.
func (s SplitStats) Percentile(p int) int {
	if len(s.Words) == 0 {
		return 0
	}
	return s.Words[min(len(s.Words)-1, len(s.Words)*p/100)]
}

// Summary renders the split's figures on a few lines.
func (s SplitStats) Summary() string {
	var b strings.Builder
	total := 0
	for _, w := range s.Words {
		total += w
	}
	mean := float64(total) / float64(max(len(s.Words), 1))
	fmt.Fprintf(&b, "%s/%s: %d rows; words per row min %d, median %d, p90 %d, max %d, mean %.1f; about %d tokens per row; vocabulary %d; duplicate rows %d (%.1f%%)\n",
		s.Config, s.Split, s.Rows, s.Percentile(0), s.Percentile(50), s.Percentile(90), s.Percentile(100), mean,
		s.Chars/4/max(s.Rows, 1), s.Vocabulary, s.Duplicates, 100*float64(s.Duplicates)/float64(max(s.Rows, 1)))
	cols := make([]string, 0, len(s.Distinct))
	for c := range s.Distinct {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	for _, c := range cols {
		vals, listed := s.Values[c]
		if !listed {
			fmt.Fprintf(&b, "  %s: over %d distinct values\n", c, maxListedValues)
			continue
		}
		keys := make([]string, 0, len(vals))
		for v := range vals {
			keys = append(keys, v)
		}
		slices.SortFunc(keys, func(x, y string) int { // most rows first, then by value
			if vals[x] != vals[y] {
				return vals[y] - vals[x]
			}
			return strings.Compare(x, y)
		})
		var parts []string
		for _, k := range keys {
			label := k
			if label == "" {
				label = `""`
			}
			parts = append(parts, fmt.Sprintf("%s %d", label, vals[k]))
		}
		fmt.Fprintf(&b, "  %s: %s\n", c, strings.Join(parts, ", "))
	}
	return b.String()
}

// SplitRows yields every row of a split once: the rows of each of its files in the first format
// its manifest lists, in order (a merged dataset has a file per shard and format).
func SplitRows(dir string, sp SplitEntry, schema Schema) iter.Seq2[Row, error] {
	return splitRowsAt(inFolder(dir), sp, schema)
}

// splitRowsAt is SplitRows of files wherever loc finds them.
func splitRowsAt(loc Locator, sp SplitEntry, schema Schema) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for _, f := range sp.Files {
			if f.Format != sp.Files[0].Format {
				continue
			}
			for r, err := range ReadFile(loc(f.Path), f.Format, schema) {
				if !yield(r, err) || err != nil {
					return
				}
			}
		}
	}
}
