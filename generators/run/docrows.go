package run

import (
	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/rng"
	"github.com/factforge/factforge/generators/variants"
)

// docRows derives a split's row count and row function from its documents, laid out by the
// augmentation's schedule (variants.Schedule), the whole in a seeded random order when the source asks
// for one.
func docRows(cfg *generators.Config, config, split string, layout *records.Layout, src *generators.DocSource) (int64, generators.RowFunc, error) {
	sched, err := variants.NewSchedule(cfg.Seed, cfg.Augment, config+"/"+split, src.Count)
	if err != nil {
		return 0, nil, err
	}
	total := sched.Rows()
	order := rng.NewPerm(uint64(total), rng.Key(cfg.Seed, "order/"+config+"/"+split))
	row := func(w *records.Worker, i int64, row records.Row) {
		q := i
		if src.Shuffle {
			q = int64(order.At(uint64(i)))
		}
		doc, kind, mode := sched.At(q)
		d := src.Doc(w, doc, row)
		if kind != "" {
			var name string
			d, name = variants.Augment(w, cfg.Seed, cfg.Augment, kind, d, uint64(doc), mode)
			layout.SetVariant(row, records.ChainVariant(layout.Variant(row), name))
		}
		if src.Written != nil {
			src.Written(doc, row, d)
		}
		layout.SetDocument(row, d)
	}
	return total, row, nil
}
