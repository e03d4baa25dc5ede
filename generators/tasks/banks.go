package tasks

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

// The banks' entries, as templates/banks/tasks/*.yaml write them.
type (
	term struct {
		Term       string `yaml:"term"`
		Field      string `yaml:"field"`
		Definition string `yaml:"definition"`
	}
	topic struct {
		Topic     string `yaml:"topic"`
		Field     string `yaml:"field"`
		Paragraph string `yaml:"paragraph"`
	}
	function struct {
		Name    string `yaml:"name"`
		Request string `yaml:"request"`
		Code    string `yaml:"code"`
		Example struct {
			Call   string `yaml:"call"`
			Result string `yaml:"result"`
		} `yaml:"example"`
	}
	category struct {
		Category string   `yaml:"category"`
		Plural   string   `yaml:"plural"`
		Items    []string `yaml:"items"`
		Exact    bool     `yaml:"exact"`
	}
)

// check refuses banks a family cannot draw from: too few entries, empty fields.
func (b *Set) check() error {
	need := func(name string, have, want int) error {
		if have < want {
			return fmt.Errorf("tasks/%s: %d entries, the task families need at least %d", name, have, want)
		}
		return nil
	}
	for _, e := range []error{need("glossary.yaml", len(b.glossary), 1), need("topics.yaml", len(b.topics), 1),
		need("python.yaml", len(b.python), 1), need("categories.yaml", len(b.categories), 1)} {
		if e != nil {
			return e
		}
	}
	for _, t := range b.glossary {
		if t.Term == "" || t.Field == "" || t.Definition == "" {
			return fmt.Errorf("tasks/glossary.yaml: the entry %q needs a term, a field and a definition", t.Term)
		}
	}
	for _, t := range b.topics {
		if t.Topic == "" || t.Paragraph == "" {
			return fmt.Errorf("tasks/topics.yaml: the entry %q needs a topic and a paragraph", t.Topic)
		}
	}
	for _, f := range b.python {
		if f.Name == "" || f.Request == "" || f.Code == "" || f.Example.Call == "" {
			return fmt.Errorf("tasks/python.yaml: the entry %q needs a name, a request, code and an example", f.Name)
		}
	}
	for _, c := range b.categories {
		if c.Plural == "" || len(c.Items) < 5 {
			return fmt.Errorf("tasks/categories.yaml: the category %q needs a plural and at least 5 items", c.Category)
		}
	}
	if len(b.words) < 20 {
		return fmt.Errorf("tasks/categories.yaml: %d one-word items, the string task families need at least 20", len(b.words))
	}
	return nil
}

// vals makes a family's values from key, value pairs; values are strings or ints.
func vals(kv ...any) map[string]string {
	out := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		switch v := kv[i+1].(type) {
		case string:
			out[kv[i].(string)] = v
		case int:
			out[kv[i].(string)] = strconv.Itoa(v)
		}
	}
	return out
}

// fill writes values into format: {key} takes the value, {Key} the value capitalised; anything else in
// braces stays as written. One pass over format.
func fill(format string, v map[string]string) string {
	var b strings.Builder
	b.Grow(len(format) + 32)
	for {
		open := strings.IndexByte(format, '{')
		if open < 0 {
			b.WriteString(format)
			return b.String()
		}
		end := strings.IndexByte(format[open:], '}')
		if end < 0 {
			b.WriteString(format)
			return b.String()
		}
		key := format[open+1 : open+end]
		b.WriteString(format[:open])
		if x, ok := v[key]; ok {
			b.WriteString(x)
		} else if x, ok := v[strings.ToLower(key[:min(1, len(key))])+key[min(1, len(key)):]]; ok && key != "" && key[0] >= 'A' && key[0] <= 'Z' {
			b.WriteString(capitalize(x))
		} else {
			b.WriteString(format[open : open+end+1])
		}
		format = format[open+end+1:]
	}
}

// pick fills one of the answer wordings: its arguments are the wordings, then the values. The wording
// is a function of the values, so that one prompt is always taught one answer (audit's
// consistency.train_two_answers), while prompts of other values take every wording alike.
func pick(wordingsThenValues ...any) string {
	n := len(wordingsThenValues) - 1
	v := wordingsThenValues[n].(map[string]string)
	return fill(wordingsThenValues[valuesHash(v)%uint64(n)].(string), v)
}

// valuesHash hashes values, keys in order.
func valuesHash(v map[string]string) uint64 {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := fnv.New64a()
	for _, k := range keys {
		h.Write([]byte(k + "=" + v[k] + "\x00"))
	}
	return rng.Mix(h.Sum64(), 0x7a5c)
}

func capitalize(s string) string { return templates.Capitalize(s) }

// someDate draws a date from 1950 to 2029.
func someDate(s *rng.Stream) time.Time {
	return time.Date(1950+s.IntN(80), time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, s.IntN(365))
}

// longDate writes a date as "5 March 2021".
func longDate(t time.Time) string { return t.Format("2 January 2006") }

// distinctInts draws n distinct numbers from lo to hi.
func distinctInts(s *rng.Stream, n, lo, hi int) []int {
	var out []int
	for len(out) < n {
		if x := lo + s.IntN(hi-lo+1); !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func joinInts(ns []int, sep string) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, sep)
}

// pickN draws n distinct items.
func pickN(s *rng.Stream, items []string, n int) []string {
	n = min(n, len(items))
	idx := s.Perm(len(items))[:n]
	out := make([]string, n)
	for i, j := range idx {
		out[i] = items[j]
	}
	return out
}

// joinAnd writes "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

var numberWords = map[int]string{2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ordinal writes 1st, 2nd, 3rd, 4th, 11th, 21st.
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// roman writes n (1 to 3999) in Roman numerals.
func roman(n int) string {
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for ; n >= p.v; n -= p.v {
			b.WriteString(p.s)
		}
	}
	return b.String()
}
