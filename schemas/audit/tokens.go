package audit

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words, as every check that reads words cuts them: the text cut at white space (unicode.IsSpace),
// the punctuation around each piece trimmed (unicode.IsPunct), pieces of punctuation only dropped,
// and each word lower-cased (unicode.ToLower, rune by rune). A row is cut once and its words kept as
// hashes (divHashLower's), which the matcher, the 4-grams of Diversity and the shortcut checks share.

// Tables of unicode.IsSpace and unicode.IsPunct for ASCII bytes.
var asciiSpace, asciiPunct = func() (space, punct [utf8.RuneSelf]bool) {
	for c := range rune(utf8.RuneSelf) {
		space[c], punct[c] = unicode.IsSpace(c), unicode.IsPunct(c)
	}
	return space, punct
}()

// appendWordHashes appends to dst the hash of each word of text: divHashLower of the word.
func appendWordHashes(dst []uint64, text string) []uint64 {
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			if asciiSpace[c] {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(text[i:]); unicode.IsSpace(r) {
			i += size
			continue
		}
		j, ascii := i, true
		for j < len(text) {
			if c := text[j]; c < utf8.RuneSelf {
				if asciiSpace[c] {
					break
				}
				j++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[j:])
			if unicode.IsSpace(r) {
				break
			}
			ascii = false
			j += size
		}
		if ascii {
			if h, ok := asciiWordHash(text[i:j]); ok {
				dst = append(dst, h)
			}
		} else if w := strings.TrimFunc(text[i:j], unicode.IsPunct); w != "" {
			dst = append(dst, divHashLower(w))
		}
		i = j
	}
	return dst
}

// asciiWordHash is divHashLower of an ASCII piece without the punctuation around it; ok is false
// when the piece is punctuation only.
func asciiWordHash(w string) (h uint64, ok bool) {
	for len(w) > 0 && asciiPunct[w[0]] {
		w = w[1:]
	}
	for len(w) > 0 && asciiPunct[w[len(w)-1]] {
		w = w[:len(w)-1]
	}
	if w == "" {
		return 0, false
	}
	h = divFNVOffset
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint64(c)) * divFNVPrime
	}
	return divMix(h), true
}

// wordHashes is the hashes of the words of text.
func wordHashes(text string) []uint64 { return appendWordHashes(nil, text) }

// containsRun tells whether the run of word hashes needle occurs in haystack.
func containsRun(haystack, needle []uint64) bool {
	for i := 0; i+len(needle) <= len(haystack); i++ {
		if equal(haystack[i:i+len(needle)], needle) {
			return true
		}
	}
	return false
}

func equal(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
