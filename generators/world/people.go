package world

import (
	"fmt"
	"slices"

	"github.com/brianvoe/gofakeit/v7/data"
	"github.com/factforge/factforge/generators/rng"
)

// Names hands out distinct full names. The pool is gofakeit's first names x last names; once a request
// outgrows it, names continue with a middle name (first x middle x last), and NamesWithMiddle reports
// how many, so the dataset says so rather than repeating a name.
//
// Under one seed the pool is shuffled once, and each use of names (NameUses) takes every
// len(NameUses)-th name of it from an offset of its own: datasets of different recipes made with one
// seed share no person by construction, so they can be trained together.
type Names struct {
	first, middle, last []string
	plain, withMiddle   rng.Perm
	stride, offset      uint64
}

// NameUses are the uses of person names, each with its own share of the pool: a recipe's people, the
// people of claims (negation's and any recipe's claim entities), and the filler people of documents.
var NameUses = []string{"reversal", "bios", "claims", "filler"}

// NewNames prepares n distinct names of use (one of NameUses) for seed.
func NewNames(seed uint64, use string, n int) (*Names, error) {
	offset := slices.Index(NameUses, use)
	if offset < 0 {
		return nil, fmt.Errorf("world: names for %q: not one of %v", use, NameUses)
	}
	nm := &Names{first: distinct(data.Person["first"]), middle: distinct(data.Person["middle"]), last: distinct(data.Person["last"]),
		stride: uint64(len(NameUses)), offset: uint64(offset)}
	plain := uint64(len(nm.first) * len(nm.last))
	full := plain * uint64(len(nm.middle))
	if uint64(n) > (plain+full)/nm.stride {
		return nil, fmt.Errorf("%w: %d people requested, at most %d distinct names", ErrPoolExhausted, n, (plain+full)/nm.stride)
	}
	nm.plain = rng.NewPerm(plain, rng.Key(seed, "names"))
	nm.withMiddle = rng.NewPerm(full, rng.Key(seed, "names-with-middle"))
	return nm, nil
}

// Capacity is the number of names without a middle name.
func (nm *Names) Capacity() int { return int((nm.plain.Len() - nm.offset + nm.stride - 1) / nm.stride) }

// NamesWithMiddle reports how many of the first n names carry a middle name.
func (nm *Names) NamesWithMiddle(n int) int { return max(0, n-nm.Capacity()) }

// At returns name i.
func (nm *Names) At(i int) string { return string(nm.AppendAt(nil, i)) }

// AppendAt appends name i to dst.
func (nm *Names) AppendAt(dst []byte, i int) []byte {
	if i < nm.Capacity() {
		k := nm.plain.At(uint64(i)*nm.stride + nm.offset)
		l := uint64(len(nm.last))
		return append(append(append(dst, nm.first[k/l]...), ' '), nm.last[k%l]...)
	}
	k := nm.withMiddle.At(uint64(i-nm.Capacity())*nm.stride + nm.offset)
	l, m := uint64(len(nm.last)), uint64(len(nm.middle))
	dst = append(append(append(dst, nm.first[k/(l*m)]...), ' '), nm.middle[k/l%m]...)
	return append(append(dst, ' '), nm.last[k%l]...)
}

// distinct returns the sorted distinct entries, so the pool does not depend on the order of the list.
func distinct(words []string) []string {
	out := slices.Clone(words)
	slices.Sort(out)
	return slices.Compact(out)
}
