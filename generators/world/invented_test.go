package world

import (
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
		{"element", func(s string) bool { return strings.HasSuffix(s, "ium") && s == strings.ToLower(s) }},
		{"sport", func(s string) bool { return strings.HasSuffix(s, "ball") }},
		{"title", func(s string) bool { return len(strings.Fields(s)) == 2 }},
		{"animal", func(s string) bool { return s == strings.ToLower(s) && len(strings.Fields(s)) >= 2 }},
		{"occupation", func(s string) bool {
			return strings.HasSuffix(s, "keeper") || strings.HasSuffix(s, "warden") || strings.HasSuffix(s, "tender") || strings.HasSuffix(s, "wright")
		}},
		{"country", func(s string) bool { return s != "" }},
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
		if len(seen) < 10 {
			t.Errorf("%s: %d distinct subjects in 50 draws", tt.kind, len(seen))
		}
	}
}
