package variants

import (
	"fmt"
	"math"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/rng"
)

// Schedule says which row of an augmented split holds which document, and how transformed: the
// originals first, then one block per augmentation holding the transformed copies of the chosen share
// of documents. With augment-only the chosen documents appear only transformed; the others stay as
// they are, so no document's fact drops out of training.
//
// The semantic augmentation gives each chosen document one unit order, in the mix's exact proportions
// (documents ranked by a keyed permutation, the ranks cut by the weights). The original order is a
// copy of the document itself, so it is written only with augment-only, where it stands in for the
// original; otherwise the original row is that order, and a copy would repeat it word for word.
//
// The run lays rows out by it, and a recipe that labels its probes by what training holds reads it
// too, so both see the same rows.
type Schedule struct {
	aug               *generators.Augment // nil: no augmentation
	originals, chosen int64
	blocks            []scheduleBlock // by kind, in aug.Kinds order
	pick, ranks       rng.Perm
}

// scheduleBlock is one kind's block: its rows, and the first semantic rank it holds (the semantic
// block without augment-only leaves out the ranks of the original order).
type scheduleBlock struct{ rows, firstRank int64 }

// NewSchedule lays out n documents of the split named by where ("config/split") under a, which may be
// nil for no augmentation.
func NewSchedule(seed uint64, a *generators.Augment, where string, n int64) (*Schedule, error) {
	s := &Schedule{aug: a, originals: n}
	if a == nil {
		return s, nil
	}
	s.chosen = int64(math.Round(a.Share * float64(n)))
	if a.Only {
		s.originals = n - s.chosen
	}
	if s.chosen == 0 && n > 0 {
		return nil, fmt.Errorf("--augment-share %v of %d documents augments none", a.Share, n)
	}
	s.blocks = make([]scheduleBlock, len(a.Kinds))
	for k, kind := range a.Kinds {
		s.blocks[k] = scheduleBlock{rows: s.chosen}
		if kind == generators.AugmentSemantic && !a.Only {
			cut := s.cuts()[0]
			if cut == s.chosen {
				return nil, fmt.Errorf("--semantic-mix %s without --augment-only writes no semantic row: the original order is the original row itself", a.MixString())
			}
			s.blocks[k] = scheduleBlock{rows: s.chosen - cut, firstRank: cut}
		}
	}
	s.pick = rng.NewPerm(uint64(n), rng.Key(seed, "augment/choose/"+where))
	s.ranks = rng.NewPerm(uint64(s.chosen), rng.Key(seed, "augment/semantic-mode/"+where))
	return s, nil
}

// Originals is the number of rows that hold a document as it is; they come first.
func (s *Schedule) Originals() int64 { return s.originals }

// Rows is the number of rows in all.
func (s *Schedule) Rows() int64 {
	n := s.originals
	for _, b := range s.blocks {
		n += b.rows
	}
	return n
}

// At is what row q holds: document doc, transformed by kind ("" for none) in the semantic unit order
// mode.
func (s *Schedule) At(q int64) (doc int64, kind string, mode int) {
	if s.aug == nil {
		return q, "", 0
	}
	if q < s.originals {
		if s.aug.Only {
			return int64(s.pick.At(uint64(s.chosen + q))), "", 0 // the documents not chosen for augmentation
		}
		return q, "", 0
	}
	b, k := q-s.originals, 0
	for ; b >= s.blocks[k].rows; k++ {
		b -= s.blocks[k].rows
	}
	j := b
	if s.aug.Kinds[k] == generators.AugmentSemantic {
		rank := s.blocks[k].firstRank + b
		j, mode = int64(s.ranks.At(uint64(rank))), s.modeOf(rank)
	}
	return int64(s.pick.At(uint64(j))), s.aug.Kinds[k], mode
}

// cuts are the ranks, of the chosen documents, where the mix's original and reversed orders end.
func (s *Schedule) cuts() [2]int64 {
	w := s.aug.SemanticMix
	sum := int64(w[0] + w[1] + w[2])
	return [2]int64{s.chosen * int64(w[0]) / sum, s.chosen * int64(w[0]+w[1]) / sum}
}

// modeOf is the unit order of the document of semantic rank r.
func (s *Schedule) modeOf(r int64) int {
	cuts := s.cuts()
	switch {
	case r < cuts[0]:
		return SemanticOriginal
	case r < cuts[1]:
		return SemanticReversed
	}
	return SemanticPermuted
}
