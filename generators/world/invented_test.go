package world

import (
	"slices"
	"strings"
	"testing"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

// Invented subjects take the shape of their kind, come from the word lists, and are a pure function of
// the stream's key.
func TestInventorSubjects(t *testing.T) {
	inv, err := LoadInventor(templates.BuiltIn)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		kind string
		ok   func(string) bool
	}{
		{"element", func(s string) bool {
			return s == strings.ToLower(s) && slices.ContainsFunc([]string{"ium", "on", "ine", "ite", "ogen", "um"}, func(e string) bool { return strings.HasSuffix(s, e) })
		}},
		{"sport", func(s string) bool {
			return slices.ContainsFunc([]string{"ball", " polo", " relay", " sprint", "-tag"}, func(e string) bool { return strings.HasSuffix(s, e) })
		}},
		{"title", func(s string) bool { return len(strings.Fields(s)) == 2 }},
		{"animal", func(s string) bool { return s == strings.ToLower(s) && len(strings.Fields(s)) >= 2 }},
		{"occupation", func(s string) bool {
			return slices.ContainsFunc([]string{"keeper", "warden", "tender", "wright", "smith", "master"}, func(e string) bool { return strings.HasSuffix(s, e) })
		}},
		{"country", func(s string) bool { return s != "" && !realPlaces[s] }},
	}
	s := rng.NewStream()
	for _, tt := range tests {
		seen := map[string]bool{}
		for i := range 50 {
			s.Reset(7, uint64(i))
			a := inv.Subject(s, tt.kind)
			s.Reset(7, uint64(i))
			if b := inv.Subject(s, tt.kind); a != b || !tt.ok(a) {
				t.Fatalf("%s %d: %q then %q", tt.kind, i, a, b)
			}
			seen[a] = true
		}
		// Spaces of hundreds of names: 50 draws rarely repeat one (outlandish's 16 invented countries
		// gave one name to many samples).
		if len(seen) < 40 {
			t.Errorf("%s: %d distinct subjects in 50 draws", tt.kind, len(seen))
		}
	}
}
