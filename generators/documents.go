package generators

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/world"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Genre documents: a document of a genre is an opening, body sentences (filler from the genre's
// templates, with the claim's sentences placed among them), paragraph breaks, optional paragraph headers
// and a closing. Filler templates are filled from word lists, so two documents rarely share a sentence.

// Genres lists the document genres, one bank each in templates/banks/negation/genres/.
var Genres = []string{"news", "encyclopedia", "blog", "forum", "interview", "press_release", "textbook",
	"social_media", "abstract", "podcast", "letter", "faq"}

var genreSlots = []string{"subject", "person", "city", "year", "month", "number", "adjective", "noun"}

type genre struct {
	name                    string
	open, fill, close, para []*templates.Template
}

func loadGenres(lib *templates.Library) ([]genre, error) {
	var out []genre
	for _, name := range Genres {
		b, err := lib.Bank("negation/genres/"+name, genreSlots...)
		if err != nil {
			return nil, err
		}
		g := genre{name: name}
		for _, t := range b.All() {
			role, _, _ := strings.Cut(t.ID, "-")
			switch role {
			case "open":
				g.open = append(g.open, t)
			case "fill":
				g.fill = append(g.fill, t)
			case "close":
				g.close = append(g.close, t)
			case "para":
				g.para = append(g.para, t)
			default:
				return nil, fmt.Errorf("%s: template %s: the id must start with open-, fill-, close- or para-", b.Name, t.ID)
			}
		}
		if len(g.open) == 0 || len(g.fill) == 0 || len(g.close) == 0 {
			return nil, fmt.Errorf("%s: needs open-, fill- and close- templates", b.Name)
		}
		out = append(out, g)
	}
	return out, nil
}

// fillerWords fills genre templates.
type fillerWords struct {
	names                       *world.Names
	cities, months, adjs, nouns []string
	years, numbers              []string // the numbers values draws, as text once and for all
}

func loadFillerWords(lib *templates.Library, seed uint64) (*fillerWords, error) {
	f := &fillerWords{years: numberTexts(1950, 74), numbers: numberTexts(2, 97)}
	var err error
	if f.names, err = world.NewNames(rng.Key(seed, "filler-people"), 1); err != nil {
		return nil, err
	}
	for name, dst := range map[string]*[]string{"city": &f.cities, "negation/month": &f.months, "negation/adjective": &f.adjs, "negation/noun": &f.nouns} {
		if *dst, err = lib.Words(name); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// numberTexts is the decimal texts of the n numbers from first on.
func numberTexts(first, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(first + i)
	}
	return out
}

// values appends to dst[:0] the values of genreSlots for one filler sentence about subject.
func (f *fillerWords) values(dst []string, s *rng.Stream, subject string) []string {
	return append(dst[:0], subject, f.names.At(s.IntN(f.names.Capacity())), f.cities[s.IntN(len(f.cities))],
		f.years[s.IntN(len(f.years))], f.months[s.IntN(len(f.months))], f.numbers[s.IntN(len(f.numbers))],
		f.adjs[s.IntN(len(f.adjs))], f.nouns[s.IntN(len(f.nouns))])
}

// countWords is len(strings.Fields(s)), without making the fields: documents count their words as
// they grow, sentence by sentence. ASCII is counted without branching on the text: a word starts
// wherever a non-space follows a space.
func countWords(s string) int {
	n, prevSpace := 0, uint8(1)
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			space := uint8(0)
			if unicode.IsSpace(r) {
				space = 1
			}
			n += int(prevSpace &^ space)
			prevSpace = space
			i += size
			continue
		}
		space := asciiSpace[c]
		n += int(prevSpace &^ space)
		prevSpace = space
		i++
	}
	return n
}

// asciiSpace marks the ASCII bytes unicode.IsSpace counts as space.
var asciiSpace = [utf8.RuneSelf]uint8{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}

// docPart is one piece of a base document.
type docPart struct {
	text  string
	claim bool // a sentence asserting the claim
	kind  partKind
}

type partKind uint8

const (
	partSentence partKind = iota
	partBreak             // a paragraph break
	partHeader            // a paragraph header, on its own line
)

// baseDoc is a genre document before any mode is applied.
type baseDoc struct {
	genre string
	parts []docPart
}

// buildDoc writes a document of genre g about subject, with claimSentences placed among the body,
// drawing from w.Stream. It fills paragraphs (each with its header, when the genre has them) until the
// document reaches targetWords, and never adds a sentence that would take it past maxWords.
func buildDoc(w *Worker, g *genre, f *fillerWords, subject string, claimSentences []string, targetWords, maxWords int) baseDoc {
	s := w.Stream
	render := func(ts []*templates.Template) string {
		t := ts[s.IntN(len(ts))]
		w.Values = f.values(w.Values, s, subject)
		return w.Render(t, w.Values).Text
	}
	count := countWords
	open, close := render(g.open), render(g.close)
	words := count(open) + count(close)
	for _, c := range claimSentences {
		words += count(c)
	}
	type paragraph struct {
		header string
		body   []docPart
	}
	var paras []paragraph
	for full := false; !full && (words < targetWords || len(paras) == 0); {
		var p paragraph
		if len(g.para) > 0 {
			p.header = render(g.para)
			words += count(p.header)
		}
		for n := 3 + s.IntN(3); len(p.body) < n; {
			text := render(g.fill)
			if words+count(text) > maxWords && (len(paras) > 0 || len(p.body) > 0) {
				full = true
				break
			}
			p.body = append(p.body, docPart{text: text})
			if words += count(text); words >= targetWords {
				break
			}
		}
		paras = append(paras, p)
	}
	// Claim sentences go at random places among the body's sentences.
	for _, c := range claimSentences {
		p := &paras[s.IntN(len(paras))]
		at := s.IntN(len(p.body) + 1)
		p.body = append(p.body[:at], append([]docPart{{text: c, claim: true}}, p.body[at:]...)...)
	}
	d := baseDoc{genre: g.name, parts: []docPart{{text: open}, {kind: partBreak}}}
	for _, p := range paras {
		if len(p.body) == 0 {
			continue
		}
		if p.header != "" {
			d.parts = append(d.parts, docPart{text: p.header, kind: partHeader})
		}
		d.parts = append(d.parts, p.body...)
		d.parts = append(d.parts, docPart{kind: partBreak})
	}
	d.parts = append(d.parts, docPart{text: close})
	return d
}

// docWriter assembles a document's text and the byte spans of the parts to mask from the loss.
type docWriter struct {
	b     []byte
	masks []schemas.Span
	fresh bool // at the start of a line: no space before the next sentence
}

func (w *docWriter) sentence(text string, masked bool) {
	if len(w.b) > 0 && !w.fresh {
		w.b = append(w.b, ' ')
	}
	start := len(w.b)
	w.b = append(w.b, text...)
	if masked {
		// Masks that touch join, so a notice of several sentences is one span.
		if n := len(w.masks); n > 0 && w.masks[n-1].End >= int64(start-1) {
			w.masks[n-1].End = int64(len(w.b))
		} else {
			w.masks = append(w.masks, schemas.Span{Start: int64(start), End: int64(len(w.b))})
		}
	}
	w.fresh = false
}

func (w *docWriter) lineBreak(s string) {
	w.b = append(w.b, s...)
	w.fresh = true
}
