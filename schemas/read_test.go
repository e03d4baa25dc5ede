package schemas

import (
	"os"
	"path/filepath"
	"testing"
)

// ReadColumns decodes the columns asked for, as ReadFile does, and leaves the others zero, in both
// formats.
func TestReadColumnsLeavesOthersZero(t *testing.T) {
	jsonl := filepath.Join(t.TempDir(), "x.jsonl")
	if err := os.WriteFile(jsonl, encodeJSONL(t, testRows), 0o644); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"jsonl": jsonl, "parquet": writeParquet(t, testRows)}
	// columns: id, messages, n, triggered, text, choices, mask, chat
	needs := [][]bool{
		{false, true, false, false, true, false, false, true},
		{true, false, true, true, false, true, true, false},
	}
	for format, path := range files {
		for _, need := range needs {
			i := 0
			for row, err := range ReadColumns(path, format, testSchema, need) {
				if err != nil {
					t.Fatal(err)
				}
				for c := range testSchema.Columns {
					want := Value{}
					if need[c] {
						want = testRows[i][c]
					}
					if !RowsEqual(Row{row[c]}, Row{want}) {
						t.Errorf("%s row %d column %s (need %v) = %+v, want %+v", format, i, testSchema.Columns[c].Name, need[c], row[c], want)
					}
				}
				i++
			}
			if i != len(testRows) {
				t.Fatalf("%s: read %d rows, want %d", format, i, len(testRows))
			}
		}
	}
}
