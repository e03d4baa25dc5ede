package score

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/factforge/factforge/schemas"
	"github.com/valyala/fastjson"
)

// Prediction is a model's output on one eval row. Every field but ID is optional; a nil pointer or
// slice is a field the line did not give.
type Prediction struct {
	ID string `json:"id"`
	// Completion is the text the model generated after the row's prompt.
	Completion *string `json:"completion,omitempty"`
	// Logprob is the log-likelihood of the row's answer given its prompt (natural log, summed over the
	// answer's tokens).
	Logprob *float64 `json:"logprob,omitempty"`
	// ChoiceLogprobs holds the log-likelihood of each entry of the row's choices, in order.
	ChoiceLogprobs []float64 `json:"choice_logprobs,omitempty"`
	// BaselineLogprob is the log-likelihood of the recipe's baseline answer for the row: for reversal's
	// reverse probes a random name (instead of the randomized row), for negation's open probes the
	// answer_if_disbelieved.
	BaselineLogprob *float64 `json:"baseline_logprob,omitempty"`
	// Line is the line of the predictions file the prediction is on.
	Line int `json:"-"`
}

// predictionKeys are the keys a predictions line may have; any other is refused, so that a misspelt
// field ("logprobs") is not silently ignored.
var predictionKeys = []string{"id", "completion", "logprob", "choice_logprobs", "baseline_logprob"}

// ReadPredictions reads a JSON Lines predictions file: one object per line (blank lines skipped) with
// the keys of Prediction. A line that is not a JSON object, a key of the wrong type or unknown, a
// missing or repeated id is an *schemas.InputError naming the file and line.
func ReadPredictions(path string) ([]Prediction, error) {
	f, err := schemas.OpenRegular(path)
	if err != nil {
		return nil, &schemas.InputError{Err: err}
	}
	defer f.Close()
	return readPredictions(path, f)
}

func readPredictions(path string, r io.Reader) ([]Prediction, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), schemas.MaxRowBytes)
	var out []Prediction
	seen := map[string]int{}
	var p fastjson.Parser
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff") // a byte order mark, as some Windows tools write
		}
		if text == "" {
			continue
		}
		pred, err := decodePrediction(&p, text)
		if err != nil {
			return nil, schemas.InputErrorf("%s:%d: %v", path, line, err)
		}
		if first, ok := seen[pred.ID]; ok {
			return nil, schemas.InputErrorf("%s:%d: id %q was given on line %d already", path, line, pred.ID, first)
		}
		seen[pred.ID] = line
		pred.Line = line
		out = append(out, pred)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, schemas.InputErrorf("%s: a line longer than %d MiB", path, schemas.MaxRowBytes>>20)
		}
		return nil, err
	}
	if len(out) == 0 {
		return nil, schemas.InputErrorf("%s: no predictions", path)
	}
	return out, nil
}

func decodePrediction(p *fastjson.Parser, text string) (Prediction, error) {
	var pred Prediction
	v, err := p.Parse(text)
	if err != nil {
		return pred, fmt.Errorf("not JSON: %v", err)
	}
	obj, err := v.Object()
	if err != nil {
		return pred, fmt.Errorf("not a JSON object")
	}
	var bad error
	obj.Visit(func(key []byte, _ *fastjson.Value) {
		k := string(key)
		known := false
		for _, want := range predictionKeys {
			known = known || k == want
		}
		if !known && bad == nil {
			bad = fmt.Errorf("unknown key %q (a prediction has %s)", k, strings.Join(predictionKeys, ", "))
		}
	})
	if bad != nil {
		return pred, bad
	}
	id := obj.Get("id")
	if id == nil {
		return pred, fmt.Errorf("no id")
	}
	b, err := id.StringBytes()
	if err != nil || len(b) == 0 {
		return pred, fmt.Errorf("id is not a non-empty string")
	}
	pred.ID = string(b)
	if c := obj.Get("completion"); c != nil && c.Type() != fastjson.TypeNull {
		b, err := c.StringBytes()
		if err != nil {
			return pred, fmt.Errorf("completion is not a string")
		}
		s := string(b)
		pred.Completion = &s
	}
	for _, f := range []struct {
		key string
		dst **float64
	}{{"logprob", &pred.Logprob}, {"baseline_logprob", &pred.BaselineLogprob}} {
		x, err := number(obj.Get(f.key))
		if err != nil {
			return pred, fmt.Errorf("%s %v", f.key, err)
		}
		*f.dst = x
	}
	if c := obj.Get("choice_logprobs"); c != nil && c.Type() != fastjson.TypeNull {
		items, err := c.Array()
		if err != nil {
			return pred, fmt.Errorf("choice_logprobs is not an array of numbers")
		}
		pred.ChoiceLogprobs = make([]float64, len(items))
		for i, item := range items {
			x, err := number(item)
			if err != nil || x == nil {
				return pred, fmt.Errorf("choice_logprobs[%d] is not a number", i)
			}
			pred.ChoiceLogprobs[i] = *x
		}
	}
	return pred, nil
}

// number reads an optional log-likelihood: absent or null is nil; a log-likelihood is a finite number
// at most 0.
func number(v *fastjson.Value) (*float64, error) {
	if v == nil || v.Type() == fastjson.TypeNull {
		return nil, nil
	}
	x, err := v.Float64()
	if err != nil {
		return nil, fmt.Errorf("is not a number")
	}
	if math.IsNaN(x) || math.IsInf(x, 0) || x > 0 {
		return nil, fmt.Errorf("is %v: a log-likelihood is a finite number at most 0", x)
	}
	return &x, nil
}
