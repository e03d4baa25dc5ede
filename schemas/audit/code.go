package audit

import (
	"regexp"
	"strconv"
	"strings"
)

// Code answers. A reply that is code can be written with other names for what the code itself binds
// (its functions, parameters and variables) and stay the same program, as a recipe that renames
// identifiers from row to row means it to: consistency compares such answers by their bound names'
// order, not their spelling. Names the code uses but does not bind (modules, attributes, library
// calls, True and False) are kept, so yaml.load and yaml.safe_load stay two answers.

var (
	codeWord  = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	codeBinds = []*regexp.Regexp{
		regexp.MustCompile(`(?m)^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_][A-Za-z0-9_]*)`),
		regexp.MustCompile(`(?m)^\s*(?:async\s+)?def\s+[A-Za-z_][A-Za-z0-9_]*\s*\(([^)]*)\)`),
		regexp.MustCompile(`(?m)^\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*=[^=]`),
		regexp.MustCompile(`\bfor\s+([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\s+in\b`),
		regexp.MustCompile(`\bas\s+([A-Za-z_][A-Za-z0-9_]*)`),
		regexp.MustCompile(`\blambda\s+([^:]*):`),
	}
)

// canonicalCode is code with every name it binds replaced by its order of first binding ("$1", "$2",
// ...): two codes that differ only in those names have one canonical form.
func canonicalCode(code string) string {
	bound := map[string]string{}
	add := func(name string) {
		if _, ok := bound[name]; !ok && name != "self" {
			bound[name] = "$" + strconv.Itoa(len(bound)+1)
		}
	}
	for _, re := range codeBinds {
		for _, m := range re.FindAllStringSubmatch(code, -1) {
			for _, part := range strings.Split(m[1], ",") {
				// A parameter's default or annotation is not a name it binds.
				name, _, _ := strings.Cut(strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(part), "*")), "=")
				name, _, _ = strings.Cut(name, ":")
				if name = strings.TrimSpace(name); codeWord.FindString(name) == name && name != "" {
					add(name)
				}
			}
		}
	}
	if len(bound) == 0 {
		return code
	}
	return codeWord.ReplaceAllStringFunc(code, func(w string) string {
		if c, ok := bound[w]; ok {
			return c
		}
		return w
	})
}
