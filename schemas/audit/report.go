package audit

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteText writes the report for a reader: the problems first, errors then warnings, the largest
// figure first within each, with their examples; then every figure, by dataset, config and split.
func (r *Report) WriteText(w io.Writer) error {
	problems, warnings := r.problems()
	var b strings.Builder
	fmt.Fprintf(&b, "audit of %s: %s, %s\n", strings.Join(r.Datasets, ", "), plural(r.Errors(), "error"), plural(warnings, "warning"))
	if len(problems) > 0 {
		b.WriteString("\nProblems, worst first:\n")
		for _, f := range problems {
			fmt.Fprintf(&b, "  %-7s %-32s %s: %s\n", strings.ToUpper(f.Level.String()), f.Check, f.Where(), f.Message)
			for _, e := range f.Examples {
				fmt.Fprintf(&b, "          e.g. %s\n", oneLine(e))
			}
		}
	}
	b.WriteString("\nFigures:\n")
	where := ""
	for _, f := range r.Findings {
		if w := f.Dataset + " " + f.Config + "/" + f.Split; w != where {
			where = w
			fmt.Fprintf(&b, "  %s\n", w)
		}
		slice := ""
		if f.Slice != "" {
			slice = " [" + f.Slice + "]"
		}
		fmt.Fprintf(&b, "    %-32s %s%s\n", f.Check, f.Message, slice)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Headline is the report in a few lines: the count of errors and warnings, then the worst problems
// (at most max), for a dataset card or a summary line.
func (r *Report) Headline(max int) []string {
	problems, warnings := r.problems()
	out := []string{fmt.Sprintf("%s, %s", plural(r.Errors(), "error"), plural(warnings, "warning"))}
	for i, f := range problems {
		if i == max {
			out = append(out, fmt.Sprintf("and %d more", len(problems)-max))
			break
		}
		out = append(out, fmt.Sprintf("%s %s %s: %s", strings.ToUpper(f.Level.String()), f.Check, f.Where(), f.Message))
	}
	return out
}

// problems are the findings above Info, errors first and the largest figure first within a level,
// and how many are warnings.
func (r *Report) problems() ([]Finding, int) {
	var problems []Finding
	warnings := 0
	for _, f := range r.Findings {
		if f.Level > Info {
			problems = append(problems, f)
			if f.Level == Warning {
				warnings++
			}
		}
	}
	slices.SortStableFunc(problems, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(b.Level, a.Level), cmp.Compare(b.Value, a.Value))
	})
	return problems, warnings
}

// WriteJSON writes the report, every figure, as JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// plural is "1 error", "2 errors".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
