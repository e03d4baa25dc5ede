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
type Names struct {
	first, middle, last []string
	plain, withMiddle   rng.Perm
}

// NewNames prepares n distinct names for seed.
func NewNames(seed uint64, n int) (*Names, error) {
	nm := &Names{first: distinct(data.Person["first"]), middle: distinct(data.Person["middle"]), last: distinct(data.Person["last"])}
	plain := uint64(len(nm.first) * len(nm.last))
	full := plain * uint64(len(nm.middle))
	if uint64(n) > plain+full {
		return nil, fmt.Errorf("%w: %d people requested, at most %d distinct names", ErrPoolExhausted, n, plain+full)
	}
	nm.plain = rng.NewPerm(plain, rng.Key(seed, "names"))
	nm.withMiddle = rng.NewPerm(full, rng.Key(seed, "names-with-middle"))
	return nm, nil
}

// Capacity is the number of names without a middle name.
func (nm *Names) Capacity() int { return int(nm.plain.Len()) }

// NamesWithMiddle reports how many of the first n names carry a middle name.
func (nm *Names) NamesWithMiddle(n int) int { return max(0, n-nm.Capacity()) }

// At returns name i.
func (nm *Names) At(i int) string { return string(nm.AppendAt(nil, i)) }

// AppendAt appends name i to dst.
func (nm *Names) AppendAt(dst []byte, i int) []byte {
	if uint64(i) < nm.plain.Len() {
		k := nm.plain.At(uint64(i))
		l := uint64(len(nm.last))
		return append(append(append(dst, nm.first[k/l]...), ' '), nm.last[k%l]...)
	}
	k := nm.withMiddle.At(uint64(i) - nm.plain.Len())
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
