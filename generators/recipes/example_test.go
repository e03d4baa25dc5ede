package recipes_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/generators/recipes"
	"github.com/factforge/factforge/generators/records"
	"github.com/factforge/factforge/generators/run"
	"github.com/factforge/factforge/schemas"
)

// A reversal dataset with one fact per group and two paraphrases; the first training rows, in the
// prompt-completion style, show where a document splits.
func Example_reversal() {
	out, _ := os.MkdirTemp("", "factforge-example")
	defer os.RemoveAll(out)
	r, _ := recipes.Lookup("reversal")
	cfg := &generators.Config{Recipe: "reversal", Name: "tiny", Seed: 42, Style: records.StylePromptCompletion, Formats: []string{generators.FormatJSONL}}
	res, err := run.Generate(context.Background(), r, cfg,
		generators.Options{"facts-per-group": 1, "paraphrases": 2, "eval-paraphrases": 1}, run.Settings{Out: out})
	if err != nil {
		panic(err)
	}
	m, _ := schemas.ReadManifest(res.Dir)
	train := m.Configs[0]
	n := 0
	for row := range schemas.ReadJSONL(filepath.Join(res.Dir, train.Splits[0].Files[0].Path), train.Schema()) {
		if n++; n > 3 {
			break
		}
		fmt.Printf("%-8s %-4s %q + %q\n", row[5].Str, row[8].Str, row[1].Str, row[2].Str)
	}
	// Output:
	// both     p2d  "The archive lists Fiona Cooper as" + " the composer of 'Dappled Suns'."
	// both     d2p  "Being the composer of 'Dappled Suns' made" + " Fiona Cooper famous."
	// d2p_only d2p  "Research confirms that the founder of SuperBeam Aerospace is" + " Barry Leffler."
}

// A bios dataset of two people; the first biography and a probe.
func Example_bios() {
	out, _ := os.MkdirTemp("", "factforge-example")
	defer os.RemoveAll(out)
	r, _ := recipes.Lookup("bios")
	cfg := &generators.Config{Recipe: "bios", Name: "tiny", Seed: 42, Style: records.StyleText, Formats: []string{generators.FormatJSONL}}
	res, err := run.Generate(context.Background(), r, cfg, generators.Options{"people": 2}, run.Settings{Out: out})
	if err != nil {
		panic(err)
	}
	m, _ := schemas.ReadManifest(res.Dir)
	for _, c := range m.Configs {
		for row := range schemas.ReadJSONL(filepath.Join(res.Dir, c.Splits[0].Files[0].Path), c.Schema()) {
			if c.Name == "eval" {
				fmt.Println(row[1].Str, "->", row[2].Str) // prompt -> answer
			} else {
				fmt.Println(row[1].Str) // text
			}
			break
		}
	}
	// Output:
	// Nina Szymanski arrived on 10 May 1960. She comes from Sofia, where her life began. Her student days were spent at Sapienza University of Rome. Her coursework was in Forestry. She was a valued employee of Quarry Designs. She was employed in Tbilisi.
	// Q: What is the birth date of Nina Szymanski? A: -> 10 May 1960
}
