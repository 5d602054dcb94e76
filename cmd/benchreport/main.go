// Command benchreport runs ossign's benchmarks and writes BENCHMARKS.md: every figure next to
// its reference (ali-oss, the official Go SDK, a bare fetch) measured in the same run, one
// table per subject, an SVG chart per table, and the machine, versions and command. It is
// what `./build.sh bench` runs; BENCHMARKS.md and its charts are generated, never edited.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("out", "BENCHMARKS.md", "the report to write")
	charts := flag.String("charts", filepath.Join("docs", "benchmarks"), "directory for the SVG charts (relative to the report)")
	flag.Parse()
	if err := run(*out, *charts); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run(out, charts string) error {
	machine, err := describeMachine()
	if err != nil {
		return err
	}
	results := results{}
	for _, s := range suites {
		fmt.Printf("== %s\n", s.title)
		if err := s.run(results); err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
	}
	if err := measureSizes(results); err != nil {
		return err
	}
	tables := buildTables(results)
	if err := os.MkdirAll(filepath.Join(filepath.Dir(out), charts), 0o755); err != nil {
		return err
	}
	for _, t := range tables {
		if err := os.WriteFile(filepath.Join(filepath.Dir(out), charts, t.chartFile()), chartSVG(t), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(out, renderMarkdown(machine, tables, charts), 0o644)
}
