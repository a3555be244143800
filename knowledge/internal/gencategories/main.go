// Command gencategories writes knowledge/categories_gen.go from
// knowledge/data/categories.json. Run it with go generate in knowledge/.
package main

import (
	"fmt"
	"os"

	"appxray/knowledge/internal/catgen"
)

func main() {
	in, out := "data/categories.json", "categories_gen.go"
	if len(os.Args) == 3 {
		in, out = os.Args[1], os.Args[2]
	}
	data, err := os.ReadFile(in)
	if err == nil {
		data, err = catgen.Generate(data)
	}
	if err == nil {
		err = os.WriteFile(out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencategories:", err)
		os.Exit(1)
	}
}
