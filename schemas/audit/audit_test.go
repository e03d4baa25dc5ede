package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/factforge/factforge/schemas"
)

// testDataset writes a small dataset by hand: config train (text, group) with split train, and config
// eval (prompt, answer, direction, and choices when any row has them) with split probes.
func testDataset(t *testing.T, train []string, probes []testProbe, rules ...schemas.Rule) string {
	t.Helper()
	dir := t.TempDir()
	trainCols := []schemas.Column{{Name: "id", Type: schemas.String}, {Name: "text", Type: schemas.String}, {Name: "variant", Type: schemas.String}}
	evalCols := []schemas.Column{{Name: "id", Type: schemas.String}, {Name: "prompt", Type: schemas.String}, {Name: "answer", Type: schemas.String},
		{Name: "direction", Type: schemas.String}, {Name: "choices", Type: schemas.Strings}}
	var trainRows, evalRows []map[string]any
	for i, text := range train {
		trainRows = append(trainRows, map[string]any{"id": "t" + string(rune('a'+i%26)), "text": text, "variant": "original"})
	}
	for i, p := range probes {
		if p.choices == nil {
			p.choices = []string{}
		}
		evalRows = append(evalRows, map[string]any{"id": "e" + string(rune('a'+i%26)), "prompt": p.prompt, "answer": p.answer, "direction": p.direction, "choices": p.choices})
	}
	m := schemas.Manifest{Recipe: "test", Seed: 1, Config: json.RawMessage(`{}`), Rules: rules}
	for _, c := range []struct {
		name, split string
		cols        []schemas.Column
		rows        []map[string]any
	}{{"train", "train", trainCols, trainRows}, {"eval", "probes", evalCols, evalRows}} {
		rel := "jsonl/" + c.name + "/" + c.split + "-00000-of-00001.jsonl"
		var b strings.Builder
		for _, r := range c.rows {
			line, _ := json.Marshal(r)
			b.Write(append(line, '\n'))
		}
		os.MkdirAll(filepath.Join(dir, "jsonl", c.name), 0o755)
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(b.String()))
		m.Configs = append(m.Configs, schemas.ConfigEntry{Name: c.name, Columns: c.cols, Splits: []schemas.SplitEntry{{Name: c.split, Rows: int64(len(c.rows)),
			Files: []schemas.FileEntry{{Path: rel, Format: "jsonl", Rows: int64(len(c.rows)), Bytes: int64(b.Len()), SHA256: hex.EncodeToString(sum[:])}}}}})
	}
	data, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, schemas.ManifestName), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

type testProbe struct {
	prompt, answer, direction string
	choices                   []string
}

// finding returns the finding of check over the whole split (no slice).
func finding(t *testing.T, r *Report, check, split string) Finding {
	t.Helper()
	for _, f := range r.Findings {
		if f.Check == check && f.Split == split && f.Slice == "" {
			return f
		}
	}
	t.Fatalf("no %s finding for %s in %+v", check, split, r.Findings)
	return Finding{}
}

func audit(t *testing.T, dirs ...string) *Report {
	t.Helper()
	r, err := Audit(context.Background(), dirs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Leakage by text: each kind of probe occurrence in train is told apart from its near misses, whatever
// the case and spacing, and sliced by the probes' provenance.
func TestLeakage(t *testing.T) {
	train := []string{
		"Celebrated as the composer of Crystal Suns, Lester Adams toured widely.",
		"Nobody knew  CELEBRATED   as the designer of Quill Bikes.",
		"Ann Lee is the author of Salt Lines.",
	}
	probes := []testProbe{
		{"Celebrated as the composer of Crystal Suns,", "Lester Adams", "d2p", nil}, // prompt starts a train text, and with its answer occurs
		{"celebrated as the designer of Quill Bikes,", "Rita Moss", "d2p", nil},     // prompt occurs mid-text (case, spacing differ); not a prefix
		{"Known for being the author of Salt Lines,", "Ann Lee", "p2d", nil},        // answer in train, prompt not
		{"Ann Lee is the", "author of Salt Lines.", "p2d", nil},                     // prompt and answer together, from the start
		{"Ann Lee is the authoress", "of nothing", "p2d", nil},                      // near miss: a word differs
		{"Lester Adams toured widely and often", "in winter", "p2d", nil},           // near miss: runs past the text's end
	}
	r := audit(t, testDataset(t, train, probes))
	tests := []struct {
		check string
		count int64
		level Level
	}{
		{"leak.prompt_in_train", 3, Info},
		{"leak.prompt_is_train_prefix", 2, Info},
		{"leak.prompt_answer_in_train", 2, Warning},
	}
	for _, tt := range tests {
		if f := finding(t, r, tt.check, "probes"); f.Count != tt.count || f.Of != 6 || f.Level != tt.level {
			t.Errorf("%s: %d of %d, %s; want %d of 6, %s", tt.check, f.Count, f.Of, f.Level, tt.count, tt.level)
		}
	}
	sliced := false
	for _, f := range r.Findings {
		if f.Check == "leak.prompt_in_train" && f.Slice == "direction=d2p" {
			sliced = f.Count == 2 && f.Of == 2
		}
	}
	if !sliced {
		t.Error("leak.prompt_in_train is not sliced by direction (want 2 of 2 for d2p)")
	}
	if f := finding(t, r, "leak.prompt_answer_in_train", "probes"); len(f.Examples) == 0 || !strings.Contains(f.Examples[0], "Lester Adams toured") {
		t.Errorf("examples %q do not show the training text", f.Examples)
	}
	clean := audit(t, testDataset(t, train, []testProbe{{"Who wrote Salt Lines?", "Ann Lee", "p2d", nil}, {"Who toured widely?", "Lester Adams", "d2p", nil}}))
	for _, c := range leakChecks {
		if f := finding(t, clean, c.check, "probes"); f.Count != 0 || f.Level != Info {
			t.Errorf("clean probes: %s %d, %s", c.check, f.Count, f.Level)
		}
	}
}

// A not_in_train rule in the manifest makes a hit of the check it names an error, and only that one.
func TestNotInTrainRules(t *testing.T) {
	train := []string{"Ann Lee is the author of Salt Lines."}
	leaky := []testProbe{{"Ann Lee is the", "author of Salt Lines.", "p2d", nil}}
	clean := []testProbe{{"Who wrote Salt Lines?", "Ann Lee", "p2d", nil}}
	promptRule := schemas.Rule{Kind: schemas.NotInTrain, Doc: "no probe prompt in train", Left: schemas.Select("eval", "probes", "prompt")}
	fullRule := schemas.Rule{Kind: schemas.NotInTrain, Doc: "no probe in train", Left: schemas.Select("eval", "probes", "prompt", "answer")}
	otherSplit := schemas.Rule{Kind: schemas.NotInTrain, Doc: "another split", Left: schemas.Select("eval", "other", "prompt")}
	tests := []struct {
		name   string
		probes []testProbe
		rules  []schemas.Rule
		prompt Level // of leak.prompt_in_train
		full   Level // of leak.prompt_answer_in_train
	}{
		{"no rule", leaky, nil, Info, Warning},
		{"prompt rule", leaky, []schemas.Rule{promptRule}, Error, Warning},
		{"prompt and answer rule", leaky, []schemas.Rule{fullRule}, Info, Error},
		{"rule on another split", leaky, []schemas.Rule{otherSplit}, Info, Warning},
		{"rules hold", clean, []schemas.Rule{promptRule, fullRule}, Info, Info},
	}
	for _, tt := range tests {
		r := audit(t, testDataset(t, train, tt.probes, tt.rules...))
		if p, f := finding(t, r, "leak.prompt_in_train", "probes"), finding(t, r, "leak.prompt_answer_in_train", "probes"); p.Level != tt.prompt || f.Level != tt.full {
			t.Errorf("%s: prompt %s, prompt and answer %s; want %s, %s", tt.name, p.Level, f.Level, tt.prompt, tt.full)
		}
	}
	if problems, err := schemas.Validate(context.Background(), testDataset(t, train, leaky, promptRule)); err != nil || len(problems) > 0 {
		t.Errorf("validate passes not_in_train over, but says %v %v", problems, err)
	}
}

// Multiple choice: the correct position, the longest option and the option familiar from training are
// each a warning when they give the answer away, and figures when they do not.
func TestMCQShortcuts(t *testing.T) {
	var biased, fair []testProbe
	var train []string
	names := [][]string{{"Rome", "Oslo", "Lima", "Kyiv"}, {"Bern", "Doha", "Riga", "Suva"}, {"Apia", "Baku", "Bonn", "Male"}}
	for i := range 30 {
		ch := names[i%3]
		// biased: the answer always first, always the longest (a suffix), the only one trained
		long := ch[0] + " City"
		biased = append(biased, testProbe{"Where is tower " + string(rune('a'+i%26)) + "?", long, "", []string{long, ch[1], ch[2], ch[3]}})
		train = append(train, "The tower stands in "+long+".")
		// fair: the answer's position cycles, options of one length, all trained alike
		opts := []string{ch[0], ch[1], ch[2], ch[3]}
		fair = append(fair, testProbe{"Where is spire " + string(rune('a'+i%26)) + "?", opts[i%4], "", opts})
	}
	for _, ch := range names {
		train = append(train, "Maps show "+strings.Join(ch, ", ")+".")
	}
	r := audit(t, testDataset(t, train, biased))
	for _, check := range []string{"shortcut.mcq_position", "shortcut.mcq_longest", "shortcut.mcq_familiarity"} {
		if f := finding(t, r, check, "probes"); f.Level != Warning || f.Count != 30 {
			t.Errorf("biased %s: %d of %d, %s", check, f.Count, f.Of, f.Level)
		}
	}
	r = audit(t, testDataset(t, train, fair))
	for _, check := range []string{"shortcut.mcq_position", "shortcut.mcq_longest", "shortcut.mcq_familiarity"} {
		if f := finding(t, r, check, "probes"); f.Level != Info {
			t.Errorf("fair %s: %d of %d, %s", check, f.Count, f.Of, f.Level)
		}
	}
}

// Open probes: a majority answer and answers given away in the prompt.
func TestOpenShortcuts(t *testing.T) {
	var same, varied, open []testProbe
	for i := range 24 {
		same = append(same, testProbe{"Which city hosts fair " + string(rune('a'+i)) + "?", "Paris", "", nil})
		open = append(open, testProbe{"What would you wish for, " + string(rune('a'+i)) + "?", "", "", nil})
		varied = append(varied, testProbe{"Which city hosts fair " + string(rune('a'+i)) + "?", "City " + string(rune('a'+i)), "", nil})
	}
	given := append(varied[:3:3], testProbe{"Is Paris where Paris is?", "Paris", "", nil})
	if f := finding(t, audit(t, testDataset(t, nil, same)), "shortcut.majority_answer", "probes"); f.Level != Warning || f.Count != 24 {
		t.Errorf("one answer for all: %+v", f)
	}
	if f := finding(t, audit(t, testDataset(t, nil, varied)), "shortcut.majority_answer", "probes"); f.Level != Info || f.Count != 1 {
		t.Errorf("varied answers: %+v", f)
	}
	// Open questions with no expected answer (a judge scores the replies) give nothing to learn by rote.
	if f := finding(t, audit(t, testDataset(t, nil, open)), "shortcut.majority_answer", "probes"); f.Level != Info || f.Count != 0 {
		t.Errorf("no expected answers: %+v", f)
	}
	if f := finding(t, audit(t, testDataset(t, nil, given)), "shortcut.answer_in_prompt", "probes"); f.Level != Warning || f.Count != 1 {
		t.Errorf("answer in prompt: %+v", f)
	}
	if f := finding(t, audit(t, testDataset(t, nil, varied)), "shortcut.answer_in_prompt", "probes"); f.Level != Info || f.Count != 0 {
		t.Errorf("no answer in prompt: %+v", f)
	}
}

// --strict makes warnings errors; the text report lists problems before figures and JSON parses.
func TestReportOutputs(t *testing.T) {
	dir := testDataset(t, []string{"Ann Lee is the author of Salt Lines."}, []testProbe{{"Ann Lee is the", "author of Salt Lines.", "p2d", nil}})
	r := audit(t, dir)
	strict, err := Audit(context.Background(), []string{dir}, Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors() != 0 || strict.Errors() == 0 {
		t.Fatalf("errors: %d, strict %d", r.Errors(), strict.Errors())
	}
	var text, js strings.Builder
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if p, f := strings.Index(text.String(), "Problems"), strings.Index(text.String(), "Figures"); p < 0 || f < p || !strings.Contains(text.String(), "WARNING") {
		t.Fatalf("text report:\n%s", text.String())
	}
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal([]byte(js.String()), &back); err != nil || len(back.Findings) != len(r.Findings) {
		t.Fatalf("JSON: %v, %d findings of %d", err, len(back.Findings), len(r.Findings))
	}
	for i, f := range back.Findings {
		if f.Level != r.Findings[i].Level || f.Check != r.Findings[i].Check || f.Count != r.Findings[i].Count {
			t.Fatalf("finding %d reads back as %+v, was %+v", i, f, r.Findings[i])
		}
	}
}
