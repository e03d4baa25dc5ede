package variants

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/world"
	"github.com/factforge/factforge/schemas"
	"github.com/factforge/factforge/templates"
)

// Genre documents: a document of a genre is an opening, body sentences (filler from the genre's
// templates, with the claim's sentences placed among them), paragraph breaks, optional paragraph headers
// and a closing. Filler templates are filled from word lists, so two documents rarely share a sentence.

// Genres lists the document genres, one bank each in templates/banks/genres/.
var Genres = []string{"news", "encyclopedia", "blog", "forum", "interview", "press_release", "textbook",
	"social_media", "abstract", "podcast", "letter", "faq"}

// genreRoles are the roles of a genre's templates, the first part of their ids.
var genreRoles = []string{"open", "fill", "close", "para"}

// GenreSlots are the slots of genre templates, and of any template Filler.Values fills.
var GenreSlots = []string{"subject", "person", "city", "year", "month", "number", "adjective", "noun"}

// Genre is the templates of one genre: openings, filler sentences, closings and paragraph headers.
type Genre struct {
	Name                    string
	Open, Fill, Close, Para []*templates.Template
}

// LoadGenres loads the banks of every genre.
func LoadGenres(lib *templates.Library) ([]Genre, error) {
	var out []Genre
	for _, name := range Genres {
		b, err := lib.Bank("genres/"+name, GenreSlots...)
		if err != nil {
			return nil, err
		}
		for _, t := range b.All() {
			if role := strings.SplitN(t.ID, "-", 2)[0]; !slices.Contains(genreRoles, role) {
				return nil, fmt.Errorf("%s: template %s: the id must start with open-, fill-, close- or para-", t.File(), t.ID)
			}
		}
		byRole := b.GroupByID(1)
		g := Genre{Name: name, Open: byRole["open"], Fill: byRole["fill"], Close: byRole["close"], Para: byRole["para"]}
		if len(g.Open) == 0 || len(g.Fill) == 0 || len(g.Close) == 0 {
			return nil, fmt.Errorf("%s: needs open-, fill- and close- templates", b.Name)
		}
		out = append(out, g)
	}
	return out, nil
}

// Filler fills genre templates with names, places, dates, numbers and words.
type Filler struct {
	names                       *world.Names
	people                      int // names drawn from: the plain names, less any avoided
	cities, months, adjs, nouns []string
	years, numbers              []string // the numbers values draws, as text once and for all
}

// Scope is what a document's filler draws from: share K of N of the filler people (all of them for N
// of 0 or 1), and years from MinYear on (0: any). Documents about one claim draw their filler people
// from the claim's share, so that no filler person appears beside two claims (a name in the
// documents of two claims is bound to both), and their years from the claim's year on, so that no
// document dated 2008 reports the 2020 Olympics.
type Scope struct{ K, N, MinYear int }

// PersonIn draws a filler person's name from the scope's share.
func (f *Filler) PersonIn(s *rng.Stream, p Scope) string {
	lo, hi := 0, f.people
	if p.N > 1 {
		lo, hi = f.people*p.K/p.N, f.people*(p.K+1)/p.N
	}
	return f.names.At(lo + s.IntN(max(hi-lo, 1)))
}

// fillerFirstYear is the first year filler sentences name; the last is 2025.
const fillerFirstYear = 1950

// LoadFiller loads the word lists of filler sentences; seed keys the filler people, drawn from the
// names without a middle name of their share, less those avoid reports (nil: none).
func LoadFiller(lib *templates.Library, seed uint64, avoid func(name string) bool) (*Filler, error) {
	f := &Filler{years: numberTexts(fillerFirstYear, 2025-fillerFirstYear+1), numbers: numberTexts(2, 97)}
	var err error
	if f.names, err = world.NewNames(lib, seed, "filler", 1, nil); err != nil {
		return nil, err
	}
	f.people = f.names.Capacity()
	if avoid != nil {
		// Draws range over every plain name, so every one is checked.
		if f.names, err = world.NewNames(lib, seed, "filler", f.people, avoid); err != nil {
			return nil, err
		}
		f.people -= f.names.Avoided()
	}
	for name, dst := range map[string]*[]string{"city": &f.cities, "filler/month": &f.months, "filler/adjective": &f.adjs, "filler/noun": &f.nouns} {
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

// Values appends to dst[:0] the values of GenreSlots for one filler sentence about subject, its people
// from share p.
func (f *Filler) Values(dst []string, s *rng.Stream, subject string, p Scope) []string {
	years := f.years
	if first := p.MinYear - fillerFirstYear; first > 0 && first < len(years) {
		years = years[first:]
	}
	return append(dst[:0], subject, f.PersonIn(s, p), f.cities[s.IntN(len(f.cities))],
		years[s.IntN(len(years))], f.months[s.IntN(len(f.months))], f.numbers[s.IntN(len(f.numbers))],
		f.adjs[s.IntN(len(f.adjs))], f.nouns[s.IntN(len(f.nouns))])
}

// CountWords is len(strings.Fields(s)), without making the fields: documents count their words as
// they grow, sentence by sentence. ASCII is counted without branching on the text: a word starts
// wherever a non-space follows a space.
func CountWords(s string) int {
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

// Part is one piece of a base document.
type Part struct {
	Text  string
	Claim bool // a sentence asserting the claim
	Kind  PartKind
}

// PartKind says what a Part is.
type PartKind uint8

const (
	PartSentence PartKind = iota
	PartBreak             // a paragraph break
	PartHeader            // a paragraph header, on its own line
)

// BaseDoc is a genre document before any notice, framing or negation is applied.
type BaseDoc struct {
	Genre string
	Parts []Part

	// what Padded draws from: the genre, the filler and its scope, the subject
	genre   *Genre
	filler  *Filler
	scope   Scope
	subject string
}

// Padded returns the document with neutral filler sentences of its genre added before its closing
// sentence, as many as bring their words nearest to words, drawn from key: documents of one base under
// modes that add different amounts of text can so be made the same length. Sentences the document
// already has are not added again.
func (d BaseDoc) Padded(w *records.Worker, words int, key uint64) BaseDoc {
	if words <= 0 || d.genre == nil || len(d.genre.Fill) == 0 || len(d.Parts) < 2 {
		return d
	}
	used := map[string]bool{}
	for _, p := range d.Parts {
		used[p.Text] = true
	}
	s := w.Stream
	s.Reset(key, 0)
	var pad []Part
	for added, tries := 0, 0; added < words && tries < 4*len(d.genre.Fill); tries++ {
		w.Values = d.filler.Values(w.Values, s, d.subject, d.scope)
		text := w.Render(d.genre.Fill[s.IntN(len(d.genre.Fill))], w.Values).Text
		n := CountWords(text)
		if used[text] {
			continue
		}
		if added+n-words > words-added { // this sentence would overshoot by more than it makes up
			break
		}
		used[text] = true
		pad = append(pad, Part{Text: text})
		added += n
	}
	// Before the closing sentence and the paragraph break before it.
	at := len(d.Parts) - 2
	parts := append(append(append([]Part(nil), d.Parts[:at]...), pad...), d.Parts[at:]...)
	d.Parts = parts
	return d
}

// BuildDoc writes a document of genre g about subject, with claimSentences placed among the body,
// drawing from w.Stream. It fills paragraphs (each with its header, when the genre has them) until the
// document reaches targetWords, and never adds a sentence that would take it past maxWords.
func BuildDoc(w *records.Worker, g *Genre, f *Filler, people Scope, subject string, claimSentences, mentions []string, targetWords, maxWords int) BaseDoc {
	s := w.Stream
	render := func(ts []*templates.Template) string {
		t := ts[s.IntN(len(ts))]
		w.Values = f.Values(w.Values, s, subject, people)
		return w.Render(t, w.Values).Text
	}
	// Filler sentences take the genre's templates in a document-wide order, every one before any
	// again, and a sentence the document already has is drawn anew: no sentence repeats within a
	// document (79% of documents repeated one before). A document that runs out stops short of its
	// target length.
	fills, next := s.Perm(len(g.Fill)), 0
	used := map[string]bool{}
	fill := func() (string, bool) {
		for range 2 * len(fills) {
			t := g.Fill[fills[next%len(fills)]]
			next++
			w.Values = f.Values(w.Values, s, subject, people)
			if text := w.Render(t, w.Values).Text; !used[text] {
				used[text] = true
				return text, true
			}
		}
		return "", false
	}
	count := CountWords
	open, close := render(g.Open), render(g.Close)
	words := count(open) + count(close)
	for _, c := range append(claimSentences, mentions...) {
		words += count(c)
	}
	type paragraph struct {
		header string
		body   []Part
	}
	var paras []paragraph
	for full := false; !full && (words < targetWords || len(paras) == 0); {
		var p paragraph
		if len(g.Para) > 0 {
			p.header = render(g.Para)
			for try := 0; used[p.header] && try < 2*len(g.Para); try++ {
				p.header = render(g.Para)
			}
			used[p.header] = true
			words += count(p.header)
		}
		for n := 3 + s.IntN(3); len(p.body) < n; {
			text, ok := fill()
			if !ok || words+count(text) > maxWords && (len(paras) > 0 || len(p.body) > 0) {
				full = true
				break
			}
			p.body = append(p.body, Part{Text: text})
			if words += count(text); words >= targetWords {
				break
			}
		}
		paras = append(paras, p)
	}
	// Claim sentences and mentions go at random places among the body's sentences.
	for i, c := range append(slices.Clone(claimSentences), mentions...) {
		p := &paras[s.IntN(len(paras))]
		at := s.IntN(len(p.body) + 1)
		p.body = append(p.body[:at], append([]Part{{Text: c, Claim: i < len(claimSentences)}}, p.body[at:]...)...)
	}
	d := BaseDoc{Genre: g.Name, Parts: []Part{{Text: open}, {Kind: PartBreak}}, genre: g, filler: f, scope: people, subject: subject}
	for _, p := range paras {
		if len(p.body) == 0 {
			continue
		}
		if p.header != "" {
			d.Parts = append(d.Parts, Part{Text: p.header, Kind: PartHeader})
		}
		d.Parts = append(d.Parts, p.body...)
		d.Parts = append(d.Parts, Part{Kind: PartBreak})
	}
	d.Parts = append(d.Parts, Part{Text: close})
	return d
}

// Writer assembles a document's text and the byte spans of the parts to mask from the loss.
type Writer struct {
	B     []byte
	Masks []schemas.Span
	fresh bool // at the start of a line: no space before the next sentence
}

// NewWriter starts a document at the start of a line, after what b holds.
func NewWriter(b []byte) *Writer { return &Writer{B: b, fresh: true} }

// Sentence appends a sentence, after a space unless at the start of a line; masked ones are recorded.
func (w *Writer) Sentence(text string, masked bool) {
	if len(w.B) > 0 && !w.fresh {
		w.B = append(w.B, ' ')
	}
	start := len(w.B)
	w.B = append(w.B, text...)
	if masked {
		// Masks that touch join, so a notice of several sentences is one span.
		if n := len(w.Masks); n > 0 && w.Masks[n-1].End >= int64(start-1) {
			w.Masks[n-1].End = int64(len(w.B))
		} else {
			w.Masks = append(w.Masks, schemas.Span{Start: int64(start), End: int64(len(w.B))})
		}
	}
	w.fresh = false
}

// CharSpans are the masks as Unicode code point offsets into the text, for trainers that index text
// by character: Python's text[s:e] is wrong with byte offsets in any text with a non-ASCII character.
func (w *Writer) CharSpans() []schemas.Span { return w.CharOffsets(w.Masks) }

// CharOffsets are byte spans of the text w holds, in order, as code point offsets.
func (w *Writer) CharOffsets(spans []schemas.Span) []schemas.Span {
	out := make([]schemas.Span, len(spans))
	at, chars := 0, int64(0) // a byte offset and the code points before it
	toChars := func(b int64) int64 {
		chars += int64(utf8.RuneCount(w.B[at:b]))
		at = int(b)
		return chars
	}
	for i, m := range spans {
		out[i] = schemas.Span{Start: toChars(m.Start), End: toChars(m.End)}
	}
	return out
}

// LineBreak appends s (line breaks) and starts a line.
func (w *Writer) LineBreak(s string) {
	w.B = append(w.B, s...)
	w.fresh = true
}
