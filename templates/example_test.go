package templates_test

import (
	"fmt"

	"github.com/factforge/factforge/templates"
)

func ExampleTemplate_Render() {
	t, err := templates.Compile("{Description} is {name}.", []string{"name", "description"})
	if err != nil {
		panic(err)
	}
	text, spans := t.Render(nil, []string{"Daphne Barrington", "the composer of 'Abyssal Melodies'"}, nil)
	fmt.Println(string(text))
	for _, s := range spans {
		fmt.Printf("slot %d: %q\n", s.Slot, text[s.Start:s.End])
	}
	// Output:
	// The composer of 'Abyssal Melodies' is Daphne Barrington.
	// slot 1: "The composer of 'Abyssal Melodies'"
	// slot 0: "Daphne Barrington"
}
