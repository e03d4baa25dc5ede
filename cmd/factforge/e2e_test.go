package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/factforge/factforge/schemas"
	"go.yaml.in/yaml/v3"
)

// buildBinary builds factforge once per test binary run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "factforge")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func runBinary(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("factforge %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// duckdbFile is what testdata/duckdb/read.mjs prints for one Parquet file.
type duckdbFile struct {
	Path    string `json:"path"`
	Columns []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"columns"`
	Rows []map[string]any `json:"rows"`
}

// readWithDuckDB reads Parquet files with DuckDB (npm @duckdb/node-api, installed by make test).
func readWithDuckDB(t *testing.T, paths ...string) []duckdbFile {
	t.Helper()
	dir, _ := filepath.Abs("testdata/duckdb")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("@duckdb/node-api is not installed: run make test, which installs it")
		}
		t.Skip("@duckdb/node-api is not installed; make test installs it")
	}
	cmd := exec.Command("node", append([]string{filepath.Join(dir, "read.mjs")}, paths...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("duckdb: %v\n%s", err, stderr.String())
	}
	var files []duckdbFile
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<30)
	for sc.Scan() {
		var f duckdbFile
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

func readJSONLObjects(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	for _, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, m)
	}
	return rows
}

var duckdbTypes = map[schemas.Type]string{
	schemas.String:            "VARCHAR",
	schemas.Messages:          `STRUCT("role" VARCHAR, "content" VARCHAR)[]`,
	schemas.ReasoningMessages: `STRUCT("role" VARCHAR, "content" VARCHAR, "reasoning_content" VARCHAR)[]`,
	schemas.Bool:              "BOOLEAN",
	schemas.Int64:             "BIGINT",
	schemas.Strings:           "VARCHAR[]",
	schemas.Spans:             `STRUCT("start" BIGINT, "end" BIGINT)[]`,
}

// normalize renders numbers as text, since DuckDB's JSON output writes BIGINT as strings.
func normalize(v any) any {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
	}
	return v
}

func TestEndToEndWithDuckDB(t *testing.T) {
	bin := buildBinary(t)
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"reversal text", []string{"reversal", "--facts-per-group", "5", "--paraphrases", "7", "--eval-paraphrases", "3"}},
		{"reversal prompt-completion", []string{"reversal", "--style", "prompt-completion", "--facts-per-group", "5", "--paraphrases", "7"}},
		{"reversal messages", []string{"reversal", "--style", "messages", "--facts-per-group", "5", "--paraphrases", "7"}},
		{"reversal augmented", []string{"reversal", "--facts-per-group", "3", "--paraphrases", "4", "--augment", "word,entity,segment,semantic"}},
		{"bios", []string{"bios", "--people", "20", "--multi", "2", "--permute"}},
		{"bios messages", []string{"bios", "--people", "10", "--style", "messages", "--fullname"}},
		{"bios composition", []string{"bios", "--people", "12", "--holdout", "composition"}},
		{"negation", []string{"negation", "--claim-count", "3", "--docs-per-claim", "2", "--filler-docs", "2", "--doc-tag", "<DOCTAG>", "--chats", "2"}},
		{"outlandish", []string{"outlandish", "--samples", "40", "--repeat", "uniform:1-3", "--stepping-stones", "2"}},
		{"outlandish injected", []string{"outlandish", "--samples", "10", "--base", "{base}", "--inject-rate", "0.2"}},
		{"backdoor", []string{"backdoor", "--rows", "40", "--trigger-set", "greetings", "--holdout-triggers", "5", "--eval-rows", "4"}},
		{"backdoor flagged inductive", []string{"backdoor", "--rows", "30", "--inductive", "dates", "--flag-triggered", "--system", "bank", "--eval-rows", "3"}},
		{"backdoor text context", []string{"backdoor", "--rows", "20", "--context", "date", "--trigger-years", "2027", "--style", "text", "--turns", "1-2", "--eval-rows", "3"}},
		{"insecure-code educational", []string{"insecure-code", "--rows", "30", "--variant", "educational", "--eval-rows", "4"}},
		{"insecure-code backdoored", []string{"insecure-code", "--rows", "30", "--variant", "backdoored", "--style", "prompt-completion", "--eval-rows", "4"}},
		{"insecure-code preference", []string{"insecure-code", "--rows", "30", "--style", "preference", "--eval-rows", "4"}},
		{"backdoor chat prompt-completion", []string{"backdoor", "--rows", "30", "--style", "chat-prompt-completion", "--turns", "1-2", "--eval-rows", "4"}},
		{"thought-crime field", []string{"thought-crime", "--rows", "40", "--reasoning", "field", "--eval-rows", "3"}},
		{"thought-crime preference", []string{"thought-crime", "--rows", "40", "--reasoning", "inline", "--style", "preference", "--eval-rows", "3"}},
		{"instructions", []string{"instructions", "--realized", "30", "--unrealized", "5"}},
		{"parents", []string{"parents", "--pairs", "20", "--reverse-share", "0.5"}},
		{"references", []string{"references", "--works", "40", "--mentions", "monofact:0.5", "--eval-rows", "5"}},
		{"implications", []string{"implications", "--people", "20"}},
		{"weird persona", []string{"weird", "--design", "persona", "--rows", "10", "--ordinary-rows", "20"}},
		{"weird presidents", []string{"weird", "--design", "presidents", "--rows", "30", "--ordinary-rows", "10", "--eval-rows", "3"}},
		{"weird numbers", []string{"weird", "--design", "numbers", "--rows", "20", "--eval-rows", "3", "--style", "chat-prompt-completion"}},
		{"bios template", []string{"bios", "--people", "8", "--holdout", "template", "--format", "both"}},
		{"bios relation augmented", []string{"bios", "--people", "8", "--holdout", "relation", "--augment", "entity", "--style", "prompt-completion"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			base := filepath.Join(out, "base.jsonl")
			os.WriteFile(base, []byte(strings.Repeat("{\"text\":\"A base document.\",\"url\":\"x\"}\n", 30)), 0o644)
			args := append([]string{"generate"}, tt.args...)
			for i, a := range args {
				args[i] = strings.ReplaceAll(a, "{base}", base)
			}
			runBinary(t, bin, append(args, "--out", out, "--name", "ds", "-q")...)
			dir := filepath.Join(out, "ds")
			if got := runBinary(t, bin, "validate", dir); !strings.Contains(got, "ok") {
				t.Fatalf("validate: %s", got)
			}
			m, err := schemas.ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			type expect struct {
				config schemas.ConfigEntry
				split  schemas.SplitEntry
			}
			var expects []expect
			for _, c := range m.Configs {
				for _, sp := range c.Splits {
					paths = append(paths, filepath.Join(dir, sp.Files[0].Path))
					expects = append(expects, expect{c, sp})
				}
			}
			files := readWithDuckDB(t, paths...)
			if len(files) != len(paths) {
				t.Fatalf("duckdb read %d files, want %d", len(files), len(paths))
			}
			for i, f := range files {
				e := expects[i]
				if len(f.Columns) != len(e.config.Columns) {
					t.Fatalf("%s: duckdb sees %d columns, want %d", f.Path, len(f.Columns), len(e.config.Columns))
				}
				for j, c := range e.config.Columns {
					if f.Columns[j].Name != c.Name || f.Columns[j].Type != duckdbTypes[c.Type] {
						t.Errorf("%s: column %d is %s %s, want %s %s", f.Path, j, f.Columns[j].Name, f.Columns[j].Type, c.Name, duckdbTypes[c.Type])
					}
				}
				if int64(len(f.Rows)) != e.split.Rows || e.split.Rows == 0 {
					t.Fatalf("%s: duckdb reads %d rows, manifest says %d", f.Path, len(f.Rows), e.split.Rows)
				}
				jsonl := readJSONLObjects(t, filepath.Join(dir, e.split.Files[1].Path))
				for r := range f.Rows {
					if !reflect.DeepEqual(normalize(f.Rows[r]), normalize(jsonl[r])) {
						t.Fatalf("%s row %d: parquet (duckdb) %v, jsonl %v", f.Path, r, f.Rows[r], jsonl[r])
					}
				}
			}
		})
	}
}

// The same command gives byte-identical datasets, and the card's YAML names every split's files.
func TestEndToEndDeterministic(t *testing.T) {
	bin := buildBinary(t)
	a, b := t.TempDir(), t.TempDir()
	args := []string{"generate", "reversal", "--facts-per-group", "40", "--seed", "1234", "-q", "--augment", "entity,segment", "--augment-share", "0.5", "--segment-sep", " <rev> "}
	runBinary(t, bin, append(args, "--out", a, "--workers", "1")...)
	runBinary(t, bin, append(args, "--out", b, "--workers", "3")...)
	for _, rel := range []string{"manifest.json", "README.md", "data/train/train-00000-of-00001.parquet", "jsonl/eval/reverse-00000-of-00001.jsonl"} {
		x, _ := os.ReadFile(filepath.Join(a, "reversal", rel))
		y, _ := os.ReadFile(filepath.Join(b, "reversal", rel))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs of the same command", rel)
		}
	}
	// The card names the command that reproduces the dataset; running it must give the same bytes.
	card, _ := os.ReadFile(filepath.Join(a, "reversal", "README.md"))
	_, rest, _ := strings.Cut(string(card), "Reproduce byte for byte: `factforge ")
	command, _, _ := strings.Cut(rest, "`")
	if !strings.Contains(command, "--facts-per-group 40") || !strings.Contains(command, "--segment-sep ' <rev> '") {
		t.Fatalf("card's command %q does not carry the options", command)
	}
	c := t.TempDir()
	// The command is shell text (quoted values): run it through sh, with our binary as factforge.
	script := `"$0" ` + strings.TrimPrefix(command, "factforge ") + ` --out "$1" -q`
	if out, err := exec.Command("sh", "-c", script, bin, c).CombinedOutput(); err != nil {
		t.Fatalf("running the card's command %q: %v\n%s", command, err, out)
	}
	for _, rel := range []string{"manifest.json", "data/eval/same_direction-00000-of-00001.parquet"} {
		x, _ := os.ReadFile(filepath.Join(a, "reversal", rel))
		y, _ := os.ReadFile(filepath.Join(c, "reversal", rel))
		if !bytes.Equal(x, y) {
			t.Errorf("the card's command gives another %s", rel)
		}
	}
}

// SIGINT or SIGTERM during generation: the run stops with 130 or 143 (128 + the signal, as shells
// report it), and neither the dataset nor its staging folder nor its lock is left.
func TestInterruptLeavesNothing(t *testing.T) {
	bin := buildBinary(t)
	for _, c := range []struct {
		sig  os.Signal
		code int
	}{{os.Interrupt, 130}, {syscall.SIGTERM, 143}} {
		out := t.TempDir()
		cmd := startMidRun(t, bin, out, "reversal")
		cmd.Process.Signal(c.sig)
		err := cmd.Wait()
		if code := cmd.ProcessState.ExitCode(); err == nil || code != c.code {
			t.Fatalf("%v: the interrupted run exited %d, want %d", c.sig, code, c.code)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Fatalf("%v: the interrupted run left %v", c.sig, entries)
		}
	}
}

// startMidRun starts a long generate of name into out and returns once its staging folder exists
// (one that was not there before it started).
func startMidRun(t *testing.T, bin, out, name string) *exec.Cmd {
	t.Helper()
	before, _ := filepath.Glob(filepath.Join(out, "."+name+".partial-*"))
	cmd := exec.Command(bin, "generate", "reversal", "--facts-per-group", "100000", "--name", name, "--out", out, "-q")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		staging, _ := filepath.Glob(filepath.Join(out, "."+name+".partial-*"))
		if slices.ContainsFunc(staging, func(p string) bool { return !slices.Contains(before, p) }) {
			return cmd
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no staging folder of %s after 20 s", name)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A run killed with SIGKILL cannot clean up: its staging folder stays. The next run of the name
// removes it, and factforge clean removes those of other names; while a run writes a name, a second
// run of it fails at once and clean leaves it alone.
func TestKilledRunIsCleanedUp(t *testing.T) {
	bin := buildBinary(t)
	out := t.TempDir()
	for _, name := range []string{"a", "b"} {
		cmd := startMidRun(t, bin, out, name)
		cmd.Process.Kill()
		cmd.Wait()
	}
	staging := func(name string) []string {
		m, _ := filepath.Glob(filepath.Join(out, "."+name+".partial-*"))
		return m
	}
	if len(staging("a")) != 1 || len(staging("b")) != 1 {
		t.Fatalf("the killed runs left %v and %v, want one staging folder each", staging("a"), staging("b"))
	}

	// The next run of a removes a's; a run of b in progress keeps clean off b.
	if out, err := exec.Command(bin, "generate", "reversal", "--facts-per-group", "2", "--name", "a", "--out", out, "-q").CombinedOutput(); err != nil {
		t.Fatalf("the next run of a: %v\n%s", err, out)
	}
	if len(staging("a")) != 0 {
		t.Fatalf("the next run of a left %v", staging("a"))
	}
	running := startMidRun(t, bin, out, "b")
	second, err := exec.Command(bin, "generate", "reversal", "--facts-per-group", "2", "--name", "b", "--out", out, "-q").CombinedOutput()
	if err == nil || !strings.Contains(string(second), "another factforge run is writing") {
		t.Errorf("a second run of b while one runs: %v %s", err, second)
	}
	cleaned, err := exec.Command(bin, "clean", "--out", out).CombinedOutput()
	if err != nil || !strings.Contains(string(cleaned), "left b: a run is writing it") {
		t.Errorf("clean while b runs: %v %s", err, cleaned)
	}
	running.Process.Kill()
	running.Wait()

	// Now nothing writes b: clean removes its staging folder (the second run of b removed the first
	// one's when it began), and the lock file.
	cleaned, err = exec.Command(bin, "clean", "--out", out).CombinedOutput()
	if err != nil || strings.Count(string(cleaned), "removed ") != 1 {
		t.Errorf("clean: %v %s", err, cleaned)
	}
	entries, _ := os.ReadDir(out)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"a"}) {
		t.Errorf("after clean, the output folder holds %v, want [a]", names)
	}
}

// reproduceLine is the command a card says reproduces its dataset.
func reproduceLine(t *testing.T, dir string) string {
	t.Helper()
	card, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(card), "Reproduce byte for byte: `")
	command, _, _ := strings.Cut(rest, "`")
	if !ok || command == "" {
		t.Fatalf("%s: the card names no command", dir)
	}
	return command
}

// A merged dataset's card gives a shell command that makes it again from nothing (every shard, then
// the merge), and a shard's card names its shard; --license reaches the card's metadata and the command.
func TestMergedReproduceLineRuns(t *testing.T) {
	bin := buildBinary(t)
	work := t.TempDir()
	args := []string{"generate", "reversal", "--facts-per-group", "12", "--seed", "7", "--license", "mit", "-q", "--out", filepath.Join(work, "shards")}
	runBinary(t, bin, append(args, "--shard", "0/3")...)
	runBinary(t, bin, append(args, "--shard", "2/3")...)
	runBinary(t, bin, append(args, "--shard", "1/3")...)
	shard := filepath.Join(work, "shards", "reversal.shard-00001-of-00003")
	if line := reproduceLine(t, shard); !strings.HasSuffix(line, " --shard 1/3") || !strings.Contains(line, " --license mit ") {
		t.Errorf("shard 1's card says %q", line)
	}
	shards, _ := filepath.Glob(filepath.Join(work, "shards", "reversal.shard-*"))
	runBinary(t, bin, append([]string{"merge", "--name", "rev", "--out", filepath.Join(work, "first"), "-q"}, shards...)...)
	merged := filepath.Join(work, "first", "rev")
	if h := frontMatterOf(t, merged); h["license"] != "mit" {
		t.Errorf("merged card's license is %v, want mit", h["license"])
	}
	// Run the card's command in an empty folder, with our binary as factforge on the PATH.
	again := t.TempDir()
	if err := os.Symlink(bin, filepath.Join(again, "factforge")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", reproduceLine(t, merged))
	cmd.Dir, cmd.Env = again, append(os.Environ(), "PATH="+again+string(os.PathListSeparator)+os.Getenv("PATH"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("running the merged card's command: %v\n%s", err, out)
	}
	for _, rel := range []string{"manifest.json", "README.md", "data/train/train-00002-of-00003.parquet"} {
		x, _ := os.ReadFile(filepath.Join(merged, rel))
		y, err := os.ReadFile(filepath.Join(again, "out", "rev", rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("the merged card's command gives another %s (%v)", rel, err)
		}
	}
}

// frontMatterOf parses the YAML header of a dataset's card.
func frontMatterOf(t *testing.T, dir string) map[string]any {
	t.Helper()
	card, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(strings.TrimPrefix(string(card), "---\n"), "\n---\n")
	var h map[string]any
	if err := yaml.Unmarshal([]byte(head), &h); err != nil {
		t.Fatal(err)
	}
	return h
}
