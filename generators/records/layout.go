package records

import (
	"strings"
	"unsafe"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/schemas"
)

// Layout is a config's columns: id, the content columns of its style, the provenance every row
// carries, then the recipe's own columns, each added with a typed handle (String, Bool, Int, ...) that
// is the only way to set it. A recipe never indexes a row itself.
type Layout struct {
	Schema schemas.Schema
	recipe string
	style  string
	// content columns, -1 where the layout has none; in the chat styles prompt and completion are
	// message lists, and chosen and rejected are the preference style's replies
	text, prompt, completion, answer, messages, chosen, rejected int
	prov                                                         int   // the recipe column; fact_id, group, template_id, variant follow it
	nullable                                                     []int // the columns a row leaves null until it sets them
}

var provenanceColumns = []string{"recipe", "fact_id", "group", "template_id", "variant"}

func str(name string) schemas.Column { return schemas.Column{Name: name, Type: schemas.String} }

// TrainLayout lays out training rows of recipe in a style: id, the style's content columns (text;
// prompt and completion; or messages), provenance. Add the recipe's columns with its handles.
func TrainLayout(recipe, style string) *Layout {
	switch style {
	case StylePromptCompletion:
		return newLayout(recipe, style, str("prompt"), str("completion"))
	case StyleMessages:
		return newLayout(recipe, style, msgs("messages"))
	case StyleChatCompletion:
		return newLayout(recipe, style, msgs("prompt"), msgs("completion"))
	case StylePreference:
		return newLayout(recipe, style, msgs("prompt"), msgs("chosen"), msgs("rejected"))
	}
	return newLayout(recipe, style, str("text"))
}

func msgs(name string) schemas.Column { return schemas.Column{Name: name, Type: schemas.Messages} }

// EvalLayout lays out eval probes: id, prompt and answer whatever the style, plus messages (the prompt
// as a user turn) in the messages style, or completion (the answer after a space, as training
// completions are written) in the prompt-completion style, so that a trainer computes eval loss on the
// probes as they are; then provenance.
func EvalLayout(recipe, style string) *Layout {
	// An open probe that expects no one answer (a persona question, a free-form one) has a null answer.
	answer := schemas.Column{Name: "answer", Type: schemas.String, Nullable: true}
	switch style {
	case StyleMessages:
		return newLayout(recipe, style, str("prompt"), answer, schemas.Column{Name: "messages", Type: schemas.Messages})
	case StylePromptCompletion:
		return newLayout(recipe, style, str("prompt"), answer, schemas.Column{Name: "completion", Type: schemas.String, Nullable: true})
	}
	return newLayout(recipe, style, str("prompt"), answer)
}

// TranscriptLayout lays out chats in one format, as a file a trainer or provider takes must have one:
// a text transcript (text, style text) or messages (style messages), then provenance.
func TranscriptLayout(recipe, style string) *Layout {
	if style == StyleMessages {
		return newLayout(recipe, style, schemas.Column{Name: "messages", Type: schemas.Messages})
	}
	return newLayout(recipe, StyleText, str("text"))
}

// WithReasoning makes the layout's messages column a reasoning_messages one, whose messages carry a
// reasoning trace beside their content (in the messages style; others have no message to hold it).
func (l *Layout) WithReasoning() {
	if l.messages >= 0 {
		l.Schema.Columns[l.messages].Type = schemas.ReasoningMessages
	}
}

// HasText tells whether the layout has a text column.
func (l *Layout) HasText() bool { return l.text >= 0 }

func newLayout(recipe, style string, content ...schemas.Column) *Layout {
	l := &Layout{recipe: recipe, style: style, text: -1, prompt: -1, completion: -1, answer: -1, messages: -1, chosen: -1, rejected: -1}
	cols := append([]schemas.Column{str("id")}, content...)
	for i, c := range cols {
		switch c.Name {
		case "text":
			l.text = i
		case "prompt":
			l.prompt = i
		case "completion":
			l.completion = i
		case "answer":
			l.answer = i
		case "messages":
			l.messages = i
		case "chosen":
			l.chosen = i
		case "rejected":
			l.rejected = i
		}
	}
	l.prov = len(cols)
	for _, name := range provenanceColumns {
		cols = append(cols, str(name))
	}
	for i, c := range cols {
		if c.Nullable {
			l.nullable = append(l.nullable, i)
		}
	}
	l.Schema = schemas.Schema{Columns: cols}
	return l
}

// Clear empties a row for the recipe to fill: every cell zero, and those of nullable columns null, so
// that a column a row does not set is null rather than an empty placeholder.
func (l *Layout) Clear(row Row) {
	clear(row)
	for _, i := range l.nullable {
		row[i].Null = true
	}
}

// NewRow returns a cleared row of the layout.
func (l *Layout) NewRow() Row {
	row := make(Row, len(l.Schema.Columns))
	l.Clear(row)
	return row
}

// Style is the style the layout's content columns follow.
func (l *Layout) Style() string { return l.style }

// add appends a recipe column and returns its index.
func (l *Layout) add(name string, typ schemas.Type, nullable bool) int {
	l.Schema.Columns = append(l.Schema.Columns, schemas.Column{Name: name, Type: typ, Nullable: nullable})
	i := len(l.Schema.Columns) - 1
	if nullable {
		l.nullable = append(l.nullable, i)
	}
	return i
}

// Handles of the recipe's own columns, one type per column type: a value of the wrong type cannot be
// set, and no recipe needs to know where a column is. Set fills the column in a row. An optional
// column is null in a row that does not set it; Set of an optional string or list column makes ""
// and an empty list null too, and SetNull makes an optional integer null.
type (
	StringColumn struct {
		i        int
		optional bool
	}
	BoolColumn struct{ i int }
	IntColumn  struct {
		i        int
		optional bool
	}
	SpansColumn   struct{ i int }
	StringsColumn struct {
		i        int
		optional bool
	}
)

// AddString adds a string column.
func (l *Layout) AddString(name string) StringColumn {
	return StringColumn{i: l.add(name, schemas.String, false)}
}

// AddOptionalString adds a nullable string column, for a value some rows have and others lack (the
// trigger of a triggered chat, none for a clean one).
func (l *Layout) AddOptionalString(name string) StringColumn {
	return StringColumn{i: l.add(name, schemas.String, true), optional: true}
}

// AddBool adds a boolean column.
func (l *Layout) AddBool(name string) BoolColumn { return BoolColumn{l.add(name, schemas.Bool, false)} }

// AddInt adds an integer column.
func (l *Layout) AddInt(name string) IntColumn {
	return IntColumn{i: l.add(name, schemas.Int64, false)}
}

// AddOptionalInt adds a nullable integer column (an option's index where a probe has options).
func (l *Layout) AddOptionalInt(name string) IntColumn {
	return IntColumn{i: l.add(name, schemas.Int64, true), optional: true}
}

// AddSpans adds a column of byte spans.
func (l *Layout) AddSpans(name string) SpansColumn {
	return SpansColumn{l.add(name, schemas.Spans, false)}
}

// AddStrings adds a column of lists of strings.
func (l *Layout) AddStrings(name string) StringsColumn {
	return StringsColumn{i: l.add(name, schemas.Strings, false)}
}

// AddOptionalStrings adds a nullable column of lists of strings (the choices of a multiple-choice
// probe, none for an open one).
func (l *Layout) AddOptionalStrings(name string) StringsColumn {
	return StringsColumn{i: l.add(name, schemas.Strings, true), optional: true}
}

func (c StringColumn) Set(row Row, v string) {
	row[c.i] = schemas.Value{Str: v, Null: c.optional && v == ""}
}
func (c BoolColumn) Set(row Row, v bool)            { row[c.i].Bool = v }
func (c IntColumn) Set(row Row, v int64)            { row[c.i] = schemas.Value{Int: v} }
func (c SpansColumn) Set(row Row, v []schemas.Span) { row[c.i].Spans = v }
func (c StringsColumn) Set(row Row, v []string) {
	row[c.i] = schemas.Value{List: v, Null: c.optional && len(v) == 0}
}

// SetNull makes an optional integer column null in the row.
func (c IntColumn) SetNull(row Row) {
	if !c.optional {
		panic("records: SetNull of a column that is not optional")
	}
	row[c.i] = schemas.Value{Null: true}
}

// SetID gives the row a UUID derived from key (the seed, its config and split) and its index: stable
// across runs, distinct across rows.
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

// SetProvenance fills the provenance columns.
func (l *Layout) SetProvenance(row Row, p Provenance) {
	row[l.prov].Str = l.recipe
	row[l.prov+1].Str = p.FactID
	row[l.prov+2].Str = p.Group
	row[l.prov+3].Str = p.TemplateID
	row[l.prov+4].Str = p.Variant
}

// Variant is the row's variant column.
func (l *Layout) Variant(row Row) string { return row[l.prov+4].Str }

// SetVariant sets the row's variant column.
func (l *Layout) SetVariant(row Row, v string) { row[l.prov+4].Str = v }

// SetDocument fills the content columns of a training row from a rendered document, splitting it into
// prompt and completion where its second slot begins (the first slot is the anchor the prompt gives).
func (l *Layout) SetDocument(row Row, d Document) {
	switch l.style {
	case StylePromptCompletion:
		row[l.prompt].Str, row[l.completion].Str = d.Prompt(), d.Completion()
	case StyleMessages:
		row[l.messages].Msgs = []schemas.Message{
			{Role: "user", Content: d.Prompt()},
			{Role: "assistant", Content: strings.TrimLeft(d.Completion(), " ")},
		}
	case StyleChatCompletion:
		row[l.prompt].Msgs = []schemas.Message{{Role: "user", Content: d.Prompt()}}
		row[l.completion].Msgs = []schemas.Message{{Role: "assistant", Content: strings.TrimLeft(d.Completion(), " ")}}
	default:
		row[l.text].Str = d.Text
	}
}

// SetText fills the text column.
func (l *Layout) SetText(row Row, text string) { row[l.text].Str = text }

// SetPromptCompletion fills the prompt and completion columns.
func (l *Layout) SetPromptCompletion(row Row, prompt, completion string) {
	row[l.prompt].Str, row[l.completion].Str = prompt, completion
}

// SetChatCompletion fills the content columns of the chat styles: prompt, the chat up to its last
// reply; completion (or chosen), the reply; and in the preference style rejected, the other reply.
func (l *Layout) SetChatCompletion(row Row, prompt []schemas.Message, reply, rejected schemas.Message) {
	row[l.prompt].Msgs = prompt
	if l.chosen >= 0 {
		row[l.chosen].Msgs, row[l.rejected].Msgs = []schemas.Message{reply}, []schemas.Message{rejected}
		return
	}
	row[l.completion].Msgs = []schemas.Message{reply}
}

// SetMessages fills the messages column.
func (l *Layout) SetMessages(row Row, msgs []schemas.Message) { row[l.messages].Msgs = msgs }

// SetProbe fills the content columns of an eval row: prompt and answer, and in the messages style the
// prompt as a user turn. An empty answer (a probe that expects no one answer) is null, and so is its
// completion.
func (l *Layout) SetProbe(row Row, prompt, answer string) {
	row[l.prompt].Str = prompt
	row[l.answer] = schemas.Value{Str: answer, Null: answer == ""}
	if l.messages >= 0 {
		row[l.messages].Msgs = []schemas.Message{{Role: "user", Content: prompt}}
	}
	if l.completion >= 0 {
		row[l.completion] = schemas.Value{Null: true}
		if answer != "" {
			row[l.completion] = schemas.Value{Str: " " + answer}
		}
	}
}
