package splits

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/rng"
)

// MaxCopies bounds the copies of one item a repeat distribution gives.
const MaxCopies = 10_000

// Repeats is a distribution of how many times an item (a sample, a reference) appears in train:
// fixed:k, uniform:a-b, zipf:s (capped when drawn) or monofact:p[:k] (an exact share p seen once, the
// rest k times, 3 by default), the monofact rate of Kalai and Vempala made a setting.
type Repeats struct {
	kind     string
	a, b     int
	s, share float64
}

// ParseRepeats reads a repeat spec.
func ParseRepeats(spec string) (Repeats, error) {
	kind, arg, _ := strings.Cut(spec, ":")
	d := Repeats{kind: kind}
	bad := fmt.Errorf("%q: use fixed:k, uniform:a-b, zipf:s (s > 1, finite) or monofact:p[:k], with k and b at most %d", spec, MaxCopies)
	var err error
	switch kind {
	case "fixed":
		if d.a, err = strconv.Atoi(arg); err != nil || d.a < 1 || d.a > MaxCopies {
			return d, bad
		}
	case "uniform":
		r, err := generators.ParseRange(arg)
		if err != nil || r.Lo < 1 || r.Hi > MaxCopies || r.Lo != math.Trunc(r.Lo) || r.Hi != math.Trunc(r.Hi) {
			return d, bad
		}
		d.a, d.b = r.Ints()
	case "zipf":
		if d.s, err = strconv.ParseFloat(arg, 64); err != nil || !(d.s > 1) || math.IsInf(d.s, 0) {
			return d, bad
		}
	case "monofact":
		p, k, hasK := strings.Cut(arg, ":")
		d.a = 3
		if hasK {
			if d.a, err = strconv.Atoi(k); err != nil || d.a < 2 || d.a > MaxCopies {
				return d, bad
			}
		}
		if d.share, err = strconv.ParseFloat(p, 64); err != nil || !(d.share >= 0 && d.share <= 1) {
			return d, bad
		}
	default:
		return d, bad
	}
	return d, nil
}

// Most is the most copies d gives one item; zipf's is its cap.
func (d Repeats) Most(cap int) int {
	switch d.kind {
	case "uniform":
		return d.b
	case "zipf":
		return cap
	}
	return d.a // fixed: k; monofact: k
}

// Counts draws the copies of n items, keyed by seed and purpose (the recipe's name), zipf's capped at
// cap.
func (d Repeats) Counts(seed uint64, purpose string, n, cap int) []int {
	out := make([]int, n)
	s := rng.NewStream()
	switch d.kind {
	case "fixed":
		for i := range out {
			out[i] = d.a
		}
	case "uniform":
		for i := range out {
			s.Reset(rng.Key(seed, purpose+"/repeat"), uint64(i))
			out[i] = d.a + s.IntN(d.b-d.a+1)
		}
	case "zipf":
		for i := range out {
			s.Reset(rng.Key(seed, purpose+"/repeat"), uint64(i))
			out[i] = 1 + int(rand.NewZipf(s.Rand, d.s, 1, uint64(cap-1)).Uint64())
		}
	case "monofact":
		// Exactly round(p x n) items, chosen by a keyed permutation, are seen once.
		once := int(math.Round(d.share * float64(n)))
		perm := rng.NewPerm(uint64(n), rng.Key(seed, purpose+"/monofact"))
		for j := range out {
			if j < once {
				out[perm.At(uint64(j))] = 1
			} else {
				out[perm.At(uint64(j))] = d.a
			}
		}
	}
	return out
}
