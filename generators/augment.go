package generators

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/factforge/factforge/generators/rng"
)

// Augmentations, in the order their rows follow the originals.
const (
	AugmentWord     = "word"     // word order reversed (Golovneva et al. 2024, "Reverse Training")
	AugmentEntity   = "entity"   // word order reversed, each entity kept in its own order
	AugmentSegment  = "segment"  // random segments of 1..k words, segment order reversed
	AugmentSemantic = "semantic" // semantic units (entities and the text between) reordered (Guo et al. 2024)
)

// AugmentKinds lists the augmentations in canonical order.
var AugmentKinds = []string{AugmentWord, AugmentEntity, AugmentSegment, AugmentSemantic}

// Augment configures the augmentation of training documents, for any recipe.
type Augment struct {
	Kinds       []string `json:"kinds"`
	Only        bool     `json:"only"`
	Share       float64  `json:"share"`
	SegmentMax  int      `json:"segment_max"`
	SegmentSep  string   `json:"segment_sep"`
	SemanticMix [3]int   `json:"semantic_mix"` // weights of original, reversed, permuted unit orders
}

// DefaultAugment holds the defaults of the augmentation flags.
func DefaultAugment() Augment {
	return Augment{Share: 1, SegmentMax: 3, SegmentSep: " [REV] ", SemanticMix: [3]int{1, 1, 1}}
}

// MixString renders the semantic mix as the flag takes it, "1:1:1".
func (a Augment) MixString() string {
	return fmt.Sprintf("%d:%d:%d", a.SemanticMix[0], a.SemanticMix[1], a.SemanticMix[2])
}

// ParseAugment reads the augmentation flags. Kinds are a comma list, stored in canonical order, so the
// order they are named in does not change the data.
func ParseAugment(kinds string, only bool, share float64, segmentMax int, segmentSep, semanticMix string) (*Augment, error) {
	a := DefaultAugment()
	a.Only, a.Share, a.SegmentMax, a.SegmentSep = only, share, segmentMax, segmentSep
	for _, k := range strings.Split(kinds, ",") {
		k = strings.TrimSpace(k)
		if !slices.Contains(AugmentKinds, k) {
			return nil, fmt.Errorf("unknown augmentation %q in --augment: use %s", k, strings.Join(AugmentKinds, ", "))
		}
		if slices.Contains(a.Kinds, k) {
			return nil, fmt.Errorf("augmentation %q named twice in --augment", k)
		}
		a.Kinds = append(a.Kinds, k)
	}
	slices.SortFunc(a.Kinds, func(x, y string) int { return slices.Index(AugmentKinds, x) - slices.Index(AugmentKinds, y) })
	parts := strings.Split(semanticMix, ":")
	if len(parts) != 3 {
		return nil, fmt.Errorf("--semantic-mix %q: want three weights, original:reversed:permuted, like 1:1:1", semanticMix)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("--semantic-mix %q: weights are whole numbers of 0 or more", semanticMix)
		}
		a.SemanticMix[i] = n
	}
	return &a, a.Check()
}

// Check validates the settings.
func (a *Augment) Check() error {
	switch {
	case len(a.Kinds) == 0:
		return errors.New("--augment names no augmentation")
	case !(a.Share > 0 && a.Share <= 1):
		return fmt.Errorf("--augment-share must be in (0, 1], got %v", a.Share)
	case a.SegmentMax < 1:
		return fmt.Errorf("--segment-max must be at least 1, got %d", a.SegmentMax)
	case a.SemanticMix[0]+a.SemanticMix[1]+a.SemanticMix[2] == 0:
		return errors.New("--semantic-mix weights are all 0")
	}
	return nil
}

// DocSource yields the training documents of a split; the run lays them out as rows.
type DocSource struct {
	Count   int64
	Shuffle bool // rows in a seeded random order, so a trainer reading in order sees documents mixed
	Doc     func(w *Worker, i int64, d *TrainDoc)
}

// TrainDoc is one training document with its provenance and the recipe's own column values.
type TrainDoc struct {
	Doc   Document
	Prov  Provenance
	Extra []string
}

// docRows derives a split's row count and row function from its documents: the originals, then one
// block per augmentation holding the transformed copies of the chosen share of documents, the whole in
// a seeded random order when the source asks for one. With augment-only the chosen documents appear
// only transformed; the others stay as they are, so no document's fact drops out of training.
func docRows(cfg *Config, config, split string, layout *Layout, src *DocSource) (int64, RowFunc, error) {
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
	row := func(w *Worker, i int64, row Row) {
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
		td := &w.doc
		td.Extra = td.Extra[:0]
		src.Doc(w, doc, td)
		variant := td.Prov.Variant
		d := td.Doc
		if kind >= 0 {
			var name string
			d, name = w.augment(cfg, kinds[kind], d, uint64(doc), semanticMode(aug, semanticKey, j, chosen))
			variant = chainVariant(variant, name)
		}
		layout.SetDocument(row, d)
		p := td.Prov
		p.Variant = variant
		layout.SetProvenance(row, cfg.Recipe, p, td.Extra...)
	}
	return total, row, nil
}

// chainVariant appends a transform to a variant chain; "original" is the empty chain.
func chainVariant(chain, transform string) string {
	if chain == "" || chain == "original" {
		return transform
	}
	return chain + "+" + transform
}

// semanticMode assigns the j-th of n augmented documents a unit order, in the exact proportions of the
// mix: the documents are ranked by a keyed permutation and the ranks cut by the weights.
func semanticMode(a *Augment, key uint64, j, n int64) int {
	if a == nil || n == 0 {
		return 0
	}
	w := a.SemanticMix
	sum := int64(w[0] + w[1] + w[2])
	r := int64(rng.NewPerm(uint64(n), key).At(uint64(j)))
	switch {
	case r < n*int64(w[0])/sum:
		return semanticOriginal
	case r < n*int64(w[0]+w[1])/sum:
		return semanticReversed
	}
	return semanticPermuted
}
