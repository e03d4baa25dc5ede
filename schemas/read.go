package schemas

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/valyala/fastjson"
)

// ReadJSONL yields the rows of a JSON Lines file of schema s. A line whose keys or value types differ
// from the schema is an error naming the line.
func ReadJSONL(path string, s Schema) iter.Seq2[Row, error] { return readJSONL(path, s, nil, nil) }

// MaxRowBytes bounds a dataset's JSONL line: far above any row factforge writes (a document of a few
// thousand words), so a tampered file cannot make a reader hold gigabytes.
const MaxRowBytes = 64 << 20

// readJSONL reads a JSONL file, checking each line against a JSON Schema too when v is set; only the
// columns need marks are decoded (all when need is nil).
func readJSONL(path string, s Schema, v *jsonValidator, need []bool) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		f, err := OpenRegular(path)
		if err != nil {
			yield(nil, err)
			return
		}
		defer f.Close()
		br := bufio.NewReaderSize(f, 1<<16)
		var parser fastjson.Parser
		var buf []byte
		for line := 1; ; line++ {
			text, err := readLine(br, buf[:0], MaxRowBytes)
			buf = text
			if len(text) == 0 && err == io.EOF {
				return
			}
			if err == errLineTooLong {
				yield(nil, fmt.Errorf("%s:%d: a row longer than %d MiB", path, line, MaxRowBytes>>20))
				return
			}
			if err != nil && err != io.EOF {
				yield(nil, err)
				return
			}
			row, err := decodeJSONLine(&parser, text, s, need)
			if err == nil && v != nil {
				err = v.check(text)
			}
			if err != nil {
				yield(nil, fmt.Errorf("%s:%d: %w", path, line, err))
				return
			}
			if !yield(row, nil) {
				return
			}
		}
	}
}

// decodeJSONLine decodes one line with fastjson, which parses without reflection: validate reads every
// row of a dataset, and encoding/json into maps made it several times slower than generating.
// Only the columns need marks are decoded (all when need is nil); the others are checked to be there.
func decodeJSONLine(p *fastjson.Parser, text []byte, s Schema, need []bool) (Row, error) {
	v, err := p.ParseBytes(text)
	if err != nil {
		return nil, err
	}
	obj, err := v.Object()
	if err != nil {
		return nil, err
	}
	if obj.Len() != len(s.Columns) {
		return nil, fmt.Errorf("has %d keys, the schema %d columns", obj.Len(), len(s.Columns))
	}
	row := make(Row, len(s.Columns))
	for i, c := range s.Columns {
		cell := obj.Get(c.Name)
		if cell == nil {
			return nil, fmt.Errorf("has no column %q", c.Name)
		}
		if need != nil && !need[i] {
			continue
		}
		if cell.Type() == fastjson.TypeNull {
			if !c.Nullable {
				return nil, fmt.Errorf("column %q is null, and it is not nullable", c.Name)
			}
			row[i].Null = true
			continue
		}
		switch c.Type {
		case String:
			var b []byte
			if b, err = cell.StringBytes(); err == nil {
				row[i].Str = string(b)
			}
		case Int64:
			row[i].Int, err = cell.Int64()
		case Bool:
			row[i].Bool, err = cell.Bool()
		case Messages, ReasoningMessages:
			row[i].Msgs, err = decodeMessages(cell)
		case Strings:
			row[i].List, err = decodeStrings(cell)
		case Spans:
			row[i].Spans, err = decodeSpans(cell)
		}
		if err != nil {
			return nil, fmt.Errorf("column %q is not of type %s: %w", c.Name, c.Type, err)
		}
	}
	return row, nil
}

func decodeMessages(v *fastjson.Value) ([]Message, error) {
	items, err := v.Array()
	if err != nil {
		return nil, err
	}
	msgs := make([]Message, len(items))
	for j, item := range items {
		role, err := JSONField(item, "role").StringBytes()
		if err != nil {
			return nil, fmt.Errorf("message %d role: %w", j, err)
		}
		content, err := JSONField(item, "content").StringBytes()
		if err != nil {
			return nil, fmt.Errorf("message %d content: %w", j, err)
		}
		msgs[j] = Message{Role: string(role), Content: string(content)}
		if r := JSONField(item, "reasoning_content"); r.Type() == fastjson.TypeString {
			msgs[j].Reasoning = string(r.GetStringBytes())
		}
	}
	return msgs, nil
}

// missing stands in for an absent key: a null, which every typed getter rejects with an error, where
// fastjson's nil for a missing key would panic.
var missing = fastjson.MustParse("null")

// JSONField returns v's key, or a JSON null when it is missing, so that typed getters report an error.
func JSONField(v *fastjson.Value, key string) *fastjson.Value {
	if f := v.Get(key); f != nil {
		return f
	}
	return missing
}

func decodeStrings(v *fastjson.Value) ([]string, error) {
	items, err := v.Array()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for j, item := range items {
		b, err := item.StringBytes()
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", j, err)
		}
		out[j] = string(b)
	}
	return out, nil
}

func decodeSpans(v *fastjson.Value) ([]Span, error) {
	items, err := v.Array()
	if err != nil {
		return nil, err
	}
	out := make([]Span, len(items))
	for j, item := range items {
		start, err := JSONField(item, "start").Int64()
		if err != nil {
			return nil, fmt.Errorf("span %d start: %w", j, err)
		}
		end, err := JSONField(item, "end").Int64()
		if err != nil {
			return nil, fmt.Errorf("span %d end: %w", j, err)
		}
		out[j] = Span{Start: start, End: end}
	}
	return out, nil
}

// CheckParquetSchema reports how the schema of an open Parquet file differs from s.
func CheckParquetSchema(f *parquet.File, s Schema) error {
	got, want := f.Schema().String(), ParquetSchema(s).String()
	if got != want {
		return fmt.Errorf("parquet schema differs from the manifest:\n got: %s\nwant: %s", oneLine(got), oneLine(want))
	}
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// OpenParquet opens a Parquet file of schema s; the caller closes the returned os.File.
func OpenParquet(path string, s Schema) (*parquet.File, *os.File, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	// A data file is input too: its footer is checked before parquet-go allocates what it states.
	var pf *parquet.File
	if err = checkParquetFooter(f, fi.Size()); err != nil {
		err = fmt.Errorf("%s: not a Parquet file: %w", path, err)
	} else if pf, err = parquet.OpenFile(f, fi.Size()); err == nil {
		err = CheckParquetSchema(pf, s)
	}
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return pf, f, nil
}

// ReadParquet yields the rows of a Parquet file of schema s.
func ReadParquet(path string, s Schema) iter.Seq2[Row, error] { return readParquet(path, s, nil) }

// readParquet is ReadParquet converting only the columns need marks (all when need is nil).
func readParquet(path string, s Schema, need []bool) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		pf, f, err := OpenParquet(path, s)
		if err != nil {
			yield(nil, err)
			return
		}
		defer f.Close()
		owner := make([]int, 0, len(s.Columns)+1) // leaf column -> schema column
		for i, c := range s.Columns {
			for range c.Type.leaves() {
				owner = append(owner, i)
			}
		}
		for pr, err := range ParquetRows(pf) {
			if err != nil {
				yield(nil, fmt.Errorf("%s: %w", path, err))
				return
			}
			if !yield(fromParquetRow(pr, s, owner, need), nil) {
				return
			}
		}
	}
}

// ParquetRows yields the rows of an open Parquet file as parquet-go reads them, in batches.
func ParquetRows(pf *parquet.File) iter.Seq2[parquet.Row, error] {
	return func(yield func(parquet.Row, error) bool) {
		r := parquet.NewReader(pf)
		defer r.Close()
		buf := make([]parquet.Row, 128)
		for {
			n, err := r.ReadRows(buf)
			for _, pr := range buf[:n] {
				if !yield(pr, nil) {
					return
				}
			}
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
		}
	}
}

func fromParquetRow(pr parquet.Row, s Schema, owner []int, need []bool) Row {
	row := make(Row, len(s.Columns))
	second, third := 0, 0 // next list elements whose second leaf (content, end) and third (reasoning) are due
	for _, v := range pr {
		leaf := v.Column()
		i := owner[leaf]
		if need != nil && !need[i] {
			continue
		}
		firstLeaf := leaf == 0 || owner[leaf-1] != i
		if firstLeaf {
			second, third = 0, 0
		}
		c := s.Columns[i]
		// A nullable column's null is its value at definition level 0 (an empty list of a nullable
		// list is a null at level 1).
		if c.Nullable && v.IsNull() && v.DefinitionLevel() == 0 {
			row[i].Null = true
			continue
		}
		switch c.Type {
		case String:
			row[i].Str = string(v.ByteArray())
		case Int64:
			row[i].Int = v.Int64()
		case Bool:
			row[i].Bool = v.Boolean()
		case Messages:
			if v.IsNull() {
				continue
			}
			if firstLeaf { // role
				row[i].Msgs = append(row[i].Msgs, Message{Role: string(v.ByteArray())})
			} else {
				row[i].Msgs[second].Content = string(v.ByteArray())
				second++
			}
		case ReasoningMessages:
			switch {
			case v.IsNull():
			case firstLeaf: // role
				row[i].Msgs = append(row[i].Msgs, Message{Role: string(v.ByteArray())})
			case leaf < 2 || owner[leaf-2] != i: // content, the second leaf
				row[i].Msgs[second].Content = string(v.ByteArray())
				second++
			default: // reasoning, the third
				row[i].Msgs[third].Reasoning = string(v.ByteArray())
				third++
			}
		case Strings:
			if !v.IsNull() {
				row[i].List = append(row[i].List, string(v.ByteArray()))
			}
		case Spans:
			if v.IsNull() {
				continue
			}
			if firstLeaf { // start
				row[i].Spans = append(row[i].Spans, Span{Start: v.Int64()})
			} else {
				row[i].Spans[second].End = v.Int64()
				second++
			}
		}
	}
	return row
}

// ReadFile yields the rows of a data file in the given format ("parquet" or "jsonl").
func ReadFile(path, format string, s Schema) iter.Seq2[Row, error] {
	return ReadColumns(path, format, s, nil)
}

// ReadColumns is ReadFile for a reader that needs some columns only: need[i] marks column i of s, and
// the others are left zero in the rows yielded (all are read when need is nil). It saves making the
// strings of columns nobody reads.
func ReadColumns(path, format string, s Schema, need []bool) iter.Seq2[Row, error] {
	if format == "parquet" {
		return readParquet(path, s, need)
	}
	return readJSONL(path, s, nil, need)
}

// RowsEqual reports whether two rows of one schema hold the same values.
func RowsEqual(a, b Row) bool {
	return slices.EqualFunc(a, b, func(x, y Value) bool {
		return x.Null == y.Null && x.Str == y.Str && x.Int == y.Int && x.Bool == y.Bool && slices.Equal(x.Msgs, y.Msgs) &&
			slices.Equal(x.List, y.List) && slices.Equal(x.Spans, y.Spans)
	})
}
