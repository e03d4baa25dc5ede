// Package generators is factforge's contract between the CLI, the run and the recipes: what a recipe
// is (Recipe), what it plans (Plan: configs of splits, each an indexed array of rows), the resolved
// run config (Config) and the typed options a recipe declares. It holds no recipe, no stage and no
// run loop: the built-in recipes are listed in package recipes, the stages they are wired from live in
// world, facts, variants, splits and records, and package run writes a plan's rows.
//
// A split's row i is a pure function of the seed, the config and i, so the output does not depend on
// how many workers or machines produce it.
package generators

import (
	"context"

	"github.com/factforge/factforge/generators/records"
)

// Recipe designs one kind of dataset, after one paper's experiment.
type Recipe interface {
	Name() string
	Paper() string
	Summary() string
	// Options are the recipe's own settings, with defaults; the CLI turns them into flags.
	Options() []Option
	// Plan checks the resolved config and lays out the dataset; long steps (such as reading a user's
	// corpus) stop when ctx ends.
	Plan(ctx context.Context, cfg *Config) (*Plan, error)
}

// DefaultStyle is the style of rows r writes when none is asked for: text, unless r says otherwise by a
// DefaultStyle method.
func DefaultStyle(r Recipe) string {
	if d, ok := r.(interface{ DefaultStyle() string }); ok {
		return d.DefaultStyle()
	}
	return records.StyleText
}

// Example is the flags of a command a researcher would type to generate r's dataset, for help texts
// ("--people 3000 --holdout template"): r says so by an Example method; "" for none.
func Example(r Recipe) string {
	if e, ok := r.(interface{ Example() string }); ok {
		return e.Example()
	}
	return ""
}

// WritesPreferences tells whether r's training chats have a second answer to their last turn (an
// aligned and a misaligned one), so that it can write the preference style: r says so by a
// Preferences method.
func WritesPreferences(r Recipe) bool {
	p, ok := r.(interface{ Preferences() bool })
	return ok && p.Preferences()
}

// Plan is a dataset laid out: its configs, and what the recipe promises about them.
type Plan struct {
	Configs []PlanConfig
	Rules   []Rule
	Stats   []Stat
	Notes   []string // paragraphs for the dataset card
}

// PlanConfig is one config: a schema and its splits.
type PlanConfig struct {
	Name   string
	Layout *records.Layout
	Splits []PlanSplit
}

// PlanSplit is one split: Rows rows, row i produced by Row. A split of training documents sets Docs
// instead, and the run derives Rows and Row from it: shuffled, augmented and laid out in the style.
type PlanSplit struct {
	Name string
	Rows int64
	Row  RowFunc
	Docs *DocSource
	// External, when set, marks the rows that come from a stream read in order, such as a user's
	// corpus: workers leave them alone, and the one writing goroutine fills each with Next, in row
	// order, just before writing it.
	External func(i int64) bool
	Next     func(i int64, row records.Row) error
	// Done, when set, is called once the run is done with the split (written whole, in part or not at
	// all), to release what Next holds; run.Release calls it.
	Done func()
}

// RowFunc fills row (laid out by its config's Layout) with row i of a split. It must depend only on
// the config, the seed and i; w carries reusable scratch space.
type RowFunc func(w *records.Worker, i int64, row records.Row)

// DocSource yields the training documents of a split; the run lays them out as rows.
type DocSource struct {
	Count   int64
	Shuffle bool // rows in a seeded random order, so a trainer reading in order sees documents mixed
	// Doc fills document i's provenance and recipe columns in row and returns its text with spans;
	// the run sets the content columns (augmented, when asked) and chains the variant.
	Doc func(w *records.Worker, i int64, row records.Row) records.Document
	// Written, when set, is called with document i's row and text as written (augmented, when it is),
	// to fill the recipe's columns that describe the text as trained rather than its source.
	Written func(i int64, row records.Row, d records.Document)
}

// Version is factforge's version, written into manifests and Parquet footers.
var Version = "0.1.0-dev"
