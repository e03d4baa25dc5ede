package generators

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
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
