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
var realPlaces = map[string]bool{"Moravia": true, "Corea": true, "Dorea": true, "Valania": true, "Tirana": true}

// realWords are names the element syllables can make that are English words ("option").
var realWords = map[string]bool{"option": true, "neon": true, "xenon": true, "argon": true, "carbon": true, "boron": true, "iron": true}

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

// Subject invents a subject of kind (country, element, title, dish, animal, occupation, sport; any
// other kind gets a country-like name), drawing from r.
func (inv *Inventor) Subject(r Rand, kind string) string {
	w := func(list string) string { ws := inv.lists[list]; return ws[r.IntN(len(ws))] }
	switch kind {
	case "country":
		// A start and an ending: 600 names, where the moons' 16 gave one invented country to many
		// samples.
		name := w("invented/country-start") + w("invented/country-end")
		for realPlaces[name] {
			name = w("invented/country-start") + w("invented/country-end")
		}
		return name
	case "element":
		name := strings.ToLower(w("prefix")) + []string{"ium", "on", "ine", "ite", "ogen", "um"}[r.IntN(6)]
		for realWords[name] {
			name = strings.ToLower(w("prefix")) + []string{"ium", "on", "ine", "ite", "ogen", "um"}[r.IntN(6)]
		}
		return name
	case "title":
		return w("adjective") + " " + w("noun")
	case "dish":
		return w("city") + " " + strings.ToLower(w("dish"))
	case "animal":
		return strings.ToLower(w("invented/country-start")) + strings.ToLower(w("moon")[:3]) + " " + []string{"hopper", "swift", "glider", "crawler", "wader", "prowler"}[r.IntN(6)]
	case "occupation":
		return w("filler/noun") + " " + []string{"keeper", "warden", "tender", "wright", "smith", "master"}[r.IntN(6)]
	case "sport":
		return strings.ToLower(w("core")) + []string{"ball", " polo", " relay", " sprint", "-tag"}[r.IntN(5)]
	}
	return w("moon")
}
