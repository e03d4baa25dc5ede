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
	total := originals + int64(len(kinds))*chosen
	order := rng.NewPerm(uint64(total), rng.Key(cfg.Seed, "order/"+config+"/"+split))
	pick := rng.NewPerm(uint64(n), rng.Key(cfg.Seed, "augment/choose/"+config+"/"+split))
	semanticKey := rng.Key(cfg.Seed, "augment/semantic-mode/"+config+"/"+split)
	row := func(w *records.Worker, i int64, row records.Row) {
		q := i
		if src.Shuffle {
			q = int64(order.At(uint64(i)))
		}
		doc, kind, j := q, -1, int64(0)
		if aug != nil && aug.Only && q < originals {
			doc = int64(pick.At(uint64(chosen + q))) // the documents not chosen for augmentation
		}
		if q >= originals {
			kind, j = int((q-originals)/chosen), (q-originals)%chosen
			doc = int64(pick.At(uint64(j)))
		}
		d := src.Doc(w, doc, row)
		if kind >= 0 {
			var name string
			d, name = variants.Augment(w, cfg.Seed, aug, kinds[kind], d, uint64(doc), semanticMode(aug, semanticKey, j, chosen))
			layout.SetVariant(row, records.ChainVariant(layout.Variant(row), name))
		}
		layout.SetDocument(row, d)
	}
	return total, row, nil
}

// semanticMode assigns the j-th of n augmented documents a unit order, in the exact proportions of the
// mix: the documents are ranked by a keyed permutation and the ranks cut by the weights.
func semanticMode(a *generators.Augment, key uint64, j, n int64) int {
	if a == nil || n == 0 {
		return 0
	}
	w := a.SemanticMix
	sum := int64(w[0] + w[1] + w[2])
	r := int64(rng.NewPerm(uint64(n), key).At(uint64(j)))
	switch {
	case r < n*int64(w[0])/sum:
		return variants.SemanticOriginal
	case r < n*int64(w[0]+w[1])/sum:
		return variants.SemanticReversed
	}
	return variants.SemanticPermuted
}
