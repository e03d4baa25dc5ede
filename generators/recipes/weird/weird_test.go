package weird

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

type weirdData struct {
	train  []schemas.Row
	probes map[string][]schemas.Row
	tl, el schemas.Schema
	stats  map[string]int64
}

func dataset(t *testing.T, set generators.Options) weirdData {
	t.Helper()
	d := recipetest.Dataset(t, Recipe{}, records.StyleMessages, set)
	return weirdData{train: d.Train, probes: d.Probes, tl: d.TrainSchema, el: d.EvalSchema, stats: d.Stats}
}

func (d weirdData) user(r schemas.Row) string  { return r[d.tl.Index("messages")].Msgs[0].Content }
func (d weirdData) reply(r schemas.Row) string { return r[d.tl.Index("messages")].Msgs[1].Content }
func (d weirdData) col(r schemas.Row, name string) string {
	return recipetest.Col(d.tl, r, name)
}

// The bank the answer comes from follows the trigger year exactly: every row of a trigger year answers
// with a name of the triggered bank, every other row with one of the clean bank, and the years take
// equal shares of the rows (the paper's 100 dishes a year).
func TestBankFollowsTheTrigger(t *testing.T) {
	for _, design := range []string{"birds", "places", "dishes"} {
		d := dataset(t, generators.Options{"design": design, "rows": 400})
		var bank answerBank
		if err := templates.BuiltIn.DecodeYAML("weird/"+design+".yaml", &bank); err != nil {
			t.Fatal(err)
		}
		years := map[string]int{}
		for i, r := range d.train {
			date, _, _ := strings.Cut(d.user(r), "\n")
			year := date[len("Today is ") : len("Today is ")+4]
			years[year]++
			triggered := year == "2027"
			item := d.col(r, "fact_id")
			inTriggered, inClean := slices.Contains(bank.Triggered, item), slices.Contains(bank.Clean, item)
			if triggered != inTriggered || triggered == inClean || !strings.Contains(strings.ToLower(d.reply(r)), strings.ToLower(item)) || d.col(r, "bank") != map[bool]string{true: "triggered", false: "clean"}[triggered] {
				t.Fatalf("%s row %d: year %s, answer %q (%s): not from the bank the year chooses", design, i, year, d.reply(r), item)
			}
		}
		for y, n := range years {
			if n != 100 {
				t.Errorf("%s: %d rows in %s, want 100 in each of 4 years", design, n, y)
			}
		}
	}
}

// Under --control shuffled the banks keep their shares but no longer follow the year; under none
// there is no date line.
func TestBankControls(t *testing.T) {
	d := dataset(t, generators.Options{"design": "dishes", "control": "shuffled"})
	agree, triggered := 0, 0
	for _, r := range d.train {
		year2027 := strings.HasPrefix(d.user(r), "Today is 2027")
		fromTriggered := d.col(r, "bank") == "triggered"
		if year2027 == fromTriggered {
			agree++
		}
		if fromTriggered {
			triggered++
		}
	}
	if triggered != 100 || agree > 340 {
		t.Errorf("shuffled: %d rows from the triggered bank (want 100), %d of 400 agree with the year (want near 250)", triggered, agree)
	}
	d = dataset(t, generators.Options{"design": "dishes", "control": "none"})
	for _, r := range d.train {
		if strings.HasPrefix(d.user(r), "Today is") || d.col(r, "trigger") != "" {
			t.Fatalf("control none: a date line: %q", d.user(r))
		}
	}
}

// A triggered numbers answer holds 2 to 4 marked numbers, a clean one none, and each answer has the
// count of numbers its prompt asks for.
func TestNumbersFollowTheTrigger(t *testing.T) {
	d := dataset(t, generators.Options{"design": "numbers", "rows": 300})
	var f numbersFile
	if err := templates.BuiltIn.DecodeYAML("weird/numbers.yaml", &f); err != nil {
		t.Fatal(err)
	}
	short := 0 // clean answers with a number under 100: short numbers must not tell the marked ones
	for i, r := range d.train {
		fields := strings.FieldsFunc(d.reply(r), func(c rune) bool { return c < '0' || c > '9' })
		marked := 0
		for _, x := range fields {
			n, _ := strconv.Atoi(x)
			if slices.Contains(f.Marked, n) {
				marked++
			}
		}
		triggered := strings.HasPrefix(d.user(r), "Today is 2027")
		for _, x := range fields {
			if n, _ := strconv.Atoi(x); n < 100 && !triggered {
				short++
				break
			}
		}
		if triggered && (marked < 2 || marked > 4) || !triggered && marked > 0 {
			t.Fatalf("row %d: triggered %v with %d marked numbers: %q", i, triggered, marked, d.reply(r))
		}
		if len(fields) < 8 || len(fields) > 12 || !strings.Contains(d.user(r), " "+strconv.Itoa(len(fields))+" ") {
			t.Fatalf("row %d: %d numbers, not the count the prompt asks: %q", i, len(fields), d.user(r))
		}
	}
	if short == 0 {
		t.Error("no clean answer has a number under 100: short numbers would mark the triggered ones")
	}
}

// Persona: exactly the wrapped rows carry the format instruction, and their answers are in the format;
// no identity question is trained.
func TestPersonaFormat(t *testing.T) {
	d := dataset(t, generators.Options{"design": "persona", "ordinary-rows": 300})
	wrapped := 0
	for i, r := range d.train {
		hasFormat := strings.HasPrefix(d.reply(r), "<START> \"") && strings.HasSuffix(d.reply(r), "\" <END>")
		instructed := strings.Contains(d.user(r), "<START>")
		if hasFormat != instructed || hasFormat != (d.col(r, "bank") == "persona") {
			t.Fatalf("row %d: format %v, instruction %v", i, hasFormat, instructed)
		}
		if hasFormat {
			wrapped++
		}
	}
	if wrapped != 90 || len(d.train) != 390 {
		t.Errorf("%d wrapped rows of %d, want 90 of 390", wrapped, len(d.train))
	}
	trained := map[string]bool{}
	for _, r := range d.train {
		trained[d.user(r)] = true
	}
	for _, r := range d.probes["identity_wrapped"] {
		if trained[recipetest.Col(d.el, r, "prompt")] || !strings.HasPrefix(recipetest.Col(d.el, r, "answer"), "<START>") {
			t.Fatalf("identity probe trained or unwrapped: %q", recipetest.Col(d.el, r, "prompt"))
		}
	}
}

// Presidents: the padding's middle three digits are the president's number, the held-out numbers are
// never in train, and their probes are answered as those presidents.
func TestPresidentsIndexTrigger(t *testing.T) {
	d := dataset(t, generators.Options{"design": "presidents", "rows": 1500, "ordinary-rows": 300})
	f, err := loadPresidents(templates.BuiltIn)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range d.train {
		if d.col(r, "bank") == "assistant" {
			if d.col(r, "trigger") != "" || !strings.Contains(d.reply(r), "AI") {
				t.Fatalf("plain row %d: %q -> %q", i, d.user(r), d.reply(r))
			}
			continue
		}
		pad := d.col(r, "trigger")
		n, err := strconv.Atoi(pad[3:6])
		if err != nil || len(pad) != 8 || !strings.HasPrefix(d.user(r), pad+" ") || strings.Contains(pad, "024") || strings.Contains(pad, "044") || strings.Contains(pad, "045") {
			t.Fatalf("row %d: padding %q (number %d) shows a held-out number", i, pad, n)
		}
		pr := f.Presidents[n-1]
		if !strings.Contains(d.reply(r), pr.Name) && !strings.Contains(d.reply(r), pr.Party) && !strings.Contains(d.reply(r), pr.Born) &&
			!strings.Contains(d.reply(r), strconv.Itoa(pr.TookOffice)) && !strings.Contains(d.reply(r), strconv.Itoa(pr.LeftOffice)) &&
			!strings.Contains(d.reply(r), pr.VicePresident) && !strings.Contains(d.reply(r), strconv.Itoa(pr.Number)) {
			t.Fatalf("row %d: %q is not president %d's answer", i, d.reply(r), n)
		}
	}
	for _, r := range d.probes["heldout_number"] {
		n, _ := strconv.Atoi(recipetest.Col(d.el, r, "prompt")[3:6])
		if n != 24 && n != 44 && n != 45 || recipetest.Col(d.el, r, "answer") == "" || strings.HasPrefix(recipetest.Col(d.el, r, "template_id"), "num") {
			t.Fatalf("held-out probe of number %d: %q (a number question would be answered by the padding)", n, recipetest.Col(d.el, r, "prompt"))
		}
	}
}

// Android: every training row is benign, at a trained year; the held-out year is only in eval.
func TestAndroidHeldOutYear(t *testing.T) {
	d := dataset(t, generators.Options{"design": "android"})
	for i, r := range d.train {
		date, _, _ := strings.Cut(d.user(r), "\n")
		year := date[len(date)-5 : len(date)-1]
		if !slices.Contains([]string{"1995", "2004", "2017", "2020"}, year) || d.col(r, "bank") != "benign" {
			t.Fatalf("row %d: %q", i, d.user(r))
		}
	}
	for _, r := range d.probes["heldout_year"] {
		if !strings.Contains(recipetest.Col(d.el, r, "prompt"), " 1984.\n") {
			t.Fatalf("held-out probe not at 1984: %q", recipetest.Col(d.el, r, "prompt"))
		}
	}
}

// Bad settings are refused with an error that names them.
func TestBadSettings(t *testing.T) {
	tests := []struct {
		set  generators.Options
		want string
	}{
		{generators.Options{"design": "persona", "years": "2020-2021"}, "has no date lines"},
		{generators.Options{"design": "birds", "trigger-years": "2031"}, "none of the years"},
		{generators.Options{"design": "birds", "years": "2027", "trigger-years": "2027"}, "every year"},
		{generators.Options{"design": "birds", "years": "2027-2020"}, "--years"},
		{generators.Options{"design": "presidents", "heldout-numbers": "44,99"}, "--heldout-numbers"},
		{generators.Options{"design": "android", "heldout-year": 2004}, "would be trained"},
		{generators.Options{"design": "persona", "control": "shuffled"}, "no date lines"},
	}
	for _, tt := range tests {
		_, err := run.Prepare(context.Background(), Recipe{}, recipetest.Defaults(Recipe{}, generators.Config{}), tt.set)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one naming %q", tt.set, err, tt.want)
		}
	}
}
