// Package splits owns how rows are assigned and ordered: keyed hold-outs and exact-share selections
// (by a keyed permutation, never by position), injection of rows into a user's corpus, and the standard
// rules that recipes ask for by name (ids unique, held-out values never trained).
package splits

import (
	"fmt"
	"math"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Count is how many of n items a share selects: round(share x n), exactly.
func Count(share float64, n int) int { return int(math.Round(share * float64(n))) }

// HeldOut splits items by a keyed permutation: Count(share, len) held out, the rest kept, each in
// permutation order.
func HeldOut[T any](items []T, share float64, key uint64) (kept, held []T) {
	return HeldOutN(items, Count(share, len(items)), key)
}

// HeldOutN splits items by a keyed permutation: the first n held out, the rest kept, each in
// permutation order.
func HeldOutN[T any](items []T, n int, key uint64) (kept, held []T) {
	perm := rng.NewPerm(uint64(len(items)), key)
	for j := range items {
		if j < n {
			held = append(held, items[perm.At(uint64(j))])
		} else {
			kept = append(kept, items[perm.At(uint64(j))])
		}
	}
	return kept, held
}

// Subset is an ordered selection of indexes: ranks [lo, lo+n) of a keyed permutation, or without one,
// indexes lo to lo+n-1. It is computed, not listed, so it takes no memory per index.
type Subset struct {
	perm  *rng.Perm
	lo, n int
}

// All is every index of n, in order.
func All(n int) Subset { return Subset{n: n} }

// Ranked splits n indexes by a keyed permutation into the first Count(share, n) ranks and the rest.
func Ranked(n int, share float64, key uint64) (chosen, rest Subset) {
	perm := rng.NewPerm(uint64(n), key)
	k := Count(share, n)
	return Subset{&perm, 0, k}, Subset{&perm, k, n - k}
}

// Len is how many indexes the subset holds.
func (r Subset) Len() int { return r.n }

// At is the subset's i-th index.
func (r Subset) At(i int) int {
	if r.perm == nil {
		return r.lo + i
	}
	return int(r.perm.At(uint64(r.lo + i)))
}

// UniqueIDs are the rules that row ids are unique within each config.
func UniqueIDs(configs ...string) []schemas.Rule {
	out := make([]schemas.Rule, len(configs))
	for i, c := range configs {
		out[i] = schemas.Rule{Kind: schemas.Unique, Doc: "row ids are unique in " + c, Left: schemas.Select(c, "", "id")}
	}
	return out
}

// NeverTrained is the rule that no row train selects carries any of the held-out values.
func NeverTrained(doc string, train schemas.Selection, heldOut []string) schemas.Rule {
	return schemas.Rule{Kind: schemas.ForbiddenValues, Doc: doc, Left: train, Values: heldOut}
}

// ProbesNotInTrain are the rules that no probe of the named eval splits occurs by wording in training
// text: its prompt and answer together, or with promptAlone, its prompt alone (factforge audit measures
// them on the text).
func ProbesNotInTrain(config string, promptAlone bool, splitNames ...string) []schemas.Rule {
	cols, what := []string{"prompt", "answer"}, "prompt and answer"
	if promptAlone {
		cols, what = []string{"prompt"}, "prompt"
	}
	out := make([]schemas.Rule, len(splitNames))
	for i, s := range splitNames {
		out[i] = schemas.Rule{Kind: schemas.NotInTrain, Doc: "no " + s + " probe's " + what + " occurs in training text", Left: schemas.Select(config, s, cols...)}
	}
	return out
}

// Names are the names of splits, in order.
func Names(ss []generators.PlanSplit) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name
	}
	return out
}

// Pick returns the j-th of the templates chosen for one fact without replacement: element j of a
// permutation of ts keyed by the purpose and the fact, so each fact gets its own distinct templates and
// any row's choice is computed without the others.
func Pick(ts []*templates.Template, key uint64, fact, j int) *templates.Template {
	return ts[rng.NewPerm(uint64(len(ts)), rng.Mix(key, uint64(fact))).At(uint64(j))]
}

// Majority is the stat of an eval split's majority baseline: how many of its n probes have the most
// common answer, answer(i) being probe i's, so that answering that to every probe scores value/n. A
// result is worth reporting only above it.
func Majority(split string, n int64, answer func(i int64) string) generators.Stat {
	counts := map[string]int64{}
	best := ""
	for i := range n {
		a := answer(i)
		counts[a]++
		if c := counts[a]; c > counts[best] || c == counts[best] && a < best {
			best = a
		}
	}
	doc := "no probes"
	if n > 0 {
		doc = fmt.Sprintf("probes of %s whose answer is the most common one, %q: answering it to every probe scores %.1f%%", split, best, 100*float64(counts[best])/float64(n))
	}
	return generators.Stat{Name: "majority_answer_" + split, Value: counts[best], Doc: doc}
}
