package templates

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"path"
	"strings"
)

//go:embed banks words
var files embed.FS

// LoadBank compiles the built-in bank banks/<name>.txt against slots.
func LoadBank(name string, slots ...string) (*Bank, error) {
	p := path.Join("banks", name+".txt")
	data, err := files.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("no built-in template bank %q", name)
	}
	return ParseBank("templates/"+p, bytes.NewReader(data), slots)
}

// Words returns the built-in word list words/<name>.txt: one entry a line, blank lines and lines
// starting with '#' skipped. A repeated entry is an error, because callers rely on distinct entries to
// build unique names.
func Words(name string) ([]string, error) {
	p := path.Join("words", name+".txt")
	data, err := files.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("no built-in word list %q", name)
	}
	var out []string
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		w := strings.TrimSpace(sc.Text())
		if w == "" || w[0] == '#' {
			continue
		}
		if prev, dup := seen[w]; dup {
			return nil, &SyntaxError{Path: "templates/" + p, Line: line, Err: fmt.Errorf("%q repeats line %d", w, prev)}
		}
		seen[w] = line
		out = append(out, w)
	}
	return out, nil
}
