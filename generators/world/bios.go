package world

import (
	"fmt"
	"strings"
	"time"

	"github.com/factforge/factforge/templates"
)

// Employer is a fictitious company: the city of its headquarters and the year it was founded.
type Employer struct{ Name, City, Founded string }

// BioLists are the value pools of biography attributes, from templates/words/bios/: real cities,
// universities and majors, fictitious employers; and the second-hop facts about them (a city's or
// university's country, an employer's founding year) that two-hop questions ask for.
type BioLists struct {
	Cities, Universities, Majors []string
	Employers                    []Employer
	Country                      map[string]string // of each city and university
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
		l.Employers = append(l.Employers, Employer{Name: r[0], City: r[1], Founded: r[2]})
	}
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

// Rand is the part of a random stream dates need.
type Rand interface{ IntN(int) int }

// BirthDate draws a date between 1 January of fromYear and 31 December of toYear, uniformly over
// years, months and the days of that month, written as "2 October 1996".
func BirthDate(r Rand, fromYear, toYear int) string {
	year := fromYear + r.IntN(toYear-fromYear+1)
	month := time.Month(1 + r.IntN(12))
	days := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return fmt.Sprintf("%d %s %d", 1+r.IntN(days), month, year)
}
