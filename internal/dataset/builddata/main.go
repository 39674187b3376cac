// Builddata rebuilds the workbook's seeded databases, data/*.db, from their
// sources. Run it from the workbook's root, through the workbook command:
//
//	go run ./cmd/workbook dev data
package main

import (
	"fmt"
	"os"
	"strings"

	"workbook/internal/dataset"
)

func main() {
	changed, err := dataset.Rebuild("data")
	if err != nil {
		fmt.Fprintf(os.Stderr, "builddata: %v\n", err)
		os.Exit(1)
	}
	if len(changed) == 0 {
		fmt.Println("data: every database already matches its source")
		return
	}
	fmt.Printf("data: rebuilt %s\n", strings.Join(changed, ", "))
}
