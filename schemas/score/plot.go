package score

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/factforge/factforge/schemas"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// PlotFormats are the formats WritePlot writes, by file extension.
var PlotFormats = []string{"svg", "png"}

// plotSeries is one series of the plot: a value per split, with its interval.
type plotSeries struct {
	name            string
	mean, low, high []float64
	has             []bool // whether the series has a figure on each split
}

// plotData picks the figures the recipe's plot draws: its splits (those scored) on the x axis, one
// series per run when there are several, else one per value of the plot's Series column, else one.
func (r *Report) plotData() (splits []string, series []plotSeries, ylabel string) {
	spec := r.Plot
	scored := func(split string) bool {
		return slices.ContainsFunc(r.Figures, func(f Figure) bool { return f.Split == split && f.metricIs(r, spec.Metric) })
	}
	for _, s := range spec.Splits {
		if scored(s) {
			splits = append(splits, s)
		}
	}
	if len(spec.Splits) == 0 {
		for _, f := range r.Figures {
			if !slices.Contains(splits, f.Split) && f.metricIs(r, spec.Metric) {
				splits = append(splits, f.Split)
			}
		}
	}
	ylabel = spec.Metric
	if ylabel == "" { // each split's own metric: name them all
		var names []string
		for _, s := range splits {
			if !slices.Contains(names, r.metricOf[s]) {
				names = append(names, r.metricOf[s])
			}
		}
		ylabel = strings.Join(names, ", ")
	}
	type key struct{ run, value string }
	var keys []key
	switch {
	case len(r.Runs) > 1 || spec.Series == "run":
		for _, run := range r.Runs {
			keys = append(keys, key{run.Label, ""})
		}
	case spec.Series != "":
		for _, f := range r.Figures {
			if f.Column == spec.Series && slices.Contains(splits, f.Split) && !slices.Contains(keys, key{f.Run, f.Value}) {
				keys = append(keys, key{f.Run, f.Value})
			}
		}
	}
	column := spec.Series
	if len(keys) == 0 || len(r.Runs) > 1 || spec.Series == "run" {
		column = ""
	}
	if len(keys) == 0 {
		keys = []key{{r.Runs[0].Label, ""}}
	}
	for _, k := range keys {
		s := plotSeries{name: k.value}
		if column == "" {
			s.name = k.run
		} else {
			s.name = column + "=" + k.value
		}
		for _, split := range splits {
			i := slices.IndexFunc(r.Figures, func(f Figure) bool {
				return f.Run == k.run && f.Split == split && f.metricIs(r, spec.Metric) && f.Column == column && (column == "" || f.Value == k.value)
			})
			if i < 0 {
				s.mean, s.low, s.high, s.has = append(s.mean, 0), append(s.low, 0), append(s.high, 0), append(s.has, false)
				continue
			}
			f := r.Figures[i]
			s.mean, s.low, s.high, s.has = append(s.mean, f.Mean), append(s.low, f.Low), append(s.high, f.High), append(s.has, true)
		}
		series = append(series, s)
	}
	return splits, series, ylabel
}

// metricIs tells whether a figure is of the plot's metric: the named one, or each split's completion
// metric when the plot names none.
func (f Figure) metricIs(r *Report, metric string) bool {
	if metric == "" {
		return f.Metric == r.metricOf[f.Split]
	}
	return f.Metric == metric
}

// errorBars are a series' intervals at its bars' x positions.
type errorBars struct {
	x []float64
	s plotSeries
}

func (e errorBars) Len() int                    { return len(e.x) }
func (e errorBars) XY(i int) (float64, float64) { return e.x[i], e.s.mean[i] }
func (e errorBars) YError(i int) (float64, float64) {
	return e.s.mean[i] - e.s.low[i], e.s.high[i] - e.s.mean[i]
}

// WritePlot draws the recipe's main comparison as a bar chart with the 95% intervals as error bars, in
// format (svg or png), 16 by 10 cm.
func (r *Report) WritePlot(w io.Writer, format string) error {
	if !slices.Contains(PlotFormats, format) {
		return schemas.InputErrorf("cannot plot as %q: the formats are %v", format, PlotFormats)
	}
	splits, series, ylabel := r.plotData()
	if len(splits) == 0 {
		which := "any split"
		if len(r.Plot.Splits) > 0 {
			which = "the splits the plot compares (" + strings.Join(r.Plot.Splits, ", ") + ")"
		}
		return schemas.InputErrorf("nothing to plot: no prediction was scored on %s; %s", which, noneScored)
	}
	p := plot.New()
	p.Title.Text = r.Plot.Title
	p.Y.Label.Text = ylabel
	p.Y.Min, p.Y.Max = 0, 1
	const width, height = 16 * vg.Centimeter, 10 * vg.Centimeter
	// Bars are placed in data units (group i at i, series spread over 0.8 of it); their width is in
	// canvas units, estimated from the plotting area so that bars of a group touch.
	group := 0.8
	barWidth := vg.Length(float64(width-3*vg.Centimeter) / float64(len(splits)) * group / float64(len(series)))
	for j, s := range series {
		xmin := -group/2 + (float64(j)+0.5)*group/float64(len(series))
		// A bar per split the series has a figure on: a slice may be missing from a split.
		var shown []plot.Thumbnailer
		for i := range splits {
			if !s.has[i] {
				continue
			}
			one := plotSeries{mean: s.mean[i : i+1], low: s.low[i : i+1], high: s.high[i : i+1]}
			bars, err := plotter.NewBarChart(plotter.Values(one.mean), barWidth)
			if err != nil {
				return err
			}
			bars.XMin = float64(i) + xmin
			bars.Color = plotutil.Color(j)
			bars.LineStyle.Width = 0
			eb, err := plotter.NewYErrorBars(errorBars{[]float64{bars.XMin}, one})
			if err != nil {
				return err
			}
			p.Add(bars, eb)
			shown = append(shown, bars)
		}
		if len(series) > 1 && len(shown) > 0 {
			p.Legend.Add(s.name, shown[0])
		}
	}
	// Headroom above 1 for the legend's lines.
	p.Y.Max = 1 + 0.07*float64(len(series))
	if len(series) == 1 {
		p.Y.Max = 1
	}
	p.Legend.Top = true
	p.NominalX(splits...)
	p.X.Min, p.X.Max = -0.5, float64(len(splits))-0.5
	wt, err := p.WriterTo(width, height, format)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	_, err = wt.WriteTo(w)
	return err
}
