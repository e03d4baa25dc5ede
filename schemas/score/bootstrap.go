package score

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
)

// mean is the mean of xs (0 for none).
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// bootstrap returns the percentile bootstrap 95% interval of the mean of xs: the 2.5th and 97.5th
// percentiles (nearest rank) of the means of resamples resamples of xs drawn with replacement. The
// draws come from a PCG seeded by seed and a hash of key (the figure's metric, split and slice, not its
// run's label), so that a figure's interval depends on its own rows only, not on which other figures
// were computed or in what order.
func bootstrap(xs []float64, resamples int, seed uint64, key string) (low, high float64) {
	n := len(xs)
	if n == 0 {
		return 0, 0
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	r := rand.New(rand.NewPCG(seed, h.Sum64()))
	means := make([]float64, resamples)
	for b := range means {
		var sum float64
		for range n {
			sum += xs[r.IntN(n)]
		}
		means[b] = sum / float64(n)
	}
	slices.Sort(means)
	lo := int(math.Floor(0.025 * float64(resamples)))
	hi := int(math.Ceil(0.975*float64(resamples))) - 1
	return means[lo], means[max(hi, lo)]
}
