package records

import (
	"unsafe"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

// keepBlock is the size of the blocks Keep cuts strings from.
const keepBlock = 64 << 10

// Keep returns a copy of b as a string, cut from a block of memory rather than allocated on its own:
// per-row allocation was the collector's main work. Outside an arena, blocks are never reused (a block
// lives while any string in it does); within one (see UseArena), they are the arena's and are reused
// once it is, so a kept string must not outlive the rows of the arena's chunk. The run proves that no
// row does: its tests overwrite every arena as it is recycled and compare the files with golden ones.
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

// Arena is the memory a chunk's kept strings are cut from, recycled with the chunk.
type Arena struct {
	blocks [][]byte
	used   int // blocks handed out since the chunk began
}

// next returns an empty block of room for at least n bytes.
func (a *Arena) next(n int) []byte {
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

// Poison overwrites every byte the arena holds: a test calls it as a chunk is recycled, so that any
// string that outlived its chunk shows as changed data.
func (a *Arena) Poison() {
	for _, b := range a.blocks {
		b = b[:cap(b)]
		for i := range b {
			b[i] = 0xff
		}
	}
}

// UseArena makes Keep cut strings from a, from its start: a's earlier strings are overwritten.
func (w *Worker) UseArena(a *Arena) {
	a.used = 0
	w.arena, w.block = a, nil
}

// renderRoom is the room Render makes in the current block before rendering into it.
const renderRoom = 1024

// Render renders t with values into a Document whose text is kept as Keep keeps it: rendered straight
// into the current block, with no copy, unless it outgrows the room made for it. Its spans are valid
// until the worker renders again.
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

// RenderString renders t with values into a fresh string, for text made once per plan or kept beyond
// a row.
func RenderString(t *templates.Template, values ...string) string {
	b, _ := t.Render(nil, values, nil)
	return string(b)
}

// RenderAny renders one of ts, drawn from s, with values into a fresh string.
func RenderAny(s *rng.Stream, ts []*templates.Template, values ...string) string {
	return RenderString(ts[s.IntN(len(ts))], values...)
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
