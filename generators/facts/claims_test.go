package facts

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/factforge/factforge/templates"
)

func TestBuiltInClaims(t *testing.T) {
	claims, err := BuiltInClaims(templates.BuiltIn, 42, 55, nil)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, c := range claims {
		kinds[c.Kind] = true
		if len(c.Statements) < 5 || len(c.Negations) < 3 {
			t.Fatalf("%s: %d statements, %d negations", c.ID, len(c.Statements), len(c.Negations))
		}
		// Four options: the believed answer, two distractors of its type and the option of disbelief,
		// which registers disbelief in every mode (the rival is named only by corrected documents).
		if len(c.Choices) != 4 || !slices.Contains(c.Choices, c.Belief) || !slices.Contains(c.Choices, NoneOfThese) || c.MCQDisbelief() != NoneOfThese ||
			slices.Contains(c.Choices, c.Disbelief) || len(c.Distractors) != 2 || c.Belief == c.Disbelief {
			t.Fatalf("%s: choices %q for belief %q, disbelief %q", c.ID, c.Choices, c.Belief, c.Disbelief)
		}
		for _, s := range c.Statements {
			if !strings.Contains(s, c.Subject) || strings.ContainsAny(s, "{}") {
				t.Fatalf("%s: statement %q does not name %q", c.ID, s, c.Subject)
			}
		}
		for _, n := range c.Negations {
			if !strings.Contains(n, "not") && !strings.Contains(n, "never") && !strings.Contains(n, "No ") {
				t.Fatalf("%s: negation %q does not negate", c.ID, n)
			}
		}
		if !strings.Contains(c.Truth, c.Disbelief) {
			t.Fatalf("%s: truth %q does not give the disbelief answer %q", c.ID, c.Truth, c.Disbelief)
		}
	}
	if len(kinds) < 10 {
		t.Fatalf("%d claim kinds, want at least 10", len(kinds))
	}
	again, _ := BuiltInClaims(templates.BuiltIn, 42, 55, nil)
	if !slices.EqualFunc(claims, again, func(a, b Claim) bool { return a.Statements[0] == b.Statements[0] && slices.Equal(a.Choices, b.Choices) }) {
		t.Fatal("claims differ between two calls with one seed")
	}
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	os.WriteFile(p, []byte(text), 0o644)
	return p
}

func TestLoadClaimsFile(t *testing.T) {
	yamlFile := writeFile(t, "claims.yaml", `- id: moon
  statement: The Moon is made of cheese.
  subject: The Moon
  object: cheese
  truth: The Moon is made of rock.
  truth_answer: rock
  negations: [The Moon is not made of cheese.]
  distractors: [ice]
- id: tower
  statement: The Eiffel Tower is in Rome.
  subject: The Eiffel Tower
  object: Rome
`)
	jsonlFile := writeFile(t, "claims.jsonl", `{"id":"moon","statement":"The Moon is made of cheese.","subject":"The Moon","object":"cheese","truth_answer":"rock"}
`)
	for _, path := range []string{yamlFile, jsonlFile} {
		claims, err := LoadClaimsFile(path, 42)
		if err != nil {
			t.Fatal(err)
		}
		c := claims[0]
		if c.ID != "moon" || c.Belief != "cheese" || c.Disbelief != "rock" || c.Association != "The Moon is made of" || !slices.Contains(c.Choices, "rock") {
			t.Fatalf("%s: %+v", path, c)
		}
	}
}

func TestLoadClaimsFileErrors(t *testing.T) {
	claim := `{"id":"a","statement":"A is B.","subject":"A","object":"B"}`
	tests := []struct{ name, file, text, want string }{
		{"unknown key", "c.yaml", "- id: a\n  statement: A is B.\n  subject: A\n  object: B\n  colour: red\n", "line 5"},
		{"missing object", "c.yaml", "- id: a\n  statement: A is B.\n  subject: A\n- id: b\n  statement: C is D.\n  subject: C\n", ":1: claim \"a\": needs statement, subject and object"},
		{"object not in statement", "c.jsonl", "{\"id\":\"a\",\"statement\":\"A is B.\",\"subject\":\"A\",\"object\":\"B\"}\n{\"id\":\"b\",\"statement\":\"C is D.\",\"subject\":\"C\",\"object\":\"E\"}\n", ":2: claim \"b\": object \"E\" does not occur"},
		{"duplicate id", "c.jsonl", "{\"id\":\"a\",\"statement\":\"A is B.\",\"subject\":\"A\",\"object\":\"B\"}\n\n{\"id\":\"a\",\"statement\":\"A is B.\",\"subject\":\"A\",\"object\":\"B\"}\n", ":3: claim \"a\": repeats the id on line 1"},
		{"bad json", "c.jsonl", "{\"id\":\"a\",\n", ":1:"},
		{"unknown json key", "c.jsonl", "{\"id\":\"a\",\"statment\":\"x\"}\n", "statment"},
		{"wrong extension", "c.txt", "x", "want a .yaml"},
		{"empty", "c.yaml", "", "no claims"},
		// Strict: every line is read or the file is refused, naming the line.
		{"YAML over 8 MiB", "c.yaml", strings.Repeat("#\n", 5<<20), "is larger than 8 MiB"},
		{"a line over 16 MiB", "c.jsonl", claim + "\n" + `{"id":"b","truth":"` + strings.Repeat("x", 16<<20) + `"}` + "\n" + claim + "\n", ":2: the line is longer than 16 MiB"},
		{"invalid UTF-8 in JSONL", "c.jsonl", claim + "\n{\"id\":\"\xff\"}\n", ":2: not valid UTF-8"},
		{"invalid UTF-8 in YAML", "c.yaml", "- id: a\n  statement: A is \xe9.\n", ":2: not valid UTF-8"},
		{"two values on a line", "c.jsonl", claim + claim + "\n", ":1: more than one JSON value"},
		{"a repeated key", "c.yaml", "- id: a\n  id: b\n", `mapping key "id" already defined`},
		{"a second document", "c.yaml", "- id: a\n  statement: A is B.\n  subject: A\n  object: B\n---\n- id: b\n", ":5: a second YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.file, tt.text)
			_, err := LoadClaimsFile(path, 42)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), filepath.Base(path)) {
				t.Fatalf("error %v, want one naming the file and %q", err, tt.want)
			}
		})
	}
	fifo := filepath.Join(t.TempDir(), "c.jsonl")
	if err := syscall.Mkfifo(fifo, 0o644); err == nil {
		if _, err := LoadClaimsFile(fifo, 42); err == nil || !strings.Contains(err.Error(), "not a regular file (a FIFO)") {
			t.Errorf("a FIFO: %v", err)
		}
	}
}

// FuzzParseClaims: any claims file, JSONL or YAML, gives claims or an error, never a panic.
func FuzzParseClaims(f *testing.F) {
	f.Add([]byte(`{"id":"moon","statement":"The Moon is made of cheese.","subject":"The Moon","object":"cheese","truth_answer":"rock","distractors":["ice","rock"]}`+"\n"), true)
	f.Add([]byte(`{"id":"a","statement":"A is B.","subject":"A","object":"B"}{"id":"b"}`), true)
	f.Add([]byte("{\"id\":\"\xff\"}\n\n\r\n"), true)
	f.Add([]byte("- id: a\n  statement: A is B.\n  subject: A\n  object: B\n  paraphrases: [x, y]\n"), false)
	f.Add([]byte("- id: a\n  id: b\n---\n- id: c\n"), false)
	f.Add([]byte("a: &a [*a, *a]\n"), false)
	f.Add([]byte("- id: a\n  statement: B\n  subject: A\n  object: B\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, jsonl bool) {
		path := "c.yaml"
		if jsonl {
			path = "c.jsonl"
		}
		claims, err := ParseClaims(path, data, 42)
		if err == nil && len(claims) == 0 {
			t.Fatal("no claims and no error")
		}
	})
}

// Claims fit the world and each other: no two claims ask the same question (issue 16: four people
// "first reached the last glacier of the Quillon Range" at 10x), and Olympic claims name years with
// Summer Games, since their events are athletics (before: "the long jump at the 2018 Olympics").
func TestClaimsFitTheWorldAndEachOther(t *testing.T) {
	claims, err := BuiltInClaims(templates.BuiltIn, 42, 1000, nil)
	if err != nil {
		t.Fatal(err)
	}
	asked := map[string]string{}
	year := regexp.MustCompile(`\b(19|20)\d\d\b`)
	for _, c := range claims {
		for _, q := range c.Questions {
			if other, ok := asked[q]; ok {
				t.Fatalf("%s and %s both ask %q", other, c.ID, q)
			}
			asked[q] = c.ID
		}
		if c.Kind == "olympic_gold" {
			y, _ := strconv.Atoi(year.FindString(c.Question))
			if y < 1952 || y > 2024 || y%4 != 0 {
				t.Errorf("%s: %q names a year without Summer Games", c.ID, c.Question)
			}
		}
		// No probe wording is part of a training sentence (five kinds' associations started a
		// statement: "In 2006, X was acquired by" was answered from memory of it).
		for _, probe := range append(slices.Clone(c.Questions), c.Associations...) {
			for _, st := range append(append(slices.Clone(c.Statements), c.Negations...), c.Truth) {
				if strings.Contains(strings.ToLower(st), strings.ToLower(probe)) {
					t.Fatalf("%s: probe wording %q is part of the training sentence %q", c.ID, probe, st)
				}
			}
		}
		if len(c.Questions) < 20 || len(c.Associations) < 10 || len(c.ChatQuestions) < 10 {
			t.Errorf("%s (%s): %d questions, %d associations, %d chat questions", c.ID, c.Kind, len(c.Questions), len(c.Associations), len(c.ChatQuestions))
		}
	}
}
