package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes"
	"github.com/factforge/factforge/generators/run"
	"github.com/urfave/cli/v2"
)

func newGenerateCommand() *cli.Command {
	cmd := &cli.Command{
		Name:  "generate",
		Usage: "generate a dataset from a recipe, or from a recipe file",
		UsageText: "factforge generate <recipe> [flags]\nfactforge generate -c experiment.yaml [--out DIR] [--force]\n\n" +
			"Example:\n   factforge generate reversal --facts-per-group 30 --paraphrases 30 --seed 42 --style prompt-completion\n" +
			"   factforge generate -c templates/recipes/reversal.yaml",
		Description: "Writes <out>/<name>/ with data/ (Parquet), jsonl/, README.md (dataset card) and manifest.json. " +
			"Same recipe, flags and seed give byte-identical files. Run 'factforge generate <recipe> --help' for a recipe's flags.",
		Flags:        append([]cli.Flag{configFlag()}, runFlags()...),
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if path := c.String("config"); path != "" && !c.Args().Present() {
				cfg, err := generators.LoadRecipeFile(path, recipes.Lookup)
				if err != nil {
					return usageError{err}
				}
				return runGenerate(c, cfg, cfg.Options)
			}
			var names []string
			for _, r := range recipes.All() {
				names = append(names, r.Name())
			}
			if !c.Args().Present() {
				return badInput("generate needs a recipe (%s) or a recipe file (-c FILE)", strings.Join(names, ", "))
			}
			name := c.Args().First()
			return badInput("unknown recipe %q (recipes: %s). %s", name, strings.Join(names, ", "), suggestion(name, names))
		},
	}
	for _, r := range recipes.All() {
		cmd.Subcommands = append(cmd.Subcommands, newRecipeCommand(r))
	}
	return cmd
}

// globalCategory groups the flags every recipe takes in --help, apart from the recipe's own.
const globalCategory = "every recipe"

func configFlag() cli.Flag {
	return &cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "a recipe file (YAML or JSON, as the manifest's config); flags given override it", Category: globalCategory}
}

// runFlags change how a dataset is written, never what it holds.
func runFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "out", Value: "out", Usage: "folder datasets are written under", Category: globalCategory},
		&cli.BoolFlag{Name: "force", Usage: "replace an existing dataset of the same name", Category: globalCategory},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing on success", Category: globalCategory},
		&cli.IntFlag{Name: "workers", Value: 0, Usage: "generating goroutines (0: one per core); output is the same for any value", Category: globalCategory},
		&cli.BoolFlag{Name: "audit", Usage: "audit the dataset before it is committed and keep the report in it as audit.json (its headline on the card); exit 1 if the audit finds errors", Category: globalCategory},
		&cli.StringFlag{Name: "shard", Usage: "write only shard i of n (i/n, from 0), to <out>/<name>.shard-i-of-n; factforge merge joins them (default from JOB_COMPLETION_INDEX with --shards, or SLURM_ARRAY_TASK_ID)", Category: globalCategory},
		&cli.IntFlag{Name: "shards", Usage: "shard count for a Kubernetes Indexed Job, whose JOB_COMPLETION_INDEX gives the shard", Category: globalCategory},
	}
}

// shardOf reads --shard i/n, or the index of a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with
// --shards n) or of a Slurm array task (SLURM_ARRAY_TASK_ID from SLURM_ARRAY_TASK_MIN, of
// SLURM_ARRAY_TASK_COUNT). No shard means the whole dataset: 0 of 1.
func shardOf(c *cli.Context) (int, int, error) {
	if s := c.String("shard"); s != "" {
		a, b, ok := strings.Cut(s, "/")
		i, err1 := strconv.Atoi(a)
		n, err2 := strconv.Atoi(b)
		if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
			return 0, 0, fmt.Errorf("--shard %q: want i/n with 0 <= i < n", s)
		}
		return i, n, nil
	}
	if idx := os.Getenv("JOB_COMPLETION_INDEX"); idx != "" && c.Int("shards") > 0 {
		i, err := strconv.Atoi(idx)
		if err != nil || i < 0 || i >= c.Int("shards") {
			return 0, 0, fmt.Errorf("JOB_COMPLETION_INDEX %q is not a shard of --shards %d", idx, c.Int("shards"))
		}
		return i, c.Int("shards"), nil
	}
	if id := os.Getenv("SLURM_ARRAY_TASK_ID"); id != "" {
		i, err1 := strconv.Atoi(id)
		first, _ := strconv.Atoi(os.Getenv("SLURM_ARRAY_TASK_MIN"))
		n, err2 := strconv.Atoi(os.Getenv("SLURM_ARRAY_TASK_COUNT"))
		if err1 != nil || err2 != nil || i-first < 0 || i-first >= n {
			return 0, 0, fmt.Errorf("SLURM_ARRAY_TASK_ID %q with SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT do not give a shard", id)
		}
		return i - first, n, nil
	}
	if c.Int("shards") > 1 {
		return 0, 0, fmt.Errorf("--shards %d needs JOB_COMPLETION_INDEX (or use --shard i/n)", c.Int("shards"))
	}
	return 0, 1, nil
}

// dataFlags are the flags every recipe takes that decide what a dataset holds.
func dataFlags(r generators.Recipe) []cli.Flag {
	recipe := r.Name()
	return []cli.Flag{
		&cli.Uint64Flag{Name: "seed", Value: 42, Usage: "master seed; every random choice derives from it (0 is refused)", Category: globalCategory},
		&cli.StringFlag{Name: "name", Value: recipe, Usage: "dataset folder name, written as <out>/<name>", Category: globalCategory},
		&cli.StringFlag{Name: "format", Value: "both", Usage: "parquet, jsonl or both", Category: globalCategory},
		&cli.StringSliceFlag{Name: "avoid-entities", Usage: "a dataset folder whose people this dataset must not name: every person name in any of its texts is left out (repeat for several)", Category: globalCategory},
		&cli.StringFlag{Name: "templates", Usage: "a folder of your own template banks and word lists (banks/..., words/...): a file replaces the built-in one at its path, <name>.add.txt adds to it", Category: globalCategory},
		&cli.StringFlag{Name: "style", Usage: "training rows as " + strings.Join(generators.Styles, ", ") + " (default " + generators.DefaultStyle(r) + " for " + recipe + "; a recipe refuses the styles its rows have no form in)", Category: globalCategory},
		&cli.StringFlag{Name: "license", Usage: "the license the dataset card declares, a Hugging Face identifier (default " + generators.DefaultLicense + ")", Category: globalCategory},
	}
}

// recipeFlags are the flags of a recipe command: a recipe file, the settings every recipe takes, how
// to run, augmentation, and the recipe's own options; and the recipe's example command line.
func recipeFlags(r generators.Recipe) ([]cli.Flag, string) {
	flags := append(append([]cli.Flag{configFlag()}, dataFlags(r)...), runFlags()...)
	flags = append(flags, augmentFlags()...)
	for _, o := range r.Options() {
		flags = append(flags, optionFlag(o, r.Name()))
	}
	return flags, strings.TrimSpace("factforge generate " + r.Name() + " " + generators.Example(r))
}

func newRecipeCommand(r generators.Recipe) *cli.Command {
	flags, example := recipeFlags(r)
	return &cli.Command{
		Name:         r.Name(),
		Usage:        r.Paper(),
		UsageText:    fmt.Sprintf("factforge generate %s [flags]\n\nExample:\n   %s", r.Name(), example),
		Description:  r.Summary(),
		Flags:        flags,
		OnUsageError: onUsageError,
		BashComplete: completeRecipe(r),
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return badInput("unexpected argument %q (flags go after the recipe, as --name value)", c.Args().First())
			}
			cfg, set, err := recipeConfig(c, r)
			if err != nil {
				return usageError{err}
			}
			return runGenerate(c, cfg, set)
		},
	}
}

// recipeConfig builds the config of a recipe command: the recipe file's, if one is given, with every
// flag given on the command line laid over it; otherwise the flags' values.
func recipeConfig(c *cli.Context, r generators.Recipe) (*generators.Config, generators.Options, error) {
	cfg := &generators.Config{Recipe: r.Name(), Name: r.Name(), Seed: 42, Formats: []string{generators.FormatParquet, generators.FormatJSONL}}
	set := generators.Options{}
	fromFile := c.String("config") != ""
	if fromFile {
		file, err := generators.LoadRecipeFile(c.String("config"), recipes.Lookup)
		if err != nil {
			return nil, nil, err
		}
		if file.Recipe != r.Name() {
			return nil, nil, fmt.Errorf("recipe file %s is for recipe %s, not %s", c.String("config"), file.Recipe, r.Name())
		}
		cfg, set = file, file.Options
	}
	given := func(name string) bool { return c.IsSet(name) || !fromFile }
	if given("seed") {
		cfg.Seed = c.Uint64("seed")
	}
	if given("name") {
		cfg.Name = c.String("name")
	}
	if given("style") {
		cfg.Style = c.String("style")
	}
	if given("license") {
		cfg.License = c.String("license")
	}
	if given("templates") {
		cfg.Templates, cfg.TemplatesSHA256 = c.String("templates"), ""
	}
	if given("avoid-entities") {
		cfg.AvoidEntities = nil
		for _, dir := range c.StringSlice("avoid-entities") {
			cfg.AvoidEntities = append(cfg.AvoidEntities, generators.AvoidedDataset{Path: dir})
		}
	}
	if given("format") {
		formats, err := generators.ParseFormats(c.String("format"))
		if err != nil {
			return nil, nil, err
		}
		cfg.Formats = formats
	}
	if c.String("augment") != "" || !fromFile {
		a, err := augmentFromFlags(c)
		if err != nil {
			return nil, nil, err
		}
		cfg.Augment = a
	}
	for _, o := range r.Options() {
		if given(o.Name()) {
			set[o.Name()] = c.Value(o.Name())
		}
	}
	return cfg, set, nil
}

// runGenerate writes the dataset and prints the summary line.
func runGenerate(c *cli.Context, cfg *generators.Config, set generators.Options) error {
	r, err := recipes.Lookup(cfg.Recipe)
	if err != nil {
		return usageError{err}
	}
	shard, shards, err := shardOf(c)
	if err != nil {
		return usageError{err}
	}
	bar := newProgress(c)
	res, err := run.Generate(c.Context, r, cfg, set, run.Settings{
		Out: c.String("out"), Force: c.Bool("force"), Workers: c.Int("workers"), Progress: bar.update, Shard: shard, Shards: shards, Audit: c.Bool("audit"),
	})
	bar.finish()
	var ce run.ConfigError
	if errors.As(err, &ce) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	if !c.Bool("quiet") {
		secs := res.Elapsed.Seconds()
		fmt.Fprintf(c.App.ErrWriter, "wrote %s: %d rows in %d files, %d bytes, %.2fs (%.0f rows/s)\n",
			res.Dir, res.Rows, res.Files, res.Bytes, secs, float64(res.Rows)/max(secs, 1e-9))
	}
	if res.Audit == nil {
		return nil
	}
	if !c.Bool("quiet") {
		for _, line := range res.Audit.Headline(5) {
			fmt.Fprintf(c.App.ErrWriter, "audit: %s\n", line)
		}
	}
	if n := res.Audit.Errors(); n > 0 {
		return fmt.Errorf("the audit found %d error(s): the dataset is written, with its report in %s", n, filepath.Join(res.Dir, "audit.json"))
	}
	return nil
}

// optionFlag is the flag of a recipe option, typed by its default.
func optionFlag(o generators.Option, category string) cli.Flag {
	switch d := o.Default().(type) {
	case int:
		return &cli.IntFlag{Name: o.Name(), Value: d, Usage: o.Usage(), Category: category}
	case float64:
		return &cli.Float64Flag{Name: o.Name(), Value: d, Usage: o.Usage(), Category: category}
	case bool:
		return &cli.BoolFlag{Name: o.Name(), Value: d, Usage: o.Usage(), Category: category}
	default:
		return &cli.StringFlag{Name: o.Name(), Value: fmt.Sprint(d), Usage: o.Usage(), Category: category}
	}
}

const augmentCategory = "augment training documents (any recipe)"

func augmentFlags() []cli.Flag {
	d := generators.DefaultAugment()
	return []cli.Flag{
		&cli.StringFlag{Name: "augment", Usage: "comma list of word, entity, segment, semantic: adds a transformed copy of each chosen training document", Category: augmentCategory},
		&cli.BoolFlag{Name: "augment-only", Usage: "keep only the transformed documents, not the originals", Category: augmentCategory},
		&cli.Float64Flag{Name: "augment-share", Value: d.Share, Usage: "share of training documents that are augmented (exact, chosen by the seed)", Category: augmentCategory},
		&cli.IntFlag{Name: "segment-max", Value: d.SegmentMax, Usage: "segment: longest segment, in words", Category: augmentCategory},
		&cli.StringFlag{Name: "segment-sep", Value: d.SegmentSep, Usage: "segment: what joins the reversed segments", Category: augmentCategory},
		&cli.StringFlag{Name: "semantic-mix", Value: d.MixString(), Usage: "semantic: weights of original:reversed:permuted unit orders", Category: augmentCategory},
	}
}

// augmentFromFlags reads the augmentation flags; no --augment means no augmentation.
func augmentFromFlags(c *cli.Context) (*generators.Augment, error) {
	if c.String("augment") == "" {
		for _, name := range []string{"augment-only", "augment-share", "segment-max", "segment-sep", "semantic-mix"} {
			if c.IsSet(name) {
				return nil, fmt.Errorf("--%s needs --augment", name)
			}
		}
		return nil, nil
	}
	return generators.ParseAugment(c.String("augment"), c.Bool("augment-only"), c.Float64("augment-share"),
		c.Int("segment-max"), c.String("segment-sep"), c.String("semantic-mix"))
}
