package audit

import (
	"hash/maphash"
	"strings"
	"unicode"
)

// Matching probes against training text. Texts are normalised for matching by lower-casing them,
// cutting them into words at white space and trimming the punctuation around each word, so "occurs in"
// means "occurs as a run of whole words, whatever the case, the spacing and the punctuation between
// them". A matcher holds patterns (probe prompts, prompts with their answers,
// multiple-choice options) as the hashes of their words, indexed by their first (up to) keyLen words; a
// scan of a text hashes every window of up to keyLen words once and looks candidates up behind a
// bit filter, so most windows cost a few multiplications and no map access.

const keyLen = 8 // words of a pattern's key; also the n of the n-grams whose share is reported

var hashSeed = maphash.MakeSeed()

// words cuts a text into lower-cased words at white space, without the punctuation around them.
func words(s string) []string {
	fields := strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace)
	out := fields[:0]
	for _, f := range fields {
		if w := strings.TrimFunc(f, unicode.IsPunct); w != "" {
			out = append(out, w)
		}
	}
	return out
}

func wordHashes(ws []string, dst []uint64) []uint64 {
	dst = dst[:0]
	for _, w := range ws {
		dst = append(dst, maphash.String(hashSeed, w))
	}
	return dst
}

// chain extends the hash of a run of words by the next word's hash.
func chain(h, w uint64) uint64 { return (h^w)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019 }

// filterBits sizes the bit filters in front of the maps.
const filterBits = 1 << 22

type filter [filterBits / 64]uint64

func (f *filter) set(h uint64)      { f[(h>>6)%(filterBits/64)] |= 1 << (h & 63) }
func (f *filter) has(h uint64) bool { return f[(h>>6)%(filterBits/64)]&(1<<(h&63)) != 0 }

// matcher finds patterns in texts.
type matcher struct {
	patterns [][]uint64         // word hashes of each pattern
	index    map[uint64][]int32 // hash of a pattern's key words -> patterns
	keys     filter
	lens     [keyLen + 1]bool // key lengths in use
	// grams are the keyLen-grams of the patterns that asked for them, and found those seen in a text.
	grams      map[uint64]bool
	gramFilter filter
}

func newMatcher() *matcher { return &matcher{index: map[uint64][]int32{}, grams: map[uint64]bool{}} }

// add adds a pattern (its words) and returns its id, or -1 for a pattern of no words; withGrams also
// registers its keyLen-grams.
func (m *matcher) add(ws []string, withGrams bool) int {
	if len(ws) == 0 {
		return -1
	}
	hs := wordHashes(ws, nil)
	id := len(m.patterns)
	m.patterns = append(m.patterns, hs)
	k := min(len(hs), keyLen)
	var h uint64
	for _, w := range hs[:k] {
		h = chain(h, w)
	}
	m.index[h] = append(m.index[h], int32(id))
	m.keys.set(h)
	m.lens[k] = true
	if withGrams {
		for _, g := range gramsOf(hs) {
			if _, ok := m.grams[g]; !ok {
				m.grams[g] = false
				m.gramFilter.set(g)
			}
		}
	}
	return id
}

// gramsOf is the hashes of the keyLen-grams of a run of word hashes.
func gramsOf(hs []uint64) []uint64 {
	var out []uint64
	for i := 0; i+keyLen <= len(hs); i++ {
		var h uint64
		for _, w := range hs[i : i+keyLen] {
			h = chain(h, w)
		}
		out = append(out, h)
	}
	return out
}

// scan finds the patterns in a text given as word hashes: found(id, at) for each occurrence (at the
// word where it starts), and marks the keyLen-grams of the patterns that the text holds.
func (m *matcher) scan(hs []uint64, found func(id int, at int)) {
	for pos := range hs {
		var h uint64
		for k := 1; k <= keyLen && pos+k <= len(hs); k++ {
			h = chain(h, hs[pos+k-1])
			if k == keyLen && len(m.grams) > 0 && m.gramFilter.has(h) {
				if seen, ok := m.grams[h]; ok && !seen {
					m.grams[h] = true
				}
			}
			if !m.lens[k] || !m.keys.has(h) {
				continue
			}
			for _, id := range m.index[h] {
				if p := m.patterns[id]; pos+len(p) <= len(hs) && equal(p, hs[pos:pos+len(p)]) {
					found(int(id), pos)
				}
			}
		}
	}
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

// gramShare is the share of a pattern's keyLen-grams that scans have seen, and how many it has.
func (m *matcher) gramShare(ws []string) (seen, total int) {
	for _, g := range gramsOf(wordHashes(ws, nil)) {
		total++
		if m.grams[g] {
			seen++
		}
	}
	return seen, total
}
