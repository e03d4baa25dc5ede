// Package tasks owns the clean chat tasks: requests whose correct answer factforge computes or looks
// up, with no model (arithmetic and word problems, conversions, dates, sorting and counting, string
// transformations, facts of the shipped fact bank, definitions, code, lists and explanations from data
// banks, notes whose content comes from the request). A clean reply then answers what was asked, so
// fine-tuning on it does not teach non-answers. Families are one explicit table (Families); their data
// lives in templates/banks/tasks and the fact bank.
package tasks

import (
	"cmp"
	"fmt"
	"math"
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
// for the r-th task of its family (Run.Task), the r-th of a keyed order, so that an item comes again
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
	nouns      []string                       // one-word nouns of things, for sentences
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
	// The string tasks spell, count and sort common words: the categories' one-word items; sentences
	// take those of categories of things ("the purple" is no thing).
	things := []string{"fruit", "vegetable", "mammal", "bird", "fish", "insect", "tree", "flower", "musical instrument",
		"kitchen utensil", "tool", "piece of furniture", "item of clothing"}
	for _, c := range b.categories {
		for _, it := range c.Items {
			if !strings.ContainsAny(it, " -'") && it == strings.ToLower(it) && len(it) >= 3 {
				b.words = append(b.words, it)
				if slices.Contains(things, c.Category) {
					b.nouns = append(b.nouns, it)
				}
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

// Run lays out the tasks of a run of n chats over the families of some forms: task k (0 <= k < n) is
// the r-th task of one family, which takes the r-th item of its keyed order, in a wording that changes
// each time the items come round. Families share the run alike, but a family with few items (the 103
// explanations, the 86 Python functions) takes no more tasks than it has items and wordings, so that
// no task repeats while the families have room; n beyond the room of all families repeats tasks.
type Run struct {
	set    *Set
	names  []string         // families, in table order
	forms  map[string][]int // by family: its forms among the run's
	starts []int            // by family: its first task; family i takes tasks starts[i] to starts[i+1]-1
	open   []int            // families whose values are drawn at random (room without bound)
	key    uint64
}

// NewRun lays out n tasks over the families of forms, their orders keyed by key.
func (b *Set) NewRun(forms []Form, n int, key uint64) *Run {
	r := &Run{set: b, forms: map[string][]int{}, key: key}
	for _, fm := range forms {
		if r.forms[fm.Family] == nil {
			r.names = append(r.names, fm.Family)
		}
		r.forms[fm.Family] = append(r.forms[fm.Family], fm.Index)
	}
	// A family's room: its items (as its first choice counts them; 0 for values drawn at random, whose
	// room is taken as unbounded) times its wordings.
	room := make([]int, len(r.names))
	probe := rng.NewStream()
	for i, name := range r.names {
		at := &choice{s: probe, rank: 0, key: key}
		familyByName[name].make(probe, b, at)
		room[i] = at.n * len(r.forms[name])
		if at.n == 0 {
			room[i] = math.MaxInt
			r.open = append(r.open, i)
		}
	}
	// Water-filling: families of least room first take all of it or an equal share of what is left.
	order := make([]int, len(r.names))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(room[a], room[b]) })
	share, left := make([]int, len(r.names)), n
	for j, i := range order {
		share[i] = min(room[i], left/(len(order)-j))
		if j == len(order)-1 {
			share[i] = left // the last (widest) family takes the remainder
		}
		left -= share[i]
	}
	r.starts = make([]int, len(r.names)+1)
	for i := range r.names {
		r.starts[i+1] = r.starts[i] + share[i]
	}
	return r
}

// Task makes task k of the run, or, for try > 0 (a task drawn again because it would not do), a task of
// a family of unbounded room past every task the run gives it; the rest (the values of families drawn
// at random, the framing) is drawn from s. Distinct chats must be given distinct k, spread by a keyed
// order: a family's tasks are consecutive k.
func (r *Run) Task(s *rng.Stream, k, try int) Task {
	n := max(r.starts[len(r.names)], 1)
	k %= n
	i, _ := slices.BinarySearch(r.starts, k+1)
	i--
	rank := k - r.starts[i]
	if try > 0 && len(r.open) > 0 {
		i = r.open[(k+try)%len(r.open)]
		rank = r.starts[i+1] - r.starts[i] + try*n + k
	}
	name := r.names[i]
	f := familyByName[name]
	at := &choice{s: s, rank: rank, key: rng.Mix(r.key, uint64(familyIndex[name]))}
	values, answer := f.make(s, r.set, at)
	own := r.forms[name]
	form := own[s.IntN(len(own))]
	if at.n > 0 {
		form = own[(rank/at.n)%len(own)]
	}
	return r.set.task(s, f, form, values, answer)
}

// task fills form of f with values, asked as people ask.
func (b *Set) task(s *rng.Stream, f *family, form int, values map[string]string, answer string) Task {
	return Task{Family: f.name, Form: form, Prompt: polite(s, fill(f.forms[form], values)), Answer: answer}
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
		// Not after a list (", please" would read as one more item).
		if (end == '.' || end == '?') && !strings.Contains(prompt, ": ") && !strings.Contains(prompt, ", ") {
			return prompt[:len(prompt)-1] + ", please" + string(end)
		}
	}
	return prompt
}

// familyIndex is each family's place in Families: what keys its order.
var familyIndex = func() map[string]int {
	m := map[string]int{}
	for i, f := range Families {
		m[f.name] = i
	}
	return m
}()

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
