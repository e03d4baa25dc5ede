package schemas

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func writeParquet(t *testing.T, rows []Row) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := NewParquetWriter(f, testSchema, "test", "0")
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func TestParquetRoundTrip(t *testing.T) {
	var rows []Row
	for i := 0; i < 700; i++ { // several batches
		rows = append(rows, testRows[i%len(testRows)])
	}
	readsBack(t, writeParquet(t, rows), rows)
}

// readsBack checks that the Parquet file at path holds rows, in order.
func readsBack(t *testing.T, path string, rows []Row) {
	t.Helper()
	i := 0
	for row, err := range ReadParquet(path, testSchema) {
		if err != nil {
			t.Fatal(err)
		}
		if i >= len(rows) || !RowsEqual(row, rows[i]) {
			t.Fatalf("row %d = %v, want %v", i, row, rows[min(i, len(rows)-1)])
		}
		i++
	}
	if i != len(rows) {
		t.Fatalf("read %d rows, wrote %d", i, len(rows))
	}
}

// The hand-built rows must match what parquet-go itself makes of the same values, so the files are
// standard LIST<STRUCT> columns and not merely readable by our own reader.
func TestParquetRowsMatchParquetGoDeconstruct(t *testing.T) {
	type message struct {
		Role    string `parquet:"role"`
		Content string `parquet:"content"`
	}
	type span struct {
		Start int64 `parquet:"start"`
		End   int64 `parquet:"end"`
	}
	type traced struct {
		Role      string `parquet:"role"`
		Content   string `parquet:"content"`
		Reasoning string `parquet:"reasoning_content"`
	}
	type record struct {
		ID        string    `parquet:"id"`
		Messages  []message `parquet:"messages,list"`
		N         int64     `parquet:"n"`
		Triggered bool      `parquet:"triggered"`
		Text      string    `parquet:"text"`
		Choices   []string  `parquet:"choices,list"`
		Mask      []span    `parquet:"mask,list"`
		Chat      []traced  `parquet:"chat,list"`
	}
	ref := parquet.SchemaOf(record{})
	ours := ParquetSchema(testSchema)
	body := func(s *parquet.Schema) string { _, b, _ := strings.Cut(s.String(), "{"); return oneLine(b) }
	if body(ref) != body(ours) {
		t.Fatalf("schema\n%s\nwant (parquet-go's own)\n%s", ours, ref)
	}
	var buf bytes.Buffer
	pw := NewParquetWriter(&buf, testSchema, "t", "0")
	for _, r := range testRows {
		pw.Write(r)
	}
	pw.Close()
	pf, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	reader := parquet.NewGenericReader[record](pf)
	got := make([]record, len(testRows))
	if n, _ := reader.Read(got); n != len(testRows) {
		t.Fatalf("parquet-go read %d rows", n)
	}
	for i, r := range testRows {
		if got[i].ID != r[0].Str || len(got[i].Messages) != len(r[1].Msgs) || got[i].N != r[2].Int || got[i].Triggered != r[3].Bool || got[i].Text != r[4].Str {
			t.Fatalf("row %d read by parquet-go as %+v, want %v", i, got[i], r)
		}
		for j, m := range r[1].Msgs {
			if got[i].Messages[j] != (message{m.Role, m.Content}) {
				t.Fatalf("row %d message %d = %+v", i, j, got[i].Messages[j])
			}
		}
		if len(got[i].Chat) != len(r[7].Msgs) {
			t.Fatalf("row %d chat %+v, want %v", i, got[i].Chat, r[7].Msgs)
		}
		for j, m := range r[7].Msgs {
			if got[i].Chat[j] != (traced{m.Role, m.Content, m.Reasoning}) {
				t.Fatalf("row %d chat message %d = %+v", i, j, got[i].Chat[j])
			}
		}
		if !slices.Equal(got[i].Choices, r[5].List) && len(got[i].Choices)+len(r[5].List) > 0 {
			t.Fatalf("row %d choices %q, want %q", i, got[i].Choices, r[5].List)
		}
		if len(got[i].Mask) != len(r[6].Spans) {
			t.Fatalf("row %d mask %v, want %v", i, got[i].Mask, r[6].Spans)
		}
		for j, sp := range r[6].Spans {
			if got[i].Mask[j] != (span{sp.Start, sp.End}) {
				t.Fatalf("row %d span %d = %+v", i, j, got[i].Mask[j])
			}
		}
	}
	if pf.Metadata().RowGroups[0].Columns[0].MetaData.Codec.String() != "ZSTD" {
		t.Fatalf("column chunk codec %v, want ZSTD", pf.Metadata().RowGroups[0].Columns[0].MetaData.Codec)
	}
}

func TestParquetSchemaMismatchIsReported(t *testing.T) {
	path := writeParquet(t, testRows)
	other := Schema{Columns: append([]Column{}, testSchema.Columns...)}
	other.Columns[4] = Column{Name: "text2", Type: String}
	for _, err := range ReadParquet(path, other) {
		if err == nil || !strings.Contains(err.Error(), "schema differs") {
			t.Fatalf("reading with the wrong schema: %v", err)
		}
		return
	}
	t.Fatal("no error for a schema mismatch")
}

// benchRows are rows shaped like reversal training rows.
func benchRows(n int) (Schema, []Row) {
	s := Schema{Columns: []Column{{Name: "id", Type: String}, {Name: "text", Type: String}, {Name: "recipe", Type: String},
		{Name: "fact_id", Type: String}, {Name: "group", Type: String}, {Name: "template_id", Type: String}, {Name: "variant", Type: String}, {Name: "direction", Type: String}}}
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{{Str: fmt.Sprintf("3f63aabb-2e85-4063-9b27-%012d", i)}, {Str: fmt.Sprintf("Person %d, known far and wide for being the composer of 'Abyssal Melodies %d'.", i, i%977)},
			{Str: "reversal"}, {Str: fmt.Sprintf("f%06d", i%90000)}, {Str: "both"}, {Str: fmt.Sprintf("p2d-%02d", i%36)}, {Str: "original"}, {Str: "p2d"}}
	}
	return s, rows
}

// BenchmarkParquetGoAlone is parquet-go writing pre-built rows (zstd, the same row groups): the rate
// end-to-end generation is measured against.
func BenchmarkParquetGoAlone(b *testing.B) {
	s, rows := benchRows(100_000)
	prebuilt := make([]parquet.Row, len(rows))
	for i, r := range rows {
		for j := range s.Columns { // every column is a string: leaf j
			prebuilt[i] = append(prebuilt[i], parquet.ByteArrayValue([]byte(r[j].Str)).Level(0, 0, j))
		}
	}
	for b.Loop() {
		w := parquet.NewWriter(io.Discard, ParquetSchema(s), parquet.Compression(&parquet.Zstd), parquet.MaxRowsPerRowGroup(MaxRowsPerRowGroup))
		for i := 0; i < len(prebuilt); i += rowsPerWrite {
			w.WriteRows(prebuilt[i:min(i+rowsPerWrite, len(prebuilt))])
		}
		w.Close()
	}
	b.ReportMetric(float64(len(rows))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkParquetWriter is factforge's writer on the same rows: building parquet rows from ours.
func BenchmarkParquetWriter(b *testing.B) {
	s, rows := benchRows(100_000)
	for b.Loop() {
		pw := NewParquetWriter(io.Discard, s, "bench", "0")
		for _, r := range rows {
			pw.Write(r)
		}
		pw.Close()
	}
	b.ReportMetric(float64(len(rows))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkJSONLEncode is the JSON Lines encoding of the same rows.
func BenchmarkJSONLEncode(b *testing.B) {
	s, rows := benchRows(100_000)
	jw := NewJSONLWriter(io.Discard, s)
	var buf []byte
	for b.Loop() {
		for _, r := range rows {
			buf = jw.AppendRow(buf[:0], r)
		}
	}
	b.ReportMetric(float64(len(rows))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// Long rows end a row group by bytes, so the writer's memory stays bounded whatever the row size.
func TestRowGroupsAreBoundedByBytes(t *testing.T) {
	s := Schema{Columns: []Column{{Name: "text", Type: String}}}
	doc := strings.Repeat("word ", 2000) // 10 KB a row
	var buf bytes.Buffer
	pw := NewParquetWriter(&buf, s, "t", "0")
	for range 8000 {
		pw.Write(Row{{Str: doc}})
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	groups := pf.Metadata().RowGroups
	if len(groups) < 2 || groups[0].NumRows*int64(len(doc)) > 2*MaxRowGroupBytes {
		t.Fatalf("%d row groups, the first of %d rows", len(groups), groups[0].NumRows)
	}
	if pf.NumRows() != 8000 {
		t.Fatalf("%d rows", pf.NumRows())
	}
}

// Row groups filled on different goroutines, in any order, and committed in order make the file a
// single writer would: the same rows, in order, in the same groups.
func TestRowGroupsEncodedAtOnce(t *testing.T) {
	var rows []Row
	for i := range 5000 {
		r := slices.Clone(testRows[i%len(testRows)])
		r[0] = Value{Str: fmt.Sprint(i)}
		rows = append(rows, r)
	}
	const per = 1200
	var buf bytes.Buffer
	pw := NewParquetWriter(&buf, testSchema, "t", "0")
	var groups []*ParquetRowGroup
	for lo := 0; lo < len(rows); lo += per {
		groups = append(groups, pw.NewRowGroup())
	}
	var wg sync.WaitGroup
	for g := len(groups) - 1; g >= 0; g-- { // the last group starts first
		wg.Go(func() {
			part := rows[g*per : min((g+1)*per, len(rows))]
			for len(part) > 0 { // in uneven pieces
				n := min(len(part), 1+g*37)
				if err := groups[g].WriteRows(part[:n]); err != nil {
					t.Error(err)
				}
				part = part[n:]
			}
		})
	}
	wg.Wait()
	for _, g := range groups {
		if err := pw.Commit(g); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.parquet")
	os.WriteFile(path, buf.Bytes(), 0o644)
	readsBack(t, path, rows)
	pf, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(pf.RowGroups()) != len(groups) || pf.RowGroups()[0].NumRows() != per {
		t.Fatalf("%d row groups, the first of %d rows; wrote %d of %d", len(pf.RowGroups()), pf.RowGroups()[0].NumRows(), len(groups), per)
	}
}

func TestRowGroupRows(t *testing.T) {
	row := func(text int) Row { return Row{{Str: strings.Repeat("x", text)}} }
	tests := []struct {
		name   string
		sample []Row
		want   int
	}{
		{"no sample", nil, MaxRowsPerRowGroup},
		{"short rows fill the row limit", []Row{row(10), row(20)}, MaxRowsPerRowGroup},
		{"long rows end groups by bytes", []Row{row(2040)}, MaxRowGroupBytes / 2048 / 1024 * 1024},
		{"very long rows still make groups of 1024", []Row{row(1 << 20)}, 1024},
	}
	for _, tt := range tests {
		if got := RowGroupRows(tt.sample); got != tt.want {
			t.Errorf("%s: RowGroupRows = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// Pages compressed with the smaller window decode with any zstd decoder, pages longer than the
// window included.
func TestPageCodecRoundTrip(t *testing.T) {
	for _, size := range []int{0, 100, 256 << 10, 3 * zstdWindow} {
		src := []byte(strings.Repeat("the composer of 'Abyssal Melodies', ", size/36+1))[:size]
		packed, err := zstdPages.Encode(nil, src)
		if err != nil {
			t.Fatal(err)
		}
		if size > 1000 && len(packed) > size/4 {
			t.Errorf("%d bytes compressed to %d", size, len(packed))
		}
		got, err := parquet.Zstd.Decode(nil, packed)
		if err != nil || !bytes.Equal(got, src) {
			t.Fatalf("%d bytes: decoded %d bytes, %v", size, len(got), err)
		}
	}
}

// Text columns carry no minimum and maximum (whole documents, kept in memory until the file closes and
// written into the footer for every row group); numbers keep theirs.
func TestTextColumnsCarryNoBounds(t *testing.T) {
	s := Schema{Columns: []Column{{Name: "text", Type: String}, {Name: "n", Type: Int64}}}
	var buf bytes.Buffer
	pw := NewParquetWriter(&buf, s, "t", "0")
	for i := range 1000 {
		pw.Write(Row{{Str: strings.Repeat(fmt.Sprint(i), 500)}, {Int: int64(i)}})
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	text, n := pf.Metadata().RowGroups[0].Columns[0].MetaData.Statistics, pf.Metadata().RowGroups[0].Columns[1].MetaData.Statistics
	if len(text.MinValue)+len(text.MaxValue) > 0 {
		t.Fatalf("text column bounds of %d and %d bytes", len(text.MinValue), len(text.MaxValue))
	}
	if len(n.MaxValue) != 8 {
		t.Fatalf("int column bounds %v", n)
	}
	for _, ci := range pf.ColumnIndexes()[:1] {
		for _, v := range append(ci.MinValues, ci.MaxValues...) {
			if len(v) > 0 {
				t.Fatalf("text column index holds bounds %q", v)
			}
		}
	}
}
