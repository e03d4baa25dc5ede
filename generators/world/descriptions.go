package world

import (
	"fmt"
	"sort"

	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/templates"
)

// frameShareCap bounds how many descriptions one frame may contribute to the pool, so that frames with
// huge word products do not crowd out the others: frames are close to equally likely.
const frameShareCap = 30_000

// Descriptions hands out distinct descriptions ("the composer of 'Abyssal Melodies'") built from the
// frames in templates/banks/world/descriptions.txt and the word lists their slots name.
type Descriptions struct {
	frames []frame
	ends   []uint64 // ends[f] = cumulative pool size up to and including frame f
	order  rng.Perm
}

type frame struct {
	t      *templates.Template
	slots  []int // slot indexes used, in order
	radix  []uint64
	words  [][]string // indexed by slot
	choose rng.Perm   // which combinations of words this frame contributes
}

// DescriptionSlots are the word lists a description frame may use, one slot each.
var DescriptionSlots = []string{"adjective", "noun", "prefix", "core", "gadget", "company", "feat", "landform",
	"phenomenon", "building", "vehicle", "software", "competition", "machine", "dish", "moon", "city"}

// NewDescriptions prepares n distinct descriptions for seed, from lib's frames and word lists.
func NewDescriptions(lib *templates.Library, seed uint64, n int) (*Descriptions, error) {
	bank, err := lib.Bank("world/descriptions", DescriptionSlots...)
	if err != nil {
		return nil, err
	}
	lists := make([][]string, len(DescriptionSlots))
	for i, name := range DescriptionSlots {
		if lists[i], err = lib.Words(name); err != nil {
			return nil, err
		}
	}
	d := &Descriptions{}
	var total uint64
	for fi, t := range bank.All() {
		f := frame{t: t, slots: t.Slots(), words: lists}
		size := uint64(1)
		for _, s := range f.slots {
			f.radix = append(f.radix, uint64(len(lists[s])))
			size *= uint64(len(lists[s]))
		}
		f.choose = rng.NewPerm(size, rng.Key(seed, fmt.Sprintf("description-frame-%d", fi)))
		total += min(size, frameShareCap)
		d.frames = append(d.frames, f)
		d.ends = append(d.ends, total)
	}
	if uint64(n) > total {
		return nil, fmt.Errorf("%w: %d descriptions requested, at most %d distinct", ErrPoolExhausted, n, total)
	}
	d.order = rng.NewPerm(total, rng.Key(seed, "descriptions"))
	return d, nil
}

// Capacity is the number of distinct descriptions available.
func (d *Descriptions) Capacity() int { return int(d.order.Len()) }

// At returns description i.
func (d *Descriptions) At(i int) string {
	k := d.order.At(uint64(i))
	fi := sort.Search(len(d.ends), func(j int) bool { return d.ends[j] > k })
	f := &d.frames[fi]
	start := uint64(0)
	if fi > 0 {
		start = d.ends[fi-1]
	}
	c := f.choose.At(k - start)
	values := make([]string, len(DescriptionSlots))
	for j := len(f.slots) - 1; j >= 0; j-- {
		values[f.slots[j]] = f.words[f.slots[j]][c%f.radix[j]]
		c /= f.radix[j]
	}
	text, _ := f.t.Render(nil, values, nil)
	return string(text)
}
