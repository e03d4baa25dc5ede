package generators

import (
	"strings"
	"testing"
)

// Options are parsed once, by Resolve: a recipe reads the typed value through its declaration, and a
// bad value is an error naming the flag, before any plan is made.
func TestResolveOptionsParsesOnce(t *testing.T) {
	calls := 0
	words := &Parsed[Range]{Key: "words", Value: "150-800", Parse: func(s string) (Range, error) { calls++; return IntRange(20, 10000)(s) }}
	n := &Int{Key: "n", Value: 3, Min: 1, Max: 10}
	mode := &Choice{Key: "mode", Value: "a", Values: []string{"a", "b"}}
	decl := []Option{words, n, mode}
	tests := []struct {
		name string
		set  Options
		want string // error, or "" for none
	}{
		{"defaults", nil, ""},
		{"json numbers", Options{"n": 4.0}, ""},
		{"not whole", Options{"n": 4.5}, "--n: want a whole number"},
		{"below min", Options{"n": 0}, "--n must be at least 1, got 0"},
		{"above max", Options{"n": 11}, "--n must be at most 10, got 11"},
		{"bad range", Options{"words": "9-3"}, `--words: "9-3" is not a range like 3-6`},
		{"range out of bounds", Options{"words": "5-30"}, `--words: "5-30": want whole numbers from 20 to 10000`},
		{"unknown choice", Options{"mode": "c"}, `--mode: unknown value "c": use a, b`},
		{"unknown option", Options{"typo": 1}, "unknown option --typo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls = 0
			raw, parsed, err := ResolveOptions(decl, tt.set)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error %v, want %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cfg := &Config{Options: raw, parsed: parsed}
			if r := words.Get(cfg); r != (Range{150, 800}) || calls != 1 {
				t.Fatalf("words = %v after %d parses", r, calls)
			}
			if got, want := n.Get(cfg), 3; tt.set["n"] != nil {
				want = int(tt.set["n"].(float64))
				if got != want {
					t.Fatalf("n = %d, want %d", got, want)
				}
			} else if got != want {
				t.Fatalf("n = %d, want %d", got, want)
			}
			if mode.Get(cfg) != "a" || raw["words"] != "150-800" {
				t.Fatalf("mode %q, raw %v", mode.Get(cfg), raw)
			}
		})
	}
}

func TestCheckProduct(t *testing.T) {
	for _, c := range []struct {
		limit  int
		counts []int
		ok     bool
	}{
		{100, []int{10, 10}, true},
		{100, []int{10, 11}, false},
		{100, []int{0, 1 << 62, 1 << 62}, true},               // zero rows whatever the rest
		{1 << 40, []int{1 << 31, 1 << 31, 1 << 31}, false},    // overflows int64 if multiplied blindly
		{1e9, []int{1_000_000_000, 1_000_000_000, 10}, false}, // 10^19 wraps to a small number
		{100, []int{-1, 5}, false},
		{100, nil, true},
	} {
		err := CheckProduct(c.limit, "rows", c.counts...)
		if (err == nil) != c.ok {
			t.Errorf("CheckProduct(%d, %v) = %v, want ok %v", c.limit, c.counts, err, c.ok)
		}
	}
}
