package world

import (
	"fmt"
	"slices"
	"sort"

	"github.com/brianvoe/gofakeit/v7/data"
	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

// Names hands out distinct full names, each with a gender its first name gives: every template that
// speaks of the person uses the pronouns that agree with it. Names alternate between the two word
// lists people/female and people/male, so a dataset holds as many of each. Each gender's pool is its
// first names x the last names (gofakeit's and people/last); once a request outgrows it, names continue with a middle name
// of the same gender (first x middle x last), and NamesWithMiddle reports how many, so the dataset
// says so rather than repeating a name.
//
// Under one seed each gender's pool is shuffled once, and each use of names (NameUses) takes every
// len(NameUses)-th name of it from an offset of its own: datasets of different recipes made with one
// seed share no person by construction, so they can be trained together. Across seeds, names another
// dataset holds can be avoided (--avoid-entities): they are skipped, and the names after them move up.
type Names struct {
	first          [2][]string // by gender: Female, Male
	last           []string
	plain, middle  [2]rng.Perm
	stride, offset uint64
	skips          []int // indexes into the sequence of names (before skipping) that are avoided, increasing
}

// Genders of names.
const (
	Female = 0
	Male   = 1
)

// NameUses are the uses of person names, each with its own share of the pool: a recipe's people, the
// people of claims (negation's and any recipe's claim entities), the filler people of documents, and
// the people of the fact recipes after the Reversal Curse.
var NameUses = []string{"reversal", "bios", "claims", "filler", "parents", "implications", "references"}

// NewNames prepares n distinct names of use (one of NameUses) for seed, from lib's name lists,
// leaving out every name avoid reports (nil: none).
func NewNames(lib *templates.Library, seed uint64, use string, n int, avoid func(name string) bool) (*Names, error) {
	offset := slices.Index(NameUses, use)
	if offset < 0 {
		return nil, fmt.Errorf("world: names for %q: not one of %v", use, NameUses)
	}
	// Last names: gofakeit's, and factforge's own list of surnames from many countries, which makes the
	// pool large enough for every use to have a share of its own.
	more, err := lib.Words("people/last")
	if err != nil {
		return nil, err
	}
	nm := &Names{last: distinct(append(slices.Clone(data.Person["last"]), more...)), stride: uint64(len(NameUses)), offset: uint64(offset)}
	for g, list := range []string{"people/female", "people/male"} {
		words, err := lib.Words(list)
		if err != nil {
			return nil, err
		}
		if nm.first[g] = distinct(words); len(nm.first[g]) < 2 {
			return nil, fmt.Errorf("world: the word list %s needs two names or more", list)
		}
	}
	// A last name that is also a first name could give "Henry Henry": such last names are left out.
	nm.last = slices.DeleteFunc(nm.last, func(l string) bool {
		return slices.Contains(nm.first[Female], l) || slices.Contains(nm.first[Male], l)
	})
	for g := range nm.first {
		plain := uint64(len(nm.first[g]) * len(nm.last))
		nm.plain[g] = rng.NewPerm(plain, rng.Key(seed, fmt.Sprintf("names/%d", g)))
		// A middle name is another first name of the gender, never the person's own ("Anna Anna Smith").
		nm.middle[g] = rng.NewPerm(plain*uint64(len(nm.first[g])-1), rng.Key(seed, fmt.Sprintf("names-with-middle/%d", g)))
	}
	most := 2 * min(nm.per(nm.plain[Female].Len()+nm.middle[Female].Len()), nm.per(nm.plain[Male].Len()+nm.middle[Male].Len()))
	if uint64(n) > most {
		return nil, fmt.Errorf("%w: %d people requested, at most %d distinct names", ErrPoolExhausted, n, most)
	}
	if avoid != nil {
		var buf []byte
		for j := 0; j-len(nm.skips) < n; j++ {
			if uint64(j) >= most {
				return nil, fmt.Errorf("%w: %d people requested, %d distinct names once %d avoided ones are left out", ErrPoolExhausted, n, int(most)-len(nm.skips), len(nm.skips))
			}
			if buf = nm.appendRaw(buf[:0], j); avoid(string(buf)) {
				nm.skips = append(nm.skips, j)
			}
		}
	}
	return nm, nil
}

// raw is the index, in the sequence of names before skipping, of name i.
func (nm *Names) raw(i int) int {
	// skips[k]-k does not decrease: the first k whose skip lies past i+k is the number skipped
	// before name i.
	k := sort.Search(len(nm.skips), func(k int) bool { return nm.skips[k]-k > i })
	return i + k
}

// Avoided is how many names were left out because another dataset holds them.
func (nm *Names) Avoided() int { return len(nm.skips) }

// AvoidedStat is the stat of the names left out because a dataset the run avoids holds them; none
// when the run avoids no dataset.
func AvoidedStat(cfg *generators.Config, names *Names) []generators.Stat {
	if len(cfg.AvoidEntities) == 0 {
		return nil
	}
	return []generators.Stat{{Name: "names_avoided", Value: int64(names.Avoided()), Doc: "names left out because a dataset of --avoid-entities holds them"}}
}

// per is how many of size pool entries one use takes.
func (nm *Names) per(size uint64) uint64 { return (size - nm.offset + nm.stride - 1) / nm.stride }

// Capacity is the number of names without a middle name.
func (nm *Names) Capacity() int {
	return int(2 * min(nm.per(nm.plain[Female].Len()), nm.per(nm.plain[Male].Len())))
}

// NamesWithMiddle reports how many of the first n names carry a middle name.
func (nm *Names) NamesWithMiddle(n int) int {
	keptPlain := nm.Capacity() - sort.SearchInts(nm.skips, nm.Capacity()) // names without a middle name, once skips are left out
	return max(0, n-keptPlain)
}

// Gender is the gender of name i: Female or Male.
func (nm *Names) Gender(i int) int { return nm.raw(i) % 2 }

// At returns name i.
func (nm *Names) At(i int) string { return string(nm.AppendAt(nil, i)) }

// AppendAt appends name i to dst.
func (nm *Names) AppendAt(dst []byte, i int) []byte { return nm.appendRaw(dst, nm.raw(i)) }

// appendRaw appends name i of the sequence before skipping.
func (nm *Names) appendRaw(dst []byte, i int) []byte {
	g := i % 2
	first, l := nm.first[g], uint64(len(nm.last))
	if i < nm.Capacity() {
		k := nm.plain[g].At(uint64(i/2)*nm.stride + nm.offset)
		return append(append(append(dst, first[k/l]...), ' '), nm.last[k%l]...)
	}
	k := nm.middle[g].At(uint64((i-nm.Capacity())/2)*nm.stride + nm.offset)
	m := uint64(len(first) - 1) // middle names: the others
	f, mid := k/(l*m), k/l%m
	if mid >= f {
		mid++
	}
	dst = append(append(append(dst, first[f]...), ' '), first[mid]...)
	return append(append(dst, ' '), nm.last[k%l]...)
}

// distinct returns the sorted distinct entries, so the pool does not depend on the order of the list.
func distinct(words []string) []string {
	out := slices.Clone(words)
	slices.Sort(out)
	return slices.Compact(out)
}
