package export

import (
	"errors"
	"testing"

	"github.com/factforge/factforge/schemas"
)

func TestWithin(t *testing.T) {
	cases := []struct {
		path, dir string
		want      bool
	}{
		{"/a/b", "/a/b", true},
		{"/a/b/c", "/a/b", true},
		{"/a/bc", "/a/b", false},
		{"/a", "/a/b", false},
		{"/a/..b", "/a", true}, // a file named "..b" inside /a
		{"/x/y", "/a/b", false},
	}
	for _, c := range cases {
		if got := within(c.path, c.dir); got != c.want {
			t.Errorf("within(%s, %s) = %v, want %v", c.path, c.dir, got, c.want)
		}
	}
}

func TestFind(t *testing.T) {
	if tg, err := Find("lm-eval"); err != nil || tg.Write == nil {
		t.Errorf("Find(lm-eval) = %v, %v", tg.Name, err)
	}
	var ie *schemas.InputError
	if _, err := Find("lm_eval"); !errors.As(err, &ie) {
		t.Errorf("Find(lm_eval) = %v, want an InputError", err)
	}
	seen := map[string]bool{}
	for _, tg := range Targets {
		if seen[tg.Name] || tg.Name == "" || tg.Doc == "" || tg.Write == nil {
			t.Errorf("target %q: repeated, or without a doc or a writer", tg.Name)
		}
		seen[tg.Name] = true
	}
}

func TestMaxGenToks(t *testing.T) {
	cases := []struct{ longest, want int }{{0, 32}, {20, 32}, {64, 32}, {66, 64}, {130, 96}, {5000, 1024}}
	for _, c := range cases {
		if got := maxGenToks(c.longest); got != c.want {
			t.Errorf("maxGenToks(%d) = %d, want %d", c.longest, got, c.want)
		}
	}
}
