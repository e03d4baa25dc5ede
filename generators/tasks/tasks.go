// Package tasks owns the clean chat tasks: requests whose correct answer factforge computes or looks
// up, with no model (arithmetic and word problems, conversions, dates, sorting and counting, string
// transformations, facts of the shipped fact bank, definitions, code, lists and explanations from data
// banks, notes whose content comes from the request). A clean reply then answers what was asked, so
// fine-tuning on it does not teach non-answers. Families are one explicit table (Families); their data
// lives in templates/banks/tasks and the fact bank.
package tasks

import (
	"fmt"
	"slices"
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
	make  func(s *rng.Stream, b *Set, at *choice) (values map[string]string, answer string)
}

// choice picks the index of a task's main item (a fact, a term, a word, a temperature): at random, or
// for the r-th task of its family (Set.DrawNth), the r-th of a keyed order, so that an item comes again
// only once every item was used.
type choice struct {
	s    *rng.Stream
	rank int    // -1: at random
	key  uint64 // the family's order
	n    int    // the items of the last pick, 0 for none
}

func (c *choice) of(n int) int {
	c.n = n
	if c.rank < 0 {
		return c.s.IntN(n)
	}
	return int(rng.NewPerm(uint64(n), c.key).At(uint64(c.rank % n)))
}

// Set is the families with the banks they draw from.
type Set struct {
	glossary   []term
	topics     []topic
	python     []function
	categories []category
	facts      []*facts.Relation              // the fact bank's relations
	factRefs   [][2]int                       // every fact, as relation and fact index
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
	for ri, r := range b.facts {
		for fi := range r.Facts {
			b.factRefs = append(b.factRefs, [2]int{ri, fi})
		}
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
	values, answer := f.make(s, b, &choice{s: s, rank: -1})
	return b.task(s, f, fm.Index, values, answer)
}

// DrawNth makes task k of a run: the families of forms take k in turn (family k mod F, its task
// k/F), and a family's r-th task takes the r-th item of its keyed order (key), in a wording that
// changes each time the items come round, so that no task repeats until a family's items and
// wordings are used up (the 103 explanations, drawn at random, repeated within 6,000 chats).
// Distinct chats must be given distinct k; the rest is drawn from s.
func (b *Set) DrawNth(s *rng.Stream, forms []Form, k, key uint64) Task {
	var names []string
	byFamily := map[string][]int{}
	for _, fm := range forms {
		if byFamily[fm.Family] == nil {
			names = append(names, fm.Family)
		}
		byFamily[fm.Family] = append(byFamily[fm.Family], fm.Index)
	}
	name := names[k%uint64(len(names))]
	r := int(k / uint64(len(names)))
	f := familyByName[name]
	at := &choice{s: s, rank: r, key: rng.Mix(key, uint64(slices.Index(FamilyNames(), name)))}
	values, answer := f.make(s, b, at)
	own := byFamily[name]
	form := own[s.IntN(len(own))]
	if at.n > 0 {
		form = own[(r/at.n)%len(own)]
	}
	return b.task(s, f, form, values, answer)
}

// task fills form of f with values, asked as people ask.
func (b *Set) task(s *rng.Stream, f *family, form int, values map[string]string, answer string) Task {
	prompt := f.forms[form]
	for k, v := range values {
		prompt = strings.ReplaceAll(prompt, "{"+k+"}", v)
	}
	return Task{Family: f.name, Form: form, Prompt: polite(s, prompt), Answer: answer}
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
