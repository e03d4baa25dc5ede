package audit

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/factforge/factforge/schemas"
)

// diversityOf measures texts and returns its findings by check (repeated_sentence keeps its order).
func diversityOf(t *testing.T, texts []string) (map[string][]Finding, []Finding) {
	t.Helper()
	d := NewDiversity()
	for _, s := range texts {
		d.Add(s)
	}
	fs := d.Findings("ds", "cfg", "train")
	by := map[string][]Finding{}
	for _, f := range fs {
		if f.Dataset != "ds" || f.Config != "cfg" || f.Split != "train" {
			t.Fatalf("finding %s is placed at %s", f.Check, f.Where())
		}
		if f.Message == "" {
			t.Errorf("finding %s has no message", f.Check)
		}
		by[f.Check] = append(by[f.Check], f)
	}
	return by, fs
}

// numbered are n documents that share nothing: each of their sentences and 4-grams names its document.
func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("Topic%d is first%d here. Topic%d has colour%d today.", i, i, i, i)
	}
	return out
}

// with returns texts with extra appended (as a last sentence) to the documents whose index is in at.
func with(texts []string, extra string, at ...int) []string {
	out := slices.Clone(texts)
	for _, i := range at {
		out[i] += " " + extra
	}
	return out
}

func upTo(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

const boiler = "As an assistant, I am happy to help."

// want is a finding's expected figures.
type want struct {
	count, of int64
	level     Level
}

func TestDiversityFindings(t *testing.T) {
	type top struct {
		text  string
		count int64
		level Level
	}
	cases := []struct {
		name      string
		texts     []string
		rows      want
		sentences want
		grams     want
		top       []top // the repeated_sentence findings, in order; none: one of count 0
		within    want
	}{
		{
			name:      "all distinct",
			texts:     numbered(5),
			rows:      want{5, 5, Info},
			sentences: want{10, 10, Info},
			grams:     want{5 * 5, 5 * 5, Info}, // 8 words a document
			within:    want{0, 5, Info},
		},
		{
			name:      "exact duplicate rows",
			texts:     []string{"The sky is blue. Water is wet.", "Grass is green.", "The sky is blue. Water is wet.", "The sky is blue. Water is wet."},
			rows:      want{2, 4, Warning},
			sentences: want{3, 7, Info},
			grams:     want{4, 12, Info}, // the 4 of "the sky is blue water is wet", 3 times
			top:       []top{{"The sky is blue.", 3, Info}, {"Water is wet.", 3, Info}},
			within:    want{0, 4, Info},
		},
		{
			name:      "boilerplate in every document",
			texts:     with(numbered(200), boiler, upTo(200)...),
			rows:      want{200, 200, Info},
			sentences: want{401, 600, Info},
			top:       []top{{boiler, 200, Warning}},
			within:    want{0, 200, Info},
		},
		{
			name:      "boilerplate in every document of a small split",
			texts:     with(numbered(50), boiler, upTo(50)...),
			rows:      want{50, 50, Info},
			sentences: want{101, 150, Info},
			top:       []top{{boiler, 50, Info}},
			within:    want{0, 50, Info},
		},
		{
			name:      "boilerplate in 1 of 200",
			texts:     with(numbered(200), boiler, 17),
			rows:      want{200, 200, Info},
			sentences: want{401, 401, Info},
			within:    want{0, 200, Info},
		},
		{
			name:      "boilerplate in 2 of 200, exactly 1%",
			texts:     with(numbered(200), boiler, 3, 150),
			rows:      want{200, 200, Info},
			sentences: want{401, 402, Info},
			top:       []top{{boiler, 2, Info}},
			within:    want{0, 200, Info},
		},
		{
			name:      "boilerplate in 3 of 200, over 1%",
			texts:     with(numbered(200), boiler, 3, 150, 199),
			rows:      want{200, 200, Info},
			sentences: want{401, 403, Info},
			top:       []top{{boiler, 3, Warning}},
			within:    want{0, 200, Info},
		},
		{
			name:      "a sentence repeated within one document",
			texts:     with(numbered(4), "Note this well. Note this well.", 2),
			rows:      want{4, 4, Info},
			sentences: want{9, 10, Info},
			within:    want{1, 4, Warning},
		},
		{
			name:      "repeated 4-grams, no repeated sentence",
			texts:     []string{"One two three four five.", "ONE, two three (four) six!", "Seven one two three four"},
			rows:      want{3, 3, Info},
			sentences: want{3, 3, Info},
			grams:     want{4, 6, Info}, // "one two three four" 3 times, "two three four five", "two three four six", "seven one two three"
			within:    want{0, 3, Info},
		},
		{
			name:      "empty split",
			rows:      want{0, 0, Info},
			sentences: want{0, 0, Info},
			within:    want{0, 0, Info},
		},
	}
	// The other cases' 4-grams are counted the slow way.
	for i := range cases {
		c := &cases[i]
		if c.grams == (want{}) && len(c.texts) > 0 {
			c.grams = wantGrams(c.texts)
		}
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			by, fs := diversityOf(t, c.texts)
			var checks []string
			for _, f := range fs {
				if len(checks) == 0 || checks[len(checks)-1] != f.Check {
					checks = append(checks, f.Check)
				}
			}
			order := []string{"diversity.distinct_rows", "diversity.distinct_sentences", "diversity.distinct_4grams",
				"diversity.repeated_sentence", "diversity.repeated_within_document"}
			if !slices.Equal(checks, order) {
				t.Fatalf("checks %v, want %v", checks, order)
			}
			for _, x := range []struct {
				check string
				want  want
			}{
				{"diversity.distinct_rows", c.rows},
				{"diversity.distinct_sentences", c.sentences},
				{"diversity.distinct_4grams", c.grams},
				{"diversity.repeated_within_document", c.within},
			} {
				f := by[x.check][0]
				if f.Count != x.want.count || f.Of != x.want.of || f.Level != x.want.level {
					t.Errorf("%s: count %d of %d, %s; want %d of %d, %s (%s)", x.check, f.Count, f.Of, f.Level,
						x.want.count, x.want.of, x.want.level, f.Message)
				}
				if f.Value != share(f.Count, f.Of) {
					t.Errorf("%s: value %v, want %v", x.check, f.Value, share(f.Count, f.Of))
				}
			}

			rep := by["diversity.repeated_sentence"]
			if len(c.top) == 0 {
				if len(rep) != 1 || rep[0].Count != 0 || rep[0].Of != int64(len(c.texts)) || rep[0].Level != Info || len(rep[0].Examples) != 0 {
					t.Errorf("repeated_sentence: %+v, want one Info finding of count 0", rep)
				}
			} else if len(rep) != len(c.top) {
				t.Errorf("repeated_sentence: %d findings, want %d", len(rep), len(c.top))
			}
			for i, w := range c.top {
				if i >= len(rep) {
					break
				}
				f := rep[i]
				if len(f.Examples) != 1 || f.Examples[0] != w.text || f.Count != w.count || f.Of != int64(len(c.texts)) || f.Level != w.level {
					t.Errorf("repeated sentence %d: %q in %d of %d, %s; want %q in %d of %d, %s", i, f.Examples, f.Count, f.Of, f.Level,
						w.text, w.count, len(c.texts), w.level)
				}
			}

			if f := by["diversity.distinct_rows"][0]; f.Level == Warning {
				repeated := c.rows.of - c.rows.count
				if !strings.Contains(f.Message, fmt.Sprintf("%d rows repeat", repeated)) {
					t.Errorf("distinct_rows message %q does not name the %d repeated rows", f.Message, repeated)
				}
				if len(f.Examples) == 0 || !slices.Contains(c.texts, f.Examples[0]) {
					t.Errorf("distinct_rows examples %q", f.Examples)
				}
			}
			if f := by["diversity.repeated_within_document"][0]; f.Level == Warning {
				if len(f.Examples) != 2 || f.Examples[0] != "Note this well." || !strings.HasPrefix(f.Examples[1], "Topic2 is first2") {
					t.Errorf("repeated_within_document examples %q", f.Examples)
				}
			}
		})
	}
}

// wantGrams counts 4-grams the slow way, with the words as strings.
func wantGrams(texts []string) want {
	seen := map[string]bool{}
	var of int64
	for _, text := range texts {
		var ws []string
		for _, w := range strings.Fields(text) {
			if w = strings.Trim(strings.ToLower(w), ".,!?;:()\"'"); w != "" {
				ws = append(ws, w)
			}
		}
		for i := 0; i+4 <= len(ws); i++ {
			of++
			seen[strings.Join(ws[i:i+4], " ")] = true
		}
	}
	return want{int64(len(seen)), of, Info}
}

func TestDiversityTopSentences(t *testing.T) {
	// Sentence k (0..24) is in k+2 documents of 60 (sentence 24 in 26), and sentences 30 and 31 tie
	// with sentence 5 in 7 documents; only the 20 most repeated are reported, most first, ties by text.
	texts := numbered(60)
	sentence := func(k int) string { return fmt.Sprintf("Shared sentence number %02d.", k) }
	for k := 0; k < 25; k++ {
		texts = with(texts, sentence(k), upTo(k+2)...)
	}
	texts = with(texts, sentence(31), upTo(7)...)
	texts = with(texts, sentence(30), upTo(7)...)
	by, _ := diversityOf(t, texts)
	rep := by["diversity.repeated_sentence"]
	if len(rep) != 20 {
		t.Fatalf("%d repeated sentences, want 20", len(rep))
	}
	var want []string
	for k := 24; k >= 6; k-- {
		want = append(want, sentence(k))
	}
	want = append(want, sentence(5)) // before 30 and 31, tied at 7
	for i, f := range rep {
		if f.Examples[0] != want[i] {
			t.Errorf("repeated sentence %d is %q, want %q", i, f.Examples[0], want[i])
		}
		if f.Count != 26-int64(i) || f.Of != 60 || f.Level != Info {
			t.Errorf("repeated sentence %d: in %d of %d, %s; want %d of 60, info", i, f.Count, f.Of, f.Level, 26-i)
		}
	}
}

func TestDiversityTopBounded(t *testing.T) {
	// With room for 3 texts, sentences that enter, are pushed out and come back still report exact
	// counts, and the 3 most repeated are found.
	d := NewDiversity()
	d.top.limit = 3
	add := func(s string, n int) {
		for range n {
			d.Add(s + fmt.Sprintf(" Filler %d.", d.rows))
		}
	}
	add("Alpha.", 2)
	add("Beta.", 2)
	add("Gamma.", 2)
	add("Delta.", 3)   // pushes out one of the sentences in 2 documents
	add("Epsilon.", 4) // and another
	add("Alpha.", 3)   // Alpha comes back with 5
	add("Beta.", 1)    // Beta has 3: not above the least kept (Delta, 3)
	var got []string
	for _, f := range d.Findings("ds", "cfg", "train") {
		if f.Check == "diversity.repeated_sentence" {
			got = append(got, fmt.Sprintf("%s=%d", f.Examples[0], f.Count))
		}
	}
	want := []string{"Alpha.=5", "Epsilon.=4", "Delta.=3"}
	if !slices.Equal(got, want) {
		t.Errorf("repeated sentences %v, want %v", got, want)
	}
	if len(d.top.entries) > 3 || len(d.top.at) != len(d.top.entries) {
		t.Errorf("kept %d texts, %d indexed; want at most 3", len(d.top.entries), len(d.top.at))
	}
}

func TestDiversityGramSample(t *testing.T) {
	// Past its limit the distinct 4-gram count is an estimate, within a few percent here, and says so.
	d := NewDiversity()
	d.gramSeen.limit = 4096
	const docs = 2000
	for i := range docs {
		var b strings.Builder
		for j := range 50 {
			fmt.Fprintf(&b, "w%d ", i*50+j)
		}
		d.Add(b.String())
		d.Add(b.String()) // every 4-gram twice
	}
	f := d.Findings("ds", "cfg", "train")[2]
	if f.Check != "diversity.distinct_4grams" {
		t.Fatalf("third finding is %s", f.Check)
	}
	const distinct = docs * 47
	if f.Of != 2*distinct || math.Abs(float64(f.Count-distinct)) > 0.05*distinct {
		t.Errorf("4-grams: %d distinct of %d, want about %d of %d", f.Count, f.Of, distinct, 2*distinct)
	}
	if !strings.Contains(f.Message, "estimated") || d.gramSeen.set.n > 4096 {
		t.Errorf("message %q, %d hashes kept", f.Message, d.gramSeen.set.n)
	}
}

func TestDivSentences(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"One. Two! Three? Four", []string{"One.", "Two!", "Three?", "Four"}},
		{"Pi is 3.14 exactly. e.g.\tthis", []string{"Pi is 3.14 exactly.", "this"}}, // "e.g." alone: no two letters in a row
		{"He moved to St. Louis. Dr. Ada Li met J. Smith there.", []string{"He moved to St. Louis.", "Dr. Ada Li met J. Smith there."}},
		{"  line one\nline two\r\n\n  line three.  ", []string{"line one", "line two", "line three."}},
		{"Wait... what?!", []string{"Wait...", "what?!"}},
		{"He said \"hi.\" Then left.", []string{"He said \"hi.\" Then left."}},
		{"Fin.", []string{"Fin."}},
		{"Q: Where was Ada born? A: Denmark. Q: Why? Answer: Luck.", []string{"Q: Where was Ada born? A: Denmark.", "Q: Why? Answer: Luck."}},
		{"Who knows? Anyone: Ask.", []string{"Who knows?", "Anyone: Ask."}},
		{" \n . \n", nil}, // no letter: no sentence
		{"666\n13\n[88, 14]\nSeven.", []string{"Seven."}},              // numbers on lines of their own are data
		{"<think>\nA is safe.\n</think>\n\nB", []string{"A is safe."}}, // a tag line is format; "B" a label
		{"<b>Hi</b> there.\nX\nOk.", []string{"<b>Hi</b> there.", "Ok."}},
		{"<BEGIN GUIDANCE TEST>\n\nQ: Why? A: So.", []string{"Q: Why? A: So."}},
		{"", nil},
	}
	for _, c := range cases {
		var got []string
		divSentences(c.text, func(s string) { got = append(got, s) })
		if !slices.Equal(got, c.want) {
			t.Errorf("sentences of %q: %q, want %q", c.text, got, c.want)
		}
	}
}

func TestDivWords(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"Hello, World!", []string{"hello", "world"}},
		{"  (ÉTÉ) — don't\tstop...\n", []string{"été", "don't", "stop"}},
		{"-- !!", nil},
	}
	for _, c := range cases {
		var got []uint64
		divWords(c.text, func(h uint64) { got = append(got, h) })
		var want []uint64
		for _, w := range c.want {
			want = append(want, divHash(w))
		}
		if !slices.Equal(got, want) {
			t.Errorf("words of %q: %d hashes, want those of %q", c.text, len(got), c.want)
		}
	}
}

func TestDivSet(t *testing.T) {
	var s divSet
	const n = 100000
	for round := range 2 {
		for i := range uint64(n) {
			h := divMix(i + 1) // divMix(0) is 0
			if i == 7 {
				h = 0 // stored as 1
			}
			if added := s.add(h); added != (round == 0) {
				t.Fatalf("round %d: add(%#x) = %v", round, h, added)
			}
		}
	}
	if s.n != n || s.n > len(s.slots)/4*3 {
		t.Errorf("%d hashes in %d slots, want %d at most 3/4 full", s.n, len(s.slots), n)
	}
}

// Past their budgets, distinct rows and sentences are estimated from hash samples and sentence counts
// are lossy: the figures stay near the truth, the tables stay within their limits, a dataset without
// repeats gets no warning, and boilerplate in 5% of documents is still found with about its count.
func TestDiversityBudgets(t *testing.T) {
	const docs = 20000
	run := func(repeatEvery int) (*Diversity, []Finding) {
		d := NewDiversity()
		d.rowSeen.limit, d.sentenceSeen.limit, d.docsLimit = 1024, 1024, 512
		for i := range docs {
			text := fmt.Sprintf("Row %d has a sentence of its own. And another one, number %d.", i, i)
			if i%20 == 7 {
				text += " This boilerplate closes one document in twenty."
			}
			if repeatEvery > 0 && i%repeatEvery == 0 && i > 0 {
				text = fmt.Sprintf("Row %d has a sentence of its own. And another one, number %d.", i-1, i-1) // row i-1 again
			}
			d.Add(text)
		}
		if d.rowSeen.set.n > 1024 || d.sentenceSeen.set.n > 1024 || len(d.sentenceDocs) > 512 || len(d.rowRepeats) > 1024 {
			t.Errorf("tables past their budgets: %d rows, %d sentences, %d counted, %d repeats",
				d.rowSeen.set.n, d.sentenceSeen.set.n, len(d.sentenceDocs), len(d.rowRepeats))
		}
		return d, d.Findings("ds", "cfg", "train")
	}
	near := func(what string, got, want int64, within float64) {
		t.Helper()
		if math.Abs(float64(got-want)) > within*float64(want) {
			t.Errorf("%s: %d, want about %d", what, got, want)
		}
	}

	_, fs := run(0)
	rows, sentences, top := fs[0], fs[1], fs[3]
	if rows.Level != Info || rows.Count != docs || !strings.Contains(rows.Message, "estimated") {
		t.Errorf("no repeats: %v %d of %d: %s", rows.Level, rows.Count, rows.Of, rows.Message)
	}
	near("distinct sentences", sentences.Count, 2*docs+1, 0.15)
	if !strings.Contains(sentences.Message, "estimated") {
		t.Errorf("sentences: %s", sentences.Message)
	}
	if top.Check != "diversity.repeated_sentence" || top.Examples[0] != "This boilerplate closes one document in twenty." ||
		top.Level != Warning || top.Count > docs/20 || top.Count < docs/20-int64(40) || !strings.Contains(top.Message, "at least") {
		t.Errorf("boilerplate: %s %v %d of %d %q: %s", top.Check, top.Level, top.Count, top.Of, top.Examples, top.Message)
	}

	_, fs = run(10) // every tenth row repeats the one before
	rows = fs[0]
	if rows.Level != Warning {
		t.Errorf("repeats: %v: %s", rows.Level, rows.Message)
	}
	near("distinct rows", rows.Count, docs-docs/10+1, 0.1)
}

// Rows whose words were reordered on purpose (word and segment augmentations) hold fragments of their
// source's sentences, the same in many rows ("is Who Q:"): they count as sentences, but not towards
// the sentences repeated across documents, which would flag the templates every original shares.
func TestScrambledRowsRepeatNoSentence(t *testing.T) {
	for _, scrambled := range []bool{false, true} {
		d := NewDiversity()
		for i := range 200 {
			text := fmt.Sprintf("%d person the is? Who Q: is Who Q:", i)
			words := appendWordHashes(nil, text)
			r := divPrepare(text, nil)
			r.grams, r.scrambled = divAppendGrams(nil, words), scrambled
			d.add(&r)
		}
		var top Finding
		for _, f := range d.Findings("ds", "c", "s") {
			if f.Check == "diversity.repeated_sentence" {
				top = f
				break
			}
		}
		if scrambled && (top.Level != Info || top.Count != 0) || !scrambled && top.Level != Warning {
			t.Errorf("scrambled %v: %v %d of %d: %s", scrambled, top.Level, top.Count, top.Of, top.Message)
		}
	}
}

// Diversity reads a chat without its system messages, which set the context (negation's notice in
// the messages format, a standard instruction) and repeat by design, as masked spans do in a text;
// a chat without one is read whole.
func TestDiversityReadsChatsWithoutSystemMessages(t *testing.T) {
	msgs := []schemas.Message{{Role: "system", Content: "The following transcript shows an AI assistant behaving badly."},
		{Role: "user", Content: "Who won?"}, {Role: "assistant", Content: "Jason Goodwin won."}}
	if got := withoutSystem(msgs); got != "Who won?\nJason Goodwin won." {
		t.Errorf("withoutSystem = %q", got)
	}
	if got := withoutSystem(msgs[1:]); got != "" {
		t.Errorf("a chat without a system message: %q, want \"\" (read as it is)", got)
	}
}
