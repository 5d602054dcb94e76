package main

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// copyPackageFiles copies the type definitions and writes dist/package.json: js/package.json
// without what only the repository needs (scripts, devDependencies, private).
func copyPackageFiles(root, out string) error {
	dts, err := os.ReadFile(filepath.Join(root, "js", "index.d.ts"))
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(out, "index.d.ts"), dts); err != nil {
		return err
	}
	raw, err := os.ReadFile(filepath.Join(root, "js", "package.json"))
	if err != nil {
		return err
	}
	var pkg map[string]json.RawMessage
	if err := json.Unmarshal(raw, &pkg); err != nil {
		return err
	}
	for _, k := range []string{"scripts", "devDependencies", "private"} {
		delete(pkg, k)
	}
	b, err := json.MarshalIndent(pkg, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(out, "package.json"), append(b, '\n'))
}
