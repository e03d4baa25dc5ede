package world

import (
	"fmt"
	"slices"

	"github.com/brianvoe/gofakeit/v7/data"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

// Names hands out distinct full names, each with a gender its first name gives: every template that
// speaks of the person uses the pronouns that agree with it. Names alternate between the two word
// lists people/female and people/male, so a dataset holds as many of each. Each gender's pool is its
// first names x gofakeit's last names; once a request outgrows it, names continue with a middle name
// of the same gender (first x middle x last), and NamesWithMiddle reports how many, so the dataset
// says so rather than repeating a name.
//
// Under one seed each gender's pool is shuffled once, and each use of names (NameUses) takes every
// len(NameUses)-th name of it from an offset of its own: datasets of different recipes made with one
// seed share no person by construction, so they can be trained together.
type Names struct {
	first          [2][]string // by gender: Female, Male
	last           []string
	plain, middle  [2]rng.Perm
	stride, offset uint64
}

// Genders of names.
const (
	Female = 0
	Male   = 1
)

// NameUses are the uses of person names, each with its own share of the pool: a recipe's people, the
// people of claims (negation's and any recipe's claim entities), and the filler people of documents.
var NameUses = []string{"reversal", "bios", "claims", "filler"}

// NewNames prepares n distinct names of use (one of NameUses) for seed, from lib's name lists.
func NewNames(lib *templates.Library, seed uint64, use string, n int) (*Names, error) {
	offset := slices.Index(NameUses, use)
	if offset < 0 {
		return nil, fmt.Errorf("world: names for %q: not one of %v", use, NameUses)
	}
	nm := &Names{last: distinct(data.Person["last"]), stride: uint64(len(NameUses)), offset: uint64(offset)}
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
	if most := 2 * min(nm.per(nm.plain[Female].Len()+nm.middle[Female].Len()), nm.per(nm.plain[Male].Len()+nm.middle[Male].Len())); uint64(n) > most {
		return nil, fmt.Errorf("%w: %d people requested, at most %d distinct names", ErrPoolExhausted, n, most)
	}
	return nm, nil
}

// per is how many of size pool entries one use takes.
func (nm *Names) per(size uint64) uint64 { return (size - nm.offset + nm.stride - 1) / nm.stride }

// Capacity is the number of names without a middle name.
func (nm *Names) Capacity() int {
	return int(2 * min(nm.per(nm.plain[Female].Len()), nm.per(nm.plain[Male].Len())))
}

// NamesWithMiddle reports how many of the first n names carry a middle name.
func (nm *Names) NamesWithMiddle(n int) int { return max(0, n-nm.Capacity()) }

// Gender is the gender of name i: Female or Male.
func (nm *Names) Gender(i int) int { return i % 2 }

// At returns name i.
func (nm *Names) At(i int) string { return string(nm.AppendAt(nil, i)) }

// AppendAt appends name i to dst.
func (nm *Names) AppendAt(dst []byte, i int) []byte {
	g := nm.Gender(i)
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
