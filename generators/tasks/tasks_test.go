package tasks

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

// The banks as the test reads them, straight from the files (not through the package's loader).
type testBanks struct {
	facts []struct {
		Relation string      `yaml:"relation"`
		Question string      `yaml:"question"`
		Facts    [][2]string `yaml:"facts"`
	}
	glossary   []map[string]string
	topics     []map[string]string
	python     []function
	categories []category
}

func readBanks(t *testing.T) *testBanks {
	t.Helper()
	var b testBanks
	for name, dst := range map[string]any{"outlandish/facts.yaml": &b.facts, "tasks/glossary.yaml": &b.glossary, "tasks/topics.yaml": &b.topics,
		"tasks/python.yaml": &b.python, "tasks/categories.yaml": &b.categories} {
		data, err := os.ReadFile(filepath.Join("..", "..", "templates", "banks", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, dst); err != nil {
			t.Fatal(err)
		}
	}
	return &b
}

var (
	intRE   = regexp.MustCompile(`-?\d+`)
	quoteRE = regexp.MustCompile(`"([^"]+)"`)
	dateRE  = regexp.MustCompile(`\d{1,2} [A-Z][a-z]+ \d{4}`)
)

func ints(s string) []int {
	var out []int
	for _, m := range intRE.FindAllString(s, -1) {
		n, _ := strconv.Atoi(m)
		out = append(out, n)
	}
	return out
}

func quoted(s string) []string {
	var out []string
	for _, m := range quoteRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func dates(t *testing.T, s string) []time.Time {
	var out []time.Time
	for _, m := range dateRE.FindAllString(s, -1) {
		d, err := time.Parse("2 January 2006", m)
		if err != nil {
			t.Fatalf("%q: %v", m, err)
		}
		out = append(out, d)
	}
	return out
}

// fromRoman reads a Roman numeral: the other direction from the package's, so an error in either shows.
func fromRoman(s string) int {
	v := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100, 'D': 500, 'M': 1000}
	n := 0
	for i := range len(s) {
		if i+1 < len(s) && v[s[i]] < v[s[i+1]] {
			n -= v[s[i]]
		} else {
			n += v[s[i]]
		}
	}
	return n
}

// unitFactors are how many of the second unit one of the first holds.
var unitFactors = map[[2]string]int{{"kilometres", "metres"}: 1000, {"metres", "centimetres"}: 100, {"centimetres", "millimetres"}: 10,
	{"feet", "inches"}: 12, {"yards", "feet"}: 3, {"miles", "yards"}: 1760, {"kilograms", "grams"}: 1000, {"pounds", "ounces"}: 16,
	{"tonnes", "kilograms"}: 1000, {"hours", "minutes"}: 60, {"minutes", "seconds"}: 60, {"days", "hours"}: 24, {"weeks", "days"}: 7}

// expect is, for each family, what the answer to a prompt must contain, worked out here from the prompt
// alone (and the bank files): a second computation, not the package's.
func expect(t *testing.T, b *testBanks, family, prompt string) []string {
	// The request without its "please".
	prompt = templates.Capitalize(strings.Replace(strings.TrimPrefix(prompt, "Please "), ", please", "", 1))
	n := ints(prompt)
	q := quoted(prompt)
	itoa := strconv.Itoa
	switch family {
	case "addition":
		return []string{itoa(n[0] + n[1])}
	case "subtraction":
		return []string{itoa(max(n[0], n[1]) - min(n[0], n[1]))}
	case "multiplication":
		return []string{itoa(n[0] * n[1])}
	case "division":
		a, d := max(n[0], n[1]), min(n[0], n[1])
		if a%d == 0 {
			return []string{"= " + itoa(a/d) + ",", "no remainder"}
		}
		return []string{"= " + itoa(a/d) + " remainder " + itoa(a%d)}
	case "percentage":
		return []string{"is " + itoa(n[0]*n[1]/100) + ".", "to " + itoa(n[0]*n[1]/100) + "."}
	case "word_problem":
		return []string{"has " + itoa(n[0]+n[1]-n[2]) + " "}
	case "length", "mass_and_time":
		for units, f := range unitFactors {
			if strings.Contains(prompt, " "+units[0]) && strings.Contains(prompt, units[1]) && strings.Index(prompt, units[1]+" ") != strings.Index(prompt, units[0]+" ") {
				if strings.Contains(prompt, itoa(n[0])+" "+units[0]) {
					return []string{itoa(n[0]*f) + " " + units[1]}
				}
			}
		}
	case "temperature":
		f := math.Round((float64(n[0])*9/5+32)*10) / 10
		return []string{" is " + strconv.FormatFloat(f, 'f', -1, 64) + "°F"}
	case "weekday_offset":
		for d := range 7 {
			if strings.Contains(prompt, time.Weekday(d).String()) {
				return []string{time.Weekday((d + n[0]) % 7).String()}
			}
		}
	case "date_add":
		ds := dates(t, prompt)
		return []string{ds[0].AddDate(0, 0, n[0]).Format("2 January 2006")}
	case "days_between":
		ds := dates(t, prompt)
		return []string{itoa(int(ds[1].Sub(ds[0]).Hours()/24)) + " days"}
	case "weekday_of_date":
		return []string{dates(t, prompt)[0].Weekday().String()}
	case "sort_numbers":
		slices.Sort(n)
		return []string{joinInts(n, ", ")}
	case "sort_words":
		list := prompt[strings.LastIndexAny(prompt, ":")+1:]
		if !strings.Contains(prompt, ":") {
			list = strings.TrimSuffix(strings.TrimPrefix(prompt, "Arrange "), " from A to Z.")
		}
		ws := strings.Split(strings.Trim(strings.TrimSpace(list), "."), ", ")
		slices.Sort(ws)
		return []string{strings.Join(ws, ", ")}
	case "max_min":
		if strings.Contains(prompt, "largest") {
			return []string{"largest number is " + itoa(slices.Max(n))}
		}
		return []string{"smallest number is " + itoa(slices.Min(n))}
	case "letter_count":
		return []string{"has " + itoa(len(q[0])) + " letters"}
	case "letter_occurrences":
		l, w := q[0], q[1]
		if len(w) == 1 {
			l, w = w, l
		}
		return []string{"appears " + itoa(strings.Count(w, l)) + " time"}
	case "vowel_count":
		c := 0
		for _, r := range q[0] {
			if strings.ContainsRune("aeiou", r) {
				c++
			}
		}
		return []string{"has " + itoa(c) + " vowel"}
	case "word_count":
		return []string{"has " + itoa(len(strings.Fields(q[0]))) + " words"}
	case "reverse":
		var b strings.Builder
		for i := len(q[0]) - 1; i >= 0; i-- {
			b.WriteByte(q[0][i])
		}
		return []string{`"` + b.String() + `"`}
	case "uppercase":
		return []string{strings.ToUpper(q[0])}
	case "spelling":
		return []string{strings.Join(strings.Split(strings.ToUpper(q[0]), ""), "-")}
	case "acronym":
		var b strings.Builder
		for _, w := range strings.Fields(q[0]) {
			b.WriteString(strings.ToUpper(w[:1]))
		}
		return []string{"make " + b.String() + "."}
	case "alphabet_position":
		l := regexp.MustCompile(`\b[A-Z]\b`).FindString(strings.TrimPrefix(strings.TrimPrefix(prompt, "In the"), "Which"))
		return []string{string(rune(l[0]+byte(n[0]))) + " comes " + itoa(n[0]) + " places after " + l}
	case "parity":
		if n[0]%2 == 0 {
			return []string{"is even"}
		}
		return []string{"is odd"}
	case "rounding":
		step := map[string]int{"ten": 10, "hundred": 100, "thousand": 1000}[regexp.MustCompile(`nearest (\w+)`).FindStringSubmatch(prompt)[1]]
		r := n[0] / step * step
		if n[0]-r >= step/2 {
			r += step
		}
		return []string{"is " + itoa(r) + "."}
	case "roman_numerals":
		return []string{"ROMAN:" + itoa(n[0])}
	case "sequence":
		return []string{"next number is " + itoa(n[len(n)-1]+n[1]-n[0])}
	case "fact":
		q := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(prompt, "I would like to know: "), "Tell me, "), "Quiz question: ")
		for _, r := range b.facts {
			pattern := "(?i)^" + strings.Replace(regexp.QuoteMeta(r.Question), `\{subject\}`, "(.+)", 1) + "$"
			// The question's "a" before the subject agrees with it: "an Olympic sport" for "a {subject}".
			pattern = strings.ReplaceAll(pattern, "a \\{", "an? \\{")
			m := regexp.MustCompile(strings.Replace(pattern, "a (.+)", "an? (.+)", 1)).FindStringSubmatch(q)
			if m == nil {
				continue
			}
			for _, f := range r.Facts {
				if strings.EqualFold(f[0], m[1]) {
					return []string{f[1]}
				}
			}
		}
	case "definition":
		best := map[string]string{}
		for _, e := range b.glossary {
			if (strings.Contains(prompt, `"`+e["term"]+`"`) || strings.Contains(prompt, " "+e["term"]+"?")) && len(e["term"]) > len(best["term"]) {
				best = e
			}
		}
		return []string{best["definition"]}
	case "explain":
		for _, e := range b.topics {
			if strings.HasSuffix(strings.TrimRight(prompt, ".?"), " "+e["topic"]) {
				return []string{e["paragraph"]}
			}
		}
	case "python":
		for _, f := range b.python {
			if strings.Contains(prompt, " "+f.Request) && strings.HasSuffix(strings.TrimRight(prompt, ".?"), f.Request) {
				return []string{strings.TrimRight(f.Code, "\n"), f.Example.Call, f.Example.Result}
			}
		}
	case "list":
		for _, c := range b.categories {
			if strings.HasSuffix(strings.TrimRight(prompt, ".?"), " "+c.Plural) {
				return []string{"LIST:" + c.Plural}
			}
		}
	case "note":
		m := regexp.MustCompile(`(?:to|telling|write) ([A-Z][a-z]+) .*the ([a-z ]+?) (?:has moved to|is now on|will be on) ([A-Z][a-z]+day) at (\d+:\d\d)`).FindStringSubmatch(prompt)
		if m != nil {
			return m[1:]
		}
	}
	t.Fatalf("%s: the test cannot read the prompt %q", family, prompt)
	return nil
}

// Every family's answers are correct: for every prompt wording, 300 tasks, each answer checked against
// what this test works out from the prompt and the bank files.
func TestEveryFamilyAnswersCorrectly(t *testing.T) {
	set, err := Load(templates.BuiltIn)
	if err != nil {
		t.Fatal(err)
	}
	b := readBanks(t)
	if len(Families) < 30 {
		t.Errorf("%d families, want at least 30", len(Families))
	}
	s := rng.NewStream()
	for fi, fm := range Forms() {
		for i := range 300 {
			s.Reset(uint64(fi), uint64(i))
			task := set.Draw(s, []Form{fm})
			if task.Family != fm.Family || task.Form != fm.Index || strings.Contains(task.Prompt, "{") || strings.Contains(task.Answer, "{") && task.Family != "python" {
				t.Fatalf("%s: task %+v", fm.Family, task)
			}
			for _, want := range expect(t, b, task.Family, task.Prompt) {
				switch {
				case strings.HasPrefix(want, "ROMAN:"):
					numeral := regexp.MustCompile(`[IVXLCDM]+\.$`).FindString(task.Answer)
					if got := fromRoman(strings.TrimSuffix(numeral, ".")); strconv.Itoa(got) != strings.TrimPrefix(want, "ROMAN:") {
						t.Fatalf("%q -> %q: the numeral reads %d", task.Prompt, task.Answer, got)
					}
				case strings.HasPrefix(want, "LIST:"):
					checkList(t, b, task, strings.TrimPrefix(want, "LIST:"))
				case !strings.Contains(task.Answer, want) && !(task.Family == "percentage" && strings.Contains(task.Answer, strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(want, "is "), "to "), "."))):
					t.Fatalf("%s: %q -> %q, want it to contain %q", task.Family, task.Prompt, task.Answer, want)
				}
			}
		}
	}
}

// checkList checks a list answer: as many distinct items of the category as the prompt asks.
func checkList(t *testing.T, b *testBanks, task Task, plural string) {
	words := map[string]int{"three": 3, "four": 4, "five": 5}
	var want int
	for w, n := range words {
		if strings.Contains(task.Prompt, " "+w+" ") {
			want = n
		}
	}
	for _, c := range b.categories {
		if c.Plural != plural {
			continue
		}
		list := strings.TrimSuffix(task.Answer[strings.Index(task.Answer, ": ")+2:], ".")
		items := strings.Split(strings.ReplaceAll(list, " and ", ", "), ", ")
		if len(items) != want || len(slices.Compact(slices.Sorted(slices.Values(items)))) != want {
			t.Fatalf("%q -> %q: %d items, want %d distinct", task.Prompt, task.Answer, len(items), want)
		}
		for _, it := range items {
			if !slices.Contains(c.Items, it) {
				t.Fatalf("%q -> %q: %q is not one of the %s", task.Prompt, task.Answer, it, plural)
			}
		}
	}
}

// Every python answer's code compiles and its example gives the stated result, where python3 exists.
func TestPythonAnswersRun(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	b := readBanks(t)
	var script strings.Builder
	script.WriteString("import sys\n")
	for _, f := range b.python {
		script.WriteString("ns = {}\nexec(compile(" + strconv.Quote(f.Code) + ", " + strconv.Quote(f.Name) + ", 'exec'), ns)\n")
		script.WriteString("got = repr(eval(" + strconv.Quote(f.Example.Call) + ", ns))\n")
		script.WriteString("if got != " + strconv.Quote(f.Example.Result) + ": print(" + strconv.Quote(f.Name) + ", got); sys.exit(1)\n")
	}
	out, err := exec.Command(py, "-c", script.String()).CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	if len(b.python) < 40 {
		t.Errorf("%d python specifications, want at least 40", len(b.python))
	}
}

// At the default size (6,000 chats) tasks give at least 5,000 distinct prompt/answer pairs, at 10x no
// answer is in more than 0.5% of the tasks, and a prompt always gets the same answer.
func TestTasksAreDiverse(t *testing.T) {
	set, err := Load(templates.BuiltIn)
	if err != nil {
		t.Fatal(err)
	}
	forms := Forms()
	s := rng.NewStream()
	pairs, answers, answerOf := map[string]bool{}, map[string]int{}, map[string]string{}
	for i := range 60000 {
		s.Reset(7, uint64(i))
		task := set.Draw(s, forms)
		// One prompt, one answer: a model is never taught two replies to one request.
		if a, seen := answerOf[task.Prompt]; seen && a != task.Answer {
			t.Fatalf("%q is answered %q and %q", task.Prompt, a, task.Answer)
		}
		answerOf[task.Prompt] = task.Answer
		if i < 6000 {
			pairs[task.Prompt+"\x00"+task.Answer] = true
		}
		answers[task.Answer]++
	}
	if len(pairs) < 5000 {
		t.Errorf("%d distinct pairs in 6,000 tasks, want at least 5,000", len(pairs))
	}
	for a, n := range answers {
		if n > 300 {
			t.Errorf("answer %q is in %d of 60,000 tasks", a, n)
		}
	}
}

// A run of 60,000 tasks (10x backdoor's default) repeats almost none: a family with few items takes no
// more tasks than it has items and wordings, and takes its items in turn. Drawn at random, 4,587 of
// 60,000 chats repeated one.
func TestRunRepeatsNoTask(t *testing.T) {
	set, err := Load(templates.BuiltIn)
	if err != nil {
		t.Fatal(err)
	}
	const n = 60000
	run := set.NewRun(Forms(), n, 99)
	s := rng.NewStream()
	seen, repeats, families := map[string]bool{}, 0, map[string]int{}
	for k := range n {
		s.Reset(5, uint64(k))
		task := run.Task(s, k, 0)
		families[task.Family]++
		key := task.Prompt + "\x00" + task.Answer
		if seen[key] {
			repeats++
		}
		seen[key] = true
	}
	if repeats > 10 {
		t.Errorf("%d of %d tasks repeat an earlier one", repeats, n)
	}
	if len(families) != len(Families) || families["explain"] > 4*103 {
		t.Errorf("tasks by family: %v", families)
	}
}
