package run

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/factforge/factforge/generators"
	"github.com/factforge/factforge/schemas"
)

// CheckDerived re-plans the dataset a manifest describes, from the manifest's own config with the
// recipe lookup finds, and reports every way the manifest is not what that plan makes: its recipe and
// seed against its config, its config against the config resolved again, its configs, columns and
// splits, every split's row count (of the shard, when the manifest is a shard's), the files each split
// has in each format, its rules (any missing, changed or added) and its figures. Package schemas checks
// the data against the manifest and the rules against the data; this checks the manifest against its
// recipe, so that an edited manifest (a rule dropped, a row deleted and the counts fixed, a split
// removed) is caught. A manifest made by another version of factforge is reported as such, unchecked:
// its recipe may plan otherwise. The plan reads the input files the config names (templates, claims,
// corpora), as regenerate does, where they are (paths as the config gives them); where one is not
// there, as on a collaborator's machine, nothing is re-derived and note says so. The error is ctx's,
// when it ends first.
func CheckDerived(ctx context.Context, m *schemas.Manifest, lookup generators.Lookup) (problems []string, note string, err error) {
	if m.Version != generators.Version {
		return []string{fmt.Sprintf("made by factforge %q, this is %s: its recipe's rules, splits and row counts cannot be re-derived to check the manifest's (validate it with factforge %s)",
			m.Version, generators.Version, m.Version)}, "", nil
	}
	var cfg generators.Config
	if err := json.Unmarshal(m.Config, &cfg); err != nil {
		return []string{fmt.Sprintf("manifest config: %v", err)}, "", nil
	}
	if cfg.Recipe != m.Recipe {
		problems = append(problems, fmt.Sprintf("the manifest says recipe %q, its config %q", m.Recipe, cfg.Recipe))
	}
	if cfg.Seed != m.Seed {
		problems = append(problems, fmt.Sprintf("the manifest says seed %d, its config %d", m.Seed, cfg.Seed))
	}
	recipe, err := lookup(cfg.Recipe)
	if err != nil {
		return append(problems, fmt.Sprintf("manifest config: %v", err)), "", nil
	}
	for _, f := range cfg.InputFiles(recipe) {
		if _, err := os.Lstat(f); err != nil {
			return problems, fmt.Sprintf("its config names %s, which is not here: the manifest is checked against its recipe only where its input files are (regenerate it there)", f), nil
		}
	}
	plan, err := Prepare(ctx, recipe, &cfg, cfg.Options)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return nil, "", err
		}
		return append(problems, fmt.Sprintf("the manifest's config does not plan a dataset, so its rules and row counts cannot be checked: %v", err)), "", nil
	}
	defer Release(plan)
	if resolved, err := json.Marshal(&cfg); err == nil {
		var stated bytes.Buffer
		if json.Compact(&stated, m.Config) != nil || !bytes.Equal(stated.Bytes(), resolved) {
			problems = append(problems, fmt.Sprintf("the manifest's config is not as factforge resolves it: it says %s, resolved %s", stated.Bytes(), resolved))
		}
	}
	problems = append(problems, checkLayout(m, plan, &cfg)...)
	problems = append(problems, checkRules(m.Rules, plan.Rules)...)
	if (len(m.Stats) > 0 || len(plan.Stats) > 0) && !sameJSON(m.Stats, plan.Stats) {
		problems = append(problems, "the manifest's figures (stats) are not the ones its config makes")
	}
	return problems, "", nil
}

// checkLayout compares the manifest's configs, columns, splits, rows and files with the plan's.
func checkLayout(m *schemas.Manifest, plan *generators.Plan, cfg *generators.Config) (problems []string) {
	shard, shards := 0, 1
	if m.Shard != nil {
		shard, shards = m.Shard.Index, m.Shard.Count
	}
	for i, pc := range plan.Configs {
		if i >= len(m.Configs) || m.Configs[i].Name != pc.Name {
			problems = append(problems, fmt.Sprintf("config %s: missing from the manifest, or out of order (the recipe makes configs %s)", pc.Name, configNames(plan)))
			continue
		}
		mc := m.Configs[i]
		if !slices.Equal(mc.Columns, pc.Layout.Schema.Columns) {
			problems = append(problems, fmt.Sprintf("config %s: its columns are not the ones the recipe writes", pc.Name))
		}
		for j, ps := range pc.Splits {
			if j >= len(mc.Splits) || mc.Splits[j].Name != ps.Name {
				problems = append(problems, fmt.Sprintf("%s/%s: split missing from the manifest, or out of order (the recipe makes splits %s)", pc.Name, ps.Name, splitNames(pc)))
				continue
			}
			sp := mc.Splits[j]
			lo, hi := shardRange(ps.Rows, shard, shards)
			if sp.Rows != hi-lo {
				what := "the config makes"
				if shards > 1 {
					what = fmt.Sprintf("shard %d of %d of the config's %d makes", shard, shards, ps.Rows)
				}
				problems = append(problems, fmt.Sprintf("%s/%s: %d rows, %s %d", pc.Name, ps.Name, sp.Rows, what, hi-lo))
			}
			problems = append(problems, checkFiles(pc.Name, sp, cfg.Formats, m.Shard)...)
		}
		if len(mc.Splits) > len(pc.Splits) {
			problems = append(problems, fmt.Sprintf("config %s: %d splits, the recipe makes %d (%s)", pc.Name, len(mc.Splits), len(pc.Splits), splitNames(pc)))
		}
	}
	if len(m.Configs) > len(plan.Configs) {
		problems = append(problems, fmt.Sprintf("%d configs, the recipe makes %d (%s)", len(m.Configs), len(plan.Configs), configNames(plan)))
	}
	return problems
}

// checkFiles checks that a split has its files in every format of the config and no other, at the
// paths the run writes: the shard's one file per format, or n files numbered 0 to n-1 (n shards
// merged, or 1).
func checkFiles(config string, sp schemas.SplitEntry, formats []string, shard *schemas.ShardEntry) (problems []string) {
	byFormat := map[string][]string{}
	for _, fe := range sp.Files {
		if !slices.Contains(formats, fe.Format) {
			problems = append(problems, fmt.Sprintf("%s: format %q, but the config writes %v", fe.Path, fe.Format, formats))
			continue
		}
		byFormat[fe.Format] = append(byFormat[fe.Format], fe.Path)
	}
	for _, f := range formats {
		paths := byFormat[f]
		var want []string
		switch {
		case shard != nil:
			want = []string{SplitFile(f, config, sp.Name, shard.Index, shard.Count)}
		case len(paths) == 0:
			want = []string{SplitFile(f, config, sp.Name, 0, 1)}
		default:
			for k := range paths {
				want = append(want, SplitFile(f, config, sp.Name, k, len(paths)))
			}
		}
		if !slices.Equal(paths, want) {
			problems = append(problems, fmt.Sprintf("%s/%s: the manifest lists %s files %v, the run writes %v", config, sp.Name, f, paths, want))
		}
	}
	return problems
}

// checkRules reports each rule the recipe writes that the manifest lacks or states otherwise, and
// each rule in the manifest the recipe does not write.
func checkRules(stated, derived []schemas.Rule) (problems []string) {
	left := slices.Clone(stated)
	used := make([]bool, len(left))
	find := func(match func(schemas.Rule) bool) int {
		for i, r := range left {
			if !used[i] && match(r) {
				return i
			}
		}
		return -1
	}
	var changed []schemas.Rule
	for _, want := range derived {
		if i := find(func(r schemas.Rule) bool { return sameJSON(r, want) }); i >= 0 {
			used[i] = true
			continue
		}
		changed = append(changed, want)
	}
	for _, want := range changed {
		if i := find(func(r schemas.Rule) bool { return r.Doc == want.Doc }); i >= 0 {
			used[i] = true
			problems = append(problems, fmt.Sprintf("rule %q changed: the manifest says %s, the recipe writes %s", want.Doc, ruleJSON(left[i]), ruleJSON(want)))
			continue
		}
		problems = append(problems, fmt.Sprintf("rule %q missing: the recipe writes %s", want.Doc, ruleJSON(want)))
	}
	for i, r := range left {
		if !used[i] {
			problems = append(problems, fmt.Sprintf("rule %q is not one the recipe writes: %s", r.Doc, ruleJSON(r)))
		}
	}
	return problems
}

func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

func ruleJSON(r schemas.Rule) string {
	r.Doc = ""
	b, _ := json.Marshal(r)
	return string(b)
}

func configNames(plan *generators.Plan) []string {
	var out []string
	for _, pc := range plan.Configs {
		out = append(out, pc.Name)
	}
	return out
}

func splitNames(pc generators.PlanConfig) []string {
	var out []string
	for _, ps := range pc.Splits {
		out = append(out, ps.Name)
	}
	return out
}
