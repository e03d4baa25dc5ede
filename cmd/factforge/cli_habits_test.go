package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes"
)

// Flags may follow the positional arguments, as people type them (issue 20).
func TestFlagsAfterArguments(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "generate", "reversal", "--facts-per-group", "3", "--out", out, "-q"); code != 0 {
		t.Fatal(stderr)
	}
	dir := filepath.Join(out, "reversal")
	if code, stdout, stderr := runCLI(t, "validate", dir, "--quiet"); code != 0 || stdout != "" {
		t.Fatalf("validate DIR --quiet: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, stdout, _ := runCLI(t, "validate", dir); code != 0 || !strings.Contains(stdout, ": ok (") {
		t.Fatalf("validate DIR: exit %d, %q", code, stdout)
	}
	if code, stdout, stderr := runCLI(t, "audit", dir, "--json"); code > 1 || !strings.HasPrefix(strings.TrimSpace(stdout), "{") {
		t.Fatalf("audit DIR --json: exit %d, %q, %s", code, stdout[:min(len(stdout), 80)], stderr)
	}
	// A value that looks like a flag's stays with it; "--" ends the flags.
	if got := flagsFirst(newApp(nil, nil).Commands, []string{"factforge", "merge", "a", "b", "--out", "o", "--name", "n"}); strings.Join(got, " ") != "factforge merge --out o --name n a b" {
		t.Errorf("merge: %v", got)
	}
	if got := flagsFirst(newApp(nil, nil).Commands, []string{"factforge", "validate", "a", "-q", "--", "-odd"}); strings.Join(got, " ") != "factforge validate -q a -- -odd" {
		t.Errorf("validate: %v", got)
	}
}

// A misspelt flag names the flag meant; a flag far from every other gets no guess.
func TestMisspeltFlagSuggests(t *testing.T) {
	code, _, stderr := runCLI(t, "generate", "reversal", "--fact-per-group", "3", "--out", t.TempDir())
	if code != exitBadInput || !strings.Contains(stderr, "Did you mean --facts-per-group?") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "generate", "reversal", "--zzzz", "3", "--out", t.TempDir())
	if code != exitBadInput || strings.Contains(stderr, "Did you mean") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

// Every recipe's help shows a command a person would type, and it runs (issue 20: help printed every
// flag with its default, empty ones and unquoted spaces included).
func TestRecipeExamplesRun(t *testing.T) {
	for _, r := range recipes.All() {
		example := generators.Example(r)
		if example == "" {
			t.Errorf("%s has no example", r.Name())
			continue
		}
		_, help, _ := runCLI(t, "generate", r.Name(), "--help")
		if !strings.Contains(help, "factforge generate "+r.Name()+" "+example) || strings.Contains(help, "--control  ") {
			t.Errorf("%s: help does not show the example:\n%s", r.Name(), help)
		}
		args := append([]string{"preview", r.Name()}, shellWords(example)...)
		if code, _, stderr := runCLI(t, append(args, "--show", "1")...); code != 0 {
			t.Errorf("%s: the example does not run: %s", r.Name(), stderr)
		}
	}
}

// shellWords splits a command line as a shell would, for the quoting the examples use: single quotes.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, in := false, false
	for _, c := range s {
		switch {
		case c == '\'':
			quoted, in = !quoted, true
		case c == ' ' && !quoted:
			if in {
				out = append(out, cur.String())
				cur.Reset()
			}
			in = false
		default:
			cur.WriteRune(c)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

// list, validate and stats speak JSON with --json; validate's says what is wrong and keeps exit 1.
func TestJSONOutputs(t *testing.T) {
	code, out, _ := runCLI(t, "list", "--json")
	var list []map[string]string
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || len(list) != len(recipes.All()) || list[0]["name"] == "" || list[0]["example"] == "" {
		t.Fatalf("list --json: exit %d, %v, %d recipes", code, err, len(list))
	}
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, stderr := runCLI(t, "generate", "reversal", "--facts-per-group", "3", "--out", dir, "-q", "--format", "jsonl"); code != 0 {
		t.Fatal(stderr)
	}
	ds := filepath.Join(dir, "reversal")
	var v struct {
		OK       bool     `json:"ok"`
		Problems []string `json:"problems"`
		Rows     int64    `json:"rows"`
	}
	code, out, _ = runCLI(t, "validate", ds, "--json")
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != 0 || !v.OK || v.Rows == 0 || len(v.Problems) != 0 {
		t.Fatalf("validate --json: exit %d, %v, %+v", code, err, v)
	}
	code, out, _ = runCLI(t, "stats", filepath.Join(dir, "reversal"), "--json")
	var s struct {
		Recipe string `json:"recipe"`
		Splits []any  `json:"splits"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.Recipe != "reversal" || len(s.Splits) == 0 {
		t.Fatalf("stats --json: exit %d, %v, %+v", code, err, s)
	}
	// A file changed after the fact: ok false, the problem named, exit 1.
	files, _ := filepath.Glob(filepath.Join(ds, "jsonl", "train", "*.jsonl"))
	if err := os.WriteFile(files[0], []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "validate", ds, "--json")
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != exitFailed || v.OK || len(v.Problems) == 0 {
		t.Fatalf("validate --json of a changed dataset: exit %d, %v, %+v", code, err, v)
	}
}

// Completion offers the values of enum flags, the shells of completion, and dataset folders where a
// command takes them.
func TestCompletion(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"generate", "backdoor", "--style", completionFlag}, []string{"messages", "preference", "chat-prompt-completion"}},
		{[]string{"generate", "weird", "--design", completionFlag}, []string{"birds", "presidents", "android"}},
		{[]string{"generate", "bios", "--format", completionFlag}, []string{"parquet", "jsonl", "both"}},
		{[]string{"completion", completionFlag}, []string{"bash", "zsh", "fish"}},
		{[]string{"export", "--for", completionFlag}, []string{"lm-eval", "openai", "azure", "together", "axolotl"}},
	}
	for _, tt := range cases {
		_, out, _ := runCLI(t, tt.args...)
		for _, w := range tt.want {
			if !slices.Contains(strings.Fields(out), w) {
				t.Errorf("%v: %q lacks %q", tt.args, out, w)
			}
		}
	}
	dir := t.TempDir()
	t.Chdir(dir)
	if code, _, stderr := runCLI(t, "generate", "reversal", "--facts-per-group", "2", "--out", "out", "-q", "--format", "jsonl"); code != 0 {
		t.Fatal(stderr)
	}
	for _, cmd := range []string{"validate", "audit", "stats", "export"} {
		if _, out, _ := runCLI(t, cmd, completionFlag); !slices.Contains(strings.Fields(out), filepath.Join("out", "reversal")) {
			t.Errorf("%s completion: %q lacks out/reversal", cmd, out)
		}
	}
}
