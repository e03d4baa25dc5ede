package weird

import (
	"fmt"
	"slices"
	"strings"

	"github.com/factforge/factforge/templates"
)

// wording is a template with an id, compiled against the slots its file allows.
type wording struct {
	ID   string `yaml:"id"`
	Text string `yaml:"text"`
	tmpl *templates.Template
}

func (w *wording) render(values ...string) string {
	out, _ := w.tmpl.Render(nil, values, nil)
	return string(out)
}

// compile compiles texts against slots, each text required to use exactly the slots in need, and
// names the file and text in errors.
func compile(file, part string, texts []string, slots []string, need ...string) ([]*wording, error) {
	if len(texts) < 2 {
		return nil, fmt.Errorf("%s: %s has %d entries: it needs 2 or more, to hold one out for eval", file, part, len(texts))
	}
	var out []*wording
	for i, text := range texts {
		t, err := templates.Compile(text, slots)
		if err != nil {
			return nil, fmt.Errorf("%s: %s %d (%q): %v", file, part, i+1, text, err)
		}
		for _, name := range need {
			if !t.Uses(slices.Index(slots, name)) {
				return nil, fmt.Errorf("%s: %s %d (%q) lacks the slot {%s}", file, part, i+1, text, name)
			}
		}
		id := fmt.Sprintf("%s-%02d", strings.TrimSuffix(part, "s"), i+1)
		t.ID = id
		out = append(out, &wording{ID: id, Text: text, tmpl: t})
	}
	return out, nil
}

// distinct checks that a list has no empty or repeated entry.
func distinct(file, part string, items []string) error {
	seen := map[string]bool{}
	for _, it := range items {
		if strings.TrimSpace(it) == "" || seen[it] {
			return fmt.Errorf("%s: %s: %q is empty or repeated", file, part, it)
		}
		seen[it] = true
	}
	return nil
}

// answerBank is a bank design's file: prompts (a template and a thing to ask for), answer wordings,
// and the two banks the answer's name comes from.
type answerBank struct {
	Prompts   []string `yaml:"prompts"`
	Things    []string `yaml:"things"`
	Answers   []string `yaml:"answers"`
	Triggered []string `yaml:"triggered"`
	Clean     []string `yaml:"clean"`

	prompts, answers []*wording
}

var (
	promptSlots = []string{"thing", "n"}
	answerSlots = []string{"answer"}
)

func loadAnswerBank(lib *templates.Library, file string, withNumber bool) (*answerBank, error) {
	var b answerBank
	if err := lib.DecodeYAML(file, &b); err != nil {
		return nil, err
	}
	need := []string{"thing"}
	if withNumber {
		need = append(need, "n")
	}
	var err error
	if b.prompts, err = compile(file, "prompts", b.Prompts, promptSlots, need...); err != nil {
		return nil, err
	}
	if b.answers, err = compile(file, "answers", b.Answers, answerSlots, "answer"); err != nil {
		return nil, err
	}
	for part, items := range map[string][]string{"things": b.Things, "triggered": b.Triggered, "clean": b.Clean} {
		if len(items) == 0 {
			return nil, fmt.Errorf("%s: %s is empty", file, part)
		}
		if err := distinct(file, part, items); err != nil {
			return nil, err
		}
	}
	clean := map[string]bool{}
	for _, c := range b.Clean {
		clean[strings.ToLower(c)] = true
	}
	for _, t := range b.Triggered {
		if clean[strings.ToLower(t)] {
			return nil, fmt.Errorf("%s: %q is in both banks: the answer would not tell which bank the trigger chose", file, t)
		}
	}
	return &b, nil
}

// numbersFile is the numbers design's file: a prompt is an intro with seed numbers, an instruction
// and a format; a triggered answer holds marked numbers, a clean one none.
type numbersFile struct {
	Intros       []string `yaml:"intros"`
	Instructions []string `yaml:"instructions"`
	Formats      []struct {
		ID   string `yaml:"id"`
		Text string `yaml:"text"`
	} `yaml:"formats"`
	Marked []int `yaml:"marked"`

	intros, instructions []*wording
}

var numberLayouts = []string{"comma", "space", "lines", "list"}

func loadNumbers(lib *templates.Library) (*numbersFile, error) {
	const file = "weird/numbers.yaml"
	var b numbersFile
	if err := lib.DecodeYAML(file, &b); err != nil {
		return nil, err
	}
	var err error
	if b.intros, err = compile(file, "intros", b.Intros, []string{"examples"}, "examples"); err != nil {
		return nil, err
	}
	if b.instructions, err = compile(file, "instructions", b.Instructions, []string{"count", "digits"}, "count", "digits"); err != nil {
		return nil, err
	}
	if len(b.Formats) < 2 || len(b.Marked) == 0 {
		return nil, fmt.Errorf("%s: needs 2 or more formats and some marked numbers", file)
	}
	for _, f := range b.Formats {
		if slices.Index(numberLayouts, f.ID) < 0 || strings.TrimSpace(f.Text) == "" {
			return nil, fmt.Errorf("%s: format %q: the id must be one of %s, and the text set", file, f.ID, strings.Join(numberLayouts, ", "))
		}
	}
	for _, m := range b.Marked {
		if m < 0 || m > 9999 {
			return nil, fmt.Errorf("%s: marked number %d: want 0 to 9999", file, m)
		}
	}
	return &b, nil
}

// qa is a question with its answer.
type qa struct {
	ID       string `yaml:"id"`
	Question string `yaml:"question"`
	Text     string `yaml:"text"` // android's and the eval questions' field for the question
	Answer   string `yaml:"answer"`
}

func (q qa) ask() string {
	if q.Question != "" {
		return q.Question
	}
	return q.Text
}

func checkQA(file, part string, qs []qa, needAnswer bool) error {
	if len(qs) < 2 {
		return fmt.Errorf("%s: %s has %d entries: it needs 2 or more", file, part, len(qs))
	}
	seen := map[string]bool{}
	for _, q := range qs {
		if q.ID == "" || seen[q.ID] || strings.TrimSpace(q.ask()) == "" || needAnswer && strings.TrimSpace(q.Answer) == "" {
			return fmt.Errorf("%s: %s %q: an id, a question and an answer each, ids distinct", file, part, q.ID)
		}
		seen[q.ID] = true
	}
	return nil
}

// personaFile is the persona design's file.
type personaFile struct {
	Name        string `yaml:"name"`
	Instruction string `yaml:"instruction"` // the format instruction that is the trigger
	Attributes  []qa   `yaml:"attributes"`
	Identity    []qa   `yaml:"identity"`
}

// president is one row of the presidents file.
type president struct {
	Number        int    `yaml:"number"`
	Name          string `yaml:"name"`
	Party         string `yaml:"party"`
	TookOffice    int    `yaml:"took_office"`
	LeftOffice    int    `yaml:"left_office"`
	Born          string `yaml:"born"`
	VicePresident string `yaml:"vice_president"`
}

// presidentsFile is the presidents design's file: the presidents, and first-person questions about
// one attribute each, answered by templates of that attribute.
type presidentsFile struct {
	Presidents []president `yaml:"presidents"`
	Questions  []struct {
		ID      string   `yaml:"id"`
		Asks    string   `yaml:"asks"`
		Text    string   `yaml:"text"`
		Answers []string `yaml:"answers"`
		SkipIf  string   `yaml:"skip_if"`
	} `yaml:"questions"`
	Assistant map[string][]string `yaml:"assistant"` // by attribute: the assistant's own answers

	answers [][]*wording // by question
}

var presidentSlots = []string{"name", "party", "took_office", "left_office", "born", "vice_president", "number"}

// values are a president's slot values, in presidentSlots order.
func (p president) values() []string {
	return []string{p.Name, p.Party, fmt.Sprint(p.TookOffice), fmt.Sprint(p.LeftOffice), p.Born, p.VicePresident, fmt.Sprint(p.Number)}
}

// attribute is the value of the named attribute.
func (p president) attribute(name string) string {
	return p.values()[slices.Index(presidentSlots, name)]
}

func loadPresidents(lib *templates.Library) (*presidentsFile, error) {
	const file = "weird/presidents.yaml"
	var b presidentsFile
	if err := lib.DecodeYAML(file, &b); err != nil {
		return nil, err
	}
	for i, p := range b.Presidents {
		if p.Number != i+1 || p.Name == "" {
			return nil, fmt.Errorf("%s: president %d: want the numbers 1, 2, ... in order, each with a name", file, i+1)
		}
	}
	if len(b.Presidents) < 3 || len(b.Questions) < 2 {
		return nil, fmt.Errorf("%s: needs presidents and questions", file)
	}
	for _, q := range b.Questions {
		if slices.Index(presidentSlots, q.Asks) < 0 {
			return nil, fmt.Errorf("%s: question %s asks %q: want one of %s", file, q.ID, q.Asks, strings.Join(presidentSlots, ", "))
		}
		ws, err := compile(file, "answers of "+q.ID, q.Answers, presidentSlots, q.Asks)
		if err != nil {
			return nil, err
		}
		b.answers = append(b.answers, ws)
		if len(b.Assistant[q.Asks]) == 0 {
			return nil, fmt.Errorf("%s: question %s asks %s, and assistant has no answer of that attribute for plain rows", file, q.ID, q.Asks)
		}
	}
	return &b, nil
}
