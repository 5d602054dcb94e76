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
// (the joiner checks). A module of an ES-module output may also import a wasm module as a
// whole, `import name from './x.wasm';` (workerd's way of loading wasm): the line is kept, at
// the top of the output.
var (
	importLine     = regexp.MustCompile(`^import \{([^}]*)\} from '(\./[\w.-]+\.js)';\s*$`)
	reexportLine   = regexp.MustCompile(`^export \{([^}]*)\} from '(\./[\w.-]+\.js)';\s*$`)
	wasmImportLine = regexp.MustCompile(`^import \w+ from '\./[\w.-]+\.wasm';\s*$`)
	exportDecl     = regexp.MustCompile(`^export ((?:async )?function\*? |class |const |let )(\w+)`)
	topLevelDecl   = regexp.MustCompile(`^(?:export )?(?:(?:async )?function\*? |class |const |let |var )(\w+)`)
)

// module is one joined source file.
type module struct {
	path    string
	body    []string // lines without imports and re-exports, `export` removed
	exports []string // names the entry exports (entry only)
	wasm    []string // `import name from './x.wasm';` lines, kept as they are
}

// jsForm is how an output wraps the joined modules.
type jsForm int

const (
	esModule      jsForm = iota // import-able: `export { … }` at the end
	commonJS                    // require-able: `module.exports = { … }`, import.meta.url from __filename
	classicScript               // a <script> or importScripts: one function scope, minified
)

// jsOutput is one JS file of the package: an entry joined with the modules it imports, in a
// form. A runtime's build swaps wasm-locate.js (fetch ossign.wasm next to the module) for
// that runtime's way of finding the module: the rest of the package is the same in every
// runtime, and nothing sniffs the runtime at run time.
type jsOutput struct {
	file, entry string
	form        jsForm
	swap        map[string]string // imported module → the module joined in its place
}

// locateWasm swaps wasm-locate.js for a runtime's own.
func locateWasm(runtimeModule string) map[string]string {
	return map[string]string{"./wasm-locate.js": "./" + runtimeModule}
}

// jsOutputs are the package's JS files; js/package.json's `exports` conditions pick one per
// runtime.
var jsOutputs = []jsOutput{
	{file: "ossign.mjs", entry: "index.js", form: esModule},                                                     // browsers, bundlers, Deno
	{file: "ossign.node.mjs", entry: "index.js", form: esModule, swap: locateWasm("wasm-locate-node.js")},       // Node and Bun, import
	{file: "ossign.cjs", entry: "index.js", form: commonJS, swap: locateWasm("wasm-locate-node.js")},            // Node, require
	{file: "ossign.workerd.mjs", entry: "index.js", form: esModule, swap: locateWasm("wasm-locate-workerd.js")}, // Cloudflare workerd
	{file: "ossign.min.js", entry: "script.js", form: classicScript},                                            // the ossign global
}

// bundleJS writes every jsOutputs file: Go's wasm_exec.js, then the joined modules.
func bundleJS(root, out string) error {
	wasmExec, err := os.ReadFile(filepath.Join(out, "wasm_exec.js"))
	if err != nil {
		return err
	}
	src := filepath.Join(root, "js", "src")
	for _, o := range jsOutputs {
		code, err := o.build(src, string(wasmExec))
		if err != nil {
			return fmt.Errorf("%s: %w", o.file, err)
		}
		if err := writeFile(filepath.Join(out, o.file), code); err != nil {
			return err
		}
	}
	return nil
}

// build joins the output's modules and wraps them in its form.
func (o jsOutput) build(src, wasmExec string) ([]byte, error) {
	j, err := join(src, o.entry, o.swap)
	if err != nil {
		return nil, err
	}
	if len(j.wasmImports) > 0 && o.form != esModule {
		return nil, fmt.Errorf("%s imports a wasm module, which only an ES module can", o.entry)
	}
	switch o.form {
	case esModule:
		head := strings.Join(j.wasmImports, "\n")
		if head != "" {
			head += "\n"
		}
		return []byte(head + wasmExec + "\n" + j.code + "\nexport { " + strings.Join(j.exports, ", ") + " };\n"), nil
	case commonJS:
		code := strings.ReplaceAll(j.code, "import.meta.url", "require('node:url').pathToFileURL(__filename).href")
		if strings.Contains(code, "import.meta") {
			return nil, fmt.Errorf("import.meta other than import.meta.url has no CommonJS equivalent")
		}
		return []byte("'use strict';\n" + wasmExec + "\n" + code + "\nmodule.exports = { " + strings.Join(j.exports, ", ") + " };\n"), nil
	default:
		return wrapClassic(wasmExec, j.code)
	}
}

// wrapClassic is joined code as a classic script: after wasm_exec.js, in a function scope
// (its top-level names stay out of the global scope), minified.
func wrapClassic(wasmExec, code string) ([]byte, error) {
	return minifyJS("(() => {\n" + wasmExec + "\n" + code + "\n})();\n")
}

// joined is the result of join.
type joined struct {
	code        string
	exports     []string // what the entry exports
	wasmImports []string // wasm modules imported whole, to put at the top of an ES module
}

// join concatenates entry and the modules it imports, dependencies first; swap names modules
// joined in place of the ones imported.
func join(dir, entry string, swap map[string]string) (joined, error) {
	var order []*module
	seen := map[string]bool{}
	var visit func(name string, isEntry bool) error
	visit = func(name string, isEntry bool) error {
		if replacement, ok := swap[name]; ok {
			name = replacement
		}
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
		return joined{}, err
	}
	if err := checkUniqueNames(order); err != nil {
		return joined{}, err
	}
	var j joined
	var b strings.Builder
	for _, m := range order {
		fmt.Fprintf(&b, "// %s\n%s\n", filepath.Base(m.path), strings.Join(m.body, "\n"))
		j.exports = append(j.exports, m.exports...)
		j.wasmImports = append(j.wasmImports, m.wasm...)
	}
	j.code = b.String()
	return j, nil
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
		case wasmImportLine.MatchString(line):
			m.wasm = append(m.wasm, strings.TrimSpace(line))
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
