package world

import (
	"strings"

	"github.com/factforge/factforge/templates"
)

// Inventor makes up subjects of a kind (a country, an element, a dish, ...) that exist nowhere, from
// factforge's word lists: the fictitious counterparts of real subjects.
type Inventor struct{ lists map[string][]string }

// inventorLists are the word lists subjects are made from.
var inventorLists = []string{"moon", "prefix", "adjective", "noun", "city", "dish", "filler/noun", "core", "invented/country-start", "invented/country-end"}

// realPlaces are names the country syllables can make that name real places: an invented country is
// drawn again rather than be one.
var realPlaces = map[string]bool{"Moravia": true, "Corea": true, "Dorea": true, "Valania": true, "Tirana": true,
	"Halland": true, "Fenland": true, "Garland": true, "Ashland": true, "Evora": true, "Torland": true, "Helland": true}

// realWords are names the element syllables can make that are English words ("option").
var realWords = map[string]bool{"option": true, "neon": true, "xenon": true, "argon": true, "carbon": true, "boron": true, "iron": true,
	"hyperon": true, "omnium": true, "stellarium": true, "harbour master": true, "harbourmaster": true, "bridgekeeper": true, "bridge keeper": true, "clocksmith": true, "clock smith": true}

// LoadInventor loads the word lists of invented subjects.
func LoadInventor(lib *templates.Library) (*Inventor, error) {
	inv := &Inventor{lists: map[string][]string{}}
	for _, name := range inventorLists {
		words, err := lib.Words(name)
		if err != nil {
			return nil, err
		}
		inv.lists[name] = words
	}
	return inv, nil
}

// nameParts are the parts an invented name of each kind is made of, in order: a word list (whole, or
// its first three letters), lower-cased or as written, or a fixed set of choices. One explicit table:
// the name space of a kind is the product of its parts' sizes (Space), and Nth enumerates it. A
// qualifier (a middle syllable, a compound) is a part whose first choice is none: the names without
// one come first (Plain), so that a qualified name is made only once the plain ones are used up.
var nameParts = map[string][]namePart{
	// A start and an ending: 600 plain names, where the moons' 16 gave one invented country to many
	// samples; a middle syllable makes more.
	"country":    {{list: "invented/country-start"}, {fixed: countryMiddles, qualifier: true}, {list: "invented/country-end"}},
	"element":    {{list: "prefix", lower: true}, {fixed: []string{"", "ar", "el", "ov", "is", "ad"}, qualifier: true}, {fixed: []string{"ium", "on", "ine", "ite", "ogen", "um"}}},
	"title":      {{list: "adjective"}, {fixed: []string{" "}}, {list: "noun"}},
	"dish":       {{list: "city"}, {fixed: []string{"", "-style"}, qualifier: true}, {fixed: []string{" "}}, {list: "dish", lower: true}},
	"animal":     {{list: "invented/country-start", lower: true}, {list: "moon", lower: true, first3: true}, {fixed: []string{" hopper", " swift", " glider", " crawler", " wader", " prowler"}}},
	"occupation": {{list: "filler/noun"}, {fixed: []string{" ", ""}, qualifier: true}, {fixed: []string{"keeper", "warden", "tender", "wright", "smith", "master", "binder", "setter", "runner", "minder", "fitter", "turner", "steward", "porter", "reeve", "carrier", "caller", "mender"}}},
	"sport":      {{fixed: []string{"", "aqua", "sky", "sand", "snow", "turbo", "hyper", "micro"}, qualifier: true}, {list: "core", lower: true}, {fixed: []string{"ball", " polo", " relay", " sprint", "-tag"}}},
	"":           {{list: "invented/country-start"}, {fixed: countryMiddles, qualifier: true}, {list: "invented/country-end"}}, // any other kind: a country-like name
}

// countryMiddles are the syllables an invented country may have in the middle. Qualifiers are part of
// a word, not words of their own ("North", "senior"): a word that only invented names have would tell
// the fictitious samples apart by itself.
var countryMiddles = []string{"", "ar", "om", "in", "el", "ud", "er", "an"}

type namePart struct {
	list          string   // a word list, or
	fixed         []string // fixed choices
	lower, first3 bool     // lower-cased; only the first three letters
	qualifier     bool     // its first choice is none, and it varies slowest in Nth
}

// parts are the parts of kind's names.
func (inv *Inventor) parts(kind string) []namePart {
	if ps, ok := nameParts[kind]; ok {
		return ps
	}
	return nameParts[""]
}

// size is how many choices a part has.
func (inv *Inventor) size(p namePart) int {
	if p.list != "" {
		return len(inv.lists[p.list])
	}
	return len(p.fixed)
}

// Space is how many names of kind there are: Nth(kind, k) for k in [0, Space(kind)).
func (inv *Inventor) Space(kind string) int {
	n := 1
	for _, p := range inv.parts(kind) {
		n *= inv.size(p)
	}
	return n
}

// Plain is how many names of kind have no qualifier: Nth(kind, k) for k below it.
func (inv *Inventor) Plain(kind string) int {
	n := 1
	for _, p := range inv.parts(kind) {
		if !p.qualifier {
			n *= inv.size(p)
		}
	}
	return n
}

// Nth is the k-th name of kind (k modulo Space(kind)): the parts other than qualifiers vary fastest,
// the first of them fastest. It may be an unusable name (Unusable tells).
func (inv *Inventor) Nth(kind string, k int) string {
	parts := inv.parts(kind)
	k %= inv.Space(kind)
	chosen := make([]string, len(parts))
	for _, qualifiers := range []bool{false, true} {
		for i, p := range parts {
			if p.qualifier != qualifiers {
				continue
			}
			n := inv.size(p)
			var v string
			if p.list != "" {
				v = inv.lists[p.list][k%n]
			} else {
				v = p.fixed[k%n]
			}
			k /= n
			if p.lower {
				v = strings.ToLower(v)
			}
			if p.first3 && len(v) > 3 {
				v = v[:3]
			}
			chosen[i] = v
		}
	}
	return strings.Join(chosen, "")
}

// Unusable tells an invented name that is left out: one that happens to name a real place or thing or
// be an English word, or whose parts meet in a doubled vowel or an "-oum" ("hydroogen", "neoon",
// "helioum"), which reads as a misspelling of a real name.
func Unusable(name string) bool {
	if realPlaces[name] || realWords[name] {
		return true
	}
	low := strings.ToLower(name)
	if strings.Contains(low, " ") { // words of their own are real words, spelled as such
		return false
	}
	for _, v := range []string{"aa", "ii", "oo", "uu", "oum", "eum", "aum"} {
		if strings.Contains(low, v) {
			return true
		}
	}
	return false
}
