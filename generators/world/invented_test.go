package world

import (
	"slices"
	"strings"
	"testing"

	"github.com/factforge/factforge/templates"
)

// Invented subjects take the shape of their kind and are a pure function of their index.
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
			return slices.ContainsFunc([]string{"keeper", "warden", "tender", "wright", "smith", "master", "binder", "setter", "runner", "minder", "fitter", "turner", "steward", "porter", "reeve", "carrier", "caller", "mender"},
				func(e string) bool { return strings.HasSuffix(s, e) })
		}},
		{"country", func(s string) bool { return s != "" && !realPlaces[s] }},
	}
	for _, tt := range tests {
		// Every name of the kind's space has its shape, and comes out the same each time.
		for k := range inv.Space(tt.kind) {
			if a := inv.Nth(tt.kind, k); !tt.ok(a) && !Unusable(a) || a != inv.Nth(tt.kind, k) {
				t.Fatalf("%s %d: %q", tt.kind, k, a)
			}
		}
	}
}

// Every name of a kind's space is distinct, so that samples given different indexes get different
// names (outlandish gives each fictitious sample its own), and few are unusable.
func TestInventorSpaceIsDistinctNames(t *testing.T) {
	inv, err := LoadInventor(templates.BuiltIn)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"country", "element", "title", "dish", "animal", "occupation", "sport", ""} {
		space := inv.Space(kind)
		if space < 1000 {
			t.Errorf("%s: %d names", kind, space)
		}
		seen := map[string]int{}
		real := 0
		for k := range space {
			name := inv.Nth(kind, k)
			if j, dup := seen[name]; dup {
				t.Errorf("%s: names %d and %d are both %q", kind, j, k, name)
			}
			seen[name] = k
			if Unusable(name) {
				real++
			}
		}
		if inv.Nth(kind, space) != inv.Nth(kind, 0) {
			t.Errorf("%s: Nth is not modulo the space", kind)
		}
		// Plain names first: Subject's draws, which take only plain names, never hit a qualified one.
		plain := inv.Plain(kind)
		if plain > space || space%plain != 0 {
			t.Errorf("%s: %d plain names of %d", kind, plain, space)
		}
		if real > space/4 { // element names lose about a fifth: a prefix's last vowel meets the ending's first
			t.Errorf("%s: %d of %d names are real", kind, real, space)
		}
	}
}
