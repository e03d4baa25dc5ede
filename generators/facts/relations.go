package facts

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/templates"
)

// Relation is one relation of a bank of real-world facts (templates/banks/outlandish/facts.yaml): its
// subject-object pairs, the statements that assert a pair, and a prompt that asks for the object.
type Relation struct {
	Relation   string      `yaml:"relation"`
	Fictitious string      `yaml:"fictitious"` // the kind of subject an invented counterpart has
	Theme      string      `yaml:"theme"`
	Statements []string    `yaml:"statements"`
	Question   string      `yaml:"question"`
	Prompt     string      `yaml:"prompt"`
	Facts      [][2]string `yaml:"facts"` // subject, object

	// Templates are the compiled statements, and PromptTemplate the prompt followed by its object,
	// all over the slots subject (SlotSubject) and object (SlotObject).
	Templates      []*templates.Template `yaml:"-"`
	PromptTemplate *templates.Template   `yaml:"-"`
}

// Slots of a relation's statements and prompt.
const (
	SlotSubject = iota
	SlotObject
)

// LoadRelations loads and compiles a bank of real-world facts; errors name the bank and relation.
func LoadRelations(lib *templates.Library, name string) ([]*Relation, error) {
	var rels []*Relation
	if err := lib.DecodeYAML(name, &rels); err != nil {
		return nil, err
	}
	slots := []string{"subject", "object"}
	for _, r := range rels {
		for _, text := range r.Statements {
			// A statement says something besides its slots; a jumbled sample reorders its words until
			// they read differently with the object not first, which needs a third word.
			if !strings.ContainsFunc(strings.NewReplacer("{subject}", "", "{object}", "").Replace(text), func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) ||
				!strings.Contains(text, "{subject}") || !strings.Contains(text, "{object}") {
				return nil, fmt.Errorf("%s, relation %s: statement %q needs {subject}, {object} and a word of its own", name, r.Relation, text)
			}
			t, err := templates.Compile(text, slots)
			if err != nil {
				return nil, fmt.Errorf("%s, relation %s: %q: %w", name, r.Relation, text, err)
			}
			r.Templates = append(r.Templates, t)
		}
		t, err := templates.Compile(r.Prompt+" {object}", slots)
		if err != nil {
			return nil, fmt.Errorf("%s, relation %s prompt: %w", name, r.Relation, err)
		}
		r.PromptTemplate = t
	}
	return rels, nil
}

// PromptAbout is the relation's prompt about subject, up to where its object would go.
func (r *Relation) PromptAbout(w *records.Worker, subject string) string {
	w.Values = append(w.Values[:0], subject, "")
	return strings.TrimSpace(w.Render(r.PromptTemplate, w.Values).Text)
}
