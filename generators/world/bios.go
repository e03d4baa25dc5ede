package world

import (
	"fmt"
	"strings"
	"time"

	"github.com/factforge/factforge/templates"
)

// Employer is a company and the city of its headquarters.
type Employer struct{ Name, City string }

// BioLists are the value pools of biography attributes, from templates/words/bios/: real cities,
// universities and majors, fictitious employers.
type BioLists struct {
	Cities, Universities, Majors []string
	Employers                    []Employer
}

// LoadBioLists reads the built-in biography lists.
func LoadBioLists() (*BioLists, error) {
	var l BioLists
	var err error
	for name, dst := range map[string]*[]string{"bios/city": &l.Cities, "bios/university": &l.Universities, "bios/major": &l.Majors} {
		if *dst, err = templates.Words(name); err != nil {
			return nil, err
		}
	}
	lines, err := templates.Words("bios/employer")
	if err != nil {
		return nil, err
	}
	for _, line := range lines {
		name, city, ok := strings.Cut(line, " | ")
		if !ok {
			return nil, fmt.Errorf("templates/words/bios/employer.txt: %q is not <name> | <city>", line)
		}
		l.Employers = append(l.Employers, Employer{Name: name, City: city})
	}
	return &l, nil
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
