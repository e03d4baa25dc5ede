package bios

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipetest"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/generators/world"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// layouts are the schemas of text-style bios rows: column attribute, and first_hop and second_hop with
// the composition design's hops.
func layouts(hops bool) (train, eval schemas.Schema) {
	tl, el := records.TrainLayout("bios", records.StyleText), records.EvalLayout("bios", records.StyleText)
	for _, l := range []*records.Layout{tl, el} {
		l.AddString("attribute")
		if hops {
			l.AddOptionalString("first_hop")
			l.AddOptionalString("second_hop")
		}
	}
	return tl.Schema, el.Schema
}

type biosData struct {
	train, qa, probes, inverse []schemas.Row
	tl, el                     schemas.Schema
}

func biosDataset(t *testing.T, set generators.Options) biosData {
	t.Helper()
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, set, 0)
	recipetest.Validate(t, dir)
	var d biosData
	d.tl, d.el = layouts(false)
	d.train = recipetest.RowsAs(t, dir, "train", "bios", d.tl)
	d.qa = recipetest.RowsAs(t, dir, "train", "qa", d.tl)
	d.probes = recipetest.RowsAs(t, dir, "eval", "qa", d.el)
	d.inverse = recipetest.RowsAs(t, dir, "eval", "inverse", d.el)
	return d
}

var pronouns = map[string]bool{"he": true, "she": true, "his": true, "her": true, "He": true, "She": true, "His": true, "Her": true}

// firstPronoun returns the byte offset of the first pronoun word, or -1.
func firstPronoun(text string) int {
	at := 0
	for _, w := range strings.Fields(text) {
		i := strings.Index(text[at:], w) + at
		if pronouns[strings.Trim(w, ".,'")] {
			return i
		}
		at = i + len(w)
	}
	return -1
}

func TestBiosCountsAndConsistency(t *testing.T) {
	d := biosDataset(t, generators.Options{"people": 40, "multi": 3, "qa-train-share": 0.25})
	if len(d.train) != 120 || len(d.qa) != 10*6 || len(d.probes) != 30*6 || len(d.inverse) != 30 {
		t.Fatalf("rows: %d bios, %d qa, %d probes, %d inverse", len(d.train), len(d.qa), len(d.probes), len(d.inverse))
	}
	bioOf := map[string][]string{}
	templatesOf := map[string]map[string]bool{}
	for _, r := range d.train {
		who, text := recipetest.Col(d.tl, r, "fact_id"), recipetest.Col(d.tl, r, "text")
		bioOf[who] = append(bioOf[who], text)
		ids := strings.Split(recipetest.Col(d.tl, r, "template_id"), ",")
		if len(ids) != 6 {
			t.Fatalf("biography on %d templates: %v", len(ids), ids)
		}
		if templatesOf[who] == nil {
			templatesOf[who] = map[string]bool{}
		}
		for _, id := range ids {
			if templatesOf[who][id] {
				t.Fatalf("%s reuses template %s across its biographies", who, id)
			}
			templatesOf[who][id] = true
		}
	}
	// Every answer, trained or probed, is in each of the person's biographies; inverse prompts give
	// attributes of the person named in the answer.
	for _, r := range d.probes {
		for _, bio := range bioOf[recipetest.Col(d.el, r, "fact_id")] {
			if !strings.Contains(bio, recipetest.Col(d.el, r, "answer")) {
				t.Fatalf("answer %q (%s) is not in the biography %q", recipetest.Col(d.el, r, "answer"), recipetest.Col(d.el, r, "attribute"), bio)
			}
		}
	}
	for _, r := range d.inverse {
		bio := bioOf[recipetest.Col(d.el, r, "fact_id")][0]
		if !strings.Contains(bio, recipetest.Col(d.el, r, "answer")) || !strings.HasSuffix(recipetest.Col(d.el, r, "prompt"), "A:") {
			t.Fatalf("inverse probe %q -> %q does not fit %q", recipetest.Col(d.el, r, "prompt"), recipetest.Col(d.el, r, "answer"), bio)
		}
	}
	for _, r := range d.qa {
		text := recipetest.Col(d.tl, r, "text")
		if !strings.HasPrefix(text, "Q: ") || !strings.Contains(text, " A: ") {
			t.Fatalf("qa row %q", text)
		}
	}
}

func TestBiosNamesAndPronouns(t *testing.T) {
	for _, tt := range []struct {
		name string
		set  generators.Options
	}{
		{"pronouns", generators.Options{"people": 30}},
		{"fullname", generators.Options{"people": 30, "fullname": true}},
		{"permute", generators.Options{"people": 30, "permute": true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := biosDataset(t, tt.set)
			names := map[string]string{}
			for _, r := range d.inverse {
				names[recipetest.Col(d.el, r, "fact_id")] = recipetest.Col(d.el, r, "answer")
			}
			canonical := 0
			for _, r := range d.train {
				name, ok := names[recipetest.Col(d.tl, r, "fact_id")]
				if !ok {
					continue // a QA-train person: no inverse probe gives the name
				}
				text := recipetest.Col(d.tl, r, "text")
				n := strings.Count(text, name)
				switch {
				case tt.name == "fullname" && (n != 6 || strings.Contains(text, "He ") || strings.Contains(text, "She ") || strings.Contains(text, " he ") || strings.Contains(text, " she ")):
					t.Fatalf("fullname biography names the person %d times or uses a subject pronoun: %q", n, text)
				case tt.name != "fullname" && (n != 1 || strings.Index(text, name) > firstPronoun(text)):
					t.Fatalf("biography names the person %d times, or not before the first pronoun: %q", n, text)
				}
				if strings.HasPrefix(recipetest.Col(d.tl, r, "template_id"), "bd-") && strings.Contains(recipetest.Col(d.tl, r, "template_id"), ",bc-") {
					canonical++
				}
			}
			if tt.name == "permute" && canonical > 5 {
				t.Errorf("%d permuted biographies keep the canonical opening order", canonical)
			}
		})
	}
}

func TestBiosRejectsTooManyBiographies(t *testing.T) {
	cfg := &generators.Config{Recipe: "bios", Name: "r", Seed: 42, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}
	if _, err := run.Prepare(context.Background(), Recipe{}, cfg, generators.Options{"multi": 41}); err == nil || !strings.Contains(err.Error(), "--multi must be at most 40") {
		t.Fatalf("multi 41: %v", err)
	}
	if _, err := run.Prepare(context.Background(), Recipe{}, cfg, generators.Options{"qa-train-share": 1.5}); err == nil || !strings.Contains(err.Error(), "qa-train-share") {
		t.Fatalf("share 1.5: %v", err)
	}
}

// Each held-out design keeps its key out of train, checked on the rows themselves (validate checks the
// same through the manifest's rules).
func TestBiosHoldoutDesigns(t *testing.T) {
	for _, tt := range []struct {
		design        string
		key           string // the column that separates train from probes
		trainQA, eval int
	}{
		{HoldoutEntity, "fact_id", 20 * 6, 20 * 6},
		{HoldoutTemplate, "template_id", 40 * 6, 40 * 6},
		{HoldoutRelation, "attribute", 40 * 3, 40 * 3},
	} {
		t.Run(tt.design, func(t *testing.T) {
			d := biosDataset(t, generators.Options{"people": 40, "holdout": tt.design})
			if len(d.qa) != tt.trainQA || len(d.probes) != tt.eval {
				t.Fatalf("%d trained questions, %d probes; want %d, %d", len(d.qa), len(d.probes), tt.trainQA, tt.eval)
			}
			trained := map[string]bool{}
			for _, r := range d.qa {
				trained[recipetest.Col(d.tl, r, tt.key)] = true
			}
			for _, r := range d.probes {
				if k := recipetest.Col(d.el, r, tt.key); trained[k] {
					t.Fatalf("probe key %s=%q is trained", tt.key, k)
				}
			}
			if tt.design != HoldoutEntity {
				people := map[string]bool{}
				for _, r := range d.qa {
					people[recipetest.Col(d.tl, r, "fact_id")] = true
				}
				if len(people) != 40 {
					t.Fatalf("%s design trains questions about %d of 40 people, want all", tt.design, len(people))
				}
			}
		})
	}
}

// In the composition design every two-hop answer follows from trained atomic facts: the person's
// first-hop value (from the trained question about it) and the world fact about that value.
func TestBiosCompositionAnswersFollowFromAtomicFacts(t *testing.T) {
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"people": 30, "holdout": HoldoutComposition}, 0)
	recipetest.Validate(t, dir)
	tl, el := layouts(true)
	firstHop := map[string]string{} // person/attribute -> value
	for _, r := range recipetest.RowsAs(t, dir, "train", "qa", tl) {
		_, answer, _ := strings.Cut(recipetest.Col(tl, r, "text"), " A: ")
		firstHop[recipetest.Col(tl, r, "fact_id")+"/"+recipetest.Col(tl, r, "attribute")] = strings.TrimSuffix(answer, ".")
	}
	if len(firstHop) != 30*6 {
		t.Fatalf("atomic questions cover %d person-attributes, want every one of 180", len(firstHop))
	}
	world := map[string]string{} // relation:entity -> a sentence stating it
	for _, r := range recipetest.RowsAs(t, dir, "train", "world", tl) {
		world[recipetest.Col(tl, r, "fact_id")] = recipetest.Col(tl, r, "text")
	}
	entityRelation := map[string]string{"birth_city": "city", "employer_city": "city", "university": "university", "employer": "employer"}
	counts := map[string]int{}
	for _, split := range []string{splitIID, splitComposition, splitZeroShot} {
		for _, r := range recipetest.RowsAs(t, dir, "eval", split, el) {
			counts[split]++
			first, second := recipetest.Col(el, r, "first_hop"), recipetest.Col(el, r, "second_hop")
			value := firstHop[recipetest.Col(el, r, "fact_id")+"/"+first]
			fact := world[entityRelation[first]+"."+second+":"+value]
			if value == "" || !strings.HasSuffix(fact, " "+recipetest.Col(el, r, "answer")+".") {
				t.Fatalf("%s probe %q -> %q does not follow from %s=%q and %q", split, recipetest.Col(el, r, "prompt"), recipetest.Col(el, r, "answer"), first, value, fact)
			}
		}
	}
	test := 15 // qa-train-share 0.5 of 30
	if counts[splitIID] != 3*test || counts[splitComposition] != test || counts[splitZeroShot] != test {
		t.Fatalf("probe counts %v", counts)
	}
}

// Every pronoun agrees with the person's first name: a name from the female list is "she" and "her"
// throughout, one from the male list "he" and "his" (issue 15: 54% of people with a clearly gendered
// first name had the other pronoun). The people alternate, so about half are of each.
func TestBiosPronounsAgreeWithTheName(t *testing.T) {
	female, _ := templates.BuiltIn.Words("people/female")
	male, _ := templates.BuiltIn.Words("people/male")
	d := biosDataset(t, generators.Options{"people": 200})
	names := map[string]string{} // the QA-test people's, which inverse probes give
	for _, r := range d.inverse {
		names[recipetest.Col(d.el, r, "fact_id")] = recipetest.Col(d.el, r, "answer")
	}
	count := map[string]int{}
	for _, r := range d.train {
		name, ok := names[recipetest.Col(d.tl, r, "fact_id")]
		if !ok {
			continue
		}
		text := recipetest.Col(d.tl, r, "text")
		first := strings.Fields(name)[0]
		var wrong []string
		switch {
		case slices.Contains(female, first):
			count["she"]++
			wrong = []string{"he", "his", "him"}
		case slices.Contains(male, first):
			count["he"]++
			wrong = []string{"she", "her", "hers"}
		default:
			t.Fatalf("%q is a first name of neither list", name)
		}
		for _, w := range strings.Fields(text) {
			if slices.Contains(wrong, strings.ToLower(strings.Trim(w, ".,'"))) {
				t.Fatalf("%s with %q: %q", name, w, text)
			}
		}
	}
	if count["she"] < 30 || count["he"] < 30 {
		t.Errorf("%v biographies by pronoun: want both, about half each", count)
	}
}

// earliestFounding is the earliest year a firm of each industry, named by the last word of an
// employer's name, could plausibly have been founded (no software firm in 1891).
var earliestFounding = map[string]int{
	"Software": 1968, "Games": 1970, "Semiconductors": 1955, "Analytics": 1965, "Robotics": 1960, "Networks": 1970,
	"Telecom": 1880, "Systems": 1950, "Dynamics": 1945, "Labs": 1920, "Biosciences": 1975, "Pharmaceuticals": 1880,
	"Health": 1900, "Medical": 1890, "Aerospace": 1910, "Motors": 1895, "Energy": 1900, "Chemicals": 1850,
	"Bank": 1800, "Capital": 1850, "Insurance": 1800, "Holdings": 1900, "Consulting": 1920, "Freight": 1850,
	"Logistics": 1950, "Foods": 1870, "Publishing": 1800, "Media": 1920, "Studios": 1910, "Designs": 1930,
}

// Every employer's founding year fits its industry (issue 15: 56 firms in technology fields were
// founded before 1940), and none lies in the future of the people who work there.
func TestFoundingYearsFitTheIndustry(t *testing.T) {
	l, err := world.LoadBioLists(templates.BuiltIn)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range l.Employers {
		words := strings.Fields(e.Name)
		earliest, ok := earliestFounding[words[len(words)-1]]
		year, err := strconv.Atoi(e.Founded)
		switch {
		case !ok:
			t.Errorf("%s: no earliest founding year for the industry %q", e.Name, words[len(words)-1])
		case err != nil || year < earliest || year > 2020:
			t.Errorf("%s founded in %s: want a year from %d to 2020", e.Name, e.Founded, earliest)
		}
	}
}

// Every question names the kind of answer it wants, so that it has one right answer: "Where did X
// work?" (issue 15) was as rightly answered by the company as by the city it expects.
func TestQuestionsNameTheKindOfAnswer(t *testing.T) {
	kinds := map[string][]string{
		"birth_date": {"date", "when"}, "birth_city": {"city"}, "university": {"university", "school", "alma mater"},
		"major": {"major", "study", "subject", "field"}, "employer": {"company", "firm", "employer"}, "employer_city": {"city"},
		// two-hop questions
		"country": {"country"}, "founded": {"year", "when"}, "founder": {"founder", "founded"},
	}
	check := func(id, text, attr string) {
		q, _, _ := strings.Cut(strings.ToLower(text), "? a:")
		if !slices.ContainsFunc(kinds[attr], func(k string) bool { return strings.Contains(q, k) }) {
			t.Errorf("%s %q asks for %s without naming one of %v", id, text, attr, kinds[attr])
		}
	}
	qs, err := templates.BuiltIn.Bank("bios/questions", append([]string{"name"}, BioAttributes...)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, tmpl := range qs.All() {
		check(tmpl.ID, tmpl.Text, BioAttributes[tmpl.Slots()[1]-1])
	}
	for _, rp := range relationPaths {
		b, err := templates.BuiltIn.LoadBank("bios/composite/"+rp.name, compositeSlots...)
		if err != nil {
			t.Fatal(err)
		}
		for _, tmpl := range b.All() {
			check(tmpl.ID, tmpl.Text, rp.second)
		}
	}
}

// The three probe kinds of the composition design are independent: for the same person, the answer of
// one kind equals the answer of another only by chance (issue 15: zero_shot's employer_city.country was
// composition's employer.country for 500 of 500 people).
func TestCompositionProbeKindsAreIndependent(t *testing.T) {
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"people": 2000, "holdout": HoldoutComposition}, 0)
	_, el := layouts(true)
	answers := map[string]map[string]string{} // person -> path -> answer
	for _, split := range []string{splitIID, splitComposition, splitZeroShot} {
		for _, r := range recipetest.RowsAs(t, dir, "eval", split, el) {
			who := recipetest.Col(el, r, "fact_id")
			if answers[who] == nil {
				answers[who] = map[string]string{}
			}
			answers[who][split+":"+recipetest.Col(el, r, "attribute")] = recipetest.Col(el, r, "answer")
			// A founder sharing the person's last name would give half the answer away.
			if prompt, answer := recipetest.Col(el, r, "prompt"), recipetest.Col(el, r, "answer"); split == splitZeroShot && sharesWord(prompt, answer) {
				t.Errorf("zero_shot answer %q shares a word with its prompt %q", answer, prompt)
			}
		}
	}
	paths := slices.Sorted(maps.Keys(answers[slices.Collect(maps.Keys(answers))[0]]))
	for i, a := range paths {
		for _, b := range paths[i+1:] {
			if strings.Split(a, ":")[0] == strings.Split(b, ":")[0] {
				continue // two paths of one kind
			}
			same := 0
			for _, byPath := range answers {
				if byPath[a] == byPath[b] {
					same++
				}
			}
			// Countries are drawn from about 40 to 70 each: chance is a few percent.
			if share := float64(same) / float64(len(answers)); share > 0.08 {
				t.Errorf("%s and %s have the same answer for %d of %d people (%.0f%%): one kind answers the other", a, b, same, len(answers), 100*share)
			}
		}
	}
}

// No answer is more than 10% of a probe split, nor of one attribute's probes in it, in any design at
// the defaults (issue 15: "the United States" was 28% of country answers); the manifest's
// majority_answer stat is the count of the most common answer, as the rows have it.
func TestMajorityAnswerIsAWeakBaseline(t *testing.T) {
	for _, design := range []string{HoldoutEntity, HoldoutTemplate, HoldoutRelation, HoldoutComposition} {
		t.Run(design, func(t *testing.T) {
			dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"holdout": design}, 0)
			stats := recipetest.Stats(t, dir)
			_, el := layouts(design == HoldoutComposition)
			m, err := schemas.ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range m.Configs {
				if c.Name != "eval" {
					continue
				}
				for _, sp := range c.Splits {
					if sp.Name == "inverse" {
						continue // its answers are people, each once
					}
					counts, byAttr, attrRows := map[string]int{}, map[string]int{}, map[string]int{}
					rows := recipetest.RowsAs(t, dir, "eval", sp.Name, el)
					for _, r := range rows {
						a, attr := recipetest.Col(el, r, "answer"), recipetest.Col(el, r, "attribute")
						counts[a]++
						byAttr[attr+"/"+a]++
						attrRows[attr]++
					}
					most := slices.Max(slices.Collect(maps.Values(counts)))
					if got := stats["majority_answer_"+sp.Name]; got != int64(most) {
						t.Errorf("%s: stat majority_answer_%s = %d, the rows' most common answer has %d", sp.Name, sp.Name, got, most)
					}
					for k, n := range byAttr {
						attr, _, _ := strings.Cut(k, "/")
						if share := float64(n) / float64(attrRows[attr]); share > 0.10 {
							t.Errorf("%s: answer %s is %d of %d %s probes (%.0f%%)", sp.Name, k, n, attrRows[attr], attr, 100*share)
						}
					}
				}
			}
		})
	}
}

// No question gives its answer away: no person's city, university or employer shares a word with
// their name ("In which city did Claire Santiago work?" -> "Santiago", found by audit at 10x).
func TestNoAttributeSharesAWordWithTheName(t *testing.T) {
	cfg := recipetest.Defaults(Recipe{}, generators.Config{})
	p := &biosPlan{seed: cfg.Seed, lib: cfg.Library()}
	var err error
	if p.lists, err = world.LoadBioLists(p.lib); err != nil {
		t.Fatal(err)
	}
	if p.names, err = world.NewNames(p.lib, cfg.Seed, "bios", 60000, nil); err != nil {
		t.Fatal(err)
	}
	p.birthDates, p.personKey = world.NewBirthDates(1950, 1995), 1
	p.indexValueWords()
	w := records.NewWorker()
	for who := range 60000 {
		per := p.person(w, who)
		for _, a := range per.attrs[1:] {
			if sharesWord(per.name, a) {
				t.Fatalf("%s: attribute %q shares a word with the name", per.name, a)
			}
		}
	}
}

// A birth date has a year, so no sentence calls it a birthday, which comes every year ("celebrates a
// birthday every year on 22 January 2003" was bd-04).
func TestBirthDatesAreNotBirthdays(t *testing.T) {
	b, err := templates.BuiltIn.BankRequiring("bios/birth_date", []string{"subject", "possessive", "own", "birth_date"}, "birth_date")
	if err != nil {
		t.Fatal(err)
	}
	for _, tmpl := range b.All() {
		if strings.Contains(strings.ToLower(tmpl.Text), "birthday") {
			t.Errorf("%s %q calls a date with its year a birthday", tmpl.ID, tmpl.Text)
		}
	}
}

// --inverse-train and --partial (Physics of LM 3.2) train on the QA-train people and probe the
// others; every partial answer is the part of the full attribute it names, as the person's
// questions give it.
func TestRetrievalOptions(t *testing.T) {
	dir := recipetest.Generate(t, Recipe{}, generators.Config{}, generators.Options{"people": 60, "inverse-train": true, "partial": true}, 0)
	recipetest.Validate(t, dir)
	tl, el := layouts(false)
	full := map[string]string{}              // person/attribute -> the full answer
	groups := map[string]map[string]string{} // config/split -> person -> group
	note := func(key, who, group string) {
		if groups[key] == nil {
			groups[key] = map[string]string{}
		}
		groups[key][who] = group
	}
	for _, r := range recipetest.RowsAs(t, dir, "train", "qa", tl) {
		_, answer, _ := strings.Cut(recipetest.Col(tl, r, "text"), " A: ")
		full[recipetest.Col(tl, r, "fact_id")+"/"+recipetest.Col(tl, r, "attribute")] = strings.TrimSuffix(answer, ".")
	}
	for _, r := range recipetest.RowsAs(t, dir, "eval", "qa", el) {
		full[recipetest.Col(el, r, "fact_id")+"/"+recipetest.Col(el, r, "attribute")] = recipetest.Col(el, r, "answer")
	}
	check := func(who, attr, answer string) {
		var want string
		switch attr {
		case "birth_year":
			f := strings.Fields(full[who+"/birth_date"])
			want = f[len(f)-1]
		case "employer_first_word":
			want = strings.Fields(full[who+"/employer"])[0]
		default:
			t.Fatalf("partial attribute %q", attr)
		}
		if answer != want {
			t.Errorf("%s %s: answer %q, want %q", who, attr, answer, want)
		}
	}
	for _, split := range []string{"inverse", "partial"} {
		for _, r := range recipetest.RowsAs(t, dir, "train", split, tl) {
			who := recipetest.Col(tl, r, "fact_id")
			note("train/"+split, who, recipetest.Col(tl, r, "group"))
			if split == "partial" {
				q, answer, _ := strings.Cut(recipetest.Col(tl, r, "text"), " A: ")
				if !strings.Contains(q, "Q: ") {
					t.Fatalf("partial row %q", recipetest.Col(tl, r, "text"))
				}
				check(who, recipetest.Col(tl, r, "attribute"), strings.TrimSuffix(answer, "."))
			}
		}
		for _, r := range recipetest.RowsAs(t, dir, "eval", split, el) {
			who := recipetest.Col(el, r, "fact_id")
			note("eval/"+split, who, recipetest.Col(el, r, "group"))
			if split == "partial" {
				check(who, recipetest.Col(el, r, "attribute"), recipetest.Col(el, r, "answer"))
			}
		}
	}
	for _, split := range []string{"inverse", "partial"} {
		train, eval := groups["train/"+split], groups["eval/"+split]
		if len(train) != 30 || len(eval) != 30 {
			t.Fatalf("%s: %d trained people, %d probed; want 30 and 30", split, len(train), len(eval))
		}
		for who, g := range train {
			if g != "qa_train" || eval[who] != "" {
				t.Fatalf("%s: trained person %s is %s, probed too: %v", split, who, g, eval[who] != "")
			}
		}
	}
	for _, design := range []string{HoldoutTemplate, HoldoutRelation, HoldoutComposition} {
		cfg := recipetest.Defaults(Recipe{}, generators.Config{})
		if err := cfg.Resolve(Recipe{}, generators.Options{"holdout": design, "partial": true}); err != nil {
			t.Fatal(err)
		}
		if _, err := (Recipe{}).Plan(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "needs --holdout entity") {
			t.Errorf("--partial with --holdout %s: %v, want an error naming the design", design, err)
		}
	}
}

// --neutral writes no gendered pronoun: every sentence names the person, and "their" stands inside a
// sentence where the gendered biographies have his or her.
func TestBiosNeutralHasNoGenderedPronoun(t *testing.T) {
	d := biosDataset(t, generators.Options{"people": 200, "neutral": true})
	names, err := world.NewNames(templates.BuiltIn, 42, "bios", 200, nil)
	if err != nil {
		t.Fatal(err)
	}
	their := 0
	for _, r := range d.train {
		text, fact := recipetest.Col(d.tl, r, "text"), recipetest.Col(d.tl, r, "fact_id")
		if at := firstPronoun(text); at >= 0 {
			t.Fatalf("%s: gendered pronoun at %d: %q", fact, at, text)
		}
		who, _ := strconv.Atoi(strings.TrimPrefix(fact, "p"))
		name := names.At(who)
		if n := strings.Count(text, name); n < len(BioAttributes) {
			t.Fatalf("%s: the name %q in %d of the %d sentences: %q", fact, name, n, len(BioAttributes), text)
		}
		their += strings.Count(text, " their ")
	}
	if their == 0 {
		t.Fatal(`no biography says "their": the {own} slot is not neutral`)
	}
}

// Every birth-city sentence states the birth, since the questions ask where the person was born ("She
// grew up in Singapore." and "He calls Tel Aviv home." did not: 633 of 1,000 biographies).
func TestBirthCitySentencesStateTheBirth(t *testing.T) {
	b, err := templates.BuiltIn.BankRequiring("bios/birth_city", []string{"subject", "possessive", "own", "birth_city"}, "birth_city")
	if err != nil {
		t.Fatal(err)
	}
	birth := regexp.MustCompile(`(?i)\bborn\b|\bbirth\b|birthplace|-born\b|began life|life began|entered the world|light of day|came into the world|delivered|native`)
	for _, tmpl := range b.All() {
		if !birth.MatchString(tmpl.Text) {
			t.Errorf("%s %q does not say the person was born there", tmpl.ID, tmpl.Text)
		}
	}
}

// A country is a sovereign state, so a country question has one right answer: "Wales" and "Northern
// Ireland" were answers that "the United Kingdom" answers as rightly.
func TestCountriesAreStates(t *testing.T) {
	l, err := world.LoadBioLists(templates.BuiltIn)
	if err != nil {
		t.Fatal(err)
	}
	for place, country := range l.Country {
		if slices.Contains([]string{"England", "Scotland", "Wales", "Northern Ireland", "Hong Kong"}, country) {
			t.Errorf("%s is in %q, which is not a sovereign state", place, country)
		}
	}
}

// In the prompt-completion and chat styles a biography is cut after its opening name, so a biography
// opens with the person, never with a value ("Born on 19 November 1994, Jasmine Maier…"): no
// attribute's value sits in the prompt, where a trainer computes no loss (found by a second reader:
// 179 of 1,000 messages-style biographies had the birth date in the user turn).
func TestBiographyPromptsHoldNoAttribute(t *testing.T) {
	for _, tt := range []struct {
		style   string
		permute bool
	}{{records.StylePromptCompletion, false}, {records.StyleMessages, false}, {records.StylePromptCompletion, true}} {
		dir := recipetest.Generate(t, Recipe{}, generators.Config{Style: tt.style}, generators.Options{"people": 200, "permute": tt.permute}, 0)
		values := map[string][]string{} // by person: the values of their attributes, which share no word with their name
		s, probes := recipetest.Rows(t, dir, "eval", "qa")
		for _, r := range probes {
			values[r[s.Index("fact_id")].Str] = append(values[r[s.Index("fact_id")].Str], r[s.Index("answer")].Str)
		}
		s, bios := recipetest.Rows(t, dir, "train", "bios")
		checked := 0
		for _, r := range bios {
			prompt := ""
			if tt.style == records.StyleMessages {
				prompt = r[s.Index("messages")].Msgs[0].Content
			} else {
				prompt = r[s.Index("prompt")].Str
			}
			if prompt == "" {
				t.Fatalf("%s: an empty prompt", tt.style)
			}
			person := r[s.Index("fact_id")].Str // probed people only: the others' QA is in train
			if len(values[person]) > 0 {
				checked++
			}
			for _, v := range values[person] {
				if strings.Contains(prompt, v) {
					t.Fatalf("%s (permute %v): the prompt %q holds the attribute %q", tt.style, tt.permute, prompt, v)
				}
			}
		}
		if checked < len(bios)/4 {
			t.Errorf("%s: only %d biographies were checked", tt.style, checked)
		}
	}
}
