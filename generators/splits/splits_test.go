package splits

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Shares select exactly round(share x n), by a keyed permutation: the two sides are disjoint, cover
// everything, depend on the key, and do not follow position.
func TestHeldOutAndRanked(t *testing.T) {
	items := make([]int, 100)
	for i := range items {
		items[i] = i
	}
	tests := []struct {
		share float64
		held  int
	}{{0, 0}, {0.1, 10}, {0.333, 33}, {0.335, 34}, {1, 100}}
	for _, tt := range tests {
		kept, held := HeldOut(items, tt.share, 7)
		chosen, rest := Ranked(len(items), tt.share, 7)
		if len(held) != tt.held || len(kept) != 100-tt.held || chosen.Len() != tt.held || rest.Len() != 100-tt.held {
			t.Fatalf("share %v: %d held, %d kept; ranked %d and %d; want %d held", tt.share, len(held), len(kept), chosen.Len(), rest.Len(), tt.held)
		}
		all := append(slices.Clone(kept), held...)
		for i := range rest.Len() {
			all = append(all, rest.At(i)+100)
		}
		for i := range chosen.Len() {
			all = append(all, chosen.At(i)+100)
		}
		slices.Sort(all)
		for i, v := range all {
			if v != i {
				t.Fatalf("share %v: the sides are not a partition of the items", tt.share)
			}
		}
	}
	_, a := HeldOut(items, 0.2, 1)
	_, b := HeldOut(items, 0.2, 2)
	if slices.Equal(a, b) || slices.Equal(a, items[:20]) {
		t.Fatalf("held-out items follow position or ignore the key: %v, %v", a, b)
	}
	if r := All(5); r.Len() != 5 || r.At(3) != 3 {
		t.Fatalf("All(5) = %d items, item 3 is %d", r.Len(), r.At(3))
	}
}

func TestUniqueIDs(t *testing.T) {
	rules := UniqueIDs("train", "eval")
	if len(rules) != 2 || rules[0].Left.Config != "train" || rules[1].Doc != "row ids are unique in eval" || rules[1].Left.Columns[0] != "id" {
		t.Fatalf("rules %+v", rules)
	}
}

// A round gives each name exactly its weight, spread out rather than in runs; weight 0 takes none.
func TestCycle(t *testing.T) {
	tests := []struct {
		weights map[string]int
		want    string
	}{
		{map[string]int{"a": 1, "b": 1, "c": 1}, "abc"},
		{map[string]int{"a": 3, "b": 1}, "aaba"},
		{map[string]int{"a": 2, "b": 2, "c": 1}, "abcab"},
		{map[string]int{"a": 0, "b": 2, "c": 1}, "bcb"},
	}
	for _, tt := range tests {
		if got := strings.Join(Cycle([]string{"a", "b", "c"}, tt.weights), ""); got != tt.want {
			t.Errorf("Cycle(%v) = %s, want %s", tt.weights, got, tt.want)
		}
	}
}

func TestParseWeights(t *testing.T) {
	known := func(name string) error {
		if name != "x" && name != "y" {
			return fmt.Errorf("unknown %q", name)
		}
		return nil
	}
	got, err := ParseWeights("x:3, y", "class", "classes", 10, known)
	if err != nil || got["x"] != 3 || got["y"] != 1 || len(got) != 2 {
		t.Fatalf("ParseWeights = %v, %v; want x:3 y:1", got, err)
	}
	for _, bad := range []string{"x:11", "x:-1", "x:a", "z", "x:0,y:0"} {
		if _, err := ParseWeights(bad, "class", "classes", 10, known); err == nil {
			t.Errorf("ParseWeights(%q) gave no error", bad)
		}
	}
}
