package score

import (
	"slices"
	"strings"
	"testing"

	"github.com/valyala/fastjson"
)

// Each output type's logged sample becomes the prediction field it is: a generated text a completion,
// one [logprob, is_greedy] the answer's logprob, one per choice the choices' logprobs.
func TestSamplePrediction(t *testing.T) {
	for _, tt := range []struct {
		name, line string
		check      func(Prediction) bool
		err        string
	}{
		{"generate_until", `{"doc":{"id":"a","answer":"Paris"},"filtered_resps":["Paris, of course"]}`,
			func(p Prediction) bool {
				return p.Completion != nil && *p.Completion == "Paris, of course" && p.Logprob == nil
			}, ""},
		{"loglikelihood", `{"doc":{"id":"a","choices":null},"filtered_resps":[[-1.5,false]]}`,
			func(p Prediction) bool { return p.Logprob != nil && *p.Logprob == -1.5 && p.ChoiceLogprobs == nil }, ""},
		{"multiple_choice", `{"doc":{"id":"a","choices":["x","y","z"]},"filtered_resps":[[-3,false],[-0.5,true],[-2,false]]}`,
			func(p Prediction) bool {
				return slices.Equal(p.ChoiceLogprobs, []float64{-3, -0.5, -2}) && p.Logprob == nil
			}, ""},
		{"loglikelihood of the answer, by its arguments", `{"doc":{"id":"a","answer":"Paris","answer_if_disbelieved":"Lyon"},"arguments":[["Q:"," Paris"]],"filtered_resps":[[-1,false]]}`,
			func(p Prediction) bool { return p.Logprob != nil && *p.Logprob == -1 && p.BaselineLogprob == nil }, ""},
		{"loglikelihood of the baseline", `{"doc":{"id":"a","answer":"Paris","answer_if_disbelieved":"Lyon"},"arguments":[["Q:"," Lyon"]],"filtered_resps":[[-4,false]]}`,
			func(p Prediction) bool {
				return p.BaselineLogprob != nil && *p.BaselineLogprob == -4 && p.Logprob == nil
			}, ""},
		{"loglikelihood of something else", `{"doc":{"id":"a","answer":"Paris"},"arguments":[["Q:"," Rome"]],"filtered_resps":[[-4,false]]}`, nil, "neither the row's answer"},
		{"loglikelihood as the harness logs it", `{"doc":{"id":"a","answer":"Paris","answer_if_disbelieved":"Lyon"},"arguments":{"gen_args_0":{"arg_0":"Q:","arg_1":" Lyon"}},"filtered_resps":[["-4.25","False"]]}`,
			func(p Prediction) bool {
				return p.BaselineLogprob != nil && *p.BaselineLogprob == -4.25 && p.Logprob == nil
			}, ""},
		{"multiple_choice as the harness logs it", `{"doc":{"id":"a","choices":["x","y"]},"arguments":{"gen_args_0":{"arg_0":"Q:","arg_1":" x"},"gen_args_1":{"arg_0":"Q:","arg_1":" y"}},"filtered_resps":[["-3","False"],["-0.5","True"]]}`,
			func(p Prediction) bool { return slices.Equal(p.ChoiceLogprobs, []float64{-3, -0.5}) }, ""},
		{"a logged NaN", `{"doc":{"id":"a"},"filtered_resps":[["nan","False"]]}`, nil, "finite number at most 0"},
		{"a logged word", `{"doc":{"id":"a"},"filtered_resps":[["high","False"]]}`, nil, `"high" is not a number`},
		{"no id", `{"doc":{"answer":"x"},"filtered_resps":["x"]}`, nil, "doc has no id"},
		{"positive logprob", `{"doc":{"id":"a"},"filtered_resps":[[0.5,false]]}`, nil, "at most 0"},
		{"pairs without choices", `{"doc":{"id":"a"},"filtered_resps":[[-1,false],[-2,false]]}`, nil, "2 log-likelihoods for a row without choices"},
		{"neither", `{"doc":{"id":"a"},"filtered_resps":[7]}`, nil, "neither a text nor"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id, p, err := samplePrediction(fastjson.MustParse(tt.line))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || id != "a" || !tt.check(p) {
				t.Fatalf("got %q %+v %v", id, p, err)
			}
		})
	}
}
