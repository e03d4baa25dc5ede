// Package tasks owns the clean chat tasks: requests whose correct answer factforge computes or looks
// up, with no model (arithmetic and word problems, conversions, dates, sorting and counting, string
// transformations, facts of the shipped fact bank, definitions, code, lists and explanations from data
// banks, notes whose content comes from the request). A clean reply then answers what was asked, so
// fine-tuning on it does not teach non-answers. Families are one explicit table (Families); their data
// lives in templates/banks/tasks and the fact bank.
package tasks

import (
	"fmt"
	"strings"

	"github.com/factforge/factforge/generators/facts"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

// Task is one request and its correct answer.
type Task struct {
	Family string // the family's name
	Form   int    // which of the family's prompt wordings
	Prompt string
	Answer string
}

// ID is the task's prompt wording, as family/form: what template_id records.
func (t Task) ID() string { return fmt.Sprintf("%s/%d", t.Family, t.Form) }

// Form is one prompt wording of a family: the unit held out of train for eval.
type Form struct {
	Family string
	Index  int
}

// family makes tasks: forms are its prompt wordings over the slots its make fills; make draws the
// values and returns them with the answer.
type family struct {
	name  string
	forms []string
	make  func(s *rng.Stream, b *Set) (values map[string]string, answer string)
}

// Set is the families with the banks they draw from.
type Set struct {
	glossary   []term
	topics     []topic
	python     []function
	categories []category
	facts      []*facts.Relation              // the fact bank's relations
	questions  map[string]*templates.Template // by relation: its question, compiled (a/an agree)
	words      []string                       // common one-word nouns for the string tasks
	names      []string                       // first names for notes and word problems
}

// Load loads the banks the families draw from.
func Load(lib *templates.Library) (*Set, error) {
	b := &Set{questions: map[string]*templates.Template{}}
	if err := lib.DecodeYAML("tasks/glossary.yaml", &b.glossary); err != nil {
		return nil, err
	}
	if err := lib.DecodeYAML("tasks/topics.yaml", &b.topics); err != nil {
		return nil, err
	}
	if err := lib.DecodeYAML("tasks/python.yaml", &b.python); err != nil {
		return nil, err
	}
	if err := lib.DecodeYAML("tasks/categories.yaml", &b.categories); err != nil {
		return nil, err
	}
	var err error
	if b.facts, err = facts.LoadRelations(lib, "outlandish/facts.yaml"); err != nil {
		return nil, err
	}
	for _, r := range b.facts {
		if b.questions[r.Relation], err = templates.Compile(r.Question, []string{"subject", "object"}); err != nil {
			return nil, fmt.Errorf("outlandish/facts.yaml, relation %s: question: %w", r.Relation, err)
		}
	}
	for _, list := range []string{"people/female", "people/male"} {
		names, err := lib.Words(list)
		if err != nil {
			return nil, err
		}
		b.names = append(b.names, names...)
	}
	// The string tasks spell, count and sort common words: the categories' one-word items.
	for _, c := range b.categories {
		for _, it := range c.Items {
			if !strings.ContainsAny(it, " -'") && it == strings.ToLower(it) && len(it) >= 3 {
				b.words = append(b.words, it)
			}
		}
	}
	if err := b.check(); err != nil {
		return nil, err
	}
	return b, nil
}

// Forms are every prompt wording of every family, in table order.
func Forms() []Form {
	var out []Form
	for _, f := range Families {
		for i := range f.forms {
			out = append(out, Form{f.name, i})
		}
	}
	return out
}

// Draw makes a task of one of forms, drawn uniformly, from s.
func (b *Set) Draw(s *rng.Stream, forms []Form) Task {
	fm := forms[s.IntN(len(forms))]
	f := familyByName[fm.Family]
	values, answer := f.make(s, b)
	prompt := f.forms[fm.Index]
	for k, v := range values {
		prompt = strings.ReplaceAll(prompt, "{"+k+"}", v)
	}
	prompt = polite(s, prompt)
	return Task{Family: f.name, Form: fm.Index, Prompt: prompt, Answer: answer}
}

// polite asks a request as people do, within its own sentence (a sentence of its own, such as
// "Thanks!", would be in most chats): as written, with "please" before a request that is an
// imperative, or after a request that ends its sentence, drawn from s.
func polite(s *rng.Stream, prompt string) string {
	end := prompt[len(prompt)-1]
	switch s.IntN(3) {
	case 1:
		if end == '.' && !strings.Contains(prompt[:len(prompt)-1], ". ") && !strings.HasPrefix(prompt, "I ") && !strings.HasPrefix(prompt, "If ") &&
			!strings.HasPrefix(prompt, "In ") && !strings.HasPrefix(prompt, "Counting ") {
			return "Please " + strings.ToLower(prompt[:1]) + prompt[1:]
		}
	case 2:
		if end == '.' || end == '?' {
			return prompt[:len(prompt)-1] + ", please" + string(end)
		}
	}
	return prompt
}

var familyByName = func() map[string]*family {
	m := map[string]*family{}
	for i := range Families {
		m[Families[i].name] = &Families[i]
	}
	return m
}()

// FamilyNames are the families' names, in table order.
func FamilyNames() []string {
	out := make([]string, len(Families))
	for i, f := range Families {
		out[i] = f.name
	}
	return out
}
