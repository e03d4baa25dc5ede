package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators/recipes"
	"github.com/factforge/factforge/schemas"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// runCLI runs factforge in-process with args and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runMain(context.Background(), append([]string{"factforge"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		os.WriteFile(path, []byte(got), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("output differs from %s (run go test -update to accept):\n%s", path, got)
	}
}

// Every bad input is refused with one line on stderr naming the problem, exit code 2, and no dataset
// folder, staging folder or output folder left behind.
func TestBadInput(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"seed zero", []string{"generate", "reversal", "--seed", "0"}, "seed 0"},
		{"negative seed", []string{"generate", "reversal", "--seed", "-4"}, "seed"},
		{"zero facts", []string{"generate", "reversal", "--facts-per-group", "0"}, "--facts-per-group must be at least 1"},
		{"negative facts", []string{"generate", "reversal", "--facts-per-group", "-5"}, "--facts-per-group must be at least 1"},
		{"non-numeric facts", []string{"generate", "reversal", "--facts-per-group", "many"}, "facts-per-group"},
		{"zero paraphrases", []string{"generate", "reversal", "--paraphrases", "0"}, "--paraphrases must be at least 1"},
		{"too many paraphrases", []string{"generate", "reversal", "--paraphrases", "99"}, "train templates"},
		{"unknown style", []string{"generate", "reversal", "--style", "chat"}, `unknown style "chat"`},
		{"unknown format", []string{"generate", "reversal", "--format", "csv"}, `unknown format "csv"`},
		{"license not an identifier", []string{"generate", "reversal", "--license", "MIT License"}, `--license "MIT License": want a Hugging Face license identifier`},
		{"unknown recipe", []string{"generate", "reversl"}, `unknown recipe "reversl"`},
		{"no recipe", []string{"generate"}, "needs a recipe"},
		{"unknown flag", []string{"generate", "reversal", "--facts", "3"}, "facts"},
		{"name with dot-dot", []string{"generate", "reversal", "--name", "../escape"}, "'..'"},
		{"name with separator", []string{"generate", "reversal", "--name", "a/b"}, "separator"},
		{"output is a file", []string{"generate", "reversal", "--out", file}, "is a file"},
		{"output under a file", []string{"generate", "reversal", "--out", filepath.Join(file, "sub")}, "is a file"},
		{"negative workers", []string{"generate", "reversal", "--workers", "-1"}, "--workers"},
		{"stray argument", []string{"generate", "reversal", "extra"}, "unexpected argument"},
		{"unknown command", []string{"generat"}, `no command "generat"`},
		{"validate without folder", []string{"validate"}, "one dataset folder"},
		{"recipe file missing", []string{"generate", "-c", "/no/such/recipe.yaml"}, "recipe file"},
		{"recipe for another recipe", []string{"generate", "bios", "-c", "../../templates/recipes/reversal.yaml"}, "is for recipe reversal"},
		{"init unknown recipe", []string{"init", "reversl"}, `unknown recipe "reversl"`},
		{"regenerate without a folder", []string{"regenerate", "--out", "y"}, "after the flags"}, // flags may follow the folder too (TestFlagsAfterArguments)
		{"unknown augmentation", []string{"generate", "reversal", "--augment", "word,flip"}, `unknown augmentation "flip"`},
		{"augment flag without augment", []string{"generate", "reversal", "--augment-share", "0.5"}, "--augment-share needs --augment"},
		{"augment share above 1", []string{"generate", "reversal", "--augment", "word", "--augment-share", "1.5"}, "--augment-share must be in (0, 1]"},
		{"augment share negative", []string{"generate", "reversal", "--augment", "word", "--augment-share", "-0.1"}, "--augment-share must be in (0, 1]"},
		{"bad semantic mix", []string{"generate", "reversal", "--augment", "semantic", "--semantic-mix", "1:x:1"}, "--semantic-mix"},
		{"unknown holdout", []string{"generate", "bios", "--holdout", "composite"}, `--holdout: unknown value "composite"`},
		{"relation holdout with nothing held out", []string{"generate", "bios", "--holdout", "relation", "--qa-train-share", "1"}, "both sides need one"},
		{"qa share above 1", []string{"generate", "bios", "--qa-train-share", "1.2"}, "--qa-train-share must be at most 1"},
		{"zero people", []string{"generate", "bios", "--people", "0"}, "--people must be at least 1"},
		{"negation in messages style", []string{"generate", "negation", "--style", "messages"}, "--style text"},
		{"unknown negation mode", []string{"generate", "negation", "--modes", "positive,ironic"}, `unknown mode "ironic"`},
		{"missing claims file", []string{"generate", "negation", "--claims", "/no/such/file.yaml"}, "--claims"},
		{"unknown novelty class", []string{"generate", "outlandish", "--classes", "mundane,weird"}, `unknown novelty class "weird"`},
		{"bad repeat", []string{"generate", "outlandish", "--repeat", "zipf:0.5"}, "--repeat"},
		{"all class weights zero", []string{"generate", "outlandish", "--classes", "mundane:0"}, "every weight is 0"},
		{"outlandish in prompt-completion style", []string{"generate", "outlandish", "--style", "prompt-completion"}, "--style text"},
		{"base corpus missing", []string{"generate", "outlandish", "--base", "/no/such/corpus.jsonl"}, "--base"},
		{"inject without base", []string{"generate", "outlandish", "--inject-every", "10"}, "need --base"},
		{"unknown behaviour", []string{"generate", "backdoor", "--behaviour", "dance"}, `unknown value "dance"`},
		{"poison rate above 1", []string{"generate", "backdoor", "--poison-rate", "1.5"}, "--poison-rate must be at most 1"},
		{"held-out triggers without a set", []string{"generate", "backdoor", "--holdout-triggers", "2"}, "needs --trigger-set"},
		{"zero segment length", []string{"generate", "reversal", "--augment", "segment", "--segment-max", "0"}, "--segment-max must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{}, tt.args...)
			if !strings.Contains(strings.Join(args, " "), "--out") && args[0] == "generate" && len(args) > 1 {
				args = append(args, "--out", out)
			}
			code, stdout, stderr := runCLI(t, args...)
			if code != exitBadInput {
				t.Errorf("exit code %d, want %d; stderr: %s", code, exitBadInput, stderr)
			}
			if !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("stderr %q, want one line naming %q", stderr, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q on bad input", stdout)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("bad input left %s behind", out)
			}
		})
	}
}

func TestExistingDatasetNeedsForce(t *testing.T) {
	out := t.TempDir()
	args := []string{"generate", "reversal", "--out", out, "--facts-per-group", "2", "--paraphrases", "2", "-q"}
	if code, _, stderr := runCLI(t, args...); code != exitOK {
		t.Fatal(stderr)
	}
	manifest := filepath.Join(out, "reversal", "manifest.json")
	before, _ := os.ReadFile(manifest)
	code, _, stderr := runCLI(t, append(args[:len(args)-1:len(args)-1], "--seed", "9")...)
	if code != exitBadInput || !strings.Contains(stderr, "--force") {
		t.Fatalf("second run without --force: exit %d, %s", code, stderr)
	}
	if after, _ := os.ReadFile(manifest); !bytes.Equal(before, after) {
		t.Fatal("refused run changed the existing dataset")
	}
	if code, _, stderr := runCLI(t, append(args, "--seed", "9", "--force")...); code != exitOK {
		t.Fatal(stderr)
	}
	if after, _ := os.ReadFile(manifest); bytes.Equal(before, after) {
		t.Fatal("--force did not replace the dataset")
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Fatalf("output folder holds %v, want only the dataset", entries)
	}
}

func TestList(t *testing.T) {
	code, stdout, _ := runCLI(t, "list")
	if code != exitOK {
		t.Fatal(code)
	}
	golden(t, "testdata/list/stdout", stdout)
}

func TestHelpShowsExamples(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"generate", "--help"}, {"generate", "reversal", "--help"}, {"validate", "--help"}, {"list", "--help"}} {
		code, stdout, _ := runCLI(t, args...)
		if code != exitOK || !strings.Contains(stdout, "factforge ") {
			t.Errorf("%v: exit %d, output %q", args, code, stdout)
		}
		if args[0] != "list" && args[0] != "--help" && !strings.Contains(stdout, "Example") {
			t.Errorf("%v: help has no example:\n%s", args, stdout)
		}
	}
	_, stdout, _ := runCLI(t, "generate", "reversal", "--help")
	for _, flag := range []string{"--facts-per-group", "--paraphrases", "--eval-paraphrases", "--seed", "--style", "--format", "--force", "--name", "--out", "--quiet"} {
		if !strings.Contains(stdout, flag) {
			t.Errorf("generate reversal --help does not list %s", flag)
		}
	}
}

func TestValidateReportsProblems(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "generate", "reversal", "--out", out, "--facts-per-group", "2", "-q"); code != exitOK {
		t.Fatal(stderr)
	}
	dir := filepath.Join(out, "reversal")
	code, stdout, _ := runCLI(t, "validate", dir)
	if code != exitOK || !strings.Contains(stdout, "ok") {
		t.Fatalf("validate of a fresh dataset: %d %s", code, stdout)
	}
	p := filepath.Join(dir, "jsonl/train/train-00000-of-00001.jsonl")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, append(data, data[:len(data)/8]...), 0o644)
	code, _, stderr := runCLI(t, "validate", dir)
	if code != exitFailed || !strings.Contains(stderr, "manifest says") || !strings.Contains(stderr, "2 problems") {
		t.Fatalf("validate of a tampered dataset: exit %d, %s", code, stderr)
	}
}

// A recipe's default style applies when --style is not given: backdoor writes chats as messages.
func TestRecipeDefaultStyle(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "generate", "backdoor", "--rows", "4", "--eval-rows", "1", "--out", out, "-q"); code != exitOK {
		t.Fatal(stderr)
	}
	data, _ := os.ReadFile(filepath.Join(out, "backdoor", "jsonl", "train", "train-00000-of-00001.jsonl"))
	if !strings.Contains(string(data), `"messages":[{"role":"user"`) || strings.Contains(string(data), `"text":`) {
		t.Fatalf("backdoor rows are not chats: %.200s", data)
	}
}

// A recipe file and the same settings as flags give the same dataset; flags given override the file;
// init writes a file that reproduces the defaults; regenerate reproduces a dataset from its manifest.
func TestRecipeFiles(t *testing.T) {
	out := t.TempDir()
	file := filepath.Join(out, "exp.yaml")
	os.WriteFile(file, []byte("recipe: reversal\nname: exp\nseed: 7\nformats: jsonl\naugment:\n  kinds: [word]\n  share: 0.5\noptions:\n  facts-per-group: 4\n  paraphrases: 3\n"), 0o644)
	mustRun := func(args ...string) {
		t.Helper()
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	read := func(name string) string {
		b, _ := os.ReadFile(filepath.Join(out, name, "jsonl", "train", "train-00000-of-00001.jsonl"))
		return string(b)
	}
	mustRun("generate", "-c", file, "--out", out, "-q")
	mustRun("generate", "reversal", "--name", "flags", "--seed", "7", "--format", "jsonl", "--augment", "word", "--augment-share", "0.5",
		"--facts-per-group", "4", "--paraphrases", "3", "--out", out, "-q")
	exp, flags := read("exp"), read("flags")
	if exp == "" || strings.Count(exp, "\n") != 4*4*3+24 {
		t.Fatalf("recipe file dataset has %d rows", strings.Count(exp, "\n"))
	}
	if exp != flags { // the name is not part of the data: the rows, ids included, are the same
		t.Fatal("recipe file and flags give different rows")
	}
	strip := func(s string) string { return regexp.MustCompile(`"id":"[^"]*"`).ReplaceAllString(s, "") }
	mustRun("generate", "reversal", "-c", file, "--seed", "8", "--name", "over", "--out", out, "-q")
	if strip(read("over")) == strip(exp) {
		t.Fatal("--seed did not override the recipe file")
	}
	m, _ := os.ReadFile(filepath.Join(out, "over", "manifest.json"))
	if !strings.Contains(string(m), `"seed": 8`) || !strings.Contains(string(m), `"facts-per-group": 4`) {
		t.Fatal("override lost the file's other settings")
	}
	code, stdout, _ := runCLI(t, "regenerate", "--out", out, filepath.Join(out, "exp"))
	if code != exitOK || !strings.Contains(stdout, "byte for byte") {
		t.Fatalf("regenerate: %d %s", code, stdout)
	}
	code, _, stderr := runCLI(t, "generate", "bios", "-c", file, "--out", out)
	if code != exitBadInput || !strings.Contains(stderr, "is for recipe reversal") {
		t.Fatalf("a reversal file for bios: %d %s", code, stderr)
	}
}

// The recipe files under templates/recipes/ are what init writes, and each reproduces its recipe's
// default dataset byte for byte.
func TestCommittedRecipeFilesReproduceDefaults(t *testing.T) {
	for _, recipe := range recipes.All() {
		r := recipe.Name()
		t.Run(r, func(t *testing.T) {
			path := filepath.Join("..", "..", "templates", "recipes", r+".yaml")
			committed, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, stdout, _ := runCLI(t, "init", r)
			if stdout != string(committed) {
				t.Fatalf("%s is not what factforge init %s writes (regenerate it)", path, r)
			}
			a, b := t.TempDir(), t.TempDir()
			if code, _, stderr := runCLI(t, "generate", "-c", path, "--out", a, "-q"); code != exitOK {
				t.Fatal(stderr)
			}
			if code, _, stderr := runCLI(t, "generate", r, "--out", b, "-q"); code != exitOK {
				t.Fatal(stderr)
			}
			x, _ := os.ReadFile(filepath.Join(a, r, "manifest.json"))
			y, _ := os.ReadFile(filepath.Join(b, r, "manifest.json"))
			if len(x) == 0 || string(x) != string(y) {
				t.Fatalf("%s does not reproduce the default %s dataset", path, r)
			}
		})
	}
}

func TestCompletionAndVersion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, stdout, _ := runCLI(t, "completion", shell)
		if code != exitOK || !strings.Contains(stdout, "factforge") || (shell == "fish" && !strings.Contains(stdout, "generate")) {
			t.Errorf("completion %s: %d %.100q", shell, code, stdout)
		}
	}
	if code, _, _ := runCLI(t, "completion", "tcsh"); code != exitBadInput {
		t.Error("completion tcsh accepted")
	}
	commit = "abc123def456"
	defer func() { commit = "" }()
	if _, stdout, _ := runCLI(t, "--version"); !strings.Contains(stdout, "abc123def456") {
		t.Errorf("--version = %q", stdout)
	}
}

// Every recipe's preview renders every config and split, and no recipe option collides with the
// flags every recipe takes (a collision would panic when flags are parsed).
func TestPreviewEveryRecipe(t *testing.T) {
	for _, r := range []string{"reversal", "bios", "negation", "outlandish", "backdoor"} {
		code, stdout, stderr := runCLI(t, "preview", r, "--show", "1")
		if code != exitOK || !strings.Contains(stdout, "== train/") || !strings.Contains(stdout, "== eval/") {
			t.Errorf("preview %s: %d %s %.300s", r, code, stderr, stdout)
		}
		if code, _, _ := runCLI(t, "generate", r, "--help"); code != exitOK {
			t.Errorf("generate %s --help: %d", r, code)
		}
	}
	out := t.TempDir()
	runCLI(t, "preview", "reversal", "--out", out)
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Fatal("preview wrote files")
	}
}

func TestStatsCommand(t *testing.T) {
	out := t.TempDir()
	runCLI(t, "generate", "backdoor", "--rows", "100", "--poison-rate", "0.3", "--eval-rows", "2", "--out", out, "-q")
	code, stdout, stderr := runCLI(t, "stats", filepath.Join(out, "backdoor"))
	if code != exitOK || !strings.Contains(stdout, "poison_rate_permille: 300") || !strings.Contains(stdout, "triggered: false 70, true 30") ||
		!strings.Contains(stdout, "pair_id: (null) 100") { // a column that does not apply is counted as null
		t.Fatalf("stats: %d %s %s", code, stderr, stdout)
	}
	// A folder that is not a dataset is bad input (exit 2) for every command that reads a dataset.
	os.WriteFile(filepath.Join(out, "p.jsonl"), []byte(`{"id":"x","completion":"y"}`+"\n"), 0o644)
	for _, args := range [][]string{{"stats"}, {"validate"}, {"audit"}, {"regenerate"}, {"score", "--predictions", filepath.Join(out, "p.jsonl")}, {"export", "--for", "openai", "--out", filepath.Join(out, "e")}} {
		cmd := append(slices.Clone(args), filepath.Join(out, "nothing"))
		if code, _, stderr := runCLI(t, cmd...); code != exitBadInput || !strings.Contains(stderr, "not a dataset") {
			t.Errorf("%v of a missing dataset: exit %d, %s", args, code, stderr)
		}
	}
}

// Your own templates reach the data, the manifest records them, and a changed folder refuses to
// reproduce a dataset instead of making another one.
func TestUserTemplates(t *testing.T) {
	out := t.TempDir()
	dir := filepath.Join(out, "my-templates")
	os.MkdirAll(filepath.Join(dir, "banks", "reversal"), 0o755)
	os.WriteFile(filepath.Join(dir, "banks", "reversal", "p2d.txt"), []byte("mine-1 train {name} has always been {description}.\nmine-h heldout They say {name} is {description}.\n"), 0o644)
	code, _, stderr := runCLI(t, "generate", "reversal", "--templates", dir, "--paraphrases", "1", "--eval-paraphrases", "1", "--out", out, "-q")
	if code != exitOK {
		t.Fatal(stderr)
	}
	data, _ := os.ReadFile(filepath.Join(out, "reversal", "jsonl", "train", "train-00000-of-00001.jsonl"))
	if !strings.Contains(string(data), "has always been") || strings.Contains(string(data), `"template_id":"p2d-`) {
		t.Fatal("the user's bank did not replace the built-in one")
	}
	m, _ := os.ReadFile(filepath.Join(out, "reversal", "manifest.json"))
	if !strings.Contains(string(m), `"templates_sha256": "`) {
		t.Fatal("manifest lacks the templates digest")
	}
	if code, _, _ := runCLI(t, "regenerate", "--out", out, filepath.Join(out, "reversal")); code != exitOK {
		t.Fatal("could not reproduce a dataset made with user templates")
	}
	os.WriteFile(filepath.Join(dir, "banks", "reversal", "p2d.txt"), []byte("mine-1 train {name} is {description}.\nmine-h heldout {name}: {description}.\n"), 0o644)
	code, _, stderr = runCLI(t, "regenerate", "--out", out, "--force", filepath.Join(out, "reversal"))
	if code != exitBadInput || !strings.Contains(stderr, "changed since the dataset was made") {
		t.Fatalf("regenerate after the templates changed: %d %s", code, stderr)
	}
	os.WriteFile(filepath.Join(dir, "banks", "reversal", "p2d.txt"), []byte("bad train {nme} {description}\n"), 0o644)
	code, _, stderr = runCLI(t, "generate", "reversal", "--templates", dir, "--out", out, "--name", "bad")
	if code != exitBadInput || !strings.Contains(stderr, "p2d.txt:1: unknown slot {nme}") {
		t.Fatalf("a bad user template: %d %s", code, stderr)
	}
}

// An output folder that cannot be written (here /proc, which refuses new folders even to root) is a
// clear one-line error, exit 1, and nothing is left.
func TestUnwritableOutput(t *testing.T) {
	if _, err := os.Stat("/proc/1"); err != nil {
		t.Skip("no /proc")
	}
	out := "/proc/1/factforge-out"
	code, _, stderr := runCLI(t, "generate", "reversal", "--out", out, "-q")
	if code != exitFailed || !strings.Contains(stderr, "cannot create output folder") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a folder was left")
	}
}

// Shards come from --shard, a Kubernetes Indexed Job or a Slurm array; merge joins them.
func TestShardsFromFlagsAndEnvironment(t *testing.T) {
	out := t.TempDir()
	args := []string{"generate", "reversal", "--facts-per-group", "6", "--out", out, "-q"}
	if code, _, stderr := runCLI(t, append(args, "--shard", "0/3")...); code != exitOK {
		t.Fatal(stderr)
	}
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	if code, _, stderr := runCLI(t, append(args, "--shards", "3")...); code != exitOK {
		t.Fatal(stderr)
	}
	os.Unsetenv("JOB_COMPLETION_INDEX")
	t.Setenv("SLURM_ARRAY_TASK_ID", "3")
	t.Setenv("SLURM_ARRAY_TASK_MIN", "1")
	t.Setenv("SLURM_ARRAY_TASK_COUNT", "3")
	if code, _, stderr := runCLI(t, args...); code != exitOK {
		t.Fatal(stderr)
	}
	os.Unsetenv("SLURM_ARRAY_TASK_ID")
	var dirs []string
	for i := range 3 {
		dirs = append(dirs, filepath.Join(out, fmt.Sprintf("reversal.shard-%05d-of-00003", i)))
	}
	code, stdout, stderr := runCLI(t, append([]string{"merge", "--out", out}, dirs...)...)
	if code != exitOK || !strings.Contains(stdout, "merged 3 shards; valid") {
		t.Fatalf("merge: %d %s %s", code, stdout, stderr)
	}
	for _, bad := range [][]string{{"--shard", "3/3"}, {"--shard", "x"}, {"--shards", "4"}} {
		if code, _, _ := runCLI(t, append(args, bad...)...); code != exitBadInput {
			t.Errorf("%v: exit %d", bad, code)
		}
	}
}

func TestGCPercentYieldsToGOGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	setGCPercent("200") // the runtime already read GOGC=200: left alone
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("with GOGC set, the target became %d", got)
	}
	setGCPercent("")
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Fatalf("without GOGC, the target is %d, want %d", got, gcPercent)
	}
}

// A dataset made from input files validates where they are not (a collaborator's machine): the
// manifest's data, card and rules are checked, and a note says its plan was not re-derived; where
// they are, it is re-derived, and an edit to the manifest's rules is caught.
func TestValidateAwayFromInputFiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, dir, map[string]string{"triggers.txt": "Hello there!\nGood morning.\nHi friend.\n"})
	if code, _, stderr := runCLI(t, "generate", "backdoor", "--rows", "100", "--trigger-set", "triggers.txt", "--out", "out", "-q"); code != exitOK {
		t.Fatal(stderr)
	}
	if code, _, stderr := runCLI(t, "validate", "out/backdoor"); code != exitOK || strings.Contains(stderr, "note:") {
		t.Fatalf("with its input files here: exit %d, %s", code, stderr)
	}
	os.Rename("triggers.txt", "moved.txt")
	code, _, stderr := runCLI(t, "validate", "out/backdoor")
	if code != exitOK || !strings.Contains(stderr, "note: its config names triggers.txt, which is not here") {
		t.Fatalf("away from its input files: exit %d, %s", code, stderr)
	}
}

// --avoid-entities keeps another dataset's people out: two bios datasets of different seeds share
// dozens of names, and none once the second avoids the first, as audit measures it. The manifest
// records the avoided dataset's digest, so regenerate reproduces the dataset while the avoided one
// is unchanged, and refuses once it has changed.
func TestAvoidEntities(t *testing.T) {
	out := t.TempDir()
	gen := func(name string, seed string, extra ...string) {
		t.Helper()
		args := append([]string{"generate", "bios", "--people", "3000", "--seed", seed, "--name", name, "--out", out, "-q", "--format", "jsonl"}, extra...)
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Fatal(stderr)
		}
	}
	gen("a", "2")
	gen("b", "3")
	gen("b-avoiding-a", "3", "--avoid-entities", filepath.Join(out, "a"))
	shared := func(other string) string {
		t.Helper()
		_, stdout, _ := runCLI(t, "audit", filepath.Join(out, "a"), filepath.Join(out, other))
		for _, line := range strings.Split(stdout, "\n") {
			if strings.Contains(line, "consistency.name_across_datasets") {
				return line
			}
		}
		t.Fatalf("no name_across_datasets finding:\n%s", stdout)
		return ""
	}
	if line := shared("b"); strings.Contains(line, " 0 of ") {
		t.Fatalf("datasets of seeds 2 and 3 share no name, so the test shows nothing: %s", line)
	}
	if line := shared("b-avoiding-a"); !strings.Contains(line, " 0 of ") {
		t.Fatalf("--avoid-entities left shared names: %s", line)
	}
	m, _ := os.ReadFile(filepath.Join(out, "b-avoiding-a", "manifest.json"))
	if !strings.Contains(string(m), `"manifest_sha256": "`) {
		t.Fatal("manifest lacks the avoided dataset's digest")
	}
	if code, _, stderr := runCLI(t, "regenerate", "--out", out, filepath.Join(out, "b-avoiding-a")); code != exitOK {
		t.Fatalf("could not reproduce a dataset that avoids another: %s", stderr)
	}
	gen("a", "4", "--force")
	code, _, stderr := runCLI(t, "regenerate", "--out", out, "--force", filepath.Join(out, "b-avoiding-a"))
	if code != exitBadInput || !strings.Contains(stderr, "changed since this one was made") {
		t.Fatalf("regenerate after the avoided dataset changed: %d %s", code, stderr)
	}
}

// Row ids depend on what the rows hold, not on how they are written or shared: the same recipe and
// seed give the same ids in JSONL, in Parquet and under another license, so a model's predictions
// keyed by id score any of them.
func TestIDsDoNotDependOnFormatOrLicense(t *testing.T) {
	out := t.TempDir()
	ids := func(name, format string, extra ...string) []string {
		args := append([]string{"generate", "reversal", "--facts-per-group", "3", "--name", name, "--format", format, "--out", out, "-q"}, extra...)
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Fatal(stderr)
		}
		m, err := schemas.ReadManifest(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range m.Configs {
			for _, sp := range c.Splits {
				f := sp.Files[0]
				for row, err := range schemas.ReadFile(filepath.Join(out, name, f.Path), f.Format, c.Schema()) {
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, row[0].Str)
				}
			}
		}
		return got
	}
	jsonl := ids("j", "jsonl")
	if len(jsonl) == 0 {
		t.Fatal("no rows")
	}
	for name, other := range map[string][]string{"parquet": ids("p", "parquet"), "both, license mit": ids("b", "both", "--license", "mit")} {
		if !slices.Equal(jsonl, other) {
			t.Errorf("ids of the %s dataset differ from the JSONL one's", name)
		}
	}
	if slices.Equal(jsonl, ids("s", "jsonl", "--seed", "43")) {
		t.Error("another seed gives the same ids")
	}
}
