package world

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

func TestNamesUnique(t *testing.T) {
	nm, err := NewNames(templates.BuiltIn, 42, "reversal", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := nm.Capacity()
	if n < 35_000 {
		t.Fatalf("%d names without a middle name for one use, want 35,000 or more", n)
	}
	seen := make(map[string]int, n)
	for i := 0; i < n; i++ {
		name := nm.At(i)
		if j, dup := seen[name]; dup {
			t.Fatalf("name %q given to %d and %d", name, j, i)
		}
		if words := strings.Fields(name); len(words) != 2 || words[0] == words[1] {
			t.Fatalf("name %q is not a first and another last name", name)
		}
		seen[name] = i
	}
	if nm.NamesWithMiddle(n) != 0 {
		t.Fatal("the capacity's names should not need middle names")
	}
}

// Past the first-and-last-name pool, names gain a middle name instead of repeating, and say so.
func TestNamesBeyondPool(t *testing.T) {
	nm, err := NewNames(templates.BuiltIn, 42, "reversal", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := nm.Capacity()
	if got := nm.NamesWithMiddle(c + 5); got != 5 {
		t.Fatalf("NamesWithMiddle(capacity+5) = %d", got)
	}
	seen := map[string]bool{}
	for i := c - 3; i < c+50; i++ {
		name := nm.At(i)
		words := len(strings.Fields(name))
		if (i < c && words != 2) || (i >= c && words != 3) || seen[name] {
			t.Fatalf("name %d of pool %d: %q", i, c, name)
		}
		seen[name] = true
	}
	if _, err := NewNames(templates.BuiltIn, 42, "reversal", 1<<40, nil); err == nil {
		t.Fatal("an impossible number of names gave no error")
	}
}

func TestNamesDependOnSeed(t *testing.T) {
	a, _ := NewNames(templates.BuiltIn, 1, "reversal", 10, nil)
	b, _ := NewNames(templates.BuiltIn, 2, "reversal", 10, nil)
	same := 0
	for i := 0; i < 10; i++ {
		if a.At(i) == b.At(i) {
			same++
		}
	}
	if same > 2 {
		t.Fatalf("seeds 1 and 2 share %d of 10 names", same)
	}
}

func TestDescriptionsUnique(t *testing.T) {
	const n = 300_000 // three groups of 100,000 facts
	d, err := NewDescriptions(templates.BuiltIn, 42, n)
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]bool, n)
	frames := map[string]int{}
	for i := 0; i < n; i++ {
		s := d.At(i)
		if seen[s] {
			t.Fatalf("description %d repeats: %q", i, s)
		}
		if !strings.HasPrefix(s, "the ") || strings.ContainsAny(s, "{}") {
			t.Fatalf("description %q is not a filled frame", s)
		}
		seen[s] = true
		frames[strings.Join(strings.Fields(s)[:2], " ")]++
	}
	if len(frames) < 20 {
		t.Fatalf("only %d description frames in use, want at least 20", len(frames))
	}
	if _, err := NewDescriptions(templates.BuiltIn, 42, d.Capacity()+1); err == nil {
		t.Fatal("more descriptions than the pool holds gave no error")
	}
}

func BenchmarkWorld(b *testing.B) {
	nm, _ := NewNames(templates.BuiltIn, 42, "reversal", 1_000_000, nil)
	d, _ := NewDescriptions(templates.BuiltIn, 42, 300_000)
	i := 0
	for b.Loop() {
		_ = nm.At(i % 1_000_000)
		_ = d.At(i % 300_000)
		i++
	}
}

// Birth dates are real dates of the range, drawn from every year, and 29 February only in leap years.
func TestBirthDates(t *testing.T) {
	dates := NewBirthDates(1950, 2005)
	s := rng.NewStream()
	years := map[int]bool{}
	for i := range 100_000 {
		s.Reset(7, uint64(i))
		text := dates.Draw(s)
		d, err := time.Parse("2 January 2006", text)
		if err != nil || d.Year() < 1950 || d.Year() > 2005 || d.Format("2 January 2006") != text {
			t.Fatalf("draw %d: %q (%v)", i, text, err)
		}
		if d.Month() == time.February && d.Day() == 29 && d.Year()%4 != 0 {
			t.Fatalf("draw %d: %q is not a date", i, text)
		}
		years[d.Year()] = true
	}
	if len(years) != 56 {
		t.Fatalf("%d of 56 years drawn", len(years))
	}
}

// Under one seed the uses of names share none: a recipe's people, claims' people and filler people
// never coincide, so datasets of different recipes made with one seed can be trained together.
func TestNameUsesAreDisjoint(t *testing.T) {
	const n = 20000
	seen := map[string]string{}
	for _, use := range NameUses {
		nm, err := NewNames(templates.BuiltIn, 42, use, n, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			name := nm.At(i)
			if other, ok := seen[name]; ok {
				t.Fatalf("%q is a name of both %s and %s", name, other, use)
			}
			seen[name] = use
		}
	}
	if _, err := NewNames(templates.BuiltIn, 42, "nobody", 1, nil); err == nil {
		t.Error("an unknown use of names was accepted")
	}
}

// A name's gender is its first name's: names alternate between the female and male lists, and a
// middle name is of the same gender and never the first name again.
func TestNamesHaveTheGenderOfTheirFirstName(t *testing.T) {
	female, _ := templates.BuiltIn.Words("people/female")
	male, _ := templates.BuiltIn.Words("people/male")
	nm, err := NewNames(templates.BuiltIn, 42, "bios", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := nm.Capacity()
	for _, i := range []int{0, 1, 2, 3, 1001, c - 2, c - 1, c, c + 1, c + 2, c + 3} {
		words := strings.Fields(nm.At(i))
		list := map[int][]string{Female: female, Male: male}[nm.Gender(i)]
		if !slices.Contains(list, words[0]) || len(words) == 3 && (!slices.Contains(list, words[1]) || words[1] == words[0]) {
			t.Errorf("name %d %q, gender %d: its first or middle name is not of its gender's list, or repeats", i, nm.At(i), nm.Gender(i))
		}
		if nm.Gender(i) != i%2 {
			t.Errorf("name %d has gender %d: names alternate", i, nm.Gender(i))
		}
	}
}

// No description frame doubles a word whatever word fills its slots: the literal word beside a slot
// is never the first or last word of a value of that slot ("decoded the Gilded Signal signal", which
// the audit found in 0.7% of reversal's rows).
func TestDescriptionFramesDoubleNoWord(t *testing.T) {
	data, err := templates.BuiltIn.Bank("world/descriptions", DescriptionSlots...)
	if err != nil {
		t.Fatal(err)
	}
	slot := regexp.MustCompile(`\{(\w+)\}`)
	for _, frame := range data.All() {
		text := frame.Text
		for _, m := range slot.FindAllStringSubmatchIndex(text, -1) {
			name := text[m[2]:m[3]]
			words, err := templates.BuiltIn.Words(name)
			if err != nil {
				t.Fatal(err)
			}
			before := strings.Fields(strings.TrimRight(text[:m[0]], " '"))
			after := strings.Fields(strings.TrimLeft(text[m[1]:], " '"))
			for _, w := range words {
				parts := strings.Fields(w)
				if len(before) > 0 && text[m[0]-1] == ' ' && strings.EqualFold(before[len(before)-1], parts[0]) ||
					len(after) > 0 && m[1] < len(text) && text[m[1]] == ' ' && strings.EqualFold(strings.Trim(after[0], ".,'"), parts[len(parts)-1]) {
					t.Errorf("%s %q: %s %q doubles the word beside it", frame.ID, text, name, w)
				}
			}
		}
	}
}

// Avoided names are skipped and the names after them move up, each keeping the gender its first name
// gives; the count of names with a middle name and the pool's bound take the skips into account.
func TestNamesSkipAvoidedOnes(t *testing.T) {
	all, err := NewNames(templates.BuiltIn, 42, "bios", 20, nil)
	if err != nil {
		t.Fatal(err)
	}
	avoided := map[string]bool{all.At(0): true, all.At(3): true, all.At(4): true, all.At(11): true}
	nm, err := NewNames(templates.BuiltIn, 42, "bios", 12, func(name string) bool { return avoided[name] })
	if err != nil {
		t.Fatal(err)
	}
	var want []int // the indexes of all's names that are kept
	for i := range 16 {
		if !avoided[all.At(i)] {
			want = append(want, i)
		}
	}
	for i := range 12 {
		if nm.At(i) != all.At(want[i]) || nm.Gender(i) != all.Gender(want[i]) {
			t.Errorf("name %d: %q (gender %d), want %q (gender %d)", i, nm.At(i), nm.Gender(i), all.At(want[i]), all.Gender(want[i]))
		}
		if avoided[nm.At(i)] {
			t.Errorf("name %d %q is avoided", i, nm.At(i))
		}
	}
	if nm.Avoided() != 4 {
		t.Errorf("Avoided() = %d, want 4", nm.Avoided())
	}
	c := nm.Capacity()
	if got := nm.NamesWithMiddle(c); got != 4 {
		t.Errorf("NamesWithMiddle(capacity %d) = %d, want the 4 names past the plain ones the skips pushed out", c, got)
	}
	every := func(string) bool { return true }
	if _, err := NewNames(templates.BuiltIn, 42, "bios", 1, every); !errors.Is(err, ErrPoolExhausted) {
		t.Errorf("every name avoided: %v, want ErrPoolExhausted", err)
	}
}

// No description echoes itself ("the painter of 'Tidal Tides'", "the Stormy Storm"): an adjective and
// the word after it share no stem (four letters, or three in two short words). And no frame has a
// comma: a description stands inside sentences ("Do you know who <description> is?"), where an
// appositive ("'Celestial Hymns', first staged in Stormhaven is") loses its closing comma.
func TestDescriptionsDoNotEcho(t *testing.T) {
	data, err := templates.BuiltIn.Bank("world/descriptions", DescriptionSlots...)
	if err != nil {
		t.Fatal(err)
	}
	common := func(a, b string) int {
		a, b = strings.ToLower(a), strings.ToLower(b)
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		return i
	}
	adjectives, err := templates.BuiltIn.Words("adjective")
	if err != nil {
		t.Fatal(err)
	}
	after := regexp.MustCompile(`\{adjective\} \{(\w+)\}`)
	for _, frame := range data.All() {
		if strings.Contains(frame.Text, ",") {
			t.Errorf("%s %q has a comma", frame.ID, frame.Text)
		}
		for _, m := range after.FindAllStringSubmatch(frame.Text, -1) {
			nouns, err := templates.BuiltIn.Words(m[1])
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range adjectives {
				for _, n := range nouns {
					if c := common(a, n); c >= 4 || c >= 3 && len(a) <= 5 && len(n) <= 5 {
						t.Errorf("%s: %q %q echo each other", frame.ID, a, n)
					}
				}
			}
		}
	}
}
