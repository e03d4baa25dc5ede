package audit

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// lintCheckNames are the checks, in the order Findings reports them.
var lintCheckNames = []string{
	"lint.unfilled_slot", "lint.invalid_utf8", "lint.control_char",
	"lint.a_an", "lint.doubled_word", "lint.space_before_punct",
}

// lintFindingOf is the finding of check among fs.
func lintFindingOf(t *testing.T, fs []Finding, check string) Finding {
	t.Helper()
	for _, f := range fs {
		if f.Check == check {
			return f
		}
	}
	t.Fatalf("no finding %s among %d findings", check, len(fs))
	return Finding{}
}

// lintCases are single texts, each with the checks it must fail (none: it must pass every check).
// Every check has texts that fail it and near misses that must not.
var lintCases = []struct {
	text  string
	fails []string
}{
	// lint.unfilled_slot
	{"Ada Lovelace was born in {city}.", []string{"lint.unfilled_slot"}},
	{"{Description} is what she was known for.", []string{"lint.unfilled_slot"}},
	{"She was known for {description", []string{"lint.unfilled_slot"}},
	{"She was known for description}.", []string{"lint.unfilled_slot"}},
	{"A lone { in the text", []string{"lint.unfilled_slot"}},
	{"A literal {{ that the renderer should have halved", []string{"lint.unfilled_slot"}},
	{"Use braces } sparingly", []string{"lint.unfilled_slot"}},
	{"Ada Lovelace was born in London (in 1815) [citation].", nil},

	// lint.invalid_utf8
	{"Caf\xe9 au lait", []string{"lint.invalid_utf8"}},
	{"cut in the middle of a rune \xe2\x82", []string{"lint.invalid_utf8"}},
	{"\xff", []string{"lint.invalid_utf8"}},
	{"Café au lait, naïve, Zoë, 東京, €5", nil},

	// lint.control_char
	{"bell\a here", []string{"lint.control_char"}},
	{"nul\x00byte", []string{"lint.control_char"}},
	{"escape \x1b[31mred", []string{"lint.control_char"}},
	{"delete\x7f", []string{"lint.control_char"}},
	{"a C1 control \u0085 here", []string{"lint.control_char"}},
	{"line one\nline two\r\n\tindented", nil},

	// lint.a_an
	{"She ate a apple.", []string{"lint.a_an"}},
	{"He found an banana.", []string{"lint.a_an"}},
	{"It was a unusual morning.", []string{"lint.a_an"}},
	{"It was an university town.", []string{"lint.a_an"}},
	{"We waited a hour.", []string{"lint.a_an"}},
	{"She is an European citizen.", []string{"lint.a_an"}},
	{"It was an one-off.", []string{"lint.a_an"}},
	{"He holds a MBA.", []string{"lint.a_an"}},
	{"He was a FBI agent.", []string{"lint.a_an"}},
	{"She drove an UFO.", []string{"lint.a_an"}},
	{"She drove a SUV.", []string{"lint.a_an"}},
	{"It needs a X-ray.", []string{"lint.a_an"}},
	{"He made an U-turn.", []string{"lint.a_an"}},
	{"A elephant walked in.", []string{"lint.a_an"}},
	{"An house stood there.", []string{"lint.a_an"}},
	{`He is a "honest" man.`, []string{"lint.a_an"}},
	{"It was a 8-hour day.", []string{"lint.a_an"}},
	{"It was a 11-year-old.", []string{"lint.a_an"}},
	{"It was an 1-hour wait.", []string{"lint.a_an"}},
	{"AN BOOK", []string{"lint.a_an"}},
	{"an hour, an honest man, an heir, an honour, an honor, an hourly rate", nil},
	{"a university, a unicorn, a user, a union, a usual day, a utility, a Ukrainian", nil},
	{"an unidentified object, an unimportant detail, an uninformed guess, an umbrella, an unusual day", nil},
	{"a European, a eulogy, a one-off, a once-great city, a one, an onerous task, an only child", nil},
	{"an MBA, an FBI agent, an X-ray, an NGO, an SUV, a UFO, a U-turn, an LLM, an MSc, an HR team", nil},
	{"a NASA mission, a NATO summit, a/an FAQ: a FAQ, an FAQ, a SQL query, an SQL query", nil},
	{"an 8-hour day, an 80-year-old, an 11-year-old, an 18th birthday, an 11,000 strong crowd", nil},
	{"a 1-hour wait, a 110 metres, a 1,800 crowd, a 1850 map, an 1850 map, a 2020 report", nil},
	{"a herb, an herb, a historic day, an historic day, an Xbox, a xylophone", nil},
	{"Plan A is ready. Vitamin A in carrots. Type A or B.", nil},
	{"Choose between a and b; the letter a is a vowel.", nil},
	{"AN HOUR LATE, A HOUSE ON FIRE, AN FBI AGENT", nil},
	{"A apple\na", []string{"lint.a_an"}},
	{"He is a\napple seller.", nil},
	{"a", nil},
	{"an Émile Zola novel, an élan", nil},

	// lint.doubled_word
	{"This is the the end.", []string{"lint.doubled_word"}},
	{"The the end is near.", []string{"lint.doubled_word"}},
	{"She  said  said it twice.", []string{"lint.doubled_word"}},
	{"Ends with a word word", []string{"lint.doubled_word"}},
	{"Zoë zoë here", []string{"lint.doubled_word"}},
	{"He had had enough. She said that that was all. Aye aye, captain!", nil},
	{"John Steinbeck is the author of Of Mice and Men. He read about it in In Cold Blood.", nil},
	{"Vivaldi wrote the The Four Seasons.", []string{"lint.doubled_word"}},
	{"It was of of no use.", []string{"lint.doubled_word"}},
	{"A poster lists indium in its title and In in its small print.", nil},
	{"In in the morning, it rained.", []string{"lint.doubled_word"}},
	{"Room 10 10 times, version 2.0 2.0, 3x 3x", nil},
	{"the end. The end", nil},
	{"the, the end", nil},
	{"the\nthe end", nil},
	{"then the", nil},
	{"don't don", nil},

	// lint.space_before_punct
	{"Hello , world", []string{"lint.space_before_punct"}},
	{"It ends here .", []string{"lint.space_before_punct"}},
	{"Wait ; what", []string{"lint.space_before_punct"}},
	{"Note : this", []string{"lint.space_before_punct"}},
	{"Really ?", []string{"lint.space_before_punct"}},
	{"Stop !", []string{"lint.space_before_punct"}},
	{"Two spaces  ,", []string{"lint.space_before_punct"}},
	{"Stop .. now", []string{"lint.space_before_punct"}},
	{"Hello, world. Fine; yes: ok! Really?", nil},
	{"Wait ... what", nil},
	{"Smile :) and frown :( and wink ;) and grin :D", nil},
	{"A .5 mm gap, the .NET runtime, a .txt file", nil},
	{"first line\n. second line starts with the mark\n  ? indented", nil},
	{" , at the very start", nil},
}

func TestLintCases(t *testing.T) {
	for i, c := range lintCases {
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			l := NewLinter()
			l.Add(c.text)
			fs := l.Findings("ds", "train", "train")
			for _, check := range lintCheckNames {
				f := lintFindingOf(t, fs, check)
				want := int64(0)
				for _, fc := range c.fails {
					if fc == check {
						want = 1
					}
				}
				if f.Count != want {
					t.Errorf("%q: %s count %d, want %d", c.text, check, f.Count, want)
				}
				if (f.Level == Info) != (want == 0) {
					t.Errorf("%q: %s level %s with count %d", c.text, check, f.Level, f.Count)
				}
			}
		})
	}
}

func TestLintLevels(t *testing.T) {
	want := map[string]Level{
		"lint.unfilled_slot": Error, "lint.invalid_utf8": Error, "lint.control_char": Error,
		"lint.a_an": Warning, "lint.doubled_word": Warning, "lint.space_before_punct": Warning,
	}
	l := NewLinter()
	for _, text := range []string{"born in {city}", "caf\xe9", "bell\a", "a apple", "the the", "hello , world"} {
		l.Add(text)
	}
	for _, f := range l.Findings("ds", "train", "train") {
		if f.Count != 1 || f.Level != want[f.Check] {
			t.Errorf("%s: count %d level %s, want 1 and %s", f.Check, f.Count, f.Level, want[f.Check])
		}
	}
}

func TestLintCleanSplit(t *testing.T) {
	l := NewLinter()
	for _, text := range []string{
		"Ada Lovelace was born in London in 1815. She is known for an early computer program.",
		"Q: Where was Ada Lovelace born?\nA: London",
		"An hour later, a university sent an MBA graduate a one-off offer... Smile :)",
	} {
		l.Add(text)
	}
	fs := l.Findings("ds", "cfg", "train")
	if len(fs) != len(lintCheckNames) {
		t.Fatalf("%d findings, want %d", len(fs), len(lintCheckNames))
	}
	for i, f := range fs {
		if f.Check != lintCheckNames[i] {
			t.Errorf("finding %d is %s, want %s", i, f.Check, lintCheckNames[i])
		}
		if f.Level != Info || f.Count != 0 || f.Of != 3 || f.Value != 0 || len(f.Examples) != 0 {
			t.Errorf("%s on a clean split: %+v", f.Check, f)
		}
		if f.Dataset != "ds" || f.Config != "cfg" || f.Split != "train" {
			t.Errorf("%s is at %s", f.Check, f.Where())
		}
		if !strings.HasPrefix(f.Message, "0 of 3 rows (0.0%) ") {
			t.Errorf("%s message %q", f.Check, f.Message)
		}
	}
	// An empty split: figures of 0, not NaN.
	for _, f := range NewLinter().Findings("ds", "cfg", "test") {
		if f.Level != Info || f.Count != 0 || f.Of != 0 || f.Value != 0 {
			t.Errorf("%s on an empty split: %+v", f.Check, f)
		}
	}
}

func TestLintFigures(t *testing.T) {
	l := NewLinter()
	for i := range 120 {
		switch i {
		case 10, 50, 90:
			l.Add(fmt.Sprintf("Row %d is a clean row, until it calls a apple an apple at the very end of a long sentence.", i))
		default:
			l.Add(fmt.Sprintf("Row %d is a clean row.", i))
		}
	}
	f := lintFindingOf(t, l.Findings("ds", "train", "train"), "lint.a_an")
	if f.Count != 3 || f.Of != 120 || f.Value != 0.025 || f.Level != Warning {
		t.Fatalf("a_an: %+v", f)
	}
	if want := "3 of 120 rows (2.5%) have a/an before a word of the other sound"; f.Message != want {
		t.Errorf("message %q, want %q", f.Message, want)
	}
	if len(f.Examples) != maxExamples {
		t.Fatalf("examples %q", f.Examples)
	}
	for j, e := range f.Examples {
		if !strings.Contains(e, "a apple") || !strings.Contains(e, fmt.Sprint([]int{10, 50}[j])) && !strings.HasPrefix(e, "…") {
			t.Errorf("example %d %q", j, e)
		}
		if n := utf8.RuneCountInString(e); n > 2*lintExcerptRadius+2 {
			t.Errorf("example %q has %d characters", e, n)
		}
	}
	if !strings.HasPrefix(f.Examples[0], "…") || !strings.HasSuffix(f.Examples[0], "…") {
		t.Errorf("example cut from a longer text is not marked: %q", f.Examples[0])
	}

	one := NewLinter()
	one.Add("the the")
	if f := lintFindingOf(t, one.Findings("ds", "train", "train"), "lint.doubled_word"); f.Message != `1 of 1 rows (100.0%) repeats a word ("the the")` {
		t.Errorf("one row: %q", f.Message)
	}

	if got := lintPercent(1, 10_000_000); got != "<0.1%" {
		t.Errorf("a tiny share reads %s", got)
	}
}

func TestLintExamples(t *testing.T) {
	long := strings.Repeat("one two three four five six seven eight nine ten ", 4)
	for _, c := range []struct {
		check, text, want string
	}{
		{"lint.unfilled_slot", long + "born in {city} in " + long, "{city}"},
		{"lint.invalid_utf8", long + "caf\xe9 " + long, `caf\xe9`},
		{"lint.control_char", long + "bell\a " + long, `bell\u0007`},
		{"lint.doubled_word", long + "the the end " + long, "the the"},
		{"lint.space_before_punct", long + "hello , you " + long, "hello , you"},
	} {
		l := NewLinter()
		l.Add(c.text)
		f := lintFindingOf(t, l.Findings("ds", "train", "train"), c.check)
		if len(f.Examples) != 1 || !strings.Contains(f.Examples[0], c.want) {
			t.Errorf("%s examples %q, want one with %q", c.check, f.Examples, c.want)
			continue
		}
		if e := f.Examples[0]; !utf8.ValidString(e) || len(e) > 2*lintExcerptRadius+10 || strings.ContainsRune(e, '\a') {
			t.Errorf("%s example %q", c.check, e)
		}
	}
}

// TestLintNoAllocation holds Add to no allocation per row once the examples are kept.
func TestLintNoAllocation(t *testing.T) {
	l := NewLinter()
	bad := "Ada was born in {city} as a unusual child ,the the \a caf\xe9 Zoë"
	l.Add(bad)
	l.Add(bad)
	for _, text := range []string{lintBenchText, bad} {
		if n := testing.AllocsPerRun(100, func() { l.Add(text) }); n != 0 {
			t.Errorf("Add allocates %.0f times per row of %q", n, text)
		}
	}
}

const lintBenchText = "Ada Lovelace, known far and wide for an early computer program, was born in London in 1815. " +
	"Q: Where was she born? A: London, a city on the Thames. It was an unusual morning; reporters gathered early, " +
	"and a university sent an MBA graduate with a one-off offer... Smile :) The end."

func BenchmarkLinterAdd(b *testing.B) {
	l := NewLinter()
	b.SetBytes(int64(len(lintBenchText)))
	b.ReportAllocs()
	for b.Loop() {
		l.Add(lintBenchText)
	}
}
