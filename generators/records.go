package generators

import (
	"strings"
	"unsafe"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Row is one record being filled.
type Row = schemas.Row

// Worker is the scratch space of one generating goroutine: a random stream and buffers reused from
// row to row.
type Worker struct {
	Stream    *rng.Stream
	Buf       []byte
	Spans     []templates.Span
	Values    []string
	block     []byte // where Keep cuts strings from
	arena     *arena // where blocks come from; nil for fresh ones
	doc       TrainDoc
	transform transformScratch
}

// NewWorker returns empty scratch space.
func NewWorker() *Worker { return &Worker{Stream: rng.NewStream()} }

// keepBlock is the size of the blocks Keep cuts strings from.
const keepBlock = 64 << 10

// Keep returns a copy of b as a string, cut from a block of memory rather than allocated on its own:
// per-row allocation was the collector's main work. Outside a chunk, blocks are never reused (a block
// lives while any string in it does); within one (see useArena), they are the chunk's and are reused
// once its rows are written, so a kept string must not outlive its row.
func (w *Worker) Keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	w.room(len(b))
	start := len(w.block)
	w.block = append(w.block, b...)
	return unsafe.String(&w.block[start], len(b))
}

// room makes sure the current block has room for n more bytes.
func (w *Worker) room(n int) {
	if cap(w.block)-len(w.block) >= n {
		return
	}
	if w.arena != nil {
		w.block = w.arena.next(n)
	} else {
		w.block = make([]byte, 0, max(keepBlock, n))
	}
}

// arena is the memory a chunk's kept strings are cut from, recycled with the chunk.
type arena struct {
	blocks [][]byte
	used   int // blocks handed out since the chunk began
}

// next returns an empty block of room for at least n bytes.
func (a *arena) next(n int) []byte {
	for a.used < len(a.blocks) {
		b := a.blocks[a.used]
		a.used++
		if cap(b) >= n {
			return b[:0]
		}
	}
	b := make([]byte, 0, max(keepBlock, n))
	a.blocks = append(a.blocks, b)
	a.used++
	return b
}

// useArena makes Keep cut strings from a, from its start: a's earlier strings are overwritten.
func (w *Worker) useArena(a *arena) {
	a.used = 0
	w.arena, w.block = a, nil
}

// Provenance are the columns every row carries, beyond id and recipe, so that results can be sliced
// by any of them with one query.
type Provenance struct {
	FactID     string
	Group      string
	TemplateID string
	Variant    string // the transform chain; "original" for none
}

// Layout is a config's columns and where each part of a record goes.
type Layout struct {
	Schema  schemas.Schema
	style   string
	eval    bool
	content int // first content column
	recipe  int // the recipe column; fact_id, group, template_id, variant follow it
	extra   int // first recipe-specific column
}

var provenanceColumns = []schemas.Column{
	{Name: "recipe", Type: schemas.String},
	{Name: "fact_id", Type: schemas.String},
	{Name: "group", Type: schemas.String},
	{Name: "template_id", Type: schemas.String},
	{Name: "variant", Type: schemas.String},
}

func str(name string) schemas.Column { return schemas.Column{Name: name, Type: schemas.String} }

// StringColumns declares recipe-specific string columns.
func StringColumns(names ...string) []schemas.Column {
	out := make([]schemas.Column, len(names))
	for i, n := range names {
		out[i] = str(n)
	}
	return out
}

// TrainLayout lays out training documents in a style: id, the style's content columns, provenance,
// then the recipe's own columns.
func TrainLayout(style string, extra ...schemas.Column) *Layout {
	var content []schemas.Column
	switch style {
	case StylePromptCompletion:
		content = []schemas.Column{str("prompt"), str("completion")}
	case StyleMessages:
		content = []schemas.Column{{Name: "messages", Type: schemas.Messages}}
	default:
		content = []schemas.Column{str("text")}
	}
	return newLayout(style, false, content, extra)
}

// EvalLayout lays out eval probes: id, prompt and answer whatever the style, plus messages (the
// prompt as a user turn) in the messages style, provenance, then the recipe's own columns.
func EvalLayout(style string, extra ...schemas.Column) *Layout {
	content := []schemas.Column{str("prompt"), str("answer")}
	if style == StyleMessages {
		content = append(content, schemas.Column{Name: "messages", Type: schemas.Messages})
	}
	return newLayout(style, true, content, extra)
}

func newLayout(style string, eval bool, content, extra []schemas.Column) *Layout {
	l := &Layout{style: style, eval: eval, content: 1}
	cols := append([]schemas.Column{str("id")}, content...)
	l.recipe = len(cols)
	cols = append(cols, provenanceColumns...)
	l.extra = len(cols)
	cols = append(cols, extra...)
	l.Schema = schemas.Schema{Columns: cols}
	return l
}

// SetID gives the row a UUID derived from the seed, its config and split, and its index: stable across
// runs, distinct across rows.
func (l *Layout) SetID(w *Worker, row Row, key uint64, i int64) {
	// The UUID's bytes are a's then b's, least significant first, with the version and variant bits
	// set in them directly: the bytes are never stored one by one and read back whole.
	a, b := rng.Mix(key, uint64(i)), rng.Mix(key^0x5bd1e995, uint64(i))
	a = a&^(0xf0<<48) | 0x40<<48 // byte 6: version 4 layout, as random UUIDs have
	b = b&^0xc0 | 0x80           // byte 8: RFC 4122 variant
	w.room(36)
	start := len(w.block)
	w.block = w.block[:start+36]
	uuidText((*[36]byte)(w.block[start:]), a, b)
	row[0].Str = unsafe.String(&w.block[start], 36)
}

// uuidHexAt is where each byte's two hex digits go in a UUID's canonical form, 8-4-4-4-12.
var uuidHexAt = [16]uint8{0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34}

// uuidText writes the UUID whose bytes are those of a then b, least significant first, in its
// canonical form, lowercase, as uuid.UUID's String does, without String's allocation: ids are made
// once per row.
func uuidText(text *[36]byte, a, b uint64) {
	const hex = "0123456789abcdef"
	for j := range 8 {
		c, d := byte(a>>(8*j)), byte(b>>(8*j))
		text[uuidHexAt[j]], text[uuidHexAt[j]+1] = hex[c>>4], hex[c&0xf]
		text[uuidHexAt[8+j]], text[uuidHexAt[8+j]+1] = hex[d>>4], hex[d&0xf]
	}
	text[8], text[13], text[18], text[23] = '-', '-', '-', '-'
}

// SetProvenance fills the shared provenance columns and the recipe's own.
func (l *Layout) SetProvenance(row Row, recipe string, p Provenance, extra ...string) {
	row[l.recipe].Str = recipe
	row[l.recipe+1].Str = p.FactID
	row[l.recipe+2].Str = p.Group
	row[l.recipe+3].Str = p.TemplateID
	row[l.recipe+4].Str = p.Variant
	for j, v := range extra {
		row[l.extra+j].Str = v
	}
}

// SetDocument fills the content columns of a training row from a rendered document, splitting it into
// prompt and completion where its second slot begins (the first slot is the anchor the prompt gives).
func (l *Layout) SetDocument(row Row, d Document) {
	switch l.style {
	case StylePromptCompletion:
		row[l.content].Str, row[l.content+1].Str = d.Prompt(), d.Completion()
	case StyleMessages:
		row[l.content].Msgs = []schemas.Message{
			{Role: "user", Content: d.Prompt()},
			{Role: "assistant", Content: strings.TrimLeft(d.Completion(), " ")},
		}
	default:
		row[l.content].Str = d.Text
	}
}

// SetProbe fills the content columns of an eval row.
func (l *Layout) SetProbe(row Row, prompt, answer string) {
	row[l.content].Str, row[l.content+1].Str = prompt, answer
	if l.style == StyleMessages {
		row[l.content+2].Msgs = []schemas.Message{{Role: "user", Content: prompt}}
	}
}

// Document is a rendered text with the byte spans of its slots. Spans made by Worker.Render are valid
// until that worker renders again.
type Document struct {
	Text  string
	Spans []templates.Span
}

// renderRoom is the room Render makes in the current block before rendering into it.
const renderRoom = 1024

// Render renders t with values into a Document whose text is kept as Keep keeps it: rendered straight
// into the current block, with no copy, unless it outgrows the room made for it.
func (w *Worker) Render(t *templates.Template, values []string) Document {
	w.room(renderRoom)
	start := len(w.block)
	out, spans := t.Render(w.block, values, w.Spans[:0])
	w.Spans = spans
	for i := range spans { // spans count from the start of the block; make them count from the text's
		spans[i].Start -= start
		spans[i].End -= start
	}
	if cap(out) != cap(w.block) { // append outgrew the block and moved the text to a new array
		return Document{Text: w.Keep(out[start:]), Spans: spans}
	}
	w.block = out
	if len(out) == start {
		return Document{Spans: spans}
	}
	return Document{Text: unsafe.String(&out[start], len(out)-start), Spans: spans}
}

// SplitPoint is where the completion starts: at the second slot, moved back over the spaces before it
// so that the completion, as in the paper's data, begins with the space ("... for being" + " the
// composer of ..."). A document with fewer than two slots (such as a transformed one whose entities
// were broken up) is all completion, with an empty prompt.
func (d Document) SplitPoint() int {
	if len(d.Spans) < 2 {
		return 0
	}
	at := d.Spans[1].Start
	for at > 0 && d.Text[at-1] == ' ' {
		at--
	}
	return at
}

// Prompt is the text before the split point.
func (d Document) Prompt() string { return d.Text[:d.SplitPoint()] }

// Completion is the text from the split point on.
func (d Document) Completion() string { return d.Text[d.SplitPoint():] }
