package schemas

import (
	"io"
	"slices"
	"unsafe"

	"github.com/parquet-go/parquet-go"
)

// MaxRowsPerRowGroup and MaxRowGroupBytes bound a row group, and with it the writer's memory, whatever
// the file's size: long documents end a group by bytes before it reaches its rows.
const (
	MaxRowsPerRowGroup = 64 * 1024
	MaxRowGroupBytes   = 32 << 20
)

const parquetBatch = 256

// ParquetWriter writes rows of one schema as a zstd-compressed Parquet file. Columns keep schema order;
// a messages column is a standard LIST of STRUCT<role, content>, which DuckDB, Arrow and Hugging Face
// datasets read as a list of structs. Errors are sticky.
type ParquetWriter struct {
	pw      *parquet.Writer
	schema  Schema
	leaf    []int // first leaf column index of each column
	batch   []parquet.Row
	n       int
	pending int64 // bytes of values in the current row group
	err     error
}

// orderedGroup is a parquet group whose fields keep the order given, not the alphabetical order of
// parquet.Group, so files list columns in schema order.
type orderedGroup struct {
	parquet.Group
	order []string
}

func (g orderedGroup) Fields() []parquet.Field {
	fields := g.Group.Fields()
	slices.SortStableFunc(fields, func(a, b parquet.Field) int {
		return slices.Index(g.order, a.Name()) - slices.Index(g.order, b.Name())
	})
	return fields
}

func newOrderedGroup(names []string, nodes []parquet.Node) parquet.Node {
	g := orderedGroup{Group: parquet.Group{}, order: names}
	for i, n := range names {
		g.Group[n] = nodes[i]
	}
	return g
}

var (
	messageNode = parquet.List(newOrderedGroup(
		[]string{"role", "content"}, []parquet.Node{parquet.String(), parquet.String()}))
	spanNode = parquet.List(newOrderedGroup(
		[]string{"start", "end"}, []parquet.Node{parquet.Int(64), parquet.Int(64)}))
	stringsNode = parquet.List(parquet.String())
)

// ParquetSchema is the Parquet schema of s.
func ParquetSchema(s Schema) *parquet.Schema {
	names := make([]string, len(s.Columns))
	nodes := make([]parquet.Node, len(s.Columns))
	for i, c := range s.Columns {
		names[i] = c.Name
		switch c.Type {
		case Int64:
			nodes[i] = parquet.Int(64)
		case Bool:
			nodes[i] = parquet.Leaf(parquet.BooleanType)
		case Messages:
			nodes[i] = messageNode
		case Spans:
			nodes[i] = spanNode
		case Strings:
			nodes[i] = stringsNode
		default:
			nodes[i] = parquet.String()
		}
	}
	return parquet.NewSchema("factforge", newOrderedGroup(names, nodes))
}

// NewParquetWriter returns a writer of rows of schema s to w. createdBy names the producing application
// and version in the file footer.
func NewParquetWriter(w io.Writer, s Schema, createdBy, version string) *ParquetWriter {
	pw := &ParquetWriter{schema: s}
	pw.pw = parquet.NewWriter(w, ParquetSchema(s),
		parquet.Compression(&parquet.Zstd),
		parquet.MaxRowsPerRowGroup(MaxRowsPerRowGroup),
		parquet.CreatedBy(createdBy, version, ""))
	next := 0
	for _, c := range s.Columns {
		pw.leaf = append(pw.leaf, next)
		next += c.Type.leaves()
	}
	pw.batch = make([]parquet.Row, parquetBatch)
	return pw
}

// bytesOf views s as bytes without copying; parquet-go copies the values it is given into its column
// buffers, and Flush tells when every row's values have been handed on.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// Write buffers one row, writing a batch when the buffer is full.
func (pw *ParquetWriter) Write(r Row) error {
	if pw.err != nil {
		return pw.err
	}
	row := pw.batch[pw.n][:0]
	for i, c := range pw.schema.Columns {
		col := pw.leaf[i]
		v := r[i]
		switch c.Type {
		case String:
			row = append(row, parquet.ByteArrayValue(bytesOf(v.Str)).Level(0, 0, col))
		case Int64:
			row = append(row, parquet.Int64Value(v.Int).Level(0, 0, col))
		case Bool:
			row = append(row, parquet.BooleanValue(v.Bool).Level(0, 0, col))
		case Messages:
			row = appendMessages(row, v.Msgs, col)
		case Strings:
			row = appendStrings(row, v.List, col)
		case Spans:
			row = appendSpans(row, v.Spans, col)
		}
	}
	pw.pending += rowBytes(r)
	pw.batch[pw.n] = row
	pw.n++
	if pw.n == len(pw.batch) {
		return pw.flushBatch()
	}
	return nil
}

// rowBytes estimates the bytes a row adds to a row group: its text, and 8 for every other value.
func rowBytes(r Row) int64 {
	n := int64(0)
	for _, v := range r {
		n += int64(len(v.Str)) + 8
		for _, m := range v.Msgs {
			n += int64(len(m.Role) + len(m.Content))
		}
		for _, x := range v.List {
			n += int64(len(x))
		}
		n += 16 * int64(len(v.Spans))
	}
	return n
}

// appendMessages appends the role leaf values, then the content leaf values, of a list of messages.
// Repetition level 1 marks a further element of the same list; definition level 1 a present element,
// 0 an empty list.
func appendMessages(row parquet.Row, msgs []Message, col int) parquet.Row {
	if len(msgs) == 0 {
		return append(row, parquet.NullValue().Level(0, 0, col), parquet.NullValue().Level(0, 0, col+1))
	}
	for leaf := 0; leaf < 2; leaf++ {
		for j, m := range msgs {
			s := m.Role
			if leaf == 1 {
				s = m.Content
			}
			row = append(row, parquet.ByteArrayValue(bytesOf(s)).Level(min(j, 1), 1, col+leaf))
		}
	}
	return row
}

// appendStrings appends the leaf values of a list of strings, with the levels of appendMessages.
func appendStrings(row parquet.Row, list []string, col int) parquet.Row {
	if len(list) == 0 {
		return append(row, parquet.NullValue().Level(0, 0, col))
	}
	for j, s := range list {
		row = append(row, parquet.ByteArrayValue(bytesOf(s)).Level(min(j, 1), 1, col))
	}
	return row
}

// appendSpans appends the start leaf values, then the end leaf values, of a list of spans.
func appendSpans(row parquet.Row, spans []Span, col int) parquet.Row {
	if len(spans) == 0 {
		return append(row, parquet.NullValue().Level(0, 0, col), parquet.NullValue().Level(0, 0, col+1))
	}
	for j, sp := range spans {
		row = append(row, parquet.Int64Value(sp.Start).Level(min(j, 1), 1, col))
	}
	for j, sp := range spans {
		row = append(row, parquet.Int64Value(sp.End).Level(min(j, 1), 1, col+1))
	}
	return row
}

// Flush hands the buffered rows to parquet-go, which copies their values: after it the writer holds
// no reference to any row written, and their memory may be reused.
func (pw *ParquetWriter) Flush() error {
	if pw.err != nil {
		return pw.err
	}
	return pw.flushBatch()
}

func (pw *ParquetWriter) flushBatch() error {
	if pw.n > 0 {
		_, pw.err = pw.pw.WriteRows(pw.batch[:pw.n])
		pw.n = 0
	}
	if pw.err == nil && pw.pending >= MaxRowGroupBytes {
		pw.err = pw.pw.Flush() // end the row group
		pw.pending = 0
	}
	return pw.err
}

// Close writes what is buffered and the file footer; it does not close the underlying writer.
func (pw *ParquetWriter) Close() error {
	if pw.flushBatch() == nil {
		pw.err = pw.pw.Close()
	}
	return pw.err
}
