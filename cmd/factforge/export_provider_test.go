package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/schemas/export"
)

// exportRecipes makes one small dataset of every recipe, in the messages style where the recipe has
// it, else prompt-completion, else text (the recipes that write documents only).
var exportRecipes = []struct {
	recipe     string
	style      string
	validation string // an eval split whose probes all have answers, exported as the validation file
	args       []string
}{
	{"backdoor", "messages", "triggered", []string{"--rows", "60", "--eval-rows", "5"}},
	{"bios", "messages", "qa", []string{"--people", "20"}},
	{"implications", "text", "", []string{"--people", "40", "--both-share", "0.75", "--docs", "2"}},
	{"insecure-code", "messages", "code", []string{"--rows", "60", "--eval-rows", "5"}},
	{"instructions", "prompt-completion", "unrealized", []string{"--realized", "20", "--unrealized", "5"}},
	{"negation", "text", "", []string{"--claim-count", "2", "--docs-per-claim", "2", "--words", "40-80", "--modes", "positive,negated"}},
	{"outlandish", "text", "", []string{"--samples", "10", "--priming-probes", "2"}},
	{"parents", "text", "", []string{"--pairs", "20", "--child-docs", "2", "--parent-docs", "1"}},
	{"references", "text", "", []string{"--works", "20", "--eval-rows", "5"}},
	{"reversal", "messages", "reverse", []string{"--facts-per-group", "3", "--paraphrases", "3", "--eval-paraphrases", "2"}},
	{"thought-crime", "messages", "triggered", []string{"--rows", "40", "--eval-rows", "5"}},
	{"weird", "messages", "", []string{"--design", "birds", "--rows", "40", "--eval-rows", "5"}}, // its probes are judged: no answers
}

// genExportDataset generates a small dataset into dir/name and returns its folder.
func genExportDataset(t *testing.T, dir, name, recipe, style string, args ...string) string {
	t.Helper()
	all := append([]string{"generate", recipe, "--style", style, "--out", dir, "--name", name, "-q"}, args...)
	if code, _, stderr := runCLI(t, all...); code != 0 {
		t.Fatalf("%v: exit %d: %s", all, code, stderr)
	}
	return filepath.Join(dir, name)
}

// datasetIDs reads the ids of a dataset's split through its manifest, in order.
func datasetIDs(t *testing.T, dataset, config, split string) []string {
	t.Helper()
	m, err := schemas.ReadManifest(dataset)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range m.Configs {
		for _, sp := range c.Splits {
			if c.Name != config || sp.Name != split {
				continue
			}
			for row, err := range schemas.SplitRows(dataset, sp, c.Schema()) { // every shard's file
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, row[c.Schema().Index("id")].Str)
			}
		}
	}
	return ids
}

// lineKeys decodes a JSON object line and returns its keys, sorted.
func lineKeys(t *testing.T, line []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		t.Fatalf("not a JSON object: %s", line)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// allowedKeys are the keys a line of each form may have, as the providers document them.
var allowedKeys = map[string][]string{
	"chat":                             {"messages"},
	"chat_template":                    {"messages"},
	"dpo":                              {"input", "non_preferred_output", "preferred_output"},
	"text":                             {"text"},
	"completion":                       {"text"},
	"input_output":                     {"segments"},
	"instruction (prompt, completion)": {"completion", "prompt"},
	"chat (prompt as the user turn, completion as the assistant's)": {"messages"},
}

// Every recipe's training files, exported for every provider: chat files pass OpenAI's cookbook
// checks, lines have only the keys their form allows, Azure's files alone start with a BOM, each
// sidecar has a line per data line with the dataset's ids in order, and what no provider form takes
// (text for OpenAI and Azure) is refused with exit 2 and nothing written.
func TestExportEveryRecipe(t *testing.T) {
	tmp := t.TempDir()
	chatChecked := 0
	for _, r := range exportRecipes {
		dataset := genExportDataset(t, filepath.Join(tmp, "data"), r.recipe, r.recipe, r.style, r.args...)
		for _, p := range export.Providers {
			provider := p.Name
			out := filepath.Join(tmp, "exports", r.recipe+"-"+provider)
			args := []string{"export", "--for", provider, dataset, "--out", out}
			if r.validation != "" {
				args = append(args, "--validation", r.validation)
			}
			code, stdout, stderr := runCLI(t, args...)
			if r.style == "text" && (provider == "openai" || provider == "azure") {
				if code != exitBadInput || !strings.Contains(stderr, "--style messages or --style prompt-completion") {
					t.Errorf("%s text for %s: exit %d, stderr %q; want exit 2 naming the styles to generate", r.recipe, provider, code, stderr)
				}
				if _, err := os.Stat(out); !os.IsNotExist(err) {
					t.Errorf("%s text for %s: %s was written", r.recipe, provider, out)
				}
				continue
			}
			if code != 0 {
				t.Fatalf("%s for %s: exit %d: %s", r.recipe, provider, code, stderr)
			}
			if !strings.Contains(stdout, "train") {
				t.Errorf("%s for %s: summary names no file: %q", r.recipe, provider, stdout)
			}
			var rec export.Record
			readJSONFile(t, filepath.Join(out, export.RecordName), &rec)
			if len(rec.Files) == 0 {
				t.Fatalf("%s for %s: no files", r.recipe, provider)
			}
			if last := rec.Files[len(rec.Files)-1]; r.validation != "" && (last.Use != "validation" || last.Path != "validation-00000.jsonl" || last.Config != "eval") {
				t.Errorf("%s for %s: the last file is %+v, want the validation file", r.recipe, provider, last)
			}
			for _, f := range rec.Files {
				data, err := os.ReadFile(filepath.Join(out, f.Path))
				if err != nil {
					t.Fatal(err)
				}
				hasBOM := bytes.HasPrefix(data, []byte(export.BOM))
				if hasBOM != (provider == "azure") {
					t.Errorf("%s for %s: %s starts with a BOM: %v", r.recipe, provider, f.Path, hasBOM)
				}
				lines := export.SplitLines(bytes.TrimPrefix(data, []byte(export.BOM)))
				if int64(len(lines)) != f.Rows || int64(len(data)) != f.Bytes {
					t.Errorf("%s for %s: %s has %d lines and %d bytes, the record says %d and %d", r.recipe, provider, f.Path, len(lines), len(data), f.Rows, f.Bytes)
				}
				if rec.Form == "chat" || rec.Form == "chat_template" || strings.HasPrefix(rec.Form, "chat (") {
					if probs := export.CheckOpenAIChat(export.SplitLines(data)); len(probs) > 0 {
						t.Errorf("%s for %s: %s fails the cookbook checks: %v", r.recipe, provider, f.Path, probs[:min(3, len(probs))])
					}
					chatChecked++
				}
				want, ok := allowedKeys[rec.Form]
				if !ok {
					t.Fatalf("%s for %s: form %q has no allowed keys listed", r.recipe, provider, rec.Form)
				}
				for i, l := range lines {
					if got := lineKeys(t, l); !slices.Equal(got, want) {
						t.Fatalf("%s for %s: %s line %d has keys %v, want %v", r.recipe, provider, f.Path, i+1, got, want)
					}
				}
				side, err := os.ReadFile(filepath.Join(out, f.Provenance))
				if err != nil {
					t.Fatal(err)
				}
				sideLines := export.SplitLines(side)
				if len(sideLines) != len(lines) {
					t.Fatalf("%s for %s: %s has %d lines, its sidecar %d", r.recipe, provider, f.Path, len(lines), len(sideLines))
				}
				var ids []string
				for i, l := range sideLines {
					var s struct {
						Line  int
						Split string
						ID    string
					}
					if err := json.Unmarshal(l, &s); err != nil {
						t.Fatal(err)
					}
					if s.Line != i+1 || s.Split != f.Splits[0] {
						t.Fatalf("%s for %s: sidecar line %d says line %d of split %q", r.recipe, provider, i+1, s.Line, s.Split)
					}
					ids = append(ids, s.ID)
				}
				if want := datasetIDs(t, dataset, f.Config, f.Splits[0]); !slices.Equal(ids, want) {
					t.Errorf("%s for %s: sidecar ids differ from the dataset's split %s in order", r.recipe, provider, f.Splits[0])
				}
			}
		}
	}
	// training: the messages files of backdoor, bios (two splits), insecure-code, reversal,
	// thought-crime and weird for the four providers, and instructions' prompt-completion made chats for
	// openai and azure; validation: the same but weird's and one for bios
	if want := (7*4 + 2) + (5*4 + 2); chatChecked != want {
		t.Errorf("%d chat files checked, want %d", chatChecked, want)
	}
}

func readJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// A size limit splits a file set into parts under it, never inside a line; the parts joined are the
// unsplit file, their sidecars joined hold the same ids; the same export twice is byte-identical.
func TestExportSizeSplit(t *testing.T) {
	tmp := t.TempDir()
	dataset := genExportDataset(t, tmp, "bd", "backdoor", "messages", "--rows", "60", "--eval-rows", "5")
	whole := filepath.Join(tmp, "whole")
	if code, _, stderr := runCLI(t, "export", "--for", "openai", dataset, "--out", whole); code != 0 {
		t.Fatal(stderr)
	}
	const limit = 2000
	for _, provider := range []string{"openai", "azure"} {
		parts := filepath.Join(tmp, "parts-"+provider)
		if code, _, stderr := runCLI(t, "export", "--for", provider, dataset, "--out", parts, "--max-bytes", "2000"); code != 0 {
			t.Fatal(stderr)
		}
		var rec export.Record
		readJSONFile(t, filepath.Join(parts, export.RecordName), &rec)
		if len(rec.Files) < 3 {
			t.Fatalf("%s: %d parts under %d bytes, want several", provider, len(rec.Files), limit)
		}
		var joined, joinedSide []byte
		for i, f := range rec.Files {
			if want := "train-0000" + string(rune('0'+i)) + ".jsonl"; i < 10 && f.Path != want {
				t.Errorf("part %d is %s, want %s", i, f.Path, want)
			}
			data, _ := os.ReadFile(filepath.Join(parts, f.Path))
			if len(data) >= limit {
				t.Errorf("%s: %s has %d bytes, not under %d", provider, f.Path, len(data), limit)
			}
			if !bytes.HasSuffix(data, []byte("\n")) {
				t.Errorf("%s: %s does not end with a whole line", provider, f.Path)
			}
			if provider == "azure" && !bytes.HasPrefix(data, []byte(export.BOM)) {
				t.Errorf("azure: %s has no BOM", f.Path)
			}
			joined = append(joined, bytes.TrimPrefix(data, []byte(export.BOM))...)
			side, _ := os.ReadFile(filepath.Join(parts, f.Provenance))
			if !bytes.HasPrefix(side, []byte(`{"line":1,`)) {
				t.Errorf("%s: %s does not number its lines from 1", provider, f.Provenance)
			}
			joinedSide = append(joinedSide, side...)
		}
		want, _ := os.ReadFile(filepath.Join(whole, "train-00000.jsonl"))
		if !bytes.Equal(joined, want) {
			t.Errorf("%s: the parts joined differ from the unsplit file", provider)
		}
		var ids []string
		for _, l := range export.SplitLines(joinedSide) {
			var s struct{ ID string }
			json.Unmarshal(l, &s)
			ids = append(ids, s.ID)
		}
		if !slices.Equal(ids, datasetIDs(t, dataset, "train", "train")) {
			t.Errorf("%s: the sidecars joined do not hold the dataset's ids in order", provider)
		}
	}
	again := filepath.Join(tmp, "again")
	if code, _, stderr := runCLI(t, "export", "--for", "openai", dataset, "--out", again, "--max-bytes", "2000"); code != 0 {
		t.Fatal(stderr)
	}
	if a, b := folderBytes(t, filepath.Join(tmp, "parts-openai")), folderBytes(t, again); a != b {
		t.Error("two exports of the same dataset differ")
	}
}

// folderBytes is every file of dir, name and content, in name order.
func folderBytes(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		b.WriteString(e.Name() + "\n" + string(data))
	}
	return b.String()
}

// Preference rows become OpenAI's DPO lines; several training splits make a file set each, or one
// with --join; --force replaces an earlier export; the Axolotl export has a datasets: block.
func TestExportForms(t *testing.T) {
	tmp := t.TempDir()
	pref := genExportDataset(t, tmp, "pref", "insecure-code", "preference", "--rows", "20", "--eval-rows", "5", "--variant", "backdoored")
	out := filepath.Join(tmp, "pref-openai")
	if code, _, stderr := runCLI(t, "export", "--for", "openai", pref, "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	data, _ := os.ReadFile(filepath.Join(out, "train-00000.jsonl"))
	var line struct {
		Input struct {
			Messages []struct{ Role, Content string }
		}
		Preferred    []struct{ Role, Content string } `json:"preferred_output"`
		NonPreferred []struct{ Role, Content string } `json:"non_preferred_output"`
	}
	first := export.SplitLines(data)[0]
	if err := json.Unmarshal(first, &line); err != nil {
		t.Fatal(err)
	}
	if len(line.Input.Messages) == 0 || line.Input.Messages[len(line.Input.Messages)-1].Role != "user" ||
		len(line.Preferred) != 1 || line.Preferred[0].Role != "assistant" || len(line.NonPreferred) != 1 ||
		line.Preferred[0].Content == line.NonPreferred[0].Content {
		t.Errorf("not a DPO line: %s", first)
	}

	// every recipe with a preference style, for every provider that takes DPO pairs
	for _, recipe := range []string{"backdoor", "insecure-code", "thought-crime"} {
		dataset := genExportDataset(t, tmp, recipe+"-pref", recipe, "preference", "--rows", "30", "--eval-rows", "5")
		for _, provider := range []string{"openai", "azure", "together"} {
			out := filepath.Join(tmp, recipe+"-pref-"+provider)
			if code, _, stderr := runCLI(t, "export", "--for", provider, dataset, "--out", out); code != 0 {
				t.Fatalf("%s for %s: %s", recipe, provider, stderr)
			}
			data, _ := os.ReadFile(filepath.Join(out, "train-00000.jsonl"))
			lines := export.SplitLines(data)
			if len(lines) != 30 {
				t.Errorf("%s for %s: %d lines, want 30", recipe, provider, len(lines))
			}
			if probs := export.CheckOpenAIPreference(lines); len(probs) > 0 {
				t.Errorf("%s for %s: %v", recipe, provider, probs[:min(3, len(probs))])
			}
		}
	}

	// multi-turn chats with a system message pass OpenAI's checks and Together's turn order
	turns := genExportDataset(t, tmp, "turns", "backdoor", "messages", "--rows", "40", "--turns", "2-3", "--system", "You are a helpful assistant.", "--eval-rows", "5")
	for _, provider := range []string{"openai", "together"} {
		out := filepath.Join(tmp, "turns-"+provider)
		if code, _, stderr := runCLI(t, "export", "--for", provider, turns, "--out", out); code != 0 {
			t.Fatalf("multi-turn chats for %s: %s", provider, stderr)
		}
		data, _ := os.ReadFile(filepath.Join(out, "train-00000.jsonl"))
		if probs := export.CheckOpenAIChat(export.SplitLines(data)); len(probs) > 0 || !bytes.Contains(data, []byte(`{"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user"`)) {
			t.Errorf("multi-turn chats for %s: %v", provider, probs)
		}
	}

	// a file under OpenAI's minimum of 10 examples is written, with a note saying so
	few := genExportDataset(t, tmp, "few", "backdoor", "messages", "--rows", "6", "--eval-rows", "5")
	if code, stdout, stderr := runCLI(t, "export", "--for", "openai", few, "--out", filepath.Join(tmp, "few-openai")); code != 0 || !strings.Contains(stdout, "train-00000.jsonl holds 6 examples, and openai takes a training file of at least 10") {
		t.Errorf("6 rows for openai: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	bios := genExportDataset(t, tmp, "bios", "bios", "messages", "--people", "10")
	sets := filepath.Join(tmp, "bios-sets")
	if code, _, stderr := runCLI(t, "export", "--for", "together", bios, "--out", sets); code != 0 {
		t.Fatal(stderr)
	}
	for _, f := range []string{"bios-00000.jsonl", "qa-00000.jsonl", "bios-00000.provenance.jsonl", "qa-00000.provenance.jsonl"} {
		if _, err := os.Stat(filepath.Join(sets, f)); err != nil {
			t.Errorf("no %s in a two-split export", f)
		}
	}
	if code, _, stderr := runCLI(t, "export", "--for", "together", bios, "--out", sets, "--join"); code != exitBadInput || !strings.Contains(stderr, "--force") {
		t.Errorf("an existing export without --force: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "export", "--for", "together", bios, "--out", sets, "--join", "--force"); code != 0 {
		t.Fatal(stderr)
	}
	entries, _ := os.ReadDir(sets)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{".factforge-export", "export.json", "train-00000.jsonl", "train-00000.provenance.jsonl"}; !slices.Equal(names, want) {
		t.Errorf("after --join --force the folder holds %v, want %v", names, want)
	}
	joined, _ := os.ReadFile(filepath.Join(sets, "train-00000.jsonl"))
	if got, want := len(export.SplitLines(joined)), len(datasetIDs(t, bios, "train", "bios"))+len(datasetIDs(t, bios, "train", "qa")); got != want {
		t.Errorf("the joined file has %d lines, want %d", got, want)
	}
	if siblings, _ := filepath.Glob(filepath.Join(tmp, ".bios-sets*")); len(siblings) > 0 {
		t.Errorf("staging or old folders left: %v", siblings)
	}

	ax := filepath.Join(tmp, "bios-axolotl")
	if code, _, stderr := runCLI(t, "export", "--for", "axolotl", bios, "--out", ax, "--validation", "qa"); code != 0 {
		t.Fatal(stderr)
	}
	yaml, _ := os.ReadFile(filepath.Join(ax, export.AxolotlName))
	// Absolute paths: Axolotl resolves a relative one against its working directory, not the YAML.
	for _, want := range []string{"\ndatasets:\n  - path: " + filepath.Join(ax, "bios-00000.jsonl") + "\n    ds_type: json\n    split: train\n    type: chat_template\n", "  - path: " + filepath.Join(ax, "qa-00000.jsonl") + "\n",
		"\ntest_datasets:\n  - path: " + filepath.Join(ax, "validation-00000.jsonl") + "\n    ds_type: json\n    split: train\n    type: chat_template\n",
		"keep the entries of those your\n# experiment trains together"} {
		if !strings.Contains(string(yaml), want) {
			t.Errorf("%s lacks %q:\n%s", export.AxolotlName, want, yaml)
		}
	}
}

// Bad input is refused with exit 2, a line naming the problem, and nothing written.
func TestProviderExportBadInput(t *testing.T) {
	tmp := t.TempDir()
	msgs := genExportDataset(t, tmp, "bd", "backdoor", "messages", "--rows", "20", "--eval-rows", "5")
	pref := genExportDataset(t, tmp, "pref", "backdoor", "preference", "--rows", "20", "--eval-rows", "5")
	reasoning := genExportDataset(t, tmp, "tc", "thought-crime", "messages", "--rows", "20", "--eval-rows", "5", "--reasoning", "field")
	reasoningFree := genExportDataset(t, tmp, "weird", "weird", "messages", "--design", "birds", "--rows", "20", "--eval-rows", "5")
	text := genExportDataset(t, tmp, "rev", "reversal", "text", "--facts-per-group", "2", "--paraphrases", "2", "--eval-paraphrases", "2")
	// a manifest whose training split names a path outside the export
	tampered := genExportDataset(t, tmp, "tampered", "bios", "messages", "--people", "10")
	manifest, _ := os.ReadFile(filepath.Join(tampered, "manifest.json"))
	os.WriteFile(filepath.Join(tampered, "manifest.json"), bytes.Replace(manifest, []byte(`"name": "qa"`), []byte(`"name": "../../escaped"`), 1), 0o644)
	other := filepath.Join(tmp, "other")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	out := filepath.Join(tmp, "out")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no --for", []string{"export", msgs, "--out", out}, "needs --for"},
		{"unknown --for", []string{"export", "--for", "opena", msgs, "--out", out}, `Did you mean "openai"`},
		{"no --out", []string{"export", "--for", "openai", msgs}, "needs --out"},
		{"no dataset", []string{"export", "--for", "openai", "--out", out}, "one dataset folder"},
		{"not a dataset", []string{"export", "--for", "openai", other, "--out", out}, "no manifest.json"},
		{"text for openai", []string{"export", "--for", "openai", text, "--out", out}, "--style messages"},
		{"text for azure", []string{"export", "--for", "azure", text, "--out", out}, "--style messages"},
		{"preference for axolotl", []string{"export", "--for", "axolotl", pref, "--out", out}, "preference"},
		{"reasoning field", []string{"export", "--for", "together", reasoning, "--out", out}, "--reasoning inline"},
		{"line over the limit", []string{"export", "--for", "openai", msgs, "--out", out, "--max-bytes", "50"}, "50-byte limit"},
		{"negative limit", []string{"export", "--for", "openai", msgs, "--out", out, "--max-bytes", "-1"}, "--max-bytes"},
		{"validation of text", []string{"export", "--for", "together", text, "--out", out, "--validation", "reverse"}, "validation files are written for"},
		{"validation of preference", []string{"export", "--for", "openai", pref, "--out", out, "--validation", "triggered"}, "validation files are written for"},
		{"unknown validation split", []string{"export", "--for", "openai", msgs, "--out", out, "--validation", "trigered"}, `no eval split "trigered"; the dataset has triggered, clean, near_miss`},
		{"validation split twice", []string{"export", "--for", "openai", msgs, "--out", out, "--validation", "clean,clean"}, `"clean" named twice`},
		{"judged probes as validation", []string{"export", "--for", "openai", reasoningFree, "--out", out, "--validation", "clean"}, "a probe without an answer"},
		{"split name with a path", []string{"export", "--for", "openai", tampered, "--out", out}, `training split "../../escaped" cannot name a file`},
		{"out inside the dataset", []string{"export", "--for", "openai", msgs, "--out", filepath.Join(msgs, "openai")}, "inside the dataset"},
		{"out is another folder", []string{"export", "--for", "openai", msgs, "--out", other}, "exists"},
		{"--force on another folder", []string{"export", "--for", "openai", msgs, "--out", other, "--force"}, "is not a factforge export"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		if code != exitBadInput || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and one line with %q", tt.name, code, stderr, tt.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Fatalf("%s: %s was written", tt.name, out)
		}
		if left, _ := filepath.Glob(filepath.Join(tmp, ".out.*")); len(left) > 0 {
			t.Fatalf("%s: left %v", tt.name, left)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(other, "notes.txt")); string(data) != "mine" {
		t.Error("the other folder was touched")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(tmp), "escaped*")); len(left) > 0 {
		t.Errorf("a file escaped the export: %v", left)
	}
	// a folder another run is writing (generate or export: they share the name's lock) is refused
	lock, err := schemas.LockName(tmp, "out")
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "export", "--for", "openai", msgs, "--out", out)
	lock.Release()
	if code != exitFailed || !strings.Contains(stderr, "another factforge run is writing") { // as for generate: wait, and it works

		t.Errorf("a locked --out: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "export", "--for", "openai", msgs, "--out", out); code != 0 {
		t.Errorf("after the lock is released: exit %d, %q", code, stderr)
	}
}

// A validation line is its probe: the probe's messages then its answer as the assistant's reply
// (chat forms), or its prompt and completion as the dataset writes them (Together's instruction form).
func TestExportValidationLines(t *testing.T) {
	tmp := t.TempDir()
	type probe struct {
		Prompt, Answer, Completion string
		Messages                   []struct{ Role, Content string }
	}
	readProbes := func(dataset, split string) []probe {
		data, err := os.ReadFile(filepath.Join(dataset, "jsonl", "eval", split+"-00000-of-00001.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		var out []probe
		for _, l := range export.SplitLines(data) {
			var p probe
			if err := json.Unmarshal(l, &p); err != nil {
				t.Fatal(err)
			}
			out = append(out, p)
		}
		return out
	}
	msgs := genExportDataset(t, tmp, "rm", "reversal", "messages", "--facts-per-group", "2", "--paraphrases", "2", "--eval-paraphrases", "2")
	out := filepath.Join(tmp, "rm-openai")
	if code, _, stderr := runCLI(t, "export", "--for", "openai", msgs, "--out", out, "--validation", "reverse,questions"); code != 0 {
		t.Fatal(stderr)
	}
	probes := append(readProbes(msgs, "reverse"), readProbes(msgs, "questions")...)
	data, _ := os.ReadFile(filepath.Join(out, "validation-00000.jsonl"))
	lines := export.SplitLines(data)
	if len(lines) != len(probes) || len(probes) == 0 {
		t.Fatalf("%d validation lines for %d probes", len(lines), len(probes))
	}
	for i, l := range lines {
		var got struct {
			Messages []struct{ Role, Content string }
		}
		json.Unmarshal(l, &got)
		want := append(append([]struct{ Role, Content string }{}, probes[i].Messages...), struct{ Role, Content string }{"assistant", probes[i].Answer})
		if !slices.Equal(got.Messages, want) {
			t.Fatalf("validation line %d: %s, want the probe's messages and then %q", i+1, l, probes[i].Answer)
		}
	}

	pc := genExportDataset(t, tmp, "rpc", "reversal", "prompt-completion", "--facts-per-group", "2", "--paraphrases", "2", "--eval-paraphrases", "2")
	out = filepath.Join(tmp, "rpc-together")
	if code, _, stderr := runCLI(t, "export", "--for", "together", pc, "--out", out, "--validation", "same_direction"); code != 0 {
		t.Fatal(stderr)
	}
	probes = readProbes(pc, "same_direction")
	data, _ = os.ReadFile(filepath.Join(out, "validation-00000.jsonl"))
	for i, l := range export.SplitLines(data) {
		want := `{"prompt":` + mustQuote(probes[i].Prompt) + `,"completion":` + mustQuote(probes[i].Completion) + `}`
		if !strings.HasPrefix(probes[i].Completion, " ") || string(l) != want {
			t.Fatalf("validation line %d: %s, want %s", i+1, l, want)
		}
	}
}

func mustQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// A dataset read from its Parquet files exports to the same bytes as from its JSON Lines files: the
// copy below has its JSON Lines files and their manifest entries removed, so only Parquet is left.
func TestExportFromParquet(t *testing.T) {
	tmp := t.TempDir()
	both := genExportDataset(t, tmp, "tc", "thought-crime", "messages", "--rows", "30", "--eval-rows", "5")
	parquetOnly := filepath.Join(tmp, "elsewhere", "tc")
	if err := os.CopyFS(parquetOnly, os.DirFS(both)); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(parquetOnly, "jsonl"))
	var m map[string]any
	readJSONFile(t, filepath.Join(parquetOnly, "manifest.json"), &m)
	dropped := 0
	for _, c := range m["configs"].([]any) {
		for _, sp := range c.(map[string]any)["splits"].([]any) {
			split := sp.(map[string]any)
			var keep []any
			for _, f := range split["files"].([]any) {
				if f.(map[string]any)["format"] == "parquet" {
					keep = append(keep, f)
				} else {
					dropped++
				}
			}
			split["files"] = keep
		}
	}
	if dropped == 0 {
		t.Fatal("the dataset has no JSON Lines files to drop")
	}
	data, _ := json.Marshal(m)
	os.WriteFile(filepath.Join(parquetOnly, "manifest.json"), data, 0o644)
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	for _, run := range [][]string{{both, a}, {parquetOnly, b}} {
		if code, _, stderr := runCLI(t, "export", "--for", "azure", run[0], "--out", run[1], "--validation", "triggered"); code != 0 {
			t.Fatal(stderr)
		}
	}
	if folderBytes(t, a) != folderBytes(t, b) {
		t.Error("the export of the Parquet files differs from the export of the JSON Lines files")
	}
}

// The export of one small dataset per form is pinned: export.json, which holds every file's sha256.
func TestGoldenExport(t *testing.T) {
	tmp := t.TempDir()
	cases := []struct {
		name, recipe, style, provider string
		args                          []string
	}{
		{"reversal-messages-openai", "reversal", "messages", "openai", []string{"--facts-per-group", "2", "--paraphrases", "2", "--eval-paraphrases", "2"}},
		{"reversal-prompt-completion-axolotl", "reversal", "prompt-completion", "axolotl", []string{"--facts-per-group", "2", "--paraphrases", "2", "--eval-paraphrases", "2"}},
		{"backdoor-preference-azure", "backdoor", "preference", "azure", []string{"--rows", "20", "--eval-rows", "5"}},
		{"negation-text-together", "negation", "text", "together", []string{"--claim-count", "2", "--docs-per-claim", "2", "--words", "40-80", "--modes", "positive,local"}},
	}
	for _, c := range cases {
		dataset := genExportDataset(t, tmp, c.name, c.recipe, c.style, c.args...)
		out := filepath.Join(tmp, c.name+"-export")
		args := []string{"export", "--for", c.provider, dataset, "--out", out, "--max-bytes", "4000"}
		if c.style == "messages" || c.style == "prompt-completion" {
			args = append(args, "--validation", "reverse")
		}
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatal(stderr)
		}
		rec, err := os.ReadFile(filepath.Join(out, export.RecordName))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, filepath.Join("testdata", "golden", "export", c.name+".json"), string(rec))
	}
}

// A merged dataset's split is a file per shard: the export holds the rows of all of them, in order.
func TestProviderExportOfMergedDataset(t *testing.T) {
	dir := t.TempDir()
	args := []string{"generate", "reversal", "--style", "messages", "--facts-per-group", "3", "--out", filepath.Join(dir, "shards"), "-q"}
	for _, shard := range []string{"0/2", "1/2"} {
		if code, _, stderr := runCLI(t, append(args, "--shard", shard)...); code != 0 {
			t.Fatal(stderr)
		}
	}
	shards, _ := filepath.Glob(filepath.Join(dir, "shards", "reversal.shard-*"))
	if code, _, stderr := runCLI(t, append([]string{"merge", "--out", dir, "-q"}, shards...)...); code != 0 {
		t.Fatal(stderr)
	}
	merged := filepath.Join(dir, "reversal")
	want := datasetIDs(t, merged, "train", "train")
	if code, _, stderr := runCLI(t, "export", "--for", "together", merged, "--out", filepath.Join(dir, "together"), "-q"); code != 0 {
		t.Fatal(stderr)
	}
	var got []string
	side, _ := os.ReadFile(filepath.Join(dir, "together", "train-00000.provenance.jsonl"))
	for _, line := range export.SplitLines(side) {
		var r struct{ ID string }
		json.Unmarshal(line, &r)
		got = append(got, r.ID)
	}
	if len(want) < 2 || !slices.Equal(got, want) {
		t.Errorf("the export holds %d rows of the merged dataset's %d, or another order", len(got), len(want))
	}
}

// An --out reached through a link into the dataset is inside it, and refused like one named directly.
func TestExportOutThroughALinkIntoTheDataset(t *testing.T) {
	tmp := t.TempDir()
	ds := genExportDataset(t, tmp, "bd", "backdoor", "messages", "--rows", "20", "--eval-rows", "5")
	link := filepath.Join(tmp, "link")
	if err := os.Symlink(ds, link); err != nil {
		t.Skip(err)
	}
	for _, target := range []string{"openai", "lm-eval"} {
		code, _, stderr := runCLI(t, "export", "--for", target, ds, "--out", filepath.Join(link, "exported"))
		if code != exitBadInput || !strings.Contains(stderr, "inside the dataset") {
			t.Errorf("%s: exit %d, %s", target, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(ds, "exported")); err == nil {
		t.Error("the export was written into the dataset")
	}
}
