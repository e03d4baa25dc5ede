package schemas

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Rule kinds. A recipe states its invariants as rules, written into the manifest, and validate checks
// them with no recipe code, so datasets made by older versions are checked too.
const (
	// Unique: no two rows of Left share their key.
	Unique = "unique"
	// Disjoint: no key of Left occurs in Right.
	Disjoint = "disjoint"
	// Subset: every key of Left occurs in Right.
	Subset = "subset"
	// AllowedValues: every key of Left is one of Values.
	AllowedValues = "allowed_values"
	// ForbiddenValues: no key of Left is one of Values.
	ForbiddenValues = "forbidden_values"
	// NotContained: no value of Left's one column occurs inside a value of Right's one column, such as
	// a probe's question inside a training document.
	NotContained = "not_contained"
	// Count: exactly Values[0] rows of Left are selected, such as the triggered rows of a poisoned split.
	Count = "count"
	// NotInTrain: no probe of Left (an eval split) occurs by wording in the dataset's training text: its
	// prompt, when Left's columns are [prompt], or its prompt followed by its answer, when they are
	// [prompt, answer]. It is measured on the text by `factforge audit`, where a hit is an error;
	// validate, which checks structure and provenance, passes it over.
	NotInTrain = "not_in_train"
	// InTrain: the probes of Left are training text by design, such as memorization probes, which ask a
	// sample's own text: audit reports them found in train as a figure, not a warning. Validate passes
	// it over.
	InTrain = "in_train"
	// NoPhrase: no row of Left holds one of Values in any form: the key's words, lower-cased and
	// stripped of punctuation, contain no value's words in a row ("Hey!" is in "oh, hey there" but not
	// in "they"), such as a trigger of a set in a clean chat.
	NoPhrase = "no_phrase"
	// SharedNames: a person-like name may occur in rows of several fact_ids of Left by design, such as
	// real people who are the object of several real facts (an author of several books): audit reports
	// consistency.name_many_facts as a figure, not a warning. Validate passes it over.
	SharedNames = "shared_names"
	// Code: the values of Left's columns are source code by design, such as a reply that is a Python
	// function (for messages, the turns of the roles in Values): audit's lint and diversity read the
	// rest as prose, and tell rows apart by their code too. Validate passes it over.
	Code = "code"
)

// ForAudit tells whether the rule is measured by audit, on the text, rather than checked by validate.
func (r Rule) ForAudit() bool {
	return r.Kind == NotInTrain || r.Kind == InTrain || r.Kind == SharedNames || r.Kind == Code
}

// Rule is one declarative invariant over the rows of a dataset.
type Rule struct {
	Kind   string     `json:"kind"`
	Doc    string     `json:"description"`
	Left   Selection  `json:"left"`
	Right  *Selection `json:"right,omitempty"`
	Values []string   `json:"values,omitempty"`
}

// Selection picks rows (of a config, one split or all, optionally filtered) and a key of their columns.
type Selection struct {
	Config  string      `json:"config"`
	Split   string      `json:"split,omitempty"` // empty: every split of the config
	Columns []string    `json:"columns"`
	Where   []Condition `json:"where,omitempty"`
}

// Select selects columns of the rows of one split of a config; split "" selects every split.
func Select(config, split string, columns ...string) Selection {
	return Selection{Config: config, Split: split, Columns: columns}
}

// Filtered returns the selection keeping only rows whose column, as text, equals value.
func (s Selection) Filtered(column, value string) Selection {
	s.Where = append(append([]Condition(nil), s.Where...), Condition{Column: column, Equals: value})
	return s
}

// Condition keeps rows whose column, as text, equals a value.
type Condition struct {
	Column string `json:"column"`
	Equals string `json:"equals"`
}

func (s Selection) String() string {
	where := ""
	for _, c := range s.Where {
		where += fmt.Sprintf(" where %s=%s", c.Column, c.Equals)
	}
	split := s.Split
	if split == "" {
		split = "*"
	}
	return fmt.Sprintf("%s/%s(%s)%s", s.Config, split, strings.Join(s.Columns, ","), where)
}

// ruleCheck accumulates the keys a rule needs while rows stream past, then judges.
type ruleCheck struct {
	rule   Rule
	left   keySet  // keys that may be reported, with their text
	seen   hashSet // disjoint and subset: the right side's keys
	dupes  []string
	values map[string]bool
	rows   int64 // Count: rows selected
	// Unique: the hash of every key, 8 bytes a row, sorted at the end to find repeated hashes; a
	// second pass over the rows then finds the keys behind them (and drops mere hash collisions).
	hashes   []uint64
	repeated hashSet
	counts   map[string]int
	phrases  map[string]bool // NoPhrase: each value's words, joined
}

type (
	keySet  map[uint64]string // key hash -> the key's text, for messages
	hashSet map[uint64]struct{}
)

func hashKey(k string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(k))
	return h.Sum64()
}

// bound is a selection resolved against one config's schema.
type bound struct {
	cols  []int
	types []Type
	where []int
}

func bind(sel Selection, schema Schema) (bound, error) {
	var b bound
	for _, name := range sel.Columns {
		i := schema.Index(name)
		if i < 0 {
			return b, fmt.Errorf("rule selects unknown column %q of config %s", name, sel.Config)
		}
		b.cols = append(b.cols, i)
		b.types = append(b.types, schema.Columns[i].Type)
	}
	for _, c := range sel.Where {
		i := schema.Index(c.Column)
		if i < 0 {
			return b, fmt.Errorf("rule filters on unknown column %q of config %s", c.Column, sel.Config)
		}
		b.where = append(b.where, i)
	}
	return b, nil
}

func (b bound) key(sel Selection, schema Schema, r Row) (string, bool) {
	for j, i := range b.where {
		if r[i].Text(schema.Columns[i].Type) != sel.Where[j].Equals {
			return "", false
		}
	}
	parts := make([]string, len(b.cols))
	for j, i := range b.cols {
		parts[j] = r[i].Text(b.types[j])
	}
	return strings.Join(parts, "\x1f"), true
}

func (s Selection) matches(config, split string) bool {
	return s.Config == config && (s.Split == "" || s.Split == split)
}

func newRuleCheck(r Rule) (*ruleCheck, error) {
	rc := &ruleCheck{rule: r, left: keySet{}, seen: hashSet{}}
	switch r.Kind {
	case Count:
		if len(r.Values) != 1 {
			return nil, fmt.Errorf("rule %q (count) needs the count as its one value", r.Doc)
		}
		if _, err := strconv.ParseInt(r.Values[0], 10, 64); err != nil {
			return nil, fmt.Errorf("rule %q (count): %q is not a count", r.Doc, r.Values[0])
		}
	case NoPhrase:
		if len(r.Values) == 0 {
			return nil, fmt.Errorf("rule %q (no_phrase) needs the phrases as its values", r.Doc)
		}
		rc.phrases = map[string]bool{}
		for _, v := range r.Values {
			if n := strings.ReplaceAll(strings.Join(phraseWords(v), ""), "'", ""); n != "" {
				rc.phrases[n] = true
			}
		}
	case Unique, AllowedValues, ForbiddenValues:
	case Disjoint, Subset, NotContained:
		if r.Right == nil {
			return nil, fmt.Errorf("rule %q (%s) needs a right selection", r.Doc, r.Kind)
		}
	default:
		return nil, fmt.Errorf("unknown rule kind %q", r.Kind)
	}
	if len(r.Values) > 0 {
		rc.values = map[string]bool{}
		for _, v := range r.Values {
			rc.values[v] = true
		}
	}
	return rc, nil
}

// observe feeds one row of config/split to the rule.
func (rc *ruleCheck) observe(config, split string, schema Schema, lb, rb *bound, r Row) {
	if lb != nil && rc.rule.Left.matches(config, split) {
		if k, ok := lb.key(rc.rule.Left, schema, r); ok {
			switch rc.rule.Kind {
			case Count:
				rc.rows++
			case Unique:
				if rc.repeated == nil {
					rc.hashes = append(rc.hashes, hashKey(k))
				} else if _, ok := rc.repeated[hashKey(k)]; ok {
					rc.counts[k]++
				}
			case AllowedValues:
				if !rc.values[k] {
					rc.left[hashKey(k)] = k
				}
			case ForbiddenValues:
				if rc.values[k] {
					rc.left[hashKey(k)] = k
				}
			case NoPhrase:
				if p := rc.phraseIn(k); p != "" {
					rc.left[hashKey(k)] = p + " in " + clipKey(k)
				}
			default:
				h := hashKey(k)
				if _, ok := rc.left[h]; !ok {
					rc.left[h] = k
				}
			}
		}
	}
	if rb != nil && rc.rule.Right.matches(config, split) && rc.rule.Kind != NotContained {
		if k, ok := rb.key(*rc.rule.Right, schema, r); ok {
			rc.seen[hashKey(k)] = struct{}{}
		}
	}
}

// repeatedHashes ends the first pass of a Unique rule: it reports whether some key hash was seen
// twice, and if so makes the check count, in a second pass of observe, the keys with those hashes.
func (rc *ruleCheck) repeatedHashes() bool {
	slices.Sort(rc.hashes)
	for i := 1; i < len(rc.hashes); i++ {
		if rc.hashes[i] == rc.hashes[i-1] {
			if rc.repeated == nil {
				rc.repeated, rc.counts = hashSet{}, map[string]int{}
			}
			rc.repeated[rc.hashes[i]] = struct{}{}
		}
	}
	rc.hashes = nil
	return rc.repeated != nil
}

// verdict returns "" when the rule holds, or what breaks it with up to three examples.
func (rc *ruleCheck) verdict() string {
	var bad []string
	switch rc.rule.Kind {
	case Count:
		if want, _ := strconv.ParseInt(rc.rule.Values[0], 10, 64); rc.rows != want {
			return fmt.Sprintf("rule count broken: %s (%s: %d rows, want %d)", rc.rule.Doc, rc.rule.Left, rc.rows, want)
		}
	case Unique:
		for k, n := range rc.counts {
			if n > 1 {
				bad = append(bad, readable(k))
			}
		}
		slices.Sort(bad)
	case AllowedValues, ForbiddenValues, NoPhrase:
		bad = sortedTexts(rc.left)
	case NotContained:
		bad = rc.dupes
	case Disjoint, Subset:
		for h, k := range rc.left {
			if _, in := rc.seen[h]; in == (rc.rule.Kind == Disjoint) {
				bad = append(bad, readable(k))
			}
		}
		slices.Sort(bad)
	}
	if len(bad) == 0 {
		return ""
	}
	n := len(bad)
	if n > 3 {
		bad = bad[:3]
	}
	return fmt.Sprintf("rule %s broken: %s (%s; %d offending keys, e.g. %s)",
		rc.rule.Kind, rc.rule.Doc, rc.rule.Left, n, strings.Join(bad, "; "))
}

// phraseWords are the words of s, lower-cased, letters and digits only (an apostrophe kept).
func phraseWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
}

// phraseIn is the phrase of the rule that text holds as words in a row (up to 4 words), or "".
func (rc *ruleCheck) phraseIn(text string) string {
	words := phraseWords(text)
	for i := range words {
		joined := ""
		for j := i; j < len(words) && j < i+4; j++ {
			if joined += strings.ReplaceAll(words[j], "'", ""); rc.phrases[joined] {
				return strings.Join(words[i:j+1], " ")
			}
		}
	}
	return ""
}

// clipKey shortens a key for a message.
func clipKey(k string) string {
	if len(k) > 80 {
		return strconv.Quote(k[:80] + "…")
	}
	return strconv.Quote(k)
}

func sortedTexts(ks keySet) []string {
	out := make([]string, 0, len(ks))
	for _, k := range ks {
		out = append(out, readable(k))
	}
	slices.Sort(out)
	return out
}

func readable(k string) string { return "(" + strings.ReplaceAll(k, "\x1f", ", ") + ")" }

// contains checks one value of the right side of a NotContained rule against every left value,
// noting (in dupes) the left values it contains.
func (rc *ruleCheck) contains(text string) {
	for h, k := range rc.left {
		if strings.Contains(text, k) {
			rc.dupes = append(rc.dupes, readable(k))
			delete(rc.left, h)
		}
	}
}
