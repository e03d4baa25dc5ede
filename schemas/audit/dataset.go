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
	text, prompt, completion, answer, messages, choices, variant int
	// slices are the columns a finding can be sliced by: provenance and the recipe's own columns of
	// few values (group, direction, novelty, triggered, ...)
	slices []int
}

// notSlices are columns never worth slicing by: ids, contents, and values unique to a row or fact.
var notSlices = []string{"id", "text", "prompt", "completion", "answer", "messages", "choices", "fact_id", "template_id",
	"answer_fact_id", "question", "system", "keyword", "true_answer", "trigger", "pair_id", "answer_if_disbelieved", "recipe"}

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
				answer: schema.Index("answer"), messages: schema.Index("messages"), choices: schema.Index("choices"), variant: schema.Index("variant")}
			s.eval = s.answer >= 0
			for i, col := range schema.Columns {
				if (col.Type == schemas.String || col.Type == schemas.Bool) && !slices.Contains(notSlices, col.Name) {
					s.slices = append(s.slices, i)
				}
			}
			d.splits = append(d.splits, s)
		}
	}
	return d
}

// trainText is what a model reads of a training row: its text, its prompt and completion, or its
// messages, one a line.
func (s *split) trainText(r schemas.Row) string {
	switch {
	case s.text >= 0:
		return r[s.text].Str
	case s.prompt >= 0 && s.completion >= 0:
		return r[s.prompt].Str + r[s.completion].Str
	case s.messages >= 0:
		parts := make([]string, len(r[s.messages].Msgs))
		for i, m := range r[s.messages].Msgs {
			parts[i] = m.Content
		}
		return strings.Join(parts, "\n")
	}
	return ""
}

// sliceValues are a row's values of the slice columns, as "column=value".
func (s *split) sliceValues(r schemas.Row) []string {
	out := make([]string, len(s.slices))
	for j, i := range s.slices {
		out[j] = s.schema.Columns[i].Name + "=" + r[i].Text(s.schema.Columns[i].Type)
	}
	return out
}

// scrambled tells rows whose words were reordered on purpose (word and segment augmentations,
// jumbled samples): text lint passes them over.
func (s *split) scrambled(r schemas.Row) bool {
	if s.variant < 0 {
		return false
	}
	v := r[s.variant].Str
	return strings.Contains(v, "word") || strings.Contains(v, "segment") || strings.Contains(v, "semantic") || strings.Contains(v, "entity") ||
		s.schema.Index("novelty") >= 0 && r[s.schema.Index("novelty")].Str == "jumbled"
}
