package generators

import (
	"fmt"
	"strconv"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

// FactID names fact k ("f000017"); zero-padded so that ids sort in fact order.
func FactID(k int) string { return paddedID("f", k, 6) }

// paddedID is prefix and then i with at least digits digits, zero-padded ("chat-000017"), so that ids
// sort in index order: fmt.Sprintf("%s%0*d") without fmt, as ids are made once per row.
func paddedID(prefix string, i, digits int) string {
	s := strconv.Itoa(i)
	if len(s) < digits {
		s = "0000000000000000"[:digits-len(s)] + s
	}
	return prefix + s
}

// Pick returns the j-th of the templates chosen for one fact without replacement: element j of a
// permutation of ts keyed by the purpose and the fact, so each fact gets its own distinct templates and
// any row's choice is computed without the others.
func Pick(ts []*templates.Template, key uint64, fact, j int) *templates.Template {
	return ts[rng.NewPerm(uint64(len(ts)), rng.Mix(key, uint64(fact))).At(uint64(j))]
}

// LoadBank loads a bank from lib and checks that each of its templates uses every slot.
func LoadBank(lib *templates.Library, name string, slots ...string) (*templates.Bank, error) {
	b, err := lib.Bank(name, slots...)
	if err != nil {
		return nil, err
	}
	return b, b.RequireSlots(slots...)
}

// NeedTemplates checks that a bank holds the n templates of a split that flag asks for.
func NeedTemplates(b *templates.Bank, split templates.Split, n int, flag string) error {
	if have := len(b.Templates(split)); have < n {
		return fmt.Errorf("--%s %d: template bank %s has only %d %s templates", flag, n, b.Name, have, split)
	}
	return nil
}
