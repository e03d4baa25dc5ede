package schemas

import (
	"io"
	"slices"
	"unsafe"

	"github.com/parquet-go/parquet-go"
)

// MaxRowsPerRowGroup and MaxRowGroupBytes bound a row group, and with it the memory of a group being
// encoded, whatever the file's size: long documents end a group by bytes before it reaches its rows.
// Groups this size suit the readers of training data (the Hugging Face viewer pages by row group).
const (
	MaxRowsPerRowGroup = 16 * 1024
	MaxRowGroupBytes   = 8 << 20
)

// rowsPerWrite is how many rows go to parquet-go at once: a page ends only between writes, so this
// bounds how far a page overshoots its target size.
const rowsPerWrite = 64

// ParquetWriter writes rows of one schema as a zstd-compressed Parquet file. Columns keep schema order;
// a messages column is a standard LIST of STRUCT<role, content>, which DuckDB, Arrow and Hugging Face
// datasets read as a list of structs. Rows are written one by one with Write, which ends row groups at
// MaxRowsPerRowGroup rows or MaxRowGroupBytes bytes, or as whole row groups encoded elsewhere
// (NewRowGroup, Commit). Errors are sticky.
type ParquetWriter struct {
	pw      *parquet.Writer
	schema  Schema
	current *ParquetRowGroup // the group Write fills
	batch   []Row            // rows Write has not yet handed to the current group
	err     error
}

// ParquetRowGroup is one row group, encoded and compressed apart from its file, so that several can be
// encoded at once on different goroutines. Its rows go in with WriteRows; ParquetWriter.Commit then
// writes it to the file, after the groups committed before it.
type ParquetRowGroup struct {
	rg     *parquet.ConcurrentRowGroupWriter
	cols   []*parquet.ColumnWriter
	schema Schema
	leaf   []int             // first leaf column of each column
	values [][]parquet.Value // by leaf column: the values of the rows being written
	rows   int
	bytes  int64 // estimated bytes of values, as RowBytes counts them
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
	reasoningMessageNode = parquet.List(newOrderedGroup(
		[]string{"role", "content", "reasoning_content"}, []parquet.Node{parquet.String(), parquet.String(), parquet.String()}))
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
		case ReasoningMessages:
			nodes[i] = reasoningMessageNode
		case Spans:
			nodes[i] = spanNode
		case Strings:
			nodes[i] = stringsNode
		default:
			nodes[i] = parquet.String()
		}
		if c.Nullable {
			nodes[i] = parquet.Optional(nodes[i])
		}
	}
	return parquet.NewSchema("factforge", newOrderedGroup(names, nodes))
}

// NewParquetWriter returns a writer of rows of schema s to w. createdBy names the producing application
// and version in the file footer.
func NewParquetWriter(w io.Writer, s Schema, createdBy, version string) *ParquetWriter {
	schema := ParquetSchema(s)
	options := []parquet.WriterOption{schema, parquet.Compression(zstdPages), parquet.CreatedBy(createdBy, version, "")}
	// Text columns get no minimum and maximum, per page or per row group: parquet-go keeps them whole
	// (two documents a page) in memory until the file closes and writes the row groups' into the footer,
	// so memory and footers grew with the rows; and the bounds of free text prune nothing.
	for _, path := range schema.Columns() {
		if leaf, ok := schema.Lookup(path...); ok && leaf.Node.Type().Kind() == parquet.ByteArray {
			options = append(options, parquet.SkipPageBounds(path...))
		}
	}
	return &ParquetWriter{schema: s, pw: parquet.NewWriter(w, options...)}
}

// NewRowGroup returns an empty row group of the writer's file. Call it on the goroutine that commits.
func (pw *ParquetWriter) NewRowGroup() *ParquetRowGroup {
	g := &ParquetRowGroup{rg: pw.pw.BeginRowGroup(), schema: pw.schema}
	g.cols = g.rg.ColumnWriters()
	next := 0
	for _, c := range pw.schema.Columns {
		g.leaf = append(g.leaf, next)
		next += c.Type.leaves()
	}
	g.values = make([][]parquet.Value, next)
	return g
}

// WriteRows encodes rows into the group. parquet-go copies their values: once it returns, the rows'
// memory may be reused.
func (g *ParquetRowGroup) WriteRows(rows []Row) error {
	for len(rows) > 0 {
		n := min(len(rows), rowsPerWrite)
		for _, r := range rows[:n] {
			g.appendRow(r)
		}
		for leaf, values := range g.values {
			if _, err := g.cols[leaf].WriteRowValues(values); err != nil {
				return err
			}
			clear(values) // drop the references to the rows' memory
			g.values[leaf] = values[:0]
		}
		g.rows += n
		rows = rows[n:]
	}
	return nil
}

// bytesOf views s as bytes without copying; parquet-go copies the values it is given into its column
// buffers before WriteRowValues returns.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// appendRow appends the leaf values of one row to the group's values, column by column.
func (g *ParquetRowGroup) appendRow(r Row) {
	for i, c := range g.schema.Columns {
		col := g.leaf[i]
		v := r[i]
		// A nullable column adds a definition level: 0 is null, and a value present is one level up.
		def := 0
		if c.Nullable {
			if v.Null {
				g.values[col] = append(g.values[col], parquet.NullValue().Level(0, 0, col))
				continue
			}
			def = 1
		}
		switch c.Type {
		case String:
			g.values[col] = append(g.values[col], parquet.ByteArrayValue(bytesOf(v.Str)).Level(0, def, col))
		case Int64:
			g.values[col] = append(g.values[col], parquet.Int64Value(v.Int).Level(0, def, col))
		case Bool:
			g.values[col] = append(g.values[col], parquet.BooleanValue(v.Bool).Level(0, def, col))
		case Messages:
			roles, contents := g.values[col], g.values[col+1]
			if len(v.Msgs) == 0 {
				roles, contents = append(roles, emptyList(col)), append(contents, emptyList(col+1))
			}
			for j, m := range v.Msgs {
				roles = append(roles, listItem(parquet.ByteArrayValue(bytesOf(m.Role)), j, col))
				contents = append(contents, listItem(parquet.ByteArrayValue(bytesOf(m.Content)), j, col+1))
			}
			g.values[col], g.values[col+1] = roles, contents
		case ReasoningMessages:
			roles, contents, traces := g.values[col], g.values[col+1], g.values[col+2]
			if len(v.Msgs) == 0 {
				roles, contents, traces = append(roles, emptyList(col)), append(contents, emptyList(col+1)), append(traces, emptyList(col+2))
			}
			for j, m := range v.Msgs {
				roles = append(roles, listItem(parquet.ByteArrayValue(bytesOf(m.Role)), j, col))
				contents = append(contents, listItem(parquet.ByteArrayValue(bytesOf(m.Content)), j, col+1))
				traces = append(traces, listItem(parquet.ByteArrayValue(bytesOf(m.Reasoning)), j, col+2))
			}
			g.values[col], g.values[col+1], g.values[col+2] = roles, contents, traces
		case Strings:
			if len(v.List) == 0 {
				g.values[col] = append(g.values[col], parquet.NullValue().Level(0, def, col))
			}
			for j, x := range v.List {
				g.values[col] = append(g.values[col], parquet.ByteArrayValue(bytesOf(x)).Level(min(j, 1), def+1, col))
			}
		case Spans:
			starts, ends := g.values[col], g.values[col+1]
			if len(v.Spans) == 0 {
				starts, ends = append(starts, emptyList(col)), append(ends, emptyList(col+1))
			}
			for j, sp := range v.Spans {
				starts = append(starts, listItem(parquet.Int64Value(sp.Start), j, col))
				ends = append(ends, listItem(parquet.Int64Value(sp.End), j, col+1))
			}
			g.values[col], g.values[col+1] = starts, ends
		}
	}
	g.bytes += RowBytes(r)
}

// A list's leaf values: repetition level 1 marks a further element of the same list, definition level 1
// a present element, and a lone null at level 0 an empty list.
func listItem(v parquet.Value, j, col int) parquet.Value { return v.Level(min(j, 1), 1, col) }
func emptyList(col int) parquet.Value                    { return parquet.NullValue().Level(0, 0, col) }

// Commit writes g to the file after the groups committed before it. g is then empty, and may be
// filled again.
func (pw *ParquetWriter) Commit(g *ParquetRowGroup) error {
	if pw.err == nil && g.rows > 0 {
		_, pw.err = g.rg.Commit()
	}
	g.rows, g.bytes = 0, 0
	return pw.err
}

// Write adds one row to the current row group, which is committed once it holds MaxRowsPerRowGroup
// rows or MaxRowGroupBytes bytes. The row's memory must stay as it is until Flush or Close.
func (pw *ParquetWriter) Write(r Row) error {
	if pw.err != nil {
		return pw.err
	}
	if pw.current == nil {
		pw.current = pw.NewRowGroup()
	}
	if pw.batch = append(pw.batch, r); len(pw.batch) == rowsPerWrite {
		return pw.Flush()
	}
	return nil
}

// Flush hands the rows Write buffered to the current row group, which copies their values: after it
// the writer holds no reference to any row written, and their memory may be reused.
func (pw *ParquetWriter) Flush() error {
	if pw.err != nil || pw.current == nil {
		return pw.err
	}
	pw.err = pw.current.WriteRows(pw.batch)
	clear(pw.batch)
	pw.batch = pw.batch[:0]
	if pw.err == nil && (pw.current.rows >= MaxRowsPerRowGroup || pw.current.bytes >= MaxRowGroupBytes) {
		pw.err = pw.Commit(pw.current)
	}
	return pw.err
}

// RowGroupRows is how many rows the row groups of rows like sample should hold: as many as fit in
// MaxRowGroupBytes, a multiple of 1024, at least 1024 and at most MaxRowsPerRowGroup.
func RowGroupRows(sample []Row) int {
	if len(sample) == 0 {
		return MaxRowsPerRowGroup
	}
	var bytes int64
	for _, r := range sample {
		bytes += RowBytes(r)
	}
	n := int(MaxRowGroupBytes*int64(len(sample))/max(bytes, 1)) / 1024 * 1024
	return min(max(n, 1024), MaxRowsPerRowGroup)
}

// RowBytes estimates the bytes of a row: its text, and 8 for every other value.
func RowBytes(r Row) int64 {
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

// Close commits what is buffered and writes the file footer; it does not close the underlying writer.
func (pw *ParquetWriter) Close() error {
	if pw.Flush() == nil && pw.current != nil {
		pw.err = pw.Commit(pw.current)
	}
	if pw.err == nil {
		pw.err = pw.pw.Close()
	}
	return pw.err
}
