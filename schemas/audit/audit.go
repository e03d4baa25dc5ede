package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/factforge/factforge/schemas"
)

// Options are the settings of an audit.
type Options struct {
	// Strict treats warnings as errors.
	Strict bool
}

// Report is what an audit found, over every dataset audited.
type Report struct {
	Datasets []string  `json:"datasets"`
	Findings []Finding `json:"findings"`
}

// Errors is how many findings are errors.
func (r *Report) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Level == Error {
			n++
		}
	}
	return n
}

// cancelCheckRows is how often a long loop looks at its context.
const cancelCheckRows = 4096

// Audit reads the datasets in dirs and measures them. It streams every training split once and keeps
// the eval splits' probes in memory. It stops soon after ctx ends.
func Audit(ctx context.Context, dirs []string, opts Options) (*Report, error) {
	r := &Report{}
	cons := NewConsistency() // across the datasets too: they may be meant to be trained together
	for _, dir := range dirs {
		d, err := loadDataset(dir)
		if err != nil {
			return nil, err
		}
		r.Datasets = append(r.Datasets, d.name)
		fs, err := auditDataset(ctx, d, cons)
		if err != nil {
			return nil, err
		}
		r.Findings = append(r.Findings, fs...)
	}
	r.Findings = append(r.Findings, cons.Findings()...)
	r.strict(opts)
	return r, nil
}

// AuditManifest measures one dataset whose manifest is m and whose files are in dir, such as a dataset
// being made, before its manifest is written; name names it in the findings.
func AuditManifest(ctx context.Context, dir, name string, m *schemas.Manifest, opts Options) (*Report, error) {
	cons := NewConsistency()
	fs, err := auditDataset(ctx, datasetOf(dir, name, m), cons)
	if err != nil {
		return nil, err
	}
	r := &Report{Datasets: []string{name}, Findings: append(fs, cons.Findings()...)}
	r.strict(opts)
	return r, nil
}

// strict makes warnings errors when opts ask for it.
func (r *Report) strict(opts Options) {
	if opts.Strict {
		for i := range r.Findings {
			if r.Findings[i].Level == Warning {
				r.Findings[i].Level = Error
			}
		}
	}
}

// probe is one eval row as audit matches it: its prompt (alone, and with its answer) and its choices
// as matcher patterns, and where it falls in each slice.
type probe struct {
	prompt, answer   string
	slices           []string
	promptID, fullID int   // matcher patterns, -1 for none
	choiceIDs        []int // matcher patterns of the choices, in order
	choices          []string
	correct          int // index of the answer among the choices, -1 for none
}

// hits are what the training text showed of one pattern.
type hits struct {
	inTrain, prefix bool
	rows            int64 // training rows that hold it
	lastRow         int64
	example         string // the first training text that holds it
}

func auditDataset(ctx context.Context, d *dataset, cons *Consistency) ([]Finding, error) {
	m := newMatcher()
	probes := map[*split][]probe{}
	var out []Finding
	lintOf := map[*split]*Linter{}
	for _, s := range d.splits {
		lintOf[s] = NewLinter()
		if !s.eval {
			continue
		}
		var n int64
		for row, err := range schemas.SplitRows(d.dir, s.entry, s.schema) {
			if err != nil {
				return nil, err
			}
			if n++; n%cancelCheckRows == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			p := probe{prompt: row[s.prompt].Str, answer: row[s.answer].Str, slices: s.sliceValues(row), correct: -1}
			p.promptID = m.add(words(p.prompt), true)
			p.fullID = m.add(words(p.prompt+" "+p.answer), false)
			if s.choices >= 0 {
				p.choices = row[s.choices].List
				for j, c := range p.choices {
					p.choiceIDs = append(p.choiceIDs, m.add(words(c), false))
					if c == p.answer {
						p.correct = j
					}
				}
			}
			probes[s] = append(probes[s], p)
			fid, cp, ca := s.consistencyRow(row)
			cons.AddProbe(d.name, s.config, s.name, fid, cp, ca)
			if !s.scrambled(row) {
				lintOf[s].Add(p.prompt + "\n" + p.answer)
			}
		}
	}
	found := make([]hits, len(m.patterns))
	var row int64
	var hs []uint64
	for _, s := range d.splits {
		if s.eval {
			continue
		}
		div := NewDiversity()
		for r, err := range schemas.SplitRows(d.dir, s.entry, s.schema) {
			if err != nil {
				return nil, err
			}
			if row++; row%cancelCheckRows == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			text := s.trainText(r)
			fid, cp, ca := s.consistencyRow(r)
			cons.AddTrain(d.name, s.config, s.name, fid, cp, ca, text)
			div.Add(text)
			if !s.scrambled(r) {
				lintOf[s].Add(text)
			}
			hs = wordHashes(words(text), hs)
			m.scan(hs, func(id, at int) {
				h := &found[id]
				if !h.inTrain {
					h.inTrain, h.example = true, clip(text, 200)
				}
				h.prefix = h.prefix || at == 0
				if h.lastRow != row {
					h.rows, h.lastRow = h.rows+1, row
				}
			})
		}
		out = append(out, div.Findings(d.name, s.config, s.name)...)
	}
	for _, s := range d.splits {
		if s.eval {
			out = append(out, leakFindings(d.name, s, probes[s], found, m, d.manifest.Rules)...)
			out = append(out, shortcutFindings(d.name, s, probes[s], found)...)
		}
		out = append(out, lintOf[s].Findings(d.name, s.config, s.name)...)
	}
	return out, nil
}

// share is count/of, 0 when of is 0.
func share(count, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(count) / float64(of)
}

func percent(count, of int64) string {
	return fmt.Sprintf("%d of %d (%.1f%%)", count, of, 100*share(count, of))
}

// bySlice counts probes that pass test, over the split and over each value of each slice column with
// 2 to maxSliceValues values.
func bySlice(ps []probe, test func(p *probe) bool) (all [2]int64, slices map[string]*[2]int64, order []string) {
	values := map[string]map[string]bool{} // column -> values
	slices = map[string]*[2]int64{}
	for i := range ps {
		p := &ps[i]
		ok := test(p)
		all[1]++
		if ok {
			all[0]++
		}
		for _, sv := range p.slices {
			col, v, _ := strings.Cut(sv, "=")
			if values[col] == nil {
				values[col] = map[string]bool{}
			}
			values[col][v] = true
			if slices[sv] == nil {
				slices[sv] = &[2]int64{}
				order = append(order, sv)
			}
			slices[sv][1]++
			if ok {
				slices[sv][0]++
			}
		}
	}
	order = slicesOfFewValues(order, values)
	return all, slices, order
}

// maxSliceValues bounds the values of a column that findings are sliced by.
const maxSliceValues = 12

func slicesOfFewValues(order []string, values map[string]map[string]bool) []string {
	var out []string
	for _, sv := range order {
		col, _, _ := strings.Cut(sv, "=")
		if n := len(values[col]); n >= 2 && n <= maxSliceValues {
			out = append(out, sv)
		}
	}
	slices.Sort(out)
	return out
}
