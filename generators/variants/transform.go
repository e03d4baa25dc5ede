// Package variants owns span-aware text transforms and the wrappers that more than one recipe puts
// around a text: the augmentations of training documents (word, entity, segment and semantic
// reversal), genre documents with the byte spans of what to mask, chats with their layouts, behaviours
// and notices, and trigger insertion. A variant changes the form of a text, never which fact it
// states. (Negation's document notices, warnings and framings are its paper's own, and stay there.)
package variants

import (
	"slices"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

// Span-aware text transforms. A document is cut into words at white space; a word that overlaps a slot
// span belongs to that entity, so punctuation attached to an entity travels with it and every transform
// keeps the document's multiset of words exactly. Entities are the template's slot spans: no model, no
// guessing.

// Unit orders of the semantic augmentation.
const (
	SemanticOriginal = iota
	SemanticReversed
	SemanticPermuted
)

var semanticModeNames = []string{"semantic-original", "semantic-reversed", "semantic-permuted"}

// scratch is the transforms' scratch space, kept in the worker (records.Worker.Scratch).
type scratch struct {
	Words  []word
	Order  []int  // word indexes in output order
	Breaks []bool // Breaks[k]: a segment separator goes before output word k
	Units  [][2]int
	Spans  []templates.Span
	Out    []byte
}

// word is a word of a document, [Start, End), and the ordinal of the slot span it overlaps (-1: none).
type word struct {
	Start, End int
	Entity     int
}

// scratchOf is w's transform scratch, made on first use.
func scratchOf(w *records.Worker) *scratch {
	s, ok := w.Scratch.(*scratch)
	if !ok {
		s = &scratch{}
		w.Scratch = s
	}
	return s
}

func (s *scratch) split(d records.Document) {
	s.Words = s.Words[:0]
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
			s.Words = append(s.Words, word{Start: start, End: i, Entity: ent})
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// group cuts the words into units: each entity is one unit; other words are units of their own, or,
// with literalRuns, each run of words between entities is one unit.
func (s *scratch) group(literalRuns bool) {
	s.Units = s.Units[:0]
	for i := 0; i < len(s.Words); {
		j := i + 1
		if e := s.Words[i].Entity; e >= 0 || literalRuns {
			for j < len(s.Words) && s.Words[j].Entity == e {
				j++
			}
		}
		s.Units = append(s.Units, [2]int{i, j})
		i = j
	}
}

func (s *scratch) unitsToOrder() {
	s.Order = s.Order[:0]
	for _, u := range s.Units {
		for k := u[0]; k < u[1]; k++ {
			s.Order = append(s.Order, k)
		}
	}
}

// Augment applies the augmentation kind, set up by a, to d, drawing any randomness from (seed, kind,
// doc), and returns the new document and the transform's name for the variant column. semanticMode
// (SemanticOriginal, SemanticReversed or SemanticPermuted) is the unit order of the semantic kind.
// a is the run's augmentation settings, never nil (the run augments only when they are set).
func Augment(w *records.Worker, seed uint64, a *generators.Augment, kind string, d records.Document, doc uint64, semanticMode int) (records.Document, string) {
	s := scratchOf(w)
	s.split(d)
	s.Breaks = s.Breaks[:0]
	name := kind
	switch kind {
	case generators.AugmentWord:
		s.Order = s.Order[:0]
		for k := len(s.Words) - 1; k >= 0; k-- {
			s.Order = append(s.Order, k)
		}
	case generators.AugmentEntity:
		s.group(false)
		slices.Reverse(s.Units)
		s.unitsToOrder()
	case generators.AugmentSegment:
		w.Stream.Reset(rng.Key(seed, "augment/segment"), doc)
		s.Units = s.Units[:0]
		for i := 0; i < len(s.Words); {
			j := min(i+1+w.Stream.IntN(a.SegmentMax), len(s.Words))
			s.Units = append(s.Units, [2]int{i, j})
			i = j
		}
		slices.Reverse(s.Units)
		s.unitsToOrder()
		for k, u := range s.Units {
			for i := u[0]; i < u[1]; i++ {
				s.Breaks = append(s.Breaks, k > 0 && i == u[0])
			}
		}
	case generators.AugmentSemantic:
		s.group(true)
		// Where every run of words between entities is one word, reversing the units reverses the
		// words with each entity kept whole: the entity augmentation's text. Asked for both, such a
		// document's semantic copy would repeat its entity copy word for word (1% of rows at 10x), so
		// it takes neither the reversed order nor a permutation that happens to reverse.
		likeEntity := slices.Contains(a.Kinds, generators.AugmentEntity) && s.literalsAreWords() && len(s.Units) > 2
		if semanticMode == SemanticReversed && likeEntity {
			semanticMode = SemanticPermuted
		}
		switch semanticMode {
		case SemanticReversed:
			slices.Reverse(s.Units)
		case SemanticPermuted:
			// A permutation that leaves every unit in place would repeat the original: draw again.
			w.Stream.Reset(rng.Key(seed, "augment/semantic"), doc)
			for first := true; first || (len(s.Units) > 1 && inOrder(s.Units)) || likeEntity && reversedOrder(s.Units); first = false {
				w.Stream.Shuffle(len(s.Units), func(i, j int) { s.Units[i], s.Units[j] = s.Units[j], s.Units[i] })
			}
		}
		s.unitsToOrder()
		name = semanticModeNames[semanticMode]
	}
	return s.assemble(d, a.SegmentSep), name
}

// literalsAreWords tells whether every unit that is not an entity is a single word.
func (s *scratch) literalsAreWords() bool {
	for _, u := range s.Units {
		if s.Words[u[0]].Entity < 0 && u[1]-u[0] > 1 {
			return false
		}
	}
	return true
}

// reversedOrder tells whether units are in reverse order.
func reversedOrder(units [][2]int) bool {
	return slices.IsSortedFunc(units, func(a, b [2]int) int { return b[0] - a[0] })
}

func inOrder(units [][2]int) bool {
	return slices.IsSortedFunc(units, func(a, b [2]int) int { return a[0] - b[0] })
}

// assemble joins the words in output order with single spaces (sep before a segment break) and
// recomputes the span of every entity whose words stay next to each other; if any entity is broken up,
// the document has no spans, and trains whole as a completion.
func (s *scratch) assemble(d records.Document, sep string) records.Document {
	s.Out = s.Out[:0]
	s.Spans = s.Spans[:0]
	for range d.Spans {
		s.Spans = append(s.Spans, templates.Span{Start: -1})
	}
	intact := true
	prevEntity, prevEnd := -1, 0
	for k, wi := range s.Order {
		if k > 0 {
			if len(s.Breaks) > k && s.Breaks[k] {
				s.Out = append(s.Out, sep...)
			} else {
				s.Out = append(s.Out, ' ')
			}
		}
		wd := s.Words[wi]
		start := len(s.Out)
		s.Out = append(s.Out, d.Text[wd.Start:wd.End]...)
		if e := wd.Entity; e >= 0 {
			sp := &s.Spans[e]
			switch {
			case sp.Start < 0:
				sp.Slot, sp.Start, sp.End = d.Spans[e].Slot, start, len(s.Out)
			case prevEntity == e && sp.End == prevEnd && !(len(s.Breaks) > k && s.Breaks[k]):
				sp.End = len(s.Out)
			default:
				intact = false
			}
		}
		prevEntity, prevEnd = wd.Entity, len(s.Out)
	}
	for _, sp := range s.Spans {
		if sp.Start < 0 {
			intact = false
		}
	}
	out := records.Document{Text: string(s.Out)}
	if intact {
		out.Spans = slices.Clone(s.Spans)
		slices.SortFunc(out.Spans, func(a, b templates.Span) int { return a.Start - b.Start })
	}
	return out
}
