package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/factforge/factforge/schemas/score"
	"github.com/urfave/cli/v2"
)

const scoreUsage = `factforge score <dataset folder> --predictions FILE [--predictions LABEL=FILE ...] [--json] [--plot FILE.svg|FILE.png]

A predictions file is JSON Lines, one object per eval row scored, keyed by the row's id:
   id                string, required: the eval row's id
   completion        string: the text the model generated after the row's prompt
   logprob           number <= 0: log-likelihood of the row's answer given its prompt
   choice_logprobs   array of numbers: log-likelihood of each of the row's choices, in order
   baseline_logprob  number <= 0: log-likelihood of the recipe's baseline answer (reversal's reverse
                     probes: a random name; negation's open probes: answer_if_disbelieved)
Rows without a prediction are left out (the header says how many were scored). Several runs (say one
model per training mode of negation) are given as LABEL=FILE and compared side by side.

--predictions may also name a folder: the samples lm-evaluation-harness logged (lm_eval --log_samples
--output_path FOLDER) on the tasks export --for lm-eval wrote; each sample's doc carries the row's id.

Example:
   factforge score out/reversal --predictions preds.jsonl --plot reversal.svg`

// runLabel is a run's name given before "=" in --predictions.
var runLabel = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

func newScoreCommand() *cli.Command {
	return &cli.Command{
		Name:      "score",
		Usage:     "score a model's predictions on a dataset's eval rows as the recipe's paper does, with bootstrap intervals, a table, JSON and a plot",
		UsageText: scoreUsage,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "predictions", Usage: "a JSON Lines predictions file, or a folder of lm_eval --log_samples output; LABEL=PATH names the run (repeat for several runs)"},
			&cli.BoolFlag{Name: "json", Usage: "write the figures as JSON instead of a table"},
			&cli.StringFlag{Name: "plot", Usage: "draw the recipe's main comparison (bars with 95% intervals) to this .svg or .png file"},
		},
		OnUsageError: onUsageError,
		BashComplete: completeDatasets,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return badInput("score takes one dataset folder")
			}
			dir := c.Args().First()
			plotPath := c.String("plot")
			format := strings.TrimPrefix(strings.ToLower(filepath.Ext(plotPath)), ".")
			if plotPath != "" && !slices.Contains(score.PlotFormats, format) {
				return badInput("--plot %s: the plot is written as .svg or .png", plotPath)
			}
			specs := c.StringSlice("predictions")
			if len(specs) == 0 {
				return badInput("score needs --predictions FILE")
			}
			var runs []score.Run
			for _, spec := range specs {
				label, path := "", spec
				if l, p, ok := strings.Cut(spec, "="); ok && runLabel.MatchString(l) {
					label, path = l, p
				}
				if label == "" {
					label = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
				}
				if slices.ContainsFunc(runs, func(r score.Run) bool { return r.Label == label }) {
					return badInput("two runs are named %q: name them with --predictions LABEL=FILE", label)
				}
				preds, err := score.ReadRun(path)
				if err != nil {
					return err
				}
				runs = append(runs, score.Run{Label: label, Path: path, Predictions: preds})
			}
			rep, err := score.Score(c.Context, dir, runs, score.Options{})
			if err != nil {
				return err
			}
			if plotPath != "" {
				var buf bytes.Buffer
				if err := rep.WritePlot(&buf, format); err != nil {
					return err
				}
				if err := writeFileAtomic(plotPath, buf.Bytes()); err != nil {
					return err
				}
			}
			if c.Bool("json") {
				return rep.WriteJSON(c.App.Writer)
			}
			return rep.WriteText(c.App.Writer)
		},
	}
}

// writeFileAtomic writes data to path through a temporary file beside it, so that a failed run leaves
// no partial file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
