package score

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/factforge/factforge/schemas"
	"github.com/valyala/fastjson"
)

// Reading the samples lm-evaluation-harness logs with --log_samples, for the tasks `factforge export
// --for lm-eval` writes: each line of a samples_<task>_<date>.jsonl file holds the row it scored as
// "doc" (with factforge's id column) and the model's outputs as "filtered_resps", one per request
// (lm_eval/evaluator.py, the example dict of evaluate()). The file has them as save_results_samples
// (lm_eval/loggers/evaluation_tracker.py) writes them: every response turned to a string
// (sanitize_list: [logprob, is_greedy] becomes ["-1.5", "False"]) and the arguments an object
// ({"gen_args_0": {"arg_0": context, "arg_1": continuation}}); the unsanitised form is read too:
//
//   - generate_until: one request; its filtered response is the generated text (a completion);
//   - loglikelihood: one request; [logprob, is_greedy] of the continuation its arguments name after
//     the prompt: the answer's (a logprob), or the baseline answer's (a baseline_logprob: negation's
//     answer_if_disbelieved, the table's Baseline column, in the _baseline tasks export writes);
//   - multiple_choice: a request per choice; [logprob, is_greedy] each (choice_logprobs).

// ReadLMEvalSamples reads every samples_*.jsonl file under dir (the harness's --output_path, or one
// model's folder in it) as predictions keyed by the rows' ids. One id may be in several tasks (a
// reversal reverse probe is generated in one and its likelihood taken in another), each giving other
// fields; two files that give one field of one id (two runs' samples in one folder) are an
// *schemas.InputError naming both.
func ReadLMEvalSamples(dir string) ([]Prediction, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && strings.HasPrefix(d.Name(), "samples_") && strings.HasSuffix(d.Name(), ".jsonl") {
			files = append(files, path)
		}
		return nil // symlinks are passed over: nothing outside the folder named is read
	})
	if err != nil {
		return nil, &schemas.InputError{Err: err}
	}
	if len(files) == 0 {
		return nil, schemas.InputErrorf("%s: no samples_*.jsonl files (run lm_eval with --log_samples --output_path %s)", dir, dir)
	}
	slices.Sort(files) // WalkDir's order is lexical already; sorted, the result cannot depend on it
	byID := map[string]*Prediction{}
	from := map[string]string{} // id and field -> the file:line that gave it
	var order []string
	for _, path := range files {
		if err := readSamplesFile(path, func(line int, id string, p Prediction) error {
			have := byID[id]
			if have == nil {
				have = &Prediction{ID: id, Line: line}
				byID[id] = have
				order = append(order, id)
			}
			at := fmt.Sprintf("%s:%d", path, line)
			for _, f := range []struct {
				field string
				set   bool
			}{{"completion", p.Completion != nil}, {"logprob", p.Logprob != nil}, {"choice_logprobs", p.ChoiceLogprobs != nil}, {"baseline_logprob", p.BaselineLogprob != nil}} {
				field := f.field
				if !f.set {
					continue
				}
				if first, ok := from[id+"\x00"+field]; ok {
					return schemas.InputErrorf("%s: the %s of row %s was given at %s already: pass the folder of one lm_eval run", at, field, id, first)
				}
				from[id+"\x00"+field] = at
			}
			if p.Completion != nil {
				have.Completion = p.Completion
			}
			if p.Logprob != nil {
				have.Logprob = p.Logprob
			}
			if p.ChoiceLogprobs != nil {
				have.ChoiceLogprobs = p.ChoiceLogprobs
			}
			if p.BaselineLogprob != nil {
				have.BaselineLogprob = p.BaselineLogprob
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	out := make([]Prediction, len(order))
	for i, id := range order {
		out[i] = *byID[id]
	}
	return out, nil
}

// readSamplesFile calls got with the prediction each line of one samples file makes.
func readSamplesFile(path string, got func(line int, id string, p Prediction) error) error {
	f, err := schemas.OpenRegular(path)
	if err != nil {
		return &schemas.InputError{Err: err}
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), schemas.MaxRowBytes)
	var parser fastjson.Parser
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		v, err := parser.Parse(sc.Text())
		if err != nil {
			return schemas.InputErrorf("%s:%d: not JSON: %v", path, line, err)
		}
		id, p, err := samplePrediction(v)
		if err != nil {
			return schemas.InputErrorf("%s:%d: %v", path, line, err)
		}
		if err := got(line, id, p); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return schemas.InputErrorf("%s: a line longer than %d MiB", path, schemas.MaxRowBytes>>20)
		}
		return err
	}
	return nil
}

// samplePrediction reads one logged sample: the row's id from its doc, and the output from
// filtered_resps, by its shape: a string is a completion; pairs [logprob, is_greedy] are the choices'
// log-likelihoods where the doc has choices, else the answer's.
func samplePrediction(v *fastjson.Value) (string, Prediction, error) {
	var p Prediction
	id := v.GetStringBytes("doc", "id")
	if len(id) == 0 {
		return "", p, fmt.Errorf("doc has no id: not a sample of a task factforge exported")
	}
	resps := v.GetArray("filtered_resps")
	if len(resps) == 0 {
		return "", p, fmt.Errorf("no filtered_resps")
	}
	if resps[0].Type() == fastjson.TypeString {
		if len(resps) != 1 {
			return "", p, fmt.Errorf("%d generated responses for one row", len(resps))
		}
		s := string(resps[0].GetStringBytes())
		p.Completion = &s
		return string(id), p, nil
	}
	logprobs := make([]float64, len(resps))
	for i, r := range resps {
		pair := r.GetArray()
		if len(pair) == 0 {
			return "", p, fmt.Errorf("filtered_resps[%d] is neither a text nor [logprob, is_greedy]", i)
		}
		x, err := loggedNumber(pair[0])
		if err != nil {
			return "", p, fmt.Errorf("filtered_resps[%d]: the log-likelihood %v", i, err)
		}
		logprobs[i] = x
	}
	if choices := v.Get("doc", "choices"); choices != nil && choices.Type() == fastjson.TypeArray {
		p.ChoiceLogprobs = logprobs
		return string(id), p, nil
	}
	if len(logprobs) != 1 {
		return "", p, fmt.Errorf("%d log-likelihoods for a row without choices", len(logprobs))
	}
	// The request's arguments are [context, continuation]: which answer was measured.
	cont := v.GetStringBytes("arguments", "gen_args_0", "arg_1")
	if cont == nil {
		cont = v.GetStringBytes("arguments", "0", "1")
	}
	switch measured := strings.TrimSpace(string(cont)); {
	case cont == nil || measured == strings.TrimSpace(string(v.GetStringBytes("doc", "answer"))):
		p.Logprob = &logprobs[0]
	case slices.ContainsFunc(baselineColumns(), func(col string) bool {
		b := v.GetStringBytes("doc", col)
		return b != nil && measured == strings.TrimSpace(string(b))
	}):
		p.BaselineLogprob = &logprobs[0]
	default:
		return "", p, fmt.Errorf("the log-likelihood of %q, which is neither the row's answer nor a baseline answer (%s)", measured, strings.Join(baselineColumns(), ", "))
	}
	return string(id), p, nil
}

// loggedNumber reads a log-likelihood as the harness logs it: a string ("-1.5") or a number.
func loggedNumber(v *fastjson.Value) (float64, error) {
	var x float64
	var err error
	if b, serr := v.StringBytes(); serr == nil {
		if x, err = strconv.ParseFloat(string(b), 64); err != nil {
			return 0, fmt.Errorf("%q is not a number", b)
		}
	} else if x, err = v.Float64(); err != nil {
		return 0, fmt.Errorf("is not a number")
	}
	if math.IsNaN(x) || math.IsInf(x, 0) || x > 0 {
		return 0, fmt.Errorf("is %v: a log-likelihood is a finite number at most 0", x)
	}
	return x, nil
}

// isFolder tells a predictions path that is a folder (lm_eval's samples) from a file.
func isFolder(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// ReadRun reads a run's predictions from path: a predictions file, or a folder of lm-evaluation-
// harness samples (ReadLMEvalSamples).
func ReadRun(path string) ([]Prediction, error) {
	if isFolder(path) {
		return ReadLMEvalSamples(path)
	}
	return ReadPredictions(path)
}
