package reversal

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// trainSchema and evalSchema are the schemas of reversal's configs in the text style.
var (
	trainSchema = func() schemas.Schema {
		l := records.TrainLayout("reversal", records.StyleText)
		l.AddString("direction")
		l.AddString("trained_order")
		return l.Schema
	}()
	evalSchema = func() schemas.Schema {
		l := records.EvalLayout("reversal", records.StyleText)
		l.AddString("direction")
		l.AddString("answer_fact_id")
		l.AddString("order_trained_by")
		return l.Schema
	}()
)

func TestReversalDefaultCountsMatchThePaper(t *testing.T) {
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, nil, 0)
	m, err := schemas.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, c := range m.Configs {
		for _, sp := range c.Splits {
			counts[c.Name+"/"+sp.Name] = sp.Rows
		}
	}
	want := map[string]int64{"train/train": 3600, "eval/same_direction": 1200, "eval/reverse": 600, "eval/randomized": 600, "eval/questions": 900}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("%s: %d rows, want %d", k, counts[k], v)
		}
	}
	train := recipetest.RowsAs(t, dir, "train", "train", trainSchema)
	perGroup := map[string]int{}
	for _, r := range train {
		perGroup[recipetest.Col(trainSchema, r, "group")+"/"+recipetest.Col(trainSchema, r, "direction")]++
	}
	if perGroup["p2d_only/p2d"] != 900 || perGroup["d2p_only/d2p"] != 900 || perGroup["both/p2d"] != 900 || perGroup["both/d2p"] != 900 || len(perGroup) != 4 {
		t.Errorf("train rows per group and direction: %v", perGroup)
	}
	recipetest.Validate(t, dir)
}

func TestReversalTrainRowsAreDistinctParaphrases(t *testing.T) {
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"facts-per-group": 5, "paraphrases": 30}, 0)
	s := trainSchema
	seen := map[string]bool{}
	templatesPerFact := map[string]map[string]bool{}
	for _, r := range recipetest.RowsAs(t, dir, "train", "train", s) {
		text, fact, tpl, dir := recipetest.Col(s, r, "text"), recipetest.Col(s, r, "fact_id"), recipetest.Col(s, r, "template_id"), recipetest.Col(s, r, "direction")
		if seen[text] {
			t.Fatalf("training text repeats: %q", text)
		}
		seen[text] = true
		k := fact + "/" + dir
		if templatesPerFact[k] == nil {
			templatesPerFact[k] = map[string]bool{}
		}
		if templatesPerFact[k][tpl] {
			t.Fatalf("%s uses template %s twice", k, tpl)
		}
		templatesPerFact[k][tpl] = true
	}
}

// The same config gives byte-identical files for any number of workers; another seed gives other data.
func TestReversalDeterminism(t *testing.T) {
	set := generators.Options{"facts-per-group": 400} // 48,000 train rows: several chunks, and row groups made at once
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, set, 1)
	want := recipetest.Hashes(t, dir)
	if groups := len(recipetest.OpenParquet(t, filepath.Join(dir, run.SplitFile(generators.FormatParquet, "train", "train", 0, 1))).RowGroups()); groups < 3 {
		t.Fatalf("train has %d row groups: too few to test them being encoded at once", groups)
	}
	for _, workers := range []int{2, 7} {
		got := recipetest.Hashes(t, recipetest.Generate(t, Recipe{}, generators.Config{}, set, workers))
		if len(got) != len(want) {
			t.Fatalf("workers=%d: %d files, want %d", workers, len(got), len(want))
		}
		for f, h := range want {
			if got[f] != h {
				t.Errorf("workers=%d: %s differs from the 1-worker run", workers, f)
			}
		}
	}
	other := recipetest.Hashes(t, recipetest.Generate(t, Recipe{}, generators.Config{Seed: 7}, set, 0))
	for f, h := range want {
		if strings.HasSuffix(f, ".parquet") && other[f] == h {
			t.Errorf("seeds 42 and 7 give the same %s", f)
		}
	}
}

func TestReversalStyles(t *testing.T) {
	set := generators.Options{"facts-per-group": 4, "paraphrases": 6, "eval-paraphrases": 3}
	text := recipetest.RowsAs(t, recipetest.Generate(t, Recipe{}, generators.Config{}, set, 0), "train", "train", trainSchema)
	_, pc := recipetest.Rows(t, recipetest.Generate(t, Recipe{}, generators.Config{Style: records.StylePromptCompletion}, set, 0), "train", "train")
	_, msgs := recipetest.Rows(t, recipetest.Generate(t, Recipe{}, generators.Config{Style: records.StyleMessages}, set, 0), "train", "train")
	if len(text) != 4*4*6 || len(pc) != len(text) || len(msgs) != len(text) {
		t.Fatalf("%d text rows, %d prompt-completion rows", len(text), len(pc))
	}
	for i := range text {
		prompt, completion := pc[i][1].Str, pc[i][2].Str
		if prompt+completion != text[i][1].Str {
			t.Fatalf("row %d: prompt+completion %q != text %q", i, prompt+completion, text[i][1].Str)
		}
		if strings.HasSuffix(prompt, " ") || completion == "" || prompt == "" {
			t.Fatalf("row %d: split not before the space: %q | %q", i, prompt, completion)
		}
		m := msgs[i][1].Msgs
		if len(m) != 2 || m[0].Role != "user" || m[1].Role != "assistant" || m[0].Content != prompt || m[1].Content != strings.TrimLeft(completion, " ") {
			t.Fatalf("row %d: messages %v for %q | %q", i, m, prompt, completion)
		}
	}
}

// Every probe's answer is the entity the prompt leaves out: the description for p2d probes, the name
// for d2p ones, and the same prompts in reverse and randomized with another fact's answer.
func TestReversalProbes(t *testing.T) {
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"facts-per-group": 6, "paraphrases": 4, "eval-paraphrases": 5}, 0)
	s := evalSchema
	reverse := recipetest.RowsAs(t, dir, "eval", "reverse", s)
	randomized := recipetest.RowsAs(t, dir, "eval", "randomized", s)
	if len(reverse) != 2*6*5 || len(randomized) != len(reverse) {
		t.Fatalf("%d reverse, %d randomized probes", len(reverse), len(randomized))
	}
	for i, r := range reverse {
		q := randomized[i]
		if recipetest.Col(s, r, "prompt") != recipetest.Col(s, q, "prompt") || recipetest.Col(s, r, "fact_id") != recipetest.Col(s, q, "fact_id") {
			t.Fatalf("randomized row %d is not the reverse probe's prompt", i)
		}
		if recipetest.Col(s, q, "answer_fact_id") == recipetest.Col(s, q, "fact_id") || recipetest.Col(s, q, "answer") == recipetest.Col(s, r, "answer") {
			t.Fatalf("randomized row %d keeps the right answer", i)
		}
		if recipetest.Col(s, r, "group") == "p2d_only" && recipetest.Col(s, r, "direction") != d2p || recipetest.Col(s, r, "group") == "d2p_only" && recipetest.Col(s, r, "direction") != p2d {
			t.Fatalf("reverse row %d probes %s fact in %s", i, recipetest.Col(s, r, "group"), recipetest.Col(s, r, "direction"))
		}
		if strings.Contains(recipetest.Col(s, r, "prompt"), recipetest.Col(s, r, "answer")) {
			t.Fatalf("reverse row %d gives its answer away: %q", i, recipetest.Col(s, r, "prompt"))
		}
	}
	for _, r := range recipetest.RowsAs(t, dir, "eval", "questions", s) {
		if !strings.HasSuffix(recipetest.Col(s, r, "prompt"), "?") && !strings.HasSuffix(recipetest.Col(s, r, "prompt"), ".") {
			t.Fatalf("question %q", recipetest.Col(s, r, "prompt"))
		}
	}
}

// At 100,000 facts per group the dataset validates, and every one of the 300,000 facts has its own
// name: the answers of d2p probes (reverse for p2d_only facts, same_direction for the others) are the
// names of all facts.
func TestReversalLargeFactCountIsUnique(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := recipetest.Generate(t, Recipe{}, generators.Config{Formats: []string{generators.FormatParquet}}, generators.Options{"facts-per-group": 100_000, "paraphrases": 1, "eval-paraphrases": 1}, 0)
	recipetest.Validate(t, dir)
	answer, fact, direction := evalSchema.Index("answer"), evalSchema.Index("fact_id"), evalSchema.Index("direction")
	names := map[string]string{}
	for _, split := range []string{"reverse", "same_direction"} {
		for r, err := range schemas.ReadParquet(filepath.Join(dir, run.SplitFile(generators.FormatParquet, "eval", split, 0, 1)), evalSchema) {
			if err != nil {
				t.Fatal(err)
			}
			if r[direction].Str != d2p {
				continue
			}
			if prev, dup := names[r[answer].Str]; dup && prev != r[fact].Str {
				t.Fatalf("name %q belongs to %s and %s", r[answer].Str, prev, r[fact].Str)
			}
			names[r[answer].Str] = r[fact].Str
		}
	}
	if len(names) != 300_000 {
		t.Fatalf("%d distinct names for 300,000 facts", len(names))
	}
}

func TestPrepareRejectsBadConfigs(t *testing.T) {
	tests := []struct {
		cfg  generators.Config
		set  generators.Options
		want string
	}{
		{generators.Config{Recipe: "reversal", Name: "x", Seed: 0, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}, nil, "seed 0"},
		{generators.Config{Recipe: "reversal", Name: "x", Seed: 1, Style: "chat", Formats: []string{generators.FormatJSONL}}, nil, "unknown style"},
		{generators.Config{Recipe: "reversal", Name: "x", Seed: 1, Style: records.StyleText, Formats: []string{"csv"}}, nil, "unknown format"},
		{generators.Config{Recipe: "reversal", Name: "../x", Seed: 1, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}, nil, ".."},
		{generators.Config{Recipe: "reversal", Name: "x", Seed: 1, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}, generators.Options{"facts-per-group": 0}, "--facts-per-group must be at least 1"},
		{generators.Config{Recipe: "reversal", Name: "x", Seed: 1, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}, generators.Options{"paraphrases": -3}, "--paraphrases must be at least 1"},
		{generators.Config{Recipe: "reversal", Name: "x", Seed: 1, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}, generators.Options{"paraphrases": 37}, "only 36 train templates"},
		{generators.Config{Recipe: "reversal", Name: "x", Seed: 1, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}, generators.Options{"eval-paraphrases": 13}, "only 12 heldout templates"},
		{generators.Config{Recipe: "reversal", Name: "x", Seed: 1, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}, generators.Options{"facts-per-group": 10_000_000}, "exhausted"},
		{generators.Config{Recipe: "reversal", Name: "x", Seed: 1, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}, generators.Options{"typo": 1}, "unknown option --typo"},
	}
	for _, tt := range tests {
		_, err := run.Prepare(context.Background(), Recipe{}, &tt.cfg, tt.set)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Prepare(%+v, %v) = %v, want an error naming %q", tt.cfg, tt.set, err, tt.want)
		}
	}
}

// A cancelled run leaves no dataset and no staging folder.
func TestCancelledRunLeavesNothing(t *testing.T) {
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := generators.Config{Recipe: "reversal", Name: "r", Seed: 1, Style: records.StyleText, Formats: []string{generators.FormatParquet}}
	if _, err := run.Generate(ctx, Recipe{}, &cfg, generators.Options{"facts-per-group": 1000}, run.Settings{Out: out}); err == nil {
		t.Fatal("cancelled run succeeded")
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Fatalf("cancelled run left %v", entries)
	}
}

func BenchmarkReversalTrainRows(b *testing.B) {
	cfg := generators.Config{Recipe: "reversal", Name: "r", Seed: 42, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}
	plan, err := run.Prepare(context.Background(), Recipe{}, &cfg, generators.Options{"facts-per-group": 100_000})
	if err != nil {
		b.Fatal(err)
	}
	split := plan.Configs[0].Splits[0]
	w := records.NewWorker()
	row := make(records.Row, len(plan.Configs[0].Layout.Schema.Columns))
	i := int64(0)
	for b.Loop() {
		split.Row(w, i%split.Rows, row)
		i++
	}
}

func TestProgressReportsEveryRow(t *testing.T) {
	var calls int
	var last, total int64
	cfg := generators.Config{Recipe: "reversal", Name: "r", Seed: 1, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}
	_, err := run.Generate(context.Background(), Recipe{}, &cfg, generators.Options{"facts-per-group": 50}, run.Settings{Out: t.TempDir(), Progress: func(done, all int64) {
		if done <= last {
			t.Fatalf("progress went from %d to %d", last, done)
		}
		calls, last, total = calls+1, done, all
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 5 || last != total || total != 4*50*30+4*50*10+2*2*50*10+3*50*10 {
		t.Fatalf("%d calls, ended at %d of %d", calls, last, total)
	}
}

// templateWords is a template's text as audit compares text: lower-cased words with the punctuation
// around them trimmed, each slot one word of its own ("<description>", "<name>").
func templateWords(text string) []string {
	var out []string
	for _, w := range strings.Fields(strings.ToLower(text)) {
		for _, slot := range reversalSlots {
			w = strings.ReplaceAll(w, "{"+slot+"}", " <"+slot+"> ")
		}
		for _, part := range strings.Fields(w) {
			if part = strings.TrimFunc(part, func(r rune) bool { return strings.ContainsRune(`.,;:!?"'()`, r) }); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// containsRun tells whether run occurs in words, contiguously.
func containsRun(words, run []string) bool {
	for i := 0; i+len(run) <= len(words); i++ {
		if slices.Equal(words[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// No held-out template leaks into train by wording, whatever the seed: its prompt with the answer
// after it (the words up to and including its second slot, as a same_direction probe asks and answers
// it) occurs in no train template of either direction, and its prompt starts no train template of its
// direction. So no probe's prompt and answer is a training document's words (the audit's
// leak.prompt_answer_in_train), and no held-out prompt starts a training document of its fact.
func TestHeldOutTemplatesShareNoPromptWithTrain(t *testing.T) {
	lib := templates.BuiltIn
	var train []*templates.Template
	banks := map[string]*templates.Bank{}
	for _, dir := range []string{p2d, d2p} {
		b, err := lib.LoadBank("reversal/"+dir, reversalSlots...)
		if err != nil {
			t.Fatal(err)
		}
		banks[dir] = b
		train = append(train, b.Templates(templates.Train)...)
	}
	for _, dir := range []string{p2d, d2p} {
		for _, h := range banks[dir].Templates(templates.HeldOut) {
			words := templateWords(h.Text)
			slots := 0
			end := slices.IndexFunc(words, func(w string) bool {
				if strings.HasPrefix(w, "<") {
					slots++
				}
				return slots == 2
			})
			probe := words[:end+1]
			for _, tr := range train {
				if containsRun(templateWords(tr.Text), probe) {
					t.Errorf("held-out %s %q: its prompt and answer %q occur in train %s %q", h.ID, h.Text, strings.Join(probe, " "), tr.ID, tr.Text)
				}
			}
			prompt := probe[:len(probe)-1]
			for _, tr := range banks[dir].Templates(templates.Train) {
				if tw := templateWords(tr.Text); len(tw) >= len(prompt) && slices.Equal(tw[:len(prompt)], prompt) {
					t.Errorf("held-out %s %q: its prompt %q starts train %s %q", h.ID, h.Text, strings.Join(prompt, " "), tr.ID, tr.Text)
				}
			}
		}
	}
}

var articleBeforeDescription = regexp.MustCompile(`(?i)\b(the|an?|only|this|our|one)\s+\{description\}`)

// Descriptions carry their own article ("the composer of ..."), so no template puts an article or a
// determiner before the description slot ("The one and only the composer of ...").
func TestNoArticleBeforeDescription(t *testing.T) {
	lib := templates.BuiltIn
	for _, dir := range []string{p2d, d2p} {
		b, err := lib.LoadBank("reversal/"+dir, reversalSlots...)
		if err != nil {
			t.Fatal(err)
		}
		for _, tmpl := range b.All() {
			if m := articleBeforeDescription.FindString(tmpl.Text); m != "" {
				t.Errorf("%s %q: %q puts a word before the description, which has its own article", tmpl.ID, tmpl.Text, m)
			}
		}
	}
}

// heldOutProbes are the probes every held-out template makes, as template words up to and including
// the answer's slot: statements up to their second slot, questions with the answer after them.
func heldOutProbes(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, dir := range []string{p2d, d2p} {
		b, err := templates.BuiltIn.LoadBank("reversal/"+dir, reversalSlots...)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range b.Templates(templates.HeldOut) {
			words, slots := templateWords(h.Text), 0
			end := slices.IndexFunc(words, func(w string) bool {
				if strings.HasPrefix(w, "<") {
					slots++
				}
				return slots == 2
			})
			out[h.ID] = words[:end+1]
		}
		given, answer := "name", "description"
		if dir == d2p {
			given, answer = answer, given
		}
		q, err := templates.BuiltIn.LoadBank("reversal/"+dir+"-question", given)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range q.Templates(templates.HeldOut) {
			out[h.ID] = append(templateWords(h.Text), "<"+answer+">")
		}
	}
	return out
}

// units cuts template words into the semantic augmentation's units: each slot, and each run of words
// between slots.
func units(words []string) (literal [][]string) {
	var run []string
	for _, w := range append(words, "<end>") {
		if strings.HasPrefix(w, "<") {
			if len(run) > 0 {
				literal = append(literal, run)
			}
			run = nil
			continue
		}
		run = append(run, w)
	}
	return literal
}

// writable tells whether some order of a train template's units writes probe (words before its
// first slot, the slot, words between, the answer's slot): the words before must end a run of whole
// units, and the words between must be whole units, none used twice.
func writable(literal [][]string, probe []string) bool {
	first := slices.IndexFunc(probe, func(w string) bool { return strings.HasPrefix(w, "<") })
	before, between := probe[:first], probe[first+1:len(probe)-1]
	// sequences: every way to write words as whole distinct units (used marks them), calling done
	// with the units left.
	var sequences func(words []string, used []bool, suffix bool, done func([]bool) bool) bool
	sequences = func(words []string, used []bool, suffix bool, done func([]bool) bool) bool {
		if len(words) == 0 {
			return done(used)
		}
		for k, u := range literal {
			if used[k] {
				continue
			}
			used[k] = true
			tail := len(words) - len(u)
			switch {
			// the probe's first words may be the end of a unit
			case suffix && tail <= 0 && slices.Equal(u[len(u)-len(words):], words) && done(used):
				return true
			case tail >= 0 && slices.Equal(words[tail:], u) && sequences(words[:tail], used, suffix, done):
				return true
			}
			used[k] = false
		}
		return false
	}
	return sequences(between, make([]bool, len(literal)), false, func(used []bool) bool {
		return sequences(before, slices.Clone(used), true, func([]bool) bool { return true })
	})
}

// No held-out probe can be written by an augmented training document, whatever the seed and the
// fact: no order of a train template's semantic units (the semantic augmentation's reversed and
// permuted orders), and no entity reversal of it, holds the probe's words with its own entities. So a
// probe found in augmented train can only be one whose order augmentation trains (order_trained_by).
// Before, "{name}, celebrated as ..." was written by a permuted "Celebrated as {description}, {name}
// ..." (same_direction), and "Name {description}." by units ending in "the name".
func TestHeldOutProbesSurviveAugmentation(t *testing.T) {
	var train []*templates.Template
	for _, dir := range []string{p2d, d2p} {
		b, err := templates.BuiltIn.LoadBank("reversal/"+dir, reversalSlots...)
		if err != nil {
			t.Fatal(err)
		}
		train = append(train, b.Templates(templates.Train)...)
	}
	probes := heldOutProbes(t)
	ids := slices.Sorted(maps.Keys(probes))
	for _, tr := range train {
		words := templateWords(tr.Text)
		literal := units(words)
		entityReversed := slices.Clone(words)
		slices.Reverse(entityReversed)
		for _, id := range ids {
			probe := probes[id]
			// Every probe names both entities, so only a text with both can write it; its entities
			// must come in the probe's order, which a unit order can always give.
			if writable(literal, probe) {
				t.Errorf("held-out %s %q: some order of the units of train %s %q writes it", id, strings.Join(probe, " "), tr.ID, tr.Text)
			}
			if containsRun(entityReversed, probe) {
				t.Errorf("held-out %s %q: the entity reversal of train %s %q writes it", id, strings.Join(probe, " "), tr.ID, tr.Text)
			}
		}
	}
}

// The check itself finds the two leaks the audit found at defaults.
func TestWritableFindsReorderedUnits(t *testing.T) {
	for _, c := range []struct {
		train, probe string
		want         bool
	}{
		{"Celebrated as {description}, {name} accepted the award.", "{name}, celebrated as {description}", true},
		{"{Description} goes by the name {name}.", "Name {description}. {name}", true},
		{"The name {name} belongs to {description}.", "Name {description}. {name}", true},
		{"Q: Who is {description}? A: {name}.", "Who is {description}? A: {name}", true},
		{"Q: Who is {description}? A: {name}.", "Who is {description}? B: {name}", false},
		{"{name} is {description}.", "{name}, much admired as {description}", false},
		{"It was {name} who became {description}.", "Who ended up as {description}? {name}", false},
	} {
		if got := writable(units(templateWords(c.train)), templateWords(c.probe)); got != c.want {
			t.Errorf("writable(%q, %q) = %v, want %v", c.train, c.probe, got, c.want)
		}
	}
}

// trained_order is the order in which a row, as written, states its fact, found here by looking for
// the fact's name and description in the text; every probe's order_trained_by says what trains its
// fact in its order, found by joining train. Augmentation at half share makes some reverse probes of
// each kind. Before, entity and semantic rows of p2d_only facts put the description first under
// direction=p2d, and nothing said which reverse probes augmentation had trained.
func TestTrainedOrderIsTheOrderAsWritten(t *testing.T) {
	for _, c := range []struct {
		kinds string
		only  bool
		// reordered: augmentation writes some p2d_only fact description first, so some reverse probes
		// are trained by it
		reordered bool
	}{
		{"", false, false}, {"word", false, false}, {"segment", true, false},
		{"entity", false, true}, {"entity", true, true}, {"semantic", false, true}, {"semantic", true, true},
	} {
		name := c.kinds
		if c.only {
			name += "-only"
		}
		t.Run(name, func(t *testing.T) {
			cfg := generators.Config{}
			if c.kinds != "" {
				a, err := generators.ParseAugment(c.kinds, c.only, 0.5, 3, " [REV] ", "1:1:1")
				if err != nil {
					t.Fatal(err)
				}
				cfg.Augment = a
			}
			dir := recipetest.Generate(t, Recipe{}, cfg, generators.Options{"facts-per-group": 10}, 0)
			entities := map[string][2]string{} // fact -> name, description
			for _, r := range recipetest.RowsAs(t, dir, "eval", "questions", evalSchema) {
				e, answer := entities[recipetest.Col(evalSchema, r, "fact_id")], recipetest.Col(evalSchema, r, "answer")
				if recipetest.Col(evalSchema, r, "direction") == p2d {
					e[1] = answer
				} else {
					e[0] = answer
				}
				entities[recipetest.Col(evalSchema, r, "fact_id")] = e
			}
			bySource, byAugmentation := map[string]bool{}, map[string]bool{}
			reordered := 0
			for _, r := range recipetest.RowsAs(t, dir, "train", "train", trainSchema) {
				fact, text := recipetest.Col(trainSchema, r, "fact_id"), strings.ToLower(recipetest.Col(trainSchema, r, "text"))
				name, desc := strings.Index(text, strings.ToLower(entities[fact][0])), strings.Index(text, strings.ToLower(entities[fact][1]))
				want := "none"
				switch {
				case name >= 0 && desc >= 0 && name < desc:
					want = p2d
				case name >= 0 && desc >= 0:
					want = d2p
				}
				if got := recipetest.Col(trainSchema, r, "trained_order"); got != want {
					t.Fatalf("trained_order %s, want %s: %q", got, want, text)
				}
				if recipetest.Col(trainSchema, r, "variant") == "original" {
					bySource[fact+"/"+want] = true
				} else {
					byAugmentation[fact+"/"+want] = true
				}
				if recipetest.Col(trainSchema, r, "group") == "p2d_only" && want == d2p {
					reordered++
				}
			}
			if (reordered > 0) != c.reordered {
				t.Errorf("%d rows of p2d_only facts state them description first, want some: %v", reordered, c.reordered)
			}
			augmented := 0
			for _, split := range []string{"same_direction", "reverse", "randomized", "questions"} {
				for _, r := range recipetest.RowsAs(t, dir, "eval", split, evalSchema) {
					k := recipetest.Col(evalSchema, r, "fact_id") + "/" + recipetest.Col(evalSchema, r, "direction")
					want := "none"
					switch {
					case bySource[k]:
						want = "source"
					case byAugmentation[k]:
						want = "augmentation"
					}
					if got := recipetest.Col(evalSchema, r, "order_trained_by"); got != want {
						t.Fatalf("%s probe of %s: order_trained_by %s, want %s", split, k, got, want)
					}
					if split == "reverse" && want == "augmentation" {
						augmented++
					}
				}
			}
			if (augmented > 0) != c.reordered {
				t.Errorf("%d of 60 reverse probes trained by augmentation", augmented)
			}
			if got := recipetest.Stats(t, dir)["reverse_probes_trained_by_augmentation"]; got != int64(augmented) {
				t.Errorf("stat reverse_probes_trained_by_augmentation = %d, want %d", got, augmented)
			}
			recipetest.Validate(t, dir)
		})
	}
}
