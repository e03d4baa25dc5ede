// Package templates holds factforge's template banks and word lists as embedded data files, and the
// compiled template renderer that turns a template and its slot values into text while recording the
// byte span of every slot.
//
// A template is text with named slots:
//
//	{name}, known far and wide for being {description}.
//
// A slot written with a capital first letter, {Description}, renders its value with the first letter
// upper-cased, for slots at the start of a sentence. Literal braces are written {{ and }}.
package templates

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Template is a compiled template: literal runs and slot references, rendered by appending bytes.
type Template struct {
	ID    string
	Split Split
	Text  string // the source text, as written in the bank
	file  string // the bank file it came from: a user's addition names its own file
	segs  []segment
	slots []int // slot index of each slot segment, in order of appearance
}

// File is the path of the bank file the template came from, as errors name it ("" for a template
// compiled on its own).
func (t *Template) File() string { return t.file }

type segment struct {
	literal string
	slot    int // index into the bank's slot names; -1 for a literal
	capital bool
	// article is the length of the article "a" or "an" that ends the literal before the slot, and a
	// space (0: none): Render makes it agree with the value ("a odd morning" was 20% of negation's
	// documents).
	article int
}

// Span is the byte range [Start, End) that one slot's value occupies in a rendered text.
type Span struct {
	Slot       int // index into the slot names the template was compiled against
	Start, End int
}

// Error sentinels for template text; a *SyntaxError wraps one of them.
var (
	ErrUnknownSlot  = errors.New("unknown slot")
	ErrUnbalanced   = errors.New("unbalanced brace")
	ErrEmpty        = errors.New("empty template")
	ErrRepeatedSlot = errors.New("slot used twice")
)

// Compile parses text against the slot names a bank allows. A slot may appear at most once, so that
// its span, and the point where a document splits into prompt and completion, are unambiguous.
func Compile(text string, slotNames []string) (*Template, error) {
	if strings.TrimSpace(text) == "" {
		return nil, ErrEmpty
	}
	t := &Template{Text: text}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.segs = append(t.segs, segment{literal: lit.String(), slot: -1})
			lit.Reset()
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '{' && i+1 < len(text) && text[i+1] == '{':
			lit.WriteByte('{')
			i++
		case c == '}' && i+1 < len(text) && text[i+1] == '}':
			lit.WriteByte('}')
			i++
		case c == '}':
			return nil, fmt.Errorf("%w: '}' at byte %d has no '{'", ErrUnbalanced, i)
		case c == '{':
			end := strings.IndexByte(text[i+1:], '}')
			if end < 0 {
				return nil, fmt.Errorf("%w: '{' at byte %d is never closed", ErrUnbalanced, i)
			}
			name := text[i+1 : i+1+end]
			if strings.ContainsRune(name, '{') {
				return nil, fmt.Errorf("%w: '{' inside slot at byte %d", ErrUnbalanced, i)
			}
			first, size := utf8.DecodeRuneInString(name)
			capital := unicode.IsUpper(first)
			key := string(unicode.ToLower(first)) + name[size:]
			slot := indexOf(slotNames, key)
			if slot < 0 {
				return nil, fmt.Errorf("%w {%s} (this bank allows %s)", ErrUnknownSlot, name, strings.Join(slotNames, ", "))
			}
			if indexOf(intsToNames(t.slots, slotNames), key) >= 0 {
				return nil, fmt.Errorf("%w: {%s}", ErrRepeatedSlot, name)
			}
			flush()
			t.segs = append(t.segs, segment{slot: slot, capital: capital, article: t.articleBefore()})
			t.slots = append(t.slots, slot)
			i += end + 1
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return t, nil
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

func intsToNames(idx []int, names []string) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = names[j]
	}
	return out
}

// Slots returns the slot indexes in the order they appear in the text.
func (t *Template) Slots() []int { return append([]int(nil), t.slots...) }

// Uses reports whether the template contains the slot.
func (t *Template) Uses(slot int) bool {
	for _, s := range t.slots {
		if s == slot {
			return true
		}
	}
	return false
}

// Render appends the text for values (indexed like the slot names the template was compiled against)
// to dst, and appends one Span per slot, in order of appearance, to spans.
func (t *Template) Render(dst []byte, values []string, spans []Span) ([]byte, []Span) {
	for _, s := range t.segs {
		if s.slot < 0 {
			dst = append(dst, s.literal...)
			continue
		}
		v := values[s.slot]
		if s.article > 0 {
			dst = agree(dst, s.article, v)
		}
		start := len(dst)
		if s.capital && v != "" && v[0] >= 'a' && v[0] <= 'z' {
			dst = append(dst, v[0]-'a'+'A')
			v = v[1:]
		}
		dst = append(dst, v...)
		spans = append(spans, Span{Slot: s.slot, Start: start, End: len(dst)})
	}
	return dst, spans
}

// articleBefore is the length of the article ("a" or "an", any case) that ends the template's last
// segment, a literal, followed by one space; 0 if there is none.
func (t *Template) articleBefore() int {
	if len(t.segs) == 0 || t.segs[len(t.segs)-1].slot >= 0 {
		return 0
	}
	lit := t.segs[len(t.segs)-1].literal
	for _, a := range []string{"a", "an"} {
		n := len(a) + 1
		if len(lit) < n || !strings.EqualFold(lit[len(lit)-n:], a+" ") {
			continue
		}
		if head := lit[:len(lit)-n]; head == "" || !isLetter(head[len(head)-1]) {
			return len(a)
		}
	}
	return 0
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' || c >= 0x80 }

// agree rewrites the article of n bytes before the final space of dst so that it agrees with the
// word v starts with: "an" before a vowel sound, "a" before a consonant sound.
func agree(dst []byte, n int, v string) []byte {
	at := len(dst) - 1 - n
	want := "a"
	if VowelSound(v) {
		want = "an"
	}
	if n == len(want) {
		return dst
	}
	capital := dst[at] == 'A'
	dst = append(dst[:at], want...)
	if capital {
		dst[at] = 'A'
	}
	return append(dst, ' ')
}

// VowelSound tells whether text starts with a vowel sound, which takes "an": by its first letter, with
// the common exceptions ("a university", "a one-off", "an hour"); a number by how it is said ("an 8",
// "an 11", "an 18").
func VowelSound(text string) bool {
	w := strings.ToLower(text)
	if w == "" {
		return false
	}
	// A "you" or "w" sound (as audit's lint reads them): a university, a Uralic language, a Ukrainian,
	// a utopia; but an unidentified, an unimportant.
	for _, p := range []string{"unid", "unim", "unin", "unir"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	for _, p := range []string{"uni", "unan", "use", "usu", "usa", "uti", "ute", "uto", "uta", "ura", "ure", "uri", "uro", "uru",
		"ubi", "uku", "ukr", "uga", "uvu", "ufo", "eu", "ewe", "one", "once", "ouija"} {
		if strings.HasPrefix(w, p) && !strings.HasPrefix(w, "oner") {
			return false
		}
	}
	for _, p := range []string{"hour", "honest", "honou", "honor", "heir"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	switch c := w[0]; {
	case strings.IndexByte("aeiou", c) >= 0:
		return true
	case c == '8':
		return true
	case strings.HasPrefix(w, "11") || strings.HasPrefix(w, "18"):
		// "eleven", "eighteen", and years said so ("an 1850 merger"); "a 110" is "a hundred and ten".
		digits := len(w) - len(strings.TrimLeft(w, "0123456789"))
		return digits == 2 || digits == 4
	}
	return false
}

// Capitalize upper-cases the first letter of s when it is an ASCII lower-case letter, as a sentence
// made from a template whose first slot is lower-case needs.
func Capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// CompileList compiles a data file's list of wordings (part names the list in errors) against the
// slots allowed, each required to use every slot in need: a list must not be empty, and an error
// names the file, the list and the wording.
func CompileList(file, part string, texts, slotNames []string, need ...string) ([]*Template, error) {
	if len(texts) == 0 {
		return nil, fmt.Errorf("%s: %s is empty", file, part)
	}
	out := make([]*Template, 0, len(texts))
	for _, text := range texts {
		t, err := Compile(text, slotNames)
		if err != nil {
			return nil, fmt.Errorf("%s: %s %q: %w", file, part, text, err)
		}
		for _, n := range need {
			if i := indexOf(slotNames, n); i < 0 || !t.Uses(i) {
				return nil, fmt.Errorf("%s: %s %q lacks the slot {%s}", file, part, text, n)
			}
		}
		out = append(out, t)
	}
	return out, nil
}
