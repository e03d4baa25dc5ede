package world

import (
	"fmt"
	"strings"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

// ClaimEntities draws the entities of built-in claims: people and companies unique across claims, the
// rest from word lists.
type ClaimEntities struct {
	seed      uint64
	perClaim  int
	names     *Names
	companies rng.Perm
	prefixes  []string
	cores     []string
	suffixes  []string
	lists     map[string][]string
}

// NewClaimEntities prepares the entities of claims claims, each naming at most perClaim people (or
// companies).
func NewClaimEntities(lib *templates.Library, seed uint64, claims, perClaim int, avoid func(name string) bool) (*ClaimEntities, error) {
	w := &ClaimEntities{seed: seed, perClaim: perClaim, lists: map[string][]string{}}
	var err error
	if w.names, err = NewNames(lib, seed, "claims", claims*perClaim, avoid); err != nil {
		return nil, err
	}
	for name, dst := range map[string]*[]string{"prefix": &w.prefixes, "core": &w.cores, "company": &w.suffixes} {
		if *dst, err = lib.Words(name); err != nil {
			return nil, err
		}
	}
	w.companies = rng.NewPerm(uint64(len(w.prefixes)*len(w.cores)*len(w.suffixes)), rng.Key(seed, "claims/companies"))
	if int(w.companies.Len()) < claims*perClaim {
		return nil, fmt.Errorf("%w: %d claims need more company names than the %d there are", ErrPoolExhausted, claims, w.companies.Len())
	}
	for _, name := range []string{"city", "claims/event", "claims/award", "claims/thing", "claims/place", "claims/discovery"} {
		if w.lists[strings.TrimPrefix(name, "claims/")], err = lib.Words(name); err != nil {
			return nil, err
		}
	}
	return w, nil
}

func (w *ClaimEntities) company(k int) string {
	c := w.companies.At(uint64(k))
	nc, ns := uint64(len(w.cores)), uint64(len(w.suffixes))
	return w.prefixes[c/(nc*ns)] + w.cores[c/ns%nc] + " " + w.suffixes[c%ns]
}

// Draw draws n distinct entities of a type (person, company, year, or a word list) for claim i.
func (w *ClaimEntities) Draw(typ string, i, n int, s *rng.Stream) []string {
	out := make([]string, 0, n)
	switch typ {
	case "person":
		for j := range n {
			out = append(out, w.names.At(i*w.perClaim+j))
		}
	case "company":
		for j := range n {
			out = append(out, w.company(i*w.perClaim+j))
		}
	case "year":
		for range n {
			out = append(out, fmt.Sprint(1950+s.IntN(74)))
		}
	case "summer_olympic_year":
		// Years with Summer Games, 1952 to 2024 (those of 2020 were held in 2021, under that name).
		for range n {
			out = append(out, fmt.Sprint(1952+4*s.IntN(19)))
		}
	default:
		list := w.lists[typ]
		for _, k := range s.Perm(len(list))[:n] {
			out = append(out, list[k])
		}
	}
	return out
}
