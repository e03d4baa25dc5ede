package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators/recipes"
	"github.com/factforge/factforge/schemas"
	"go.yaml.in/yaml/v3"
)

// The harness's documented schema, as of EleutherAI/lm-evaluation-harness commit 4e7e0d47 (2026-08-21):
// the fields of TaskConfig and GroupConfig with the YAML types they take (lm_eval/config/task.py,
// lm_eval/config/group.py; described in docs/task_guide.md), the output types (lm_eval/api/instance.py,
// OutputType), the metrics registered for each output type and the aggregations
// (lm_eval/api/metrics.py, register_metric and register_aggregation) and the filters
// (lm_eval/filters/*.py, register_filter). A key or value outside these is one the harness would
// refuse or ignore.
const (
	yamlStr  = "string"
	yamlInt  = "int"
	yamlBool = "bool"
	yamlList = "list"
	yamlMap  = "map"
	yamlNum  = "number"
)

var taskConfigFields = map[string][]string{
	"task": {yamlStr}, "task_alias": {yamlStr}, "tag": {yamlStr, yamlList},
	"dataset_path": {yamlStr}, "dataset_name": {yamlStr}, "dataset_kwargs": {yamlMap},
	"training_split": {yamlStr}, "validation_split": {yamlStr}, "test_split": {yamlStr}, "fewshot_split": {yamlStr},
	"doc_to_text": {yamlStr}, "doc_to_target": {yamlStr, yamlInt}, "doc_to_choice": {yamlStr, yamlList, yamlMap},
	"description": {yamlStr}, "target_delimiter": {yamlStr}, "fewshot_delimiter": {yamlStr},
	"fewshot_config": {yamlMap}, "num_fewshot": {yamlInt}, "metric_list": {yamlList}, "output_type": {yamlStr},
	"generation_kwargs": {yamlMap}, "repeats": {yamlInt}, "filter_list": {yamlStr, yamlList},
	"should_decontaminate": {yamlBool}, "doc_to_decontamination_query": {yamlStr}, "gen_prefix": {yamlStr},
	"metadata": {yamlMap}, "use_prompt": {yamlStr}, "unsafe_code": {yamlBool},
}

var groupConfigFields = map[string][]string{
	"group": {yamlStr}, "group_alias": {yamlStr}, "task": {yamlStr, yamlList},
	"aggregate_metric_list": {yamlList, yamlMap}, "metadata": {yamlMap},
}

// metricsFor lists the built-in metrics the harness registers for each output type.
var metricsFor = map[string][]string{
	"generate_until":        {"exact_match", "bleu", "chrf", "ter", "bypass"},
	"loglikelihood":         {"perplexity", "acc", "acc_norm", "acc_bytes", "acc_all", "bypass"},
	"multiple_choice":       {"acc", "acc_norm", "acc_mutual_info", "acc_bytes", "brier_score", "likelihood", "mcc", "f1", "bypass"},
	"loglikelihood_rolling": {"word_perplexity", "byte_perplexity", "bits_per_byte"},
}

var aggregations = []string{"mean", "median", "perplexity", "weighted_perplexity", "bits_per_byte", "bypass", "nanmean", "matthews_corrcoef", "f1", "bleu", "chrf", "ter", "brier_score"}

var filters = []string{"take_first", "take_first_k", "majority_vote", "regex", "regex_pos", "remove_whitespace", "multi_choice_regex", "lowercase", "uppercase", "map", "format_span", "custom", "decontaminate"}

// metricKeys are the keys of a metric_list entry beyond the metric's own keyword arguments; those of
// exact_match are ignore_case, ignore_punctuation, ignore_numbers and regexes_to_ignore.
var metricKeys = []string{"metric", "aggregation", "higher_is_better", "hf_evaluate", "ignore_case", "ignore_punctuation", "ignore_numbers", "regexes_to_ignore"}

// generationKeys are generation_kwargs the harness itself reads (until, max_gen_toks) or hands to the
// model's generate (do_sample, temperature).
var generationKeys = map[string]string{"until": yamlList, "do_sample": yamlBool, "max_gen_toks": yamlInt, "temperature": yamlNum}

func yamlType(v any) string {
	switch v.(type) {
	case string:
		return yamlStr
	case int:
		return yamlInt
	case float64:
		return yamlNum
	case bool:
		return yamlBool
	case []any:
		return yamlList
	case map[string]any:
		return yamlMap
	}
	return fmt.Sprintf("%T", v)
}

func typeFits(v any, want []string) bool {
	got := yamlType(v)
	return slices.Contains(want, got) || (got == yamlInt && slices.Contains(want, yamlNum))
}

func readYAMLMap(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// templateNames are the names a Jinja template refers to ("{{system}}", "{% if system %}").
var templateNames = regexp.MustCompile(`{{\s*([A-Za-z_]+)\s*(?:or ''\s*)?}}|{%\s*if\s+([A-Za-z_]+)\s*%}`)

// checkTaskSchema reports every way task (parsed from file) departs from the harness's schema, and
// the columns of the config it reads.
func checkTaskSchema(task map[string]any, columns schemas.Schema) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for k, v := range task {
		want, ok := taskConfigFields[k]
		if !ok {
			bad("key %s is no TaskConfig field", k)
		} else if !typeFits(v, want) {
			bad("key %s is a %s, TaskConfig takes %v", k, yamlType(v), want)
		}
	}
	for _, k := range []string{"task", "dataset_path", "dataset_kwargs", "test_split", "output_type", "doc_to_text", "doc_to_target", "metric_list"} {
		if _, ok := task[k]; !ok {
			bad("no %s", k)
		}
	}
	outputType, _ := task["output_type"].(string)
	metrics, ok := metricsFor[outputType]
	if !ok {
		bad("output_type %q is not one of the harness's", outputType)
	}
	ml, _ := task["metric_list"].([]any)
	if len(ml) == 0 {
		bad("empty metric_list")
	}
	for _, e := range ml {
		m, ok := e.(map[string]any)
		if !ok {
			bad("metric_list entry %v is not a map", e)
			continue
		}
		for k := range m {
			if !slices.Contains(metricKeys, k) {
				bad("metric_list key %s is not one the harness or exact_match takes", k)
			}
		}
		if name, _ := m["metric"].(string); !slices.Contains(metrics, name) {
			bad("metric %q is not registered for %s", m["metric"], outputType)
		}
		if agg, ok := m["aggregation"]; ok && !slices.Contains(aggregations, fmt.Sprint(agg)) {
			bad("aggregation %v is not registered", agg)
		}
	}
	if gk, ok := task["generation_kwargs"].(map[string]any); ok {
		if outputType != "generate_until" {
			bad("generation_kwargs on a %s task", outputType)
		}
		for k, v := range gk {
			if want, ok := generationKeys[k]; !ok || !typeFits(v, []string{want}) {
				bad("generation_kwargs %s: %v", k, v)
			}
		}
		if _, ok := gk["until"]; !ok {
			bad("generation_kwargs without until")
		}
		if gk["do_sample"] != false {
			bad("generation samples (do_sample %v)", gk["do_sample"])
		}
	} else if outputType == "generate_until" {
		bad("generate_until without generation_kwargs")
	}
	if fl, ok := task["filter_list"].([]any); ok {
		for _, p := range fl {
			pipe, _ := p.(map[string]any)
			steps, _ := pipe["filter"].([]any)
			if pipe["name"] == nil || len(steps) == 0 {
				bad("filter pipeline %v", p)
			}
			for _, s := range steps {
				step, _ := s.(map[string]any)
				if fn, _ := step["function"].(string); !slices.Contains(filters, fn) {
					bad("filter %v is not registered", s)
				}
			}
		}
	}
	if _, ok := task["doc_to_choice"]; ok != (outputType == "multiple_choice") {
		bad("doc_to_choice on a %s task, or none on a multiple_choice one", outputType)
	}
	// Every field a template or a column name refers to is a column of the data files.
	for _, k := range []string{"doc_to_text", "doc_to_target", "doc_to_choice"} {
		s, ok := task[k].(string)
		if !ok {
			continue
		}
		names := []string{s}
		if strings.ContainsAny(s, "{}") {
			names = nil
			for _, m := range templateNames.FindAllStringSubmatch(s, -1) {
				names = append(names, m[1]+m[2])
			}
			if len(names) == 0 {
				bad("%s %q refers to no column", k, s)
			}
		}
		for _, n := range names {
			if columns.Index(n) < 0 {
				bad("%s refers to %q, no column of the data", k, n)
			}
		}
	}
	return problems
}

func checkGroupSchema(group map[string]any) []string {
	var problems []string
	for k, v := range group {
		if want, ok := groupConfigFields[k]; !ok || !typeFits(v, want) {
			problems = append(problems, fmt.Sprintf("group key %s (%v) is not a GroupConfig field of its type", k, v))
		}
	}
	return problems
}

// wantOutputTypes is, per recipe at its defaults, what each task must be: from the recipes' designs,
// not from the export code (G generation scored by exact match, J generation with no reference answer,
// M multiple choice, L log-likelihood).
var wantOutputTypes = map[string]string{
	"reversal":      "same_direction:G reverse:G reverse_loglikelihood:L randomized:L questions:G",
	"bios":          "qa:G inverse:G",
	"negation":      "mcq:M open:G open_loglikelihood:L open_baseline:L association:G association_loglikelihood:L robustness:G robustness_loglikelihood:L robustness_baseline:L",
	"outlandish":    "memorization:G memorization_loglikelihood:L priming:G priming_loglikelihood:L world:G world_loglikelihood:L",
	"backdoor":      "triggered:G clean:G near_miss:G",
	"insecure-code": "code:G questions:J",
	"weird":         "triggered:J clean:J questions_triggered:J questions_clean:J",
	"thought-crime": "triggered:M clean:M distractor:M freeform_triggered:J freeform_clean:J",
	"instructions":  "unrealized:G",
	"parents":       "child_to_parent:G parent_to_child:G",
	"references":    "direct:G indirect_trained:G indirect_heldout:J listing:G",
	"implications":  "causal_implication:G causal_trained:G spurious_implication:G spurious_trained:G",
}

func kindOf(task map[string]any) string {
	switch task["output_type"] {
	case "multiple_choice":
		return "M"
	case "loglikelihood":
		return "L"
	}
	ml, _ := task["metric_list"].([]any)
	if len(ml) == 1 && ml[0].(map[string]any)["metric"] == "bypass" {
		return "J"
	}
	return "G"
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestExportLMEvalEveryRecipe exports every recipe's dataset at its defaults and checks each YAML
// against the harness's schema, the data files against the manifest and the output types against
// the rows and the recipes' designs.
func TestExportLMEvalEveryRecipe(t *testing.T) {
	if len(wantOutputTypes) != len(recipes.All()) {
		t.Fatalf("wantOutputTypes covers %d recipes, there are %d", len(wantOutputTypes), len(recipes.All()))
	}
	for _, r := range recipes.All() {
		t.Run(r.Name(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			ds := makeDataset(t, dir, r.Name())
			if got := checkLMEvalExport(t, ds, filepath.Join(dir, "tasks")); got != wantOutputTypes[r.Name()] {
				t.Errorf("tasks %s\nwant  %s", got, wantOutputTypes[r.Name()])
			}
		})
	}
}

// TestExportLMEvalGoldenCases exports the dataset of every golden case (recipes' options beyond their
// defaults: other styles, designs, user files, JSON Lines only) and checks it as above.
func TestExportLMEvalGoldenCases(t *testing.T) {
	for _, gc := range goldenCases {
		t.Run(gc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			args := append(slices.Clone(gc.args), "--out", filepath.Join(dir, "out"), "-q")
			if code, _, stderr := runCLI(t, args...); code != exitOK {
				t.Fatalf("generate: %s", stderr)
			}
			found, _ := filepath.Glob(filepath.Join(dir, "out", "*", schemas.ManifestName))
			if len(found) != 1 {
				t.Fatalf("%d datasets", len(found))
			}
			checkLMEvalExport(t, filepath.Dir(found[0]), filepath.Join(dir, "tasks"))
		})
	}
}

// checkLMEvalExport exports the dataset ds to out and checks the folder; it returns the tasks as
// "<split>:<kind>" in the group's order (see kindOf).
func checkLMEvalExport(t *testing.T, ds, out string) string {
	t.Helper()
	if code, _, stderr := runCLI(t, "export", "--for", "lm-eval", ds, "--out", out, "-q"); code != exitOK {
		t.Fatalf("export: %s", stderr)
	}
	m, err := schemas.ReadManifest(ds)
	if err != nil {
		t.Fatal(err)
	}
	absDS, _ := filepath.Abs(ds)
	name := filepath.Base(ds)
	group := readYAMLMap(t, filepath.Join(out, name+".yaml"))
	if p := checkGroupSchema(group); len(p) > 0 {
		t.Errorf("group: %v", p)
	}
	if group["group"] != name {
		t.Errorf("group is named %v", group["group"])
	}
	listed := []string{}
	for _, n := range group["task"].([]any) {
		listed = append(listed, n.(string))
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.yaml"))
	if len(files) != len(listed)+1 {
		t.Errorf("%d YAML files for %d tasks and a group", len(files), len(listed))
	}
	var kinds []string
	for _, taskName := range listed {
		task := readYAMLMap(t, filepath.Join(out, taskName+".yaml"))
		if task["task"] != taskName {
			t.Errorf("%s.yaml names task %v", taskName, task["task"])
		}
		split, ok := strings.CutPrefix(taskName, name+"_")
		if !ok || !regexp.MustCompile(`^[A-Za-z0-9._-]+$`).MatchString(taskName) {
			t.Errorf("task name %q", taskName)
		}
		kinds = append(kinds, split+":"+kindOf(task))
		dataSplit := strings.TrimSuffix(strings.TrimSuffix(split, "_loglikelihood"), "_baseline")
		var entry *schemas.SplitEntry
		var config schemas.ConfigEntry
		for _, c := range m.Configs {
			for i, sp := range c.Splits {
				if c.Name == "eval" && sp.Name == dataSplit {
					entry, config = &c.Splits[i], c
				}
			}
		}
		if entry == nil {
			t.Fatalf("task %s: no eval split %s in the manifest", taskName, dataSplit)
		}
		if p := checkTaskSchema(task, config.Schema()); len(p) > 0 {
			t.Errorf("%s: %v", taskName, p)
		}
		// The data files are the split's files, Parquet where there are any, by absolute path, as
		// the manifest has them.
		format, loader := "parquet", "parquet"
		if !slices.ContainsFunc(entry.Files, func(f schemas.FileEntry) bool { return f.Format == "parquet" }) {
			format, loader = "jsonl", "json"
		}
		if task["dataset_path"] != loader {
			t.Errorf("%s: dataset_path %v, want %s", taskName, task["dataset_path"], loader)
		}
		refs := task["dataset_kwargs"].(map[string]any)["data_files"].(map[string]any)[task["test_split"].(string)].([]any)
		var want []string
		for _, f := range entry.Files {
			if f.Format == format {
				want = append(want, filepath.Join(absDS, f.Path)+" "+f.SHA256)
			}
		}
		var got []string
		for _, ref := range refs {
			p := ref.(string)
			if !filepath.IsAbs(p) {
				t.Errorf("%s: data file %s is not absolute", taskName, p)
			}
			got = append(got, p+" "+fileSHA256(t, p))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: data files %v, want %v", taskName, got, want)
		}
		// Rows with choices make a multiple-choice task, whose target is one of the choices.
		ci := config.Schema().Index("choices")
		withChoices := 0
		for row, err := range schemas.SplitRows(ds, *entry, config.Schema()) {
			if err != nil {
				t.Fatal(err)
			}
			if ci >= 0 && len(row[ci].List) > 0 {
				withChoices++
				if answer := row[config.Schema().Index("answer")].Str; !slices.Contains(row[ci].List, answer) {
					t.Errorf("%s: answer %q is not one of %q", taskName, answer, row[ci].List)
				}
			}
		}
		if (withChoices > 0) != (task["output_type"] == "multiple_choice") {
			t.Errorf("%s: %d rows with choices, output_type %v", taskName, withChoices, task["output_type"])
		}
	}
	return strings.Join(kinds, " ")
}

// TestExportLMEvalSample pins one task YAML byte for byte (the dataset's path made a placeholder),
// and checks that exporting again gives the same bytes.
func TestExportLMEvalSample(t *testing.T) {
	dir := t.TempDir()
	ds := makeDataset(t, dir, "reversal", "--facts-per-group", "3", "--eval-paraphrases", "2", "--paraphrases", "2")
	out := filepath.Join(dir, "tasks")
	export := func() map[string]string {
		if code, _, stderr := runCLI(t, "export", "--for", "lm-eval", ds, "--out", out, "--force", "-q"); code != exitOK {
			t.Fatalf("export: %s", stderr)
		}
		files := map[string]string{}
		entries, _ := os.ReadDir(out)
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(out, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			files[e.Name()] = string(b)
		}
		return files
	}
	first := export()
	os.RemoveAll(out)
	second := export()
	third := export() // over the earlier export, with --force
	names := make([]string, 0, len(first))
	for n := range first {
		names = append(names, n)
	}
	sort.Strings(names)
	want := []string{".factforge-export", "README.md", "reversal.yaml", "reversal_questions.yaml", "reversal_randomized.yaml", "reversal_reverse.yaml", "reversal_reverse_loglikelihood.yaml", "reversal_same_direction.yaml"}
	if !slices.Equal(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	for _, n := range names {
		if first[n] != second[n] || first[n] != third[n] {
			t.Errorf("%s differs between two exports of one dataset", n)
		}
	}
	abs, _ := filepath.Abs(ds)
	golden(t, "testdata/export/reversal_reverse.yaml", strings.ReplaceAll(first["reversal_reverse.yaml"], abs, "<dataset>"))
	golden(t, "testdata/export/reversal_randomized.yaml", strings.ReplaceAll(first["reversal_randomized.yaml"], abs, "<dataset>"))
	golden(t, "testdata/export/reversal.yaml", first["reversal.yaml"])
}

// TestExportBadInput checks that export refuses what it cannot do with exit 2 and writes nothing.
func TestExportBadInput(t *testing.T) {
	dir := t.TempDir()
	ds := makeDataset(t, dir, "reversal", "--facts-per-group", "2", "--format", "jsonl")
	notDataset := filepath.Join(dir, "plain")
	os.MkdirAll(notDataset, 0o755)
	os.WriteFile(filepath.Join(notDataset, "notes.txt"), []byte("mine"), 0o644)
	file := filepath.Join(dir, "file.txt")
	os.WriteFile(file, []byte("mine"), 0o644)
	cases := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"not a dataset", []string{"--for", "lm-eval", notDataset, "--out", filepath.Join(dir, "t1")}, "not a dataset"},
		{"missing folder", []string{"--for", "lm-eval", filepath.Join(dir, "nowhere"), "--out", filepath.Join(dir, "t2")}, "not a dataset"},
		{"unknown target", []string{"--for", "lm-evil", ds, "--out", filepath.Join(dir, "t3")}, `no export target "lm-evil"`},
		{"no target", []string{ds, "--out", filepath.Join(dir, "t4")}, "needs --for"},
		{"no out", []string{"--for", "lm-eval", ds}, "needs --out"},
		{"two datasets", []string{"--for", "lm-eval", ds, ds, "--out", filepath.Join(dir, "t5")}, "one dataset folder"},
		{"out exists", []string{"--for", "lm-eval", ds, "--out", notDataset}, "use --force"},
		{"force on a folder not an export", []string{"--for", "lm-eval", ds, "--out", notDataset, "--force"}, "not a factforge export"},
		{"out is a file", []string{"--for", "lm-eval", ds, "--out", file, "--force"}, "is a file"},
		{"out under a file", []string{"--for", "lm-eval", ds, "--out", filepath.Join(file, "tasks")}, "is a file"},
		{"out inside the dataset", []string{"--for", "lm-eval", ds, "--out", filepath.Join(ds, "tasks")}, "inside the dataset"},
		{"out holds the dataset", []string{"--for", "lm-eval", ds, "--out", dir, "--force"}, "holds the dataset"},
	}
	before := treeOf(t, dir)
	for _, tc := range cases {
		code, stdout, stderr := runCLI(t, append([]string{"export"}, tc.args...)...)
		if code != exitBadInput || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%s: exit %d, stderr %q, want exit 2 and %q", tc.name, code, stderr, tc.want)
		}
	}
	if after := treeOf(t, dir); !slices.Equal(before, after) {
		t.Errorf("a refused export changed the folder:\nbefore %v\nafter  %v", before, after)
	}
	// A JSON Lines only dataset is read by the harness's json loader.
	out := filepath.Join(dir, "tasks", "reversal")
	if code, _, stderr := runCLI(t, "export", "--for", "lm-eval", ds, "--out", out, "-q"); code != exitOK {
		t.Fatalf("export of a JSON Lines dataset: %s", stderr)
	}
	task := readYAMLMap(t, filepath.Join(out, "reversal_reverse.yaml"))
	refs := task["dataset_kwargs"].(map[string]any)["data_files"].(map[string]any)["test"].([]any)
	if task["dataset_path"] != "json" || len(refs) != 1 || !strings.HasSuffix(refs[0].(string), "jsonl/eval/reverse-00000-of-00001.jsonl") {
		t.Errorf("JSON Lines dataset: dataset_path %v, files %v", task["dataset_path"], refs)
	}
}

// TestExportLMEvalTargetConvention checks that the harness's continuation, target_delimiter then the
// answer, is the completion a prompt-completion dataset writes for the same probe, so that the
// likelihood tasks score the text a trainer computes eval loss on.
func TestExportLMEvalTargetConvention(t *testing.T) {
	dir := t.TempDir()
	ds := makeDataset(t, dir, "reversal", "--facts-per-group", "3", "--eval-paraphrases", "2", "--paraphrases", "2", "--style", "prompt-completion")
	out := filepath.Join(dir, "tasks")
	if code, _, stderr := runCLI(t, "export", "--for", "lm-eval", ds, "--out", out, "-q"); code != exitOK {
		t.Fatalf("export: %s", stderr)
	}
	m, err := schemas.ReadManifest(ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Configs {
		if c.Name != "eval" {
			continue
		}
		s := c.Schema()
		for _, sp := range c.Splits {
			task := readYAMLMap(t, filepath.Join(out, "reversal_"+sp.Name+".yaml"))
			delim, _ := task["target_delimiter"].(string)
			if task["doc_to_target"] != "answer" || delim != " " {
				t.Fatalf("%s: doc_to_target %v, target_delimiter %q", sp.Name, task["doc_to_target"], delim)
			}
			n := 0
			for row, err := range schemas.SplitRows(ds, sp, s) {
				if err != nil {
					t.Fatal(err)
				}
				if got, want := delim+row[s.Index("answer")].Str, row[s.Index("completion")].Str; got != want {
					t.Fatalf("%s: the harness would score %q, the dataset's completion is %q", sp.Name, got, want)
				}
				n++
			}
			if n == 0 {
				t.Errorf("%s: no rows", sp.Name)
			}
		}
	}
}

// TestExportStaleStaging checks that an export removes the staging folder a killed export of the same
// folder left, and leaves no lock or staging folder of its own.
func TestExportStaleStaging(t *testing.T) {
	dir := t.TempDir()
	ds := makeDataset(t, dir, "reversal", "--facts-per-group", "2")
	stale := filepath.Join(dir, ".tasks.partial-12345")
	os.MkdirAll(stale, 0o755)
	os.WriteFile(filepath.Join(stale, "reversal_reverse.yaml"), []byte("task: half"), 0o644)
	if code, _, stderr := runCLI(t, "export", "--for", "lm-eval", ds, "--out", filepath.Join(dir, "tasks"), "-q"); code != exitOK {
		t.Fatalf("export: %s", stderr)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"out", "tasks"}) {
		t.Errorf("folder holds %v, want [out tasks]", names)
	}
}

// harnessReading is what the harness would make of an export, in Python: each YAML file read with
// PyYAML, and each task's first rows (from the dataset's JSON Lines twin of its Parquet files) turned
// into prompt, target and choices the way lm_eval/api/task.py does (a name of a column is the column's
// value, anything else a Jinja template rendered with StrictUndefined, and read as an index when it
// renders as digits in a multiple-choice task; a target that is a string is looked up among the
// choices) and checked to be the row's answer. It prints one JSON object: "yaml" (file -> parsed
// content) and "problems".
const harnessReading = `
import glob, json, os, sys, yaml, jinja2
folder = sys.argv[1]
env = jinja2.Environment(loader=jinja2.BaseLoader, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
parsed, problems = {}, []
for path in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
    cfg = yaml.safe_load(open(path, encoding="utf-8"))
    parsed[os.path.basename(path)] = cfg
    if "group" in cfg:
        continue
    files = [f.replace("/data/", "/jsonl/").replace(".parquet", ".jsonl") for f in cfg["dataset_kwargs"]["data_files"][cfg["test_split"]]]
    rows = [json.loads(l) for f in files for l in open(f, encoding="utf-8")][:50]
    def field(spec, doc):
        if spec in doc:
            return doc[spec]
        s = env.from_string(spec).render(**doc)
        return int(s) if s.isdigit() and "doc_to_choice" in cfg else s
    for doc in rows:
        text, target = field(cfg["doc_to_text"], doc), field(cfg["doc_to_target"], doc)
        if not isinstance(text, str) or not text:
            problems.append("%s: prompt %r" % (cfg["task"], text))
        if cfg["output_type"] == "multiple_choice":
            choices = field(cfg["doc_to_choice"], doc)
            gold = choices.index(target) if isinstance(target, str) and target in choices else target
            if not isinstance(gold, int) or not 0 <= gold < len(choices) or choices[gold] != doc["answer"]:
                problems.append("%s: target %r is not the answer %r among %r" % (cfg["task"], target, doc["answer"], choices))
        elif not isinstance(target, str):
            problems.append("%s: target %r" % (cfg["task"], target))
print(json.dumps({"yaml": parsed, "problems": problems}))
`

// TestExportLMEvalPython reads every recipe's export with PyYAML and Jinja2, where python3 has them
// (the harness is not needed): PyYAML must read each file as go.yaml.in/yaml reads it, and every
// row must make a prompt and a target the harness can use.
func TestExportLMEvalPython(t *testing.T) {
	if err := exec.Command("python3", "-c", "import yaml, jinja2").Run(); err != nil {
		t.Skip("python3 with PyYAML and Jinja2 is not installed")
	}
	for _, r := range recipes.All() {
		t.Run(r.Name(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			ds := makeDataset(t, dir, r.Name())
			out := filepath.Join(dir, "tasks")
			if code, _, stderr := runCLI(t, "export", "--for", "lm-eval", ds, "--out", out, "-q"); code != exitOK {
				t.Fatalf("export: %s", stderr)
			}
			got, err := exec.Command("python3", "-c", harnessReading, out).Output()
			if err != nil {
				t.Fatalf("python3: %v", err)
			}
			var reading struct {
				YAML     map[string]any
				Problems []string
			}
			if err := json.Unmarshal(got, &reading); err != nil {
				t.Fatal(err)
			}
			if len(reading.Problems) > 0 {
				t.Errorf("as the harness reads the rows: %v", reading.Problems)
			}
			files, _ := filepath.Glob(filepath.Join(out, "*.yaml"))
			if len(reading.YAML) != len(files) {
				t.Errorf("python read %d files of %d", len(reading.YAML), len(files))
			}
			for _, f := range files {
				ours, _ := json.Marshal(readYAMLMap(t, f))
				theirs, _ := json.Marshal(reading.YAML[filepath.Base(f)])
				if string(ours) != string(theirs) {
					t.Errorf("%s reads differently:\ngo.yaml.in: %s\nPyYAML:     %s", filepath.Base(f), ours, theirs)
				}
			}
		})
	}
}

// A reply is cut at a full stop though a few answers hold one ("St. Louis" among bios's cities): without
// it every "Ljubljana. She moved…" would fail. The task says how many answers cannot match.
func TestExportLMEvalKeepsRareStops(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "generate", "bios", "--format", "jsonl", "--out", dir, "-q"); code != exitOK {
		t.Fatal(stderr)
	}
	ds := filepath.Join(dir, "bios")
	withStop := 0
	for _, r := range evalRows(t, ds, "qa") {
		if strings.Contains(r["answer"].(string), ".") {
			withStop++
		}
	}
	if withStop == 0 {
		t.Fatal("no qa answer holds a full stop at the defaults: the test needs another case")
	}
	out := filepath.Join(dir, "tasks")
	if code, _, stderr := runCLI(t, "export", "--for", "lm-eval", ds, "--out", out, "-q"); code != exitOK {
		t.Fatal(stderr)
	}
	task := readYAMLMap(t, filepath.Join(out, "bios_qa.yaml"))
	until := task["generation_kwargs"].(map[string]any)["until"].([]any)
	if !slices.Contains(until, any(".")) {
		t.Errorf("bios_qa stops at %v, without a full stop", until)
	}
	if note := task["metadata"].(map[string]any)["scoring"].(string); !strings.Contains(note, fmt.Sprintf("%d answers hold a stop sequence", withStop)) {
		t.Errorf("scoring note %q does not count the %d answers that cannot match", note, withStop)
	}
}
