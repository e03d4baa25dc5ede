package score

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// noneScored says why no prediction may have been scored.
const noneScored = "a prediction is scored on a row with an answer or choices to judge it by (rows without one, as weird's and the free-form questions, are for a person or a model to judge), and needs the field the row's judge reads (see factforge score --help)"

// WriteText writes the report as a table: a header with the dataset, the options that say what it
// tested and each run's coverage, then one line per figure.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: recipe %s\n", r.Dataset, r.Recipe)
	if len(r.Options) > 0 {
		var opts []string
		for _, o := range r.Options {
			opts = append(opts, o.Name+"="+o.Value)
		}
		fmt.Fprintf(&b, "options: %s\n", strings.Join(opts, ", "))
	}
	for _, run := range r.Runs {
		fmt.Fprintf(&b, "run %s (%s): %d predictions, scored %d of %d eval rows\n", run.Label, run.Path, run.Predictions, run.Scored, run.Rows)
	}
	fmt.Fprintf(&b, "95%% intervals: percentile bootstrap, %d resamples, seed %d\n\n", r.Resamples, r.Seed)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	many := len(r.Runs) > 1
	if many {
		fmt.Fprint(tw, "run\t")
	}
	fmt.Fprint(tw, "metric\tsplit\tslice\tn\tvalue\t95% CI\n")
	for _, f := range r.Figures {
		slice := "all"
		if f.Column != "" {
			slice = f.Column + "=" + f.Value
		}
		if many {
			fmt.Fprintf(tw, "%s\t", f.Run)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.3f\t[%.3f, %.3f]\n", f.Metric, f.Split, slice, f.N, f.Mean, f.Low, f.High)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Figures) == 0 {
		b.WriteString("no figures: no prediction could be scored; " + noneScored + "\n")
	}
	for _, n := range r.NotSliced {
		fmt.Fprintf(&b, "not sliced: %s of %s (%d values)\n", n.Column, n.Split, n.Values)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
