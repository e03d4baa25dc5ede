package splits

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseWeights reads "name:weight,..." (a name alone weighs 1) into weights of at most most, each
// name checked by check; what names a name in errors, whats the list.
func ParseWeights(s, what, whats string, most int, check func(name string) error) (map[string]int, error) {
	out := map[string]int{}
	for _, part := range strings.Split(s, ",") {
		name, w, hasWeight := strings.Cut(strings.TrimSpace(part), ":")
		weight := 1
		if hasWeight {
			n, err := strconv.Atoi(w)
			if err != nil || n < 0 || n > most {
				return nil, fmt.Errorf("%s weight %q: want a whole number from 0 to %d", what, w, most)
			}
			weight = n
		}
		if err := check(name); err != nil {
			return nil, err
		}
		out[name] = weight
	}
	total := 0
	for _, w := range out {
		total += w
	}
	if total == 0 {
		return nil, fmt.Errorf("%s %q: every weight is 0", whats, s)
	}
	return out, nil
}

// Cycle lays out one round of names in which each name of weight w takes w places, spread out (smooth
// weighted round robin): repeated, the round gives every name its exact share, in turn. Names of
// weight 0 take no place; ties go to the earlier name.
func Cycle(names []string, weights map[string]int) []string {
	total := 0
	for _, n := range names {
		total += weights[n]
	}
	credit := make([]int, len(names))
	out := make([]string, 0, total)
	for range total {
		best := -1
		for j, n := range names {
			credit[j] += weights[n]
			if weights[n] > 0 && (best < 0 || credit[j] > credit[best]) {
				best = j
			}
		}
		credit[best] -= total
		out = append(out, names[best])
	}
	return out
}
