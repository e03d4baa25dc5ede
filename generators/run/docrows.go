package run

import (
	"fmt"
	"math"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/variants"
)

// docRows derives a split's row count and row function from its documents: the originals, then one
// block per augmentation holding the transformed copies of the chosen share of documents, the whole in
// a seeded random order when the source asks for one. With augment-only the chosen documents appear
// only transformed; the others stay as they are, so no document's fact drops out of training.
//
// The semantic augmentation gives each chosen document one unit order, in the mix's exact proportions
// (documents ranked by a keyed permutation, the ranks cut by the weights). The original order is a
// copy of the document itself, so it is written only with augment-only, where it stands in for the
// original; otherwise the original row is that order, and a copy would repeat it word for word.
func docRows(cfg *generators.Config, config, split string, layout *records.Layout, src *generators.DocSource) (int64, generators.RowFunc, error) {
	n := src.Count
	aug := cfg.Augment
	originals, chosen := n, int64(0)
	var kinds []string
	if aug != nil {
		kinds = aug.Kinds
		chosen = int64(math.Round(aug.Share * float64(n)))
		if aug.Only {
			originals = n - chosen
		}
		if chosen == 0 && n > 0 {
			return 0, nil, fmt.Errorf("--augment-share %v of %d documents augments none", aug.Share, n)
		}
	}
	// Each kind's block: its rows, and the first semantic rank it holds (the semantic block without
	// augment-only leaves out the ranks of the original order).
	type block struct{ rows, firstRank int64 }
	blocks := make([]block, len(kinds))
	total := originals
	for k, kind := range kinds {
		blocks[k] = block{rows: chosen}
		if kind == generators.AugmentSemantic && !aug.Only {
			cut := semanticCuts(aug, chosen)[0]
			if cut == chosen {
				return 0, nil, fmt.Errorf("--semantic-mix %s without --augment-only writes no semantic row: the original order is the original row itself", aug.MixString())
			}
			blocks[k] = block{rows: chosen - cut, firstRank: cut}
		}
		total += blocks[k].rows
	}
	order := rng.NewPerm(uint64(total), rng.Key(cfg.Seed, "order/"+config+"/"+split))
	pick := rng.NewPerm(uint64(n), rng.Key(cfg.Seed, "augment/choose/"+config+"/"+split))
	ranks := rng.NewPerm(uint64(chosen), rng.Key(cfg.Seed, "augment/semantic-mode/"+config+"/"+split))
	row := func(w *records.Worker, i int64, row records.Row) {
		q := i
		if src.Shuffle {
			q = int64(order.At(uint64(i)))
		}
		doc, kind, mode := q, -1, 0
		if aug != nil && aug.Only && q < originals {
			doc = int64(pick.At(uint64(chosen + q))) // the documents not chosen for augmentation
		}
		if q >= originals {
			b := q - originals
			for kind = 0; b >= blocks[kind].rows; kind++ {
				b -= blocks[kind].rows
			}
			j := b
			if kinds[kind] == generators.AugmentSemantic {
				rank := blocks[kind].firstRank + b
				j, mode = int64(ranks.At(uint64(rank))), semanticModeOf(aug, rank, chosen)
			}
			doc = int64(pick.At(uint64(j)))
		}
		d := src.Doc(w, doc, row)
		if kind >= 0 {
			var name string
			d, name = variants.Augment(w, cfg.Seed, aug, kinds[kind], d, uint64(doc), mode)
			layout.SetVariant(row, records.ChainVariant(layout.Variant(row), name))
		}
		layout.SetDocument(row, d)
	}
	return total, row, nil
}

// semanticCuts are the ranks, of n, where the mix's original and reversed orders end.
func semanticCuts(a *generators.Augment, n int64) [2]int64 {
	w := a.SemanticMix
	sum := int64(w[0] + w[1] + w[2])
	return [2]int64{n * int64(w[0]) / sum, n * int64(w[0]+w[1]) / sum}
}

// semanticModeOf is the unit order of the document of semantic rank r of n.
func semanticModeOf(a *generators.Augment, r, n int64) int {
	cuts := semanticCuts(a, n)
	switch {
	case r < cuts[0]:
		return variants.SemanticOriginal
	case r < cuts[1]:
		return variants.SemanticReversed
	}
	return variants.SemanticPermuted
}
