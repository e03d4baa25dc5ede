package templates

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// GroupByID groups templates by the first parts of their ids, in bank order; an id with fewer parts
// is its own key (no panic on a user's id without dashes).
func TestGroupByID(t *testing.T) {
	b, err := ParseBank("b", strings.NewReader("calm-before-1 train a\ncalm-body-1 train b\nx train c\ncalm-before-2 train d\nstern-before train e\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(ts []*Template) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	tests := []struct {
		parts int
		key   string
		want  []string
	}{
		{1, "calm", []string{"calm-before-1", "calm-body-1", "calm-before-2"}},
		{1, "x", []string{"x"}},
		{2, "calm-before", []string{"calm-before-1", "calm-before-2"}},
		{2, "stern-before", []string{"stern-before"}},
		{2, "x", []string{"x"}},
	}
	for _, tt := range tests {
		if got := ids(b.GroupByID(tt.parts)[tt.key]); !slices.Equal(got, tt.want) {
			t.Errorf("GroupByID(%d)[%q] = %v, want %v", tt.parts, tt.key, got, tt.want)
		}
	}
}

func TestBankRequiring(t *testing.T) {
	lib := BuiltIn
	if _, err := lib.BankRequiring("bios/birth_city", []string{"subject", "possessive", "own", "birth_city"}, "birth_city"); err != nil {
		t.Fatal(err)
	}
	if _, err := lib.BankRequiring("bios/birth_city", []string{"subject", "possessive", "own", "birth_city"}, "own"); err == nil {
		t.Fatal("a bank whose templates do not all use {own} passed the requirement")
	}
}

// A user's file that replaces or adds to no built-in file is refused, naming it (and where the file it
// meant moved to, for files that moved); files that do are taken.
func TestUserFilesMustMatchBuiltInFiles(t *testing.T) {
	tests := []struct {
		file, want string // want: "" for accepted
	}{
		{"words/city.add.txt", ""},
		{"banks/reversal/p2d.txt", ""},
		{"notes.md", "a template folder holds only banks/ and words/"},
		{"words/citty.add.txt", "no built-in file words/citty.txt"},
		{"words/negation/noun.add.txt", "moved to words/filler/noun.txt"},
		{"banks/negation/genres/news.txt", "moved to banks/genres/news.txt"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		path := filepath.Join(dir, filepath.FromSlash(tt.file))
		os.MkdirAll(filepath.Dir(path), 0o755)
		os.WriteFile(path, []byte("x\n"), 0o644)
		_, err := NewLibrary(dir)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path)) {
			t.Errorf("%s: error %v, want %q", tt.file, err, tt.want)
		}
	}
}
