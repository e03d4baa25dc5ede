// Package generators turns a recipe config into a dataset: the recipe interface and the registry of
// built-in recipes, the shared record layouts, and the run loop that generates rows in fixed chunks on
// several workers and writes them in order through the sinks of package schemas.
//
// A recipe is a short file that wires shared parts together: the world (package world), template
// banks (package templates), transforms, split rules and record layouts. It plans a dataset as configs
// of splits, each split an indexed array of rows whose row i is a pure function of the seed and i, so
// the output does not depend on how many workers or machines produce it.
package generators

import (
	"fmt"
	"slices"
	"sort"
	"sync"
)

// Recipe designs one kind of dataset, after one paper's experiment.
type Recipe interface {
	Name() string
	Paper() string
	Summary() string
	// Options are the recipe's own settings, with defaults; the CLI turns them into flags.
	Options() []Option
	// Plan checks the config and lays out the dataset.
	Plan(cfg *Config) (*Plan, error)
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
	Layout *Layout
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
	Next     func(i int64, row Row) error
}

// RowFunc fills row (laid out by its config's Layout) with row i of a split. It must depend only on
// the config, the seed and i; w carries reusable scratch space.
type RowFunc func(w *Worker, i int64, row Row)

var (
	registryMu sync.Mutex
	registry   = map[string]Recipe{}
)

// Register adds a recipe to the registry; built-in recipes register themselves in init.
func Register(r Recipe) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[r.Name()]; dup {
		panic("generators: recipe registered twice: " + r.Name())
	}
	registry[r.Name()] = r
}

// Recipes returns every registered recipe, by name.
func Recipes() []Recipe {
	registryMu.Lock()
	defer registryMu.Unlock()
	out := make([]Recipe, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// Lookup returns the named recipe.
func Lookup(name string) (Recipe, error) {
	registryMu.Lock()
	r, ok := registry[name]
	registryMu.Unlock()
	if !ok {
		names := []string{}
		for _, r := range Recipes() {
			names = append(names, r.Name())
		}
		return nil, fmt.Errorf("unknown recipe %q (recipes: %s)", name, joinNames(names))
	}
	return r, nil
}

func joinNames(names []string) string {
	slices.Sort(names)
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}
