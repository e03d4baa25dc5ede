package world

import (
	"fmt"
	"strings"
	"time"

	"github.com/factforge/factforge/templates"
)

// Employer is a fictitious company: the city of its headquarters and the year it was founded; Index
// is its place in BioLists.Employers.
type Employer struct {
	Name, City, Founded string
	Index               int
}

// BioLists are the value pools of biography attributes, from templates/words/bios/: real cities,
// universities and majors, fictitious employers; and the second-hop facts about them (a city's or
// university's country, an employer's founding year) that two-hop questions ask for.
//
// Cities, universities and employers are drawn by country: a country uniformly, then one of its
// entries. Drawn uniformly from the lists, the United States would be the answer of 28% of the
// country questions (48 of 215 cities, 131 of 305 universities), and a probe split's majority answer
// a strong baseline; drawn by country, no country has more than 1/40 of them.
type BioLists struct {
	Cities, Universities, Majors []string
	Employers                    []Employer
	Country                      map[string]string // of each city and university
	cities, universities         [][]string        // by country, in order of first appearance
	employers                    [][]int           // indexes into Employers, by the country of their city
}

// Rand is the part of a random stream draws need.
type Rand interface{ IntN(int) int }

// City draws a city: a country, then one of its cities.
func (l *BioLists) City(r Rand) string { return drawIn(l.cities, r) }

// University draws a university: a country, then one of its universities.
func (l *BioLists) University(r Rand) string { return drawIn(l.universities, r) }

// Employer draws an employer: the country of its headquarters, then one of the employers there.
func (l *BioLists) Employer(r Rand) Employer { return l.Employers[drawIn(l.employers, r)] }

func drawIn[T any](groups [][]T, r Rand) T {
	g := groups[r.IntN(len(groups))]
	return g[r.IntN(len(g))]
}

// byCountry groups the entries of a list by their country, in order of first appearance.
func byCountry[T any](entries []T, country func(T) string) [][]T {
	at := map[string]int{}
	var out [][]T
	for _, e := range entries {
		c := country(e)
		i, ok := at[c]
		if !ok {
			i = len(out)
			at[c] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], e)
	}
	return out
}

// LoadBioLists reads the biography lists from lib.
func LoadBioLists(lib *templates.Library) (*BioLists, error) {
	l := BioLists{Country: map[string]string{}}
	var err error
	if l.Majors, err = lib.Words("bios/major"); err != nil {
		return nil, err
	}
	for name, dst := range map[string]*[]string{"bios/city": &l.Cities, "bios/university": &l.Universities} {
		rows, err := fields(lib, name, 2)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			*dst = append(*dst, r[0])
			l.Country[r[0]] = r[1]
		}
	}
	rows, err := fields(lib, "bios/employer", 3)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if _, ok := l.Country[r[1]]; !ok {
			return nil, fmt.Errorf("templates/words/bios/employer.txt: %s is in %q, which is not in bios/city", r[0], r[1])
		}
		l.Employers = append(l.Employers, Employer{Name: r[0], City: r[1], Founded: r[2], Index: len(l.Employers)})
	}
	country := func(name string) string { return l.Country[name] }
	l.cities, l.universities = byCountry(l.Cities, country), byCountry(l.Universities, country)
	indexes := make([]int, len(l.Employers))
	for i := range indexes {
		indexes[i] = i
	}
	l.employers = byCountry(indexes, func(i int) string { return l.Country[l.Employers[i].City] })
	return &l, nil
}

// fields reads a word list whose entries are n fields separated by " | ".
func fields(lib *templates.Library, name string, n int) ([][]string, error) {
	lines, err := lib.Words(name)
	if err != nil {
		return nil, err
	}
	out := make([][]string, len(lines))
	for i, line := range lines {
		if out[i] = strings.Split(line, " | "); len(out[i]) != n {
			return nil, fmt.Errorf("templates/words/%s.txt: %q does not have %d fields separated by \" | \"", name, line, n)
		}
	}
	return out, nil
}

// BirthDates draws dates between 1 January of fromYear and 31 December of toYear, uniformly over
// years, then months, then days, as "17 March 1987": every date's text is made once, so a draw
// allocates nothing.
type BirthDates struct {
	from int
	text [][12][]string // by year, month, day
}

// NewBirthDates makes the dates of years fromYear to toYear.
func NewBirthDates(fromYear, toYear int) *BirthDates {
	b := &BirthDates{from: fromYear, text: make([][12][]string, toYear-fromYear+1)}
	for y := range b.text {
		for m := range 12 {
			month := time.Month(1 + m)
			days := time.Date(fromYear+y, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
			for d := range days {
				b.text[y][m] = append(b.text[y][m], fmt.Sprintf("%d %s %d", 1+d, month, fromYear+y))
			}
		}
	}
	return b
}

// Draw draws a date: a year, a month, then a day of that month.
func (b *BirthDates) Draw(r Rand) string {
	days := b.text[r.IntN(len(b.text))][r.IntN(12)]
	return days[r.IntN(len(days))]
}
