package main

import (
	"fmt"

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
