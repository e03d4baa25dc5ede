package run

import (
	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/records"
)

// PreviewRows returns the first n rows of every config and split of a prepared plan, generated as the
// run would generate them (ids aside), without writing anything. It releases the plan.
func PreviewRows(plan *generators.Plan, n int64) [][][]records.Row {
	defer Release(plan)
	w := records.NewWorker()
	out := make([][][]records.Row, len(plan.Configs))
	for c, pc := range plan.Configs {
		for _, ps := range pc.Splits {
			var rows []records.Row
			for i := int64(0); i < min(n, ps.Rows); i++ {
				row := pc.Layout.NewRow()
				if ps.External != nil && ps.External(i) {
					if ps.Next(i, row) != nil {
						break
					}
				} else {
					ps.Row(w, i, row)
				}
				rows = append(rows, row)
			}
			out[c] = append(out[c], rows)
		}
	}
	return out
}
