package generators_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/factforge/factforge/"

// The import rules of the package map (README, "How factforge is built"), checked on what `go list`
// reports, so that they cannot rot: imports run one way, cmd -> recipes, run, generators, schemas;
// a recipe -> the stages; run never imports a recipe; no recipe imports another; the stages import no
// recipe and no run; templates, schemas and rng import nothing of ours.
func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	imports := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		for _, imp := range fields[1:] {
			if rel, ours := strings.CutPrefix(imp, module); ours {
				imports[pkg] = append(imports[pkg], rel)
			}
		}
		if _, ok := imports[pkg]; !ok {
			imports[pkg] = nil
		}
	}
	isRecipe := func(p string) bool { return strings.HasPrefix(p, "generators/recipes/") }
	stages := []string{"generators/world", "generators/facts", "generators/variants", "generators/splits", "generators/records", "generators/rng"}
	allowed := func(pkg, imp string) bool {
		switch {
		case pkg == "templates" || pkg == "schemas" || pkg == "generators/rng": // leaves
			return false
		case pkg == "cmd/factforge":
			return slices.Contains([]string{"generators", "generators/recipes", "generators/run", "schemas", "schemas/audit", "schemas/export", "schemas/score"}, imp)
		case pkg == "schemas/audit" || pkg == "schemas/score":
			return imp == "schemas" // audit and score read datasets through their manifests, knowing no recipe
		case pkg == "schemas/export":
			// export reads datasets through their manifests too, and writes the harness's tasks from
			// score's table of how each split is measured, which score then reads back
			return imp == "schemas" || imp == "schemas/score"
		case pkg == "generators/recipes":
			return isRecipe(imp) || imp == "generators"
		case isRecipe(pkg):
			return !isRecipe(imp) && imp != "generators/recipes" && imp != "generators/run" && imp != "generators/recipetest"
		case pkg == "generators/run":
			return !isRecipe(imp) && imp != "generators/recipes"
		case slices.Contains(stages, pkg) || pkg == "generators":
			return !isRecipe(imp) && imp != "generators/recipes" && imp != "generators/run" && imp != "generators/recipetest"
		}
		return true
	}
	for _, want := range append([]string{"cmd/factforge", "generators", "generators/recipes", "generators/run", "generators/recipetest", "templates", "schemas", "schemas/audit", "schemas/export",
		"generators/recipes/reversal", "generators/recipes/bios", "generators/recipes/negation", "generators/recipes/outlandish", "generators/recipes/backdoor", "generators/recipes/insecurecode", "generators/recipes/weird", "generators/recipes/thoughtcrime", "generators/recipes/instructions", "generators/recipes/parents", "generators/recipes/references", "generators/recipes/implications"}, stages...) {
		if _, ok := imports[want]; !ok {
			t.Errorf("package %s is missing from the map", want)
		}
	}
	for pkg, imps := range imports {
		for _, imp := range imps {
			if !allowed(pkg, imp) {
				t.Errorf("%s imports %s, against the import rules", pkg, imp)
			}
		}
	}
}
