package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/factforge/factforge/generators"
	"github.com/urfave/cli/v2"
)

// Bash and zsh ask the binary for candidates with --generate-bash-completion, urfave/cli's protocol;
// fish gets a full script that urfave/cli writes from the command tree.
const bashCompletion = `# factforge bash completion: source <(factforge completion bash)
_factforge_complete() {
  local cur words
  cur="${COMP_WORDS[COMP_CWORD]}"
  words=("${COMP_WORDS[@]:0:COMP_CWORD}")
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$("${words[@]}" "$cur" --generate-bash-completion 2>/dev/null)" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$("${words[@]}" --generate-bash-completion 2>/dev/null)" -- "$cur"))
  fi
}
complete -o bashdefault -o default -F _factforge_complete factforge
`

const zshCompletion = `#compdef factforge
# factforge zsh completion: source <(factforge completion zsh)
_factforge() {
  local -a opts
  opts=("${(@f)$(${words[@]:0:#words[@]-1} ${words[-1]} --generate-bash-completion 2>/dev/null)}")
  _describe 'values' opts
}
compdef _factforge factforge
`

func newCompletionCommand() *cli.Command {
	return &cli.Command{
		Name:         "completion",
		Usage:        "print a shell completion script for bash, zsh or fish",
		UsageText:    "factforge completion bash|zsh|fish\n\nExample:\n   source <(factforge completion bash)\n   factforge completion fish > ~/.config/fish/completions/factforge.fish",
		OnUsageError: onUsageError,
		BashComplete: func(c *cli.Context) { fmt.Fprintln(c.App.Writer, "bash\nzsh\nfish") },
		Action: func(c *cli.Context) error {
			switch c.Args().First() {
			case "bash":
				_, err := fmt.Fprint(c.App.Writer, bashCompletion)
				return err
			case "zsh":
				_, err := fmt.Fprint(c.App.Writer, zshCompletion)
				return err
			case "fish":
				script, err := c.App.ToFishCompletion()
				if err != nil {
					return err
				}
				_, err = fmt.Fprint(c.App.Writer, script)
				return err
			}
			return badInput("completion takes bash, zsh or fish")
		},
	}
}

// completionFlag is urfave/cli's flag for asking a command line's candidates.
const completionFlag = "--generate-bash-completion"

// completingValueOf tells which flag a completion asks a value of: the word before the completion
// flag, when it is a flag ("--style" in "generate bios --style <TAB>"); "" otherwise.
func completingValueOf(args []string) string {
	for i, a := range args {
		if a == completionFlag && i > 0 && strings.HasPrefix(args[i-1], "--") {
			return strings.TrimPrefix(args[i-1], "--")
		}
	}
	return ""
}

// completeRecipe offers a recipe command's candidates: the values of an enum flag after it (--style,
// --format, and the recipe's Choice options such as --holdout), or else its flags.
func completeRecipe(r generators.Recipe) cli.BashCompleteFunc {
	enums := map[string][]string{"style": generators.Styles, "format": {"parquet", "jsonl", "both"}}
	for _, o := range r.Options() {
		if ch, ok := o.(*generators.Choice); ok {
			for _, v := range ch.Values {
				if v != "" {
					enums[o.Name()] = append(enums[o.Name()], v)
				}
			}
		}
	}
	return func(c *cli.Context) {
		if name := completingValueOf(rawArgs(c)); name != "" {
			if values, ok := enums[name]; ok {
				fmt.Fprintln(c.App.Writer, strings.Join(values, "\n"))
				return
			}
		}
		cli.DefaultCompleteWithFlags(c.Command)(c)
	}
}

// completeDatasets offers the dataset folders (those with a manifest.json) in the working folder and
// one and two levels below it (out/reversal), where a command takes dataset folders.
func completeDatasets(c *cli.Context) {
	if args := rawArgs(c); len(args) > 2 && strings.HasPrefix(args[len(args)-2], "-") {
		cli.DefaultCompleteWithFlags(c.Command)(c)
		return
	}
	for _, pattern := range []string{"*/manifest.json", "*/*/manifest.json"} {
		matches, _ := filepath.Glob(pattern)
		for _, m := range matches {
			fmt.Fprintln(c.App.Writer, filepath.Dir(m))
		}
	}
}

// rawArgs is the command line as runMain got it: completion reads the word before the completion
// flag, which the flag parser does not keep.
func rawArgs(c *cli.Context) []string {
	args, _ := c.App.Metadata["args"].([]string)
	return args
}
