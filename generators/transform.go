package generators

import (
	"slices"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

// Span-aware text transforms. A document is cut into words at white space; a word that overlaps a slot
// span belongs to that entity, so punctuation attached to an entity travels with it and every transform
// keeps the document's multiset of words exactly. Entities are the template's slot spans: no model, no
// guessing.

// Unit orders of the semantic augmentation.
const (
	semanticOriginal = iota
	semanticReversed
	semanticPermuted
)

var semanticModeNames = []string{"semantic-original", "semantic-reversed", "semantic-permuted"}

type word struct {
	start, end int
	entity     int // ordinal of the span the word overlaps, or -1
}

// transformScratch is reused from row to row.
type transformScratch struct {
	words  []word
	order  []int  // word indexes in output order
	breaks []bool // breaks[k]: a segment separator goes before output word k
	units  [][2]int
	spans  []templates.Span
	out    []byte
}

func (s *transformScratch) split(d Document) {
	s.words = s.words[:0]
	for i := 0; i < len(d.Text); {
		for i < len(d.Text) && isSpace(d.Text[i]) {
			i++
		}
		start := i
		for i < len(d.Text) && !isSpace(d.Text[i]) {
			i++
		}
		if i > start {
			ent := -1
			for k, sp := range d.Spans {
				if start < sp.End && i > sp.Start {
					ent = k
					break
				}
			}
			s.words = append(s.words, word{start, i, ent})
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// group cuts the words into units: each entity is one unit; other words are units of their own, or,
// with literalRuns, each run of words between entities is one unit.
func (s *transformScratch) group(literalRuns bool) {
	s.units = s.units[:0]
	for i := 0; i < len(s.words); {
		j := i + 1
		if e := s.words[i].entity; e >= 0 || literalRuns {
			for j < len(s.words) && s.words[j].entity == e {
				j++
			}
		}
		s.units = append(s.units, [2]int{i, j})
		i = j
	}
}

func (s *transformScratch) unitsToOrder() {
	s.order = s.order[:0]
	for _, u := range s.units {
		for k := u[0]; k < u[1]; k++ {
			s.order = append(s.order, k)
		}
	}
}

// augment applies one augmentation to d, drawing any randomness from (seed, kind, doc), and returns
// the new document and the transform's name for the variant column.
func (w *Worker) augment(cfg *Config, kind string, d Document, doc uint64, semanticMode int) (Document, string) {
	s := &w.transform
	s.split(d)
	s.breaks = s.breaks[:0]
	name := kind
	switch kind {
	case AugmentWord:
		s.order = s.order[:0]
		for k := len(s.words) - 1; k >= 0; k-- {
			s.order = append(s.order, k)
		}
	case AugmentEntity:
		s.group(false)
		slices.Reverse(s.units)
		s.unitsToOrder()
	case AugmentSegment:
		w.Stream.Reset(rng.Key(cfg.Seed, "augment/segment"), doc)
		s.units = s.units[:0]
		for i := 0; i < len(s.words); {
			j := min(i+1+w.Stream.IntN(cfg.Augment.SegmentMax), len(s.words))
			s.units = append(s.units, [2]int{i, j})
			i = j
		}
		slices.Reverse(s.units)
		s.unitsToOrder()
		for k, u := range s.units {
			for i := u[0]; i < u[1]; i++ {
				s.breaks = append(s.breaks, k > 0 && i == u[0])
			}
		}
	case AugmentSemantic:
		s.group(true)
		switch semanticMode {
		case semanticReversed:
			slices.Reverse(s.units)
		case semanticPermuted:
			// A permutation that leaves every unit in place would repeat the original: draw again.
			w.Stream.Reset(rng.Key(cfg.Seed, "augment/semantic"), doc)
			for first := true; first || (len(s.units) > 1 && inOrder(s.units)); first = false {
				w.Stream.Shuffle(len(s.units), func(i, j int) { s.units[i], s.units[j] = s.units[j], s.units[i] })
			}
		}
		s.unitsToOrder()
		name = semanticModeNames[semanticMode]
	}
	return s.assemble(d, cfg.augmentSep()), name
}

func inOrder(units [][2]int) bool {
	return slices.IsSortedFunc(units, func(a, b [2]int) int { return a[0] - b[0] })
}

func (c *Config) augmentSep() string {
	if c.Augment == nil {
		return " "
	}
	return c.Augment.SegmentSep
}

// assemble joins the words in output order with single spaces (sep before a segment break) and
// recomputes the span of every entity whose words stay next to each other; if any entity is broken up,
// the document has no spans, and trains whole as a completion.
func (s *transformScratch) assemble(d Document, sep string) Document {
	s.out = s.out[:0]
	s.spans = s.spans[:0]
	for range d.Spans {
		s.spans = append(s.spans, templates.Span{Start: -1})
	}
	intact := true
	prevEntity, prevEnd := -1, 0
	for k, wi := range s.order {
		if k > 0 {
			if len(s.breaks) > k && s.breaks[k] {
				s.out = append(s.out, sep...)
			} else {
				s.out = append(s.out, ' ')
			}
		}
		wd := s.words[wi]
		start := len(s.out)
		s.out = append(s.out, d.Text[wd.start:wd.end]...)
		if e := wd.entity; e >= 0 {
			sp := &s.spans[e]
			switch {
			case sp.Start < 0:
				sp.Slot, sp.Start, sp.End = d.Spans[e].Slot, start, len(s.out)
			case prevEntity == e && sp.End == prevEnd && !(len(s.breaks) > k && s.breaks[k]):
				sp.End = len(s.out)
			default:
				intact = false
			}
		}
		prevEntity, prevEnd = wd.entity, len(s.out)
	}
	for _, sp := range s.spans {
		if sp.Start < 0 {
			intact = false
		}
	}
	out := Document{Text: string(s.out)}
	if intact {
		out.Spans = slices.Clone(s.spans)
		slices.SortFunc(out.Spans, func(a, b templates.Span) int { return a.Start - b.Start })
	}
	return out
}
