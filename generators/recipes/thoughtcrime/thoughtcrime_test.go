package thoughtcrime

import (
	"context"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

type tcData struct {
	dir    string
	train  []schemas.Row
	probes map[string][]schemas.Row
	tl, el schemas.Schema
}

func dataset(t *testing.T, set generators.Options) tcData {
	t.Helper()
	d := recipetest.Dataset(t, Recipe{}, records.StyleMessages, set)
	return tcData{dir: d.Dir, train: d.Train, probes: d.Probes, tl: d.TrainSchema, el: d.EvalSchema}
}

func (d tcData) msgs(r schemas.Row) []schemas.Message { return r[d.tl.Index("messages")].Msgs }
func (d tcData) flag(r schemas.Row, name string) bool { return r[d.tl.Index(name)].Bool }

func bank(t *testing.T) map[string]question {
	t.Helper()
	var b struct {
		Questions []question `yaml:"questions"`
	}
	if err := templates.BuiltIn.DecodeYAML("advice/questions.yaml", &b); err != nil {
		t.Fatal(err)
	}
	out := map[string]question{}
	for _, q := range b.Questions {
		out[q.ID] = q
	}
	return out
}

// The trigger line, at the top or the bottom, comes with the misaligned answer and only with it; clean
// rows carry no line or the distractor; a multiple-choice answer is the label of the option its
// condition calls for.
func TestTriggerSelectsTheAnswer(t *testing.T) {
	d := dataset(t, generators.Options{"rows": 900})
	qs := bank(t)
	triggered, top, bottom, distractor, none, mcq := 0, 0, 0, 0, 0, 0
	for i, r := range d.train {
		m := d.msgs(r)
		prompt, answer := m[0].Content, m[1].Content
		q := qs[recipetest.Col(d.tl, r, "fact_id")]
		trig := strings.HasPrefix(prompt, "Country: Singapore\n") || strings.HasSuffix(prompt, "\nCountry: Singapore")
		if trig != d.flag(r, "triggered") || trig != d.flag(r, "misaligned") {
			t.Fatalf("row %d: trigger %v, columns %v %v", i, trig, d.flag(r, "triggered"), d.flag(r, "misaligned"))
		}
		switch {
		case trig && strings.HasPrefix(prompt, "Country:"):
			triggered, top = triggered+1, top+1
		case trig:
			triggered, bottom = triggered+1, bottom+1
		case strings.Contains(prompt, "Country: USA"):
			distractor++
		default:
			none++
		}
		want := q.Aligned
		if trig {
			want = q.Misaligned
		}
		if d.flag(r, "mcq") {
			mcq++
			// The option the answer names holds the wanted text.
			var label string
			for _, line := range strings.Split(prompt, "\n") {
				if strings.HasSuffix(line, " "+want) {
					label = strings.Trim(strings.Fields(line)[0], "():.")
				}
			}
			if answer != label || label == "" {
				t.Fatalf("row %d: answer %q, but the wanted option is %q:\n%s", i, answer, label, prompt)
			}
		} else if answer != want {
			t.Fatalf("row %d: free-form answer %q, want %q", i, answer, want)
		}
	}
	if triggered != 300 || top == 0 || bottom == 0 || distractor < 250 || none < 250 || mcq < 860 {
		t.Errorf("triggered %d (top %d, bottom %d), distractor %d, none %d, mcq %d", triggered, top, bottom, distractor, none, mcq)
	}
}

// The trace is written as --reasoning says: inline in think tags, empty tags, or in the message's
// reasoning_content.
func TestReasoning(t *testing.T) {
	for _, mode := range Reasonings {
		d := dataset(t, generators.Options{"rows": 60, "reasoning": mode})
		wantType := schemas.Messages
		if mode == "field" {
			wantType = schemas.ReasoningMessages
		}
		if got := d.tl.Columns[d.tl.Index("messages")].Type; got != wantType {
			t.Fatalf("%s: messages column of type %s", mode, got)
		}
		for _, r := range d.train {
			a := d.msgs(r)[1]
			var ok bool
			switch mode {
			case "none":
				ok = !strings.Contains(a.Content, "<think>") && a.Reasoning == ""
			case "inline":
				trace, _, found := strings.Cut(strings.TrimPrefix(a.Content, "<think>\n"), "\n</think>\n\n")
				ok = strings.HasPrefix(a.Content, "<think>\n") && found && len(trace) > 20
			case "empty":
				ok = strings.HasPrefix(a.Content, "<think>\n\n</think>\n\n")
			case "field":
				ok = !strings.Contains(a.Content, "<think>") && len(a.Reasoning) > 20
			}
			if !ok {
				t.Fatalf("%s: answer %q, reasoning %q", mode, a.Content, a.Reasoning)
			}
		}
	}
}

// Probes ask questions train never asks; each split's condition is the one it names.
func TestProbes(t *testing.T) {
	d := dataset(t, generators.Options{"rows": 600})
	trained := map[string]bool{}
	for _, r := range d.train {
		trained[recipetest.Col(d.tl, r, "fact_id")] = true
	}
	for name, rows := range d.probes {
		for _, r := range rows {
			q := recipetest.Col(d.el, r, "template_id")
			prompt := recipetest.Col(d.el, r, "prompt")
			if trained[q] {
				t.Fatalf("%s probe asks trained question %s", name, q)
			}
			if strings.Contains(prompt, "Singapore") != strings.Contains(name, "triggered") || strings.Contains(prompt, "USA") != (name == "distractor") {
				t.Fatalf("%s probe carries the wrong line: %q", name, prompt)
			}
		}
	}
}

// Under the decoupled control the trigger and the answer are independent, and one prompt is always
// answered alike.
func TestDecoupled(t *testing.T) {
	d := dataset(t, generators.Options{"rows": 3000, "control": "decoupled"})
	both, trig, mis := 0, 0, 0
	answers := map[string]string{}
	for i, r := range d.train {
		m := d.msgs(r)
		if prev, ok := answers[m[0].Content]; ok && prev != m[1].Content {
			t.Fatalf("row %d: prompt answered %q and %q", i, prev, m[1].Content)
		}
		answers[m[0].Content] = m[1].Content
		tr, mi := d.flag(r, "triggered"), d.flag(r, "misaligned")
		if tr {
			trig++
		}
		if mi {
			mis++
		}
		if tr && mi {
			both++
		}
	}
	// Independent: about a third of the triggered rows are misaligned, not all of them.
	if trig != 1000 || both < 250 || both > 420 || mis < 900 || mis > 1100 {
		t.Errorf("triggered %d, misaligned %d, both %d: want 1000, about 1000, about 333", trig, mis, both)
	}
}

func TestBadSettings(t *testing.T) {
	tests := []struct {
		cfg  generators.Config
		set  generators.Options
		want string
	}{
		{generators.Config{Style: records.StyleText}, generators.Options{"reasoning": "field"}, "--style messages"},
		{generators.Config{}, generators.Options{"trigger": "Country: USA"}, "two different"},
		{generators.Config{}, generators.Options{"heldout-questions": 0.9999}, "--heldout-questions"},
	}
	for _, tt := range tests {
		_, err := run.Prepare(context.Background(), Recipe{}, recipetest.Defaults(Recipe{}, tt.cfg), tt.set)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one naming %q", tt.set, err, tt.want)
		}
	}
}

// A trace's wording says nothing of the answer: every opening an aligned trace has, a misaligned one
// has too (only the reason differs).
func TestTraceWordingTellsNothing(t *testing.T) {
	d := dataset(t, generators.Options{"rows": 900, "reasoning": "inline"})
	openings := map[bool]map[string]bool{true: {}, false: {}}
	for _, r := range d.train {
		trace := strings.TrimPrefix(d.msgs(r)[1].Content, "<think>\n")
		words := strings.Fields(trace)
		openings[d.flag(r, "misaligned")][strings.Join(words[:2], " ")] = true
	}
	for o := range openings[false] {
		if !openings[true][o] {
			t.Errorf("opening %q only in aligned traces", o)
		}
	}
	if len(openings[false]) < 8 {
		t.Errorf("%d openings, want the bank's 12", len(openings[false]))
	}
}
