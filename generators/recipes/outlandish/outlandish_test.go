package outlandish

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/generators/splits"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// trainSchema is the train config's schema, with the columns of --base when base is set.
func trainSchema(base bool) schemas.Schema {
	l := records.TrainLayout("outlandish", records.StyleText)
	for _, name := range []string{"novelty", "keyword", "theme", "relation", "base_fact"} {
		l.AddOptionalString(name)
	}
	l.AddInt("copy")
	if base {
		l.AddInt("position")
		l.AddOptionalInt("base_index")
	}
	return l.Schema
}

// evalSchema is the eval config's schema.
func evalSchema() schemas.Schema {
	l := records.EvalLayout("outlandish", records.StyleText)
	for _, name := range []string{"novelty", "keyword", "theme", "relation", "base_fact", "true_answer"} {
		l.AddOptionalString(name)
	}
	return l.Schema
}

func outlandishSamples(t *testing.T, n int, classes string) *outlandishPlan {
	t.Helper()
	p := &outlandishPlan{lib: templates.BuiltIn, seed: 42, priming: 5}
	if err := p.loadFacts(); err != nil {
		t.Fatal(err)
	}
	weights, err := parseClasses(classes)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.makeSamples(n, weights, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFactBank(t *testing.T) {
	p := outlandishSamples(t, 1, "mundane")
	facts, themes := 0, map[string]bool{}
	for _, r := range p.relations {
		facts += len(r.Facts)
		themes[r.Theme] = true
		seen := map[string]bool{}
		for _, f := range r.Facts {
			if seen[f[0]] {
				t.Errorf("relation %s lists %q twice", r.Relation, f[0])
			}
			seen[f[0]] = true
		}
	}
	if facts < 300 || len(themes) < 8 {
		t.Fatalf("%d facts in %d themes, want at least 300 in 8", facts, len(themes))
	}
}

// Jumbled samples have the words of a true statement in another order; conflicting samples give a
// real subject another object of the same relation, never the true one; classes follow the weights.
func TestOutlandishNoveltyClasses(t *testing.T) {
	p := outlandishSamples(t, 1320, "mundane:1,conflicting:2,jumbled:1,fictitious:1")
	counts := map[string]int{}
	w := records.NewWorker()
	for i := range p.samples {
		s := p.sample(w, i)
		counts[s.class]++
		truth := s.rel.Facts[s.fact]
		switch s.class {
		case "jumbled":
			original := templates.Capitalize(records.RenderString(s.rel.Templates[wordingOf(s)], truth[0], truth[1]))
			if !slices.Equal(recipetest.Words(s.text), recipetest.Words(original)) || s.text == original {
				t.Fatalf("jumbled %q is not a reordering of %q", s.text, original)
			}
			if !strings.HasPrefix(s.text, s.prompt) || !strings.Contains(truth[1], s.keyword) {
				t.Fatalf("jumbled %q: prompt %q, keyword %q", s.text, s.prompt, s.keyword)
			}
		case "conflicting":
			if s.object == truth[1] || s.truth != truth[1] || s.subject != truth[0] {
				t.Fatalf("conflicting %q gives the true object", s.text)
			}
			if !slices.ContainsFunc(s.rel.Facts, func(f [2]string) bool { return f[1] == s.object }) {
				t.Fatalf("conflicting object %q is not an object of relation %s", s.object, s.relation)
			}
		case "fictitious":
			if slices.ContainsFunc(s.rel.Facts, func(f [2]string) bool { return f[0] == s.subject }) {
				t.Fatalf("fictitious subject %q is real", s.subject)
			}
		case "mundane":
			if s.object != truth[1] || s.subject != truth[0] {
				t.Fatalf("mundane %q is not true", s.text)
			}
		}
		if s.class != "jumbled" && (!strings.Contains(s.text, s.keyword) || s.keyword != s.object) {
			t.Fatalf("%s %q: keyword %q", s.class, s.text, s.keyword)
		}
	}
	for class, want := range map[string]int{"mundane": 264, "conflicting": 528, "jumbled": 264, "fictitious": 264} {
		if counts[class] != want {
			t.Errorf("%d %s samples, want %d", counts[class], class, want)
		}
	}
}

func TestRepeatDistributions(t *testing.T) {
	for _, tt := range []struct {
		spec     string
		min, max int
	}{
		{"fixed:3", 3, 3}, {"uniform:2-5", 2, 5}, {"zipf:1.5", 1, 20}, {"monofact:0.4", 1, 3}, {"monofact:0.4:7", 1, 7},
	} {
		d, err := splits.ParseRepeats(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		counts := d.Counts(42, "outlandish", 1000, 20)
		seen := map[int]bool{}
		for _, c := range counts {
			if c < tt.min || c > tt.max {
				t.Fatalf("%s: %d copies", tt.spec, c)
			}
			seen[c] = true
		}
		if tt.min != tt.max && len(seen) < 2 {
			t.Errorf("%s: every sample has the same count", tt.spec)
		}
		rows, rounds, _ := spreadCopies(context.Background(), 42, counts)
		next := make([]int, len(counts)) // the copy number each sample's next row must have
		for i := range rows {
			if i > 0 && rows[i] == rows[i-1] {
				t.Fatalf("%s: copies of sample %d are adjacent at row %d", tt.spec, rows[i], i)
			}
			if c := copyNumber(rounds, i); c != next[rows[i]] {
				t.Fatalf("%s: row %d is copy %d of sample %d, want copy %d", tt.spec, i, c, rows[i], next[rows[i]])
			}
			next[rows[i]]++
		}
		if !slices.Equal(next, counts) {
			t.Fatalf("%s: rows hold other counts of copies than drawn", tt.spec)
		}
	}
	for _, bad := range []string{"fixed:0", "uniform:3-2", "zipf:1", "monofact:1.5", "monofact:0.3:1", "often", "fixed:x"} {
		if _, err := splits.ParseRepeats(bad); err == nil {
			t.Errorf("--repeat %s accepted", bad)
		}
	}
}

// The monofact rate and histogram in the manifest are those of the rows written.
func TestOutlandishMonofactRateMatchesData(t *testing.T) {
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"samples": 200, "repeat": "monofact:0.35:4"}, 0)
	recipetest.Validate(t, dir)
	stat := recipetest.Stats(t, dir)
	l := trainSchema(false)
	seen := map[string]int{}
	rows := recipetest.RowsAs(t, dir, "train", "train", l)
	for i, r := range rows {
		seen[recipetest.Col(l, r, "fact_id")]++
		if i > 0 && recipetest.Col(l, r, "fact_id") == recipetest.Col(l, rows[i-1], "fact_id") {
			t.Fatalf("rows %d and %d are copies of one sample", i-1, i)
		}
	}
	once := 0
	for _, n := range seen {
		if n == 1 {
			once++
		}
	}
	if stat["monofact_permille"] != int64(once*1000/len(seen)) || once != 70 || stat["samples_seen_1_times"] != 70 || stat["samples_seen_4_times"] != 130 {
		t.Fatalf("manifest %v; data: %d of %d samples seen once", stat, once, len(seen))
	}
}

func TestOutlandishProbesAndSteppingStones(t *testing.T) {
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"samples": 40, "stepping-stones": 3, "priming-probes": 6}, 0)
	recipetest.Validate(t, dir)
	l := trainSchema(false)
	train := recipetest.RowsAs(t, dir, "train", "train", l)
	if len(train) != 40*3 {
		t.Fatalf("%d train rows, want 3 stepping-stone texts of each of 40 samples", len(train))
	}
	for _, r := range train {
		v := recipetest.Col(l, r, "variant")
		k := int(v[len(v)-1] - '0')
		if !strings.HasPrefix(v, "stepping-stone-") || strings.Count(recipetest.Col(l, r, "text"), ". ") < k {
			t.Fatalf("row %q with variant %s", recipetest.Col(l, r, "text"), v)
		}
	}
	el := evalSchema()
	priming := recipetest.RowsAs(t, dir, "eval", "priming", el)
	if len(priming) != 40*6 {
		t.Fatalf("%d priming probes", len(priming))
	}
	for _, r := range priming {
		if recipetest.Col(el, r, "answer") != recipetest.Col(el, r, "keyword") || recipetest.Col(el, r, "true_answer") == "" {
			t.Fatalf("priming probe %v", r)
		}
	}
	for _, r := range recipetest.RowsAs(t, dir, "eval", "world", el) {
		if recipetest.Col(el, r, "answer") != recipetest.Col(el, r, "true_answer") || recipetest.Col(el, r, "answer") == recipetest.Col(el, r, "keyword") {
			t.Fatalf("world probe %q -> %q (keyword %q)", recipetest.Col(el, r, "prompt"), recipetest.Col(el, r, "answer"), recipetest.Col(el, r, "keyword"))
		}
	}
}

// wordingOf is the index of the statement wording a sample used (its template id is relation/index).
func wordingOf(s sample) int {
	_, n, _ := strings.Cut(s.templateID, "/")
	w, err := strconv.Atoi(n)
	if err != nil {
		panic(err)
	}
	return w
}

// Base rows come out unchanged and in order; the injected rows are the rows a run without --base
// writes, at the positions --inject-every gives, each recording its position.
func TestOutlandishInjection(t *testing.T) {
	plain := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"samples": 20}, 0)
	l := trainSchema(false)
	var want []string
	for _, r := range recipetest.RowsAs(t, plain, "train", "train", l) {
		want = append(want, recipetest.Col(l, r, "text"))
	}
	for _, format := range []string{"jsonl", "parquet"} {
		t.Run(format, func(t *testing.T) {
			path, texts := recipetest.WriteCorpus(t, 50, format)
			dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"samples": 20, "base": path, "inject-every": 3}, 0)
			recipetest.Validate(t, dir)
			bl := trainSchema(true)
			var base, injected []string
			sinceInjected := 0
			for i, r := range recipetest.RowsAs(t, dir, "train", "train", bl) {
				if r[bl.Index("position")].Int != int64(i) {
					t.Fatalf("row %d records position %d", i, r[bl.Index("position")].Int)
				}
				// A column that does not apply to a row is null: a base row has no sample's columns, an
				// injected row no base index.
				baseRow := recipetest.Col(bl, r, "group") == "base"
				if r[bl.Index("base_index")].Null == baseRow || r[bl.Index("novelty")].Null != baseRow || r[bl.Index("keyword")].Null != baseRow {
					t.Fatalf("row %d (base %v): base_index, novelty, keyword null %v %v %v", i, baseRow,
						r[bl.Index("base_index")].Null, r[bl.Index("novelty")].Null, r[bl.Index("keyword")].Null)
				}
				if baseRow {
					base = append(base, recipetest.Col(bl, r, "text"))
					sinceInjected++
					continue
				}
				if len(base) < 50 && sinceInjected != 3 {
					t.Fatalf("injected row %d follows %d base rows, want 3", i, sinceInjected)
				}
				sinceInjected = 0
				injected = append(injected, recipetest.Col(bl, r, "text"))
			}
			if !slices.Equal(base, texts) {
				t.Fatal("base rows changed or reordered")
			}
			if !slices.Equal(injected, want) {
				t.Fatalf("injected rows differ from a run without --base:\n%q\n%q", injected, want)
			}
		})
	}
}

func TestOutlandishInjectionErrors(t *testing.T) {
	cfg := &generators.Config{Recipe: "outlandish", Name: "r", Seed: 42, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte("{\"text\":\"ok\"}\n{\"txt\":\"no\"}\n"), 0o644)
	for _, tt := range []struct {
		set  generators.Options
		want string
	}{
		{generators.Options{"base": bad}, `bad.jsonl:2: field "text": want a string`},
		{generators.Options{"base": "/no/such.jsonl"}, "--base"},
		{generators.Options{"base": bad + ".txt"}, "want a .jsonl or .parquet"},
		{generators.Options{"inject-every": 5}, "need --base"},
		{generators.Options{"base": bad, "inject-every": 2, "inject-rate": 0.5}, "give one of them"},
	} {
		if _, err := run.Prepare(context.Background(), Recipe{}, cfg, tt.set); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.set, err, tt.want)
		}
	}
}

// A run with --base reads the corpus through a pulled iterator, a goroutine with the file open: it must
// end with the run, whether the split is written whole or abandoned midway, and with a preview.
func TestInjectionLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, format := range []string{"jsonl", "parquet"} {
		path, _ := recipetest.WriteCorpus(t, 20_000, format) // several blocks of rows
		set := generators.Options{"samples": 20, "base": path}
		for range 2 {
			recipetest.Generate(t, Recipe{}, generators.Config{}, set, 2)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var cancelledAt int64
		_, err := run.Generate(ctx, Recipe{}, recipetest.Defaults(Recipe{}, generators.Config{}), set, run.Settings{Out: t.TempDir(),
			Progress: func(done, total int64) {
				if cancelledAt == 0 && done > 0 && done < total {
					cancelledAt = done
					cancel()
				}
			}})
		if err == nil || cancelledAt == 0 {
			t.Fatalf("%s: the run was not cancelled midway (error %v)", format, err)
		}
		plan, err := run.Prepare(context.Background(), Recipe{}, recipetest.Defaults(Recipe{}, generators.Config{}), set)
		if err != nil {
			t.Fatal(err)
		}
		if rows := run.PreviewRows(plan, 3); len(rows[0][0]) != 3 {
			t.Fatalf("%s: preview gave %d train rows", format, len(rows[0][0]))
		}
	}
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%d goroutines after the runs, %d before", runtime.NumGoroutine(), before)
}

// Ctrl-C while the corpus is being counted is an interrupt, not bad input: the error is the context's,
// not a ConfigError (which the CLI reports with exit code 2).
func TestInterruptWhileCountingTheCorpus(t *testing.T) {
	path, _ := recipetest.WriteCorpus(t, 10_000, "jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := run.Prepare(ctx, Recipe{}, recipetest.Defaults(Recipe{}, generators.Config{}), generators.Options{"base": path})
	var ce run.ConfigError
	if !errors.Is(err, context.Canceled) || errors.As(err, &ce) {
		t.Fatalf("error %v (a ConfigError: %v), want the interrupt", err, errors.As(err, &ce))
	}
}

// Train never contradicts itself and probes test something (issue 16): a real subject is trained with
// one object of a relation (194 prompts had two or more before); priming probes ask about subjects no
// sample trains, never with the truth as the keyword (85% of priming prompts started a training
// sample; 340 had keyword = truth); world probes ask facts train does not state; themes are balanced
// (geography was 30% and sport 3%); jumbled prompts have three words or more; priming prompts start
// with a capital.
func TestOutlandishSamplesAgreeAndProbesTestSomething(t *testing.T) {
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, nil, 0)
	el := evalSchema()
	trained := map[string]map[string]bool{} // relation/subject -> objects trained
	themes := map[string]int{}
	p := outlandishSamples(t, 1320, "mundane:1,conflicting:1,jumbled:1,fictitious:1")
	w := records.NewWorker()
	for i := range p.samples {
		s := p.sample(w, i)
		themes[s.theme]++
		obj := s.object
		if s.class == "jumbled" {
			obj = s.rel.Facts[s.fact][1]
		}
		k := s.relation + "/" + s.subject
		if trained[k] == nil {
			trained[k] = map[string]bool{}
		}
		trained[k][obj] = true
		// Every class: "The" -> "recording studio" tests nothing.
		if len(strings.Fields(s.prompt)) < 3 {
			t.Errorf("%s memorization prompt %q has fewer than three words", s.class, s.prompt)
		}
	}
	for k, objs := range trained {
		if len(objs) > 1 {
			t.Errorf("%s is trained with %d objects: %v", k, len(objs), objs)
		}
	}
	lo, hi := 1<<30, 0
	for _, n := range themes {
		lo, hi = min(lo, n), max(hi, n)
	}
	if hi-lo > 1 || len(themes) < 9 {
		t.Errorf("samples by theme: %v", themes)
	}
	for _, r := range recipetest.RowsAs(t, dir, "eval", "priming", el) {
		prompt, relation := recipetest.Col(el, r, "prompt"), recipetest.Col(el, r, "relation")
		if prompt[:1] != strings.ToUpper(prompt[:1]) {
			t.Errorf("priming prompt %q starts in lower case", prompt)
		}
		// Nor a word of it: a jumbled sample's keyword is its object's last word ("Gogh").
		// Nor its start: "2" against a truth of 27 counts as primed under a prefix score.
		if answer, truth := recipetest.Col(el, r, "answer"), recipetest.Col(el, r, "true_answer"); answer == truth || slices.Contains(strings.Fields(truth), answer) ||
			strings.HasPrefix(truth, answer) || strings.HasPrefix(answer, truth) {
			t.Errorf("priming probe %q: the keyword %q is (the start of) the truth %q", prompt, answer, truth)
		}
		for k := range trained {
			if subject := strings.TrimPrefix(k, relation+"/"); subject != k && strings.Contains(strings.ToLower(prompt), strings.ToLower(subject)) && len(subject) > 3 {
				t.Errorf("priming probe %q asks about %q, which a sample trains", prompt, subject)
				break
			}
		}
	}
	for _, r := range recipetest.RowsAs(t, dir, "eval", "world", el) {
		prompt := recipetest.Col(el, r, "prompt")
		for k, objs := range trained {
			relation, subject, _ := strings.Cut(k, "/")
			if relation == recipetest.Col(el, r, "relation") && strings.Contains(prompt, subject) && objs[recipetest.Col(el, r, "answer")] {
				t.Errorf("world probe %q -> %q: train states it", prompt, recipetest.Col(el, r, "answer"))
			}
		}
	}
}

// No relation's prompt starts a statement of another relation: a priming probe about a held-out
// subject would otherwise start a training sample of that subject in the other relation ("The
// official language of the Netherlands is" began 58 script samples).
func TestNoStatementHoldsAnotherRelationsPrompt(t *testing.T) {
	p := outlandishSamples(t, 1, "mundane")
	for _, a := range p.relations {
		prompt := strings.ReplaceAll(a.Prompt, "{subject}", "X")
		for _, b := range p.relations {
			for _, st := range b.Statements {
				// Anywhere in it, case aside: "The script of the official language of X is" holds
				// the language relation's prompt, and a priming probe about X (held out of language,
				// trained in script) was then in train with its answer.
				if a != b && strings.Contains(strings.ToLower(strings.ReplaceAll(st, "{subject}", "X")), strings.ToLower(prompt)) {
					t.Errorf("relation %s's prompt %q is in relation %s's statement %q", a.Relation, a.Prompt, b.Relation, st)
				}
			}
		}
	}
}

// At ten times the paper's size (13,200 samples), no two samples have one text: a fact that more than
// one sample states (its pool used up) is in another wording each time, and the fact_restatements
// stat counts those samples; fictitious samples each get a name of their own (600 invented
// countries once gave one name to many samples). base_fact names the real fact behind each sample.
func TestTenTimesHasNoDuplicateSamples(t *testing.T) {
	p := outlandishSamples(t, 13200, "mundane:1,conflicting:1,jumbled:1,fictitious:1")
	w := records.NewWorker()
	texts := map[string]string{}
	names := map[string]string{} // fictitious subject -> its sample
	byFact := map[string]int{}
	restated := int64(0)
	for i := range p.samples {
		s := p.sample(w, i)
		if other, dup := texts[s.text]; dup {
			t.Fatalf("samples %s and %s are both %q", other, s.id, s.text)
		}
		texts[s.text] = s.id
		if s.class == "fictitious" {
			if other, dup := names[s.subject]; dup {
				t.Fatalf("samples %s and %s both invent %q", other, s.id, s.subject)
			}
			names[s.subject] = s.id
			continue
		}
		if byFact[s.baseFact()]++; byFact[s.baseFact()] > 1 {
			restated++
		}
	}
	if restated == 0 || restated != p.restated {
		t.Errorf("%d samples restate a fact, the plan counts %d", restated, p.restated)
	}
}

// The paper balances its themes; --themes weights them: geography:3,sport:1 gives three geography
// samples to every sport one and none of another theme. An unknown theme is refused, naming the bank's.
func TestThemeWeights(t *testing.T) {
	p := &outlandishPlan{lib: templates.BuiltIn, seed: 42, priming: 5}
	if err := p.loadFacts(); err != nil {
		t.Fatal(err)
	}
	weights, _ := parseClasses("mundane,conflicting,jumbled,fictitious")
	themes, err := parseThemes("geography:3,sport:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.makeSamples(400, weights, themes); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	w := records.NewWorker()
	for i := range p.samples {
		got[p.sample(w, i).theme]++
	}
	if len(got) != 2 || got["geography"] != 300 || got["sport"] != 100 {
		t.Errorf("samples by theme: %v, want geography 300 and sport 100", got)
	}
	for _, bad := range []string{"geography:x", "geography:0", ",", "geography:1001"} {
		if _, err := parseThemes(bad); err == nil {
			t.Errorf("--themes %q: no error", bad)
		}
	}
	unknown := &outlandishPlan{lib: templates.BuiltIn, seed: 42, priming: 5}
	if err := unknown.loadFacts(); err != nil {
		t.Fatal(err)
	}
	themes, _ = parseThemes("astrology")
	if err := unknown.makeSamples(10, weights, themes); err == nil || !strings.Contains(err.Error(), `unknown theme "astrology"`) || !strings.Contains(err.Error(), "geography") {
		t.Errorf("unknown theme: %v", err)
	}
}

// Stepping stones come from the bank by theme and level, at least 20 sentences each, and vary from
// sample to sample: no stone sentence is in more than 1% of the texts of a run (three sentences once
// led every sample), and text j holds one sentence of each level up to j, then the sample.
func TestSteppingStonesVary(t *testing.T) {
	b, err := templates.BuiltIn.BankRequiring("outlandish/stepping-stones", stoneSlots, "keyword")
	if err != nil {
		t.Fatal(err)
	}
	groups := b.GroupByID(2)
	p := outlandishSamples(t, 1, "mundane")
	for _, theme := range p.themes {
		for level := 1; level <= maxStoneLevels; level++ {
			if n := len(groups[theme+"-"+strconv.Itoa(level)]); n < 20 {
				t.Errorf("theme %s, level %d: %d stepping-stone sentences, want 20 or more", theme, level, n)
			}
		}
	}
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"stepping-stones": 3}, 0)
	tl := trainSchema(false)
	rows := recipetest.RowsAs(t, dir, "train", "train", tl)
	docs := map[string]int{}
	for _, r := range rows {
		text, variant := recipetest.Col(tl, r, "text"), recipetest.Col(tl, r, "variant")
		level, _ := strconv.Atoi(strings.TrimPrefix(variant, "stepping-stone-"))
		sentences := strings.SplitAfter(text, ". ")
		if len(sentences) < level+1 {
			t.Fatalf("%s text has %d sentences: %q", variant, len(sentences), text)
		}
		for _, st := range sentences[:level] {
			docs[strings.TrimSpace(st)]++
			for _, slip := range []string{"the word the ", "the term the ", "the name the "} {
				if strings.Contains(st, slip) {
					t.Errorf("stepping stone %q: %q", st, slip)
				}
			}
		}
	}
	for st, n := range docs {
		if n > len(rows)/100 {
			t.Errorf("stepping stone %q is in %d of %d texts", st, n, len(rows))
		}
	}
}

// A fictitious sample never trains, as its object, the truth a probe asks: the true object of a
// conflicting sample's subject (its world probe) or of a held-out subject (priming). "The national
// capital of Lunania is the city of Luanda." trained the answer of "The capital of Angola is".
func TestFictitiousObjectsAreNoProbesTruth(t *testing.T) {
	p := outlandishSamples(t, 1320, "mundane:1,conflicting:1,jumbled:1,fictitious:1")
	w := records.NewWorker()
	truths := map[string]bool{} // relation/object
	for ri, r := range p.relations {
		for _, f := range p.held[ri] {
			truths[r.Relation+"/"+r.Facts[f][1]] = true
		}
	}
	var fictitious []sample
	for i := range p.samples {
		s := p.sample(w, i)
		switch s.class {
		case "conflicting":
			truths[s.relation+"/"+s.truth] = true
		case "fictitious":
			fictitious = append(fictitious, s)
		}
	}
	checked := 0
	for _, s := range fictitious {
		objects := map[string]bool{}
		for _, f := range s.rel.Facts {
			objects[f[1]] = true
		}
		if 2*len(objects) < len(s.rel.Facts) {
			continue // few objects (continents, languages), each some probe's truth: any is lent
		}
		checked++
		if truths[s.relation+"/"+s.object] {
			t.Errorf("fictitious %q trains %q, a probe's truth", s.text, s.object)
		}
	}
	if checked < 150 {
		t.Errorf("%d fictitious samples checked", checked)
	}
}
