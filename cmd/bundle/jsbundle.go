package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/js"
)

// The JS sources follow a small module convention the joiner relies on: imports are one line,
// `import { a, b } from './x.js';`; exports are `export` before a top-level declaration, or a
// one-line `export { a } from './x.js';` in an entry; top-level names are unique across modules
// (the joiner checks).
var (
	importLine   = regexp.MustCompile(`^import \{([^}]*)\} from '(\./[\w.-]+\.js)';\s*$`)
	reexportLine = regexp.MustCompile(`^export \{([^}]*)\} from '(\./[\w.-]+\.js)';\s*$`)
	exportDecl   = regexp.MustCompile(`^export ((?:async )?function\*? |class |const |let )(\w+)`)
	topLevelDecl = regexp.MustCompile(`^(?:export )?(?:(?:async )?function\*? |class |const |let |var )(\w+)`)
)

// module is one joined source file.
type module struct {
	path    string
	body    []string // lines without imports and re-exports, `export` removed
	exports []string // names the entry exports (entry only)
}

// bundleJS writes ossign.mjs (wasm_exec.js + modules + an export list) and ossign.min.js (the
// same in a function scope, from the script entry, minified).
func bundleJS(root, out string) error {
	wasmExec, err := os.ReadFile(filepath.Join(out, "wasm_exec.js"))
	if err != nil {
		return err
	}
	src := filepath.Join(root, "js", "src")
	esm, exports, err := join(src, "index.js")
	if err != nil {
		return err
	}
	mjs := string(wasmExec) + "\n" + esm + "\nexport { " + strings.Join(exports, ", ") + " };\n"
	if err := writeFile(filepath.Join(out, "ossign.mjs"), []byte(mjs)); err != nil {
		return err
	}
	script, _, err := join(src, "script.js")
	if err != nil {
		return err
	}
	min, err := classicScript(out, script)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(out, "ossign.min.js"), min)
}

// classicScript is joined code as a classic script: after out/wasm_exec.js, in a function
// scope (its top-level names stay out of the global scope), minified.
func classicScript(out, code string) ([]byte, error) {
	wasmExec, err := os.ReadFile(filepath.Join(out, "wasm_exec.js"))
	if err != nil {
		return nil, err
	}
	return minifyJS("(() => {\n" + string(wasmExec) + "\n" + code + "\n})();\n")
}

// join concatenates entry and the modules it imports, dependencies first.
func join(dir, entry string) (code string, exports []string, err error) {
	var order []*module
	seen := map[string]bool{}
	var visit func(name string, isEntry bool) error
	visit = func(name string, isEntry bool) error {
		if seen[name] {
			return nil
		}
		seen[name] = true
		m, deps, err := parseModule(filepath.Join(dir, name), isEntry)
		if err != nil {
			return err
		}
		for _, d := range deps {
			if err := visit(d, false); err != nil {
				return err
			}
		}
		order = append(order, m)
		return nil
	}
	if err := visit(entry, true); err != nil {
		return "", nil, err
	}
	if err := checkUniqueNames(order); err != nil {
		return "", nil, err
	}
	var b strings.Builder
	for _, m := range order {
		fmt.Fprintf(&b, "// %s\n%s\n", filepath.Base(m.path), strings.Join(m.body, "\n"))
		exports = append(exports, m.exports...)
	}
	return b.String(), exports, nil
}

func parseModule(path string, isEntry bool) (*module, []string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	m := &module{path: path}
	var deps []string
	for i, line := range strings.Split(string(src), "\n") {
		switch {
		case importLine.MatchString(line):
			deps = append(deps, importLine.FindStringSubmatch(line)[2])
		case reexportLine.MatchString(line):
			sub := reexportLine.FindStringSubmatch(line)
			deps = append(deps, sub[2])
			if isEntry {
				m.exports = append(m.exports, names(sub[1])...)
			}
		case strings.HasPrefix(line, "import ") || strings.HasPrefix(line, "export {") || strings.HasPrefix(line, "export default"):
			return nil, nil, fmt.Errorf("%s:%d: unsupported module syntax %q (see the convention in cmd/bundle/jsbundle.go)", path, i+1, line)
		case exportDecl.MatchString(line):
			if isEntry {
				m.exports = append(m.exports, exportDecl.FindStringSubmatch(line)[2])
			}
			m.body = append(m.body, strings.TrimPrefix(line, "export "))
		default:
			m.body = append(m.body, line)
		}
	}
	return m, deps, nil
}

func names(list string) []string {
	var out []string
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// checkUniqueNames fails when two modules declare the same top-level name, which joining
// them into one scope would break.
func checkUniqueNames(mods []*module) error {
	where := map[string]string{}
	for _, m := range mods {
		for _, line := range m.body {
			sub := topLevelDecl.FindStringSubmatch(line)
			if sub == nil {
				continue
			}
			if prev, ok := where[sub[1]]; ok {
				return fmt.Errorf("top-level name %q is declared in both %s and %s", sub[1], prev, filepath.Base(m.path))
			}
			where[sub[1]] = filepath.Base(m.path)
		}
	}
	return nil
}

func minifyJS(code string) ([]byte, error) {
	m := minify.New()
	var out bytes.Buffer
	if err := js.Minify(m, &out, strings.NewReader(code), nil); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
