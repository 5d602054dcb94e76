package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
)

// The size report (`bundle -size-report`, run by `./build.sh bench`): what ossign.wasm is
// made of, by Go package, and why each package is linked in. It builds the module as
// buildWasm does but keeps the name section and has the linker print its reachability graph
// (-dumpdep: each reachable symbol once, with the symbol that first needed it), then charges
//
//   - code: each function body (code section, named by the name section);
//   - meta: each function's pclntab record, name and pc tables (pclntab.go);
//   - data: each reachable data symbol's size (go tool nm on the package archives) to the
//     symbol's package, or, for anonymous symbols (strings, stack maps), to the package of
//     the symbol that needed it.
//
// The module is measured as shipped, stripped and its data segments packed (wasmpack.go), give
// or take a few bytes of build ID: the linker flags differ from buildWasm's. The data
// segments' headers and the zeros packing adds are a line of their own, and so is what is
// left (type links, file tables, …). The ≈br column estimates what a package adds to
// ossign.wasm.br: its code compressed alone at quality 11, plus its meta and data at the
// compression ratio of all the data segments' bytes.

// packageSize is one row of the report.
type packageSize struct {
	path             string
	funcs            int
	code, meta, data int
	codeBytes        []byte // function bodies, concatenated, for the brotli estimate
	brotli           int
	neededBy         string // first symbol outside the package that needed it
}

func (p *packageSize) total() int { return p.code + p.meta + p.data }

const otherPackage = "(assembly, export wrappers, linker)"

// sizeReport builds the module unstripped and writes the table to w.
func sizeReport(root string, w io.Writer) error {
	raw, graph, err := compileWasm(root, "-dumpdep")
	if err != nil {
		return err
	}
	mod, err := parseWasm(raw)
	if err != nil {
		return err
	}
	pkgs, archives, err := listPackages(root)
	if err != nil {
		return err
	}
	symSizes, err := dataSymbolSizes(root, archives)
	if err != nil {
		return err
	}
	a := newAttribution(pkgs)
	a.chargeCode(mod)
	a.chargeGraph(parseDumpdep(graph), symSizes)
	metas, err := readPclntab(memoryImage(mod.segments))
	if err != nil {
		return err
	}
	a.chargeMetadata(metas)
	return a.write(w, mod, raw)
}

// listPackages returns the module's packages (import paths) and their compiled archives.
func listPackages(root string) (paths, archives []string, err error) {
	cmd, err := wasmGo(root, "list", "-deps", "-export", "-f", "{{if eq .Name \"main\"}}main{{else}}{{.ImportPath}}{{end}} {{.Export}}", "./wasm")
	if err != nil {
		return nil, nil, err
	}
	out, err := cmd.Output()
	if err != nil {
		return nil, nil, fmt.Errorf("go list: %w", err)
	}
	for line := range strings.Lines(string(out)) {
		path, archive, _ := strings.Cut(strings.TrimSpace(line), " ")
		paths = append(paths, path)
		if archive != "" {
			archives = append(archives, archive)
		}
	}
	return paths, archives, nil
}

// nmLine is `go tool nm -size` output: [file: ]address size kind name.
var nmLine = regexp.MustCompile(`^(?:\S+:\s)?\s*[0-9a-f]+\s+(\d+) ([A-Za-z?]) (.+)$`)

// dataSymbolSizes returns the size of every data symbol defined in the archives.
func dataSymbolSizes(root string, archives []string) (map[string]int, error) {
	cmd, err := wasmGo(root, append([]string{"tool", "nm", "-size"}, archives...)...)
	if err != nil {
		return nil, err
	}
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go tool nm: %w", err)
	}
	sizes := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		m := nmLine.FindStringSubmatch(sc.Text())
		if m == nil || strings.Contains("TtUBb", m[2]) { // code, undefined, zero-initialised
			continue
		}
		n, _ := strconv.Atoi(m[1])
		sizes[m[3]] = n
	}
	return sizes, sc.Err()
}

// depEdge is one line of -dumpdep: `from -> to`, where from first needed to.
type depEdge struct{ from, to string }

func parseDumpdep(out []byte) []depEdge {
	var edges []depEdge
	for line := range strings.Lines(string(out)) {
		if from, to, ok := strings.Cut(strings.TrimRight(line, "\n"), " -> "); ok {
			edges = append(edges, depEdge{from, to})
		}
	}
	return edges
}

// attribution charges bytes to packages.
type attribution struct {
	paths   []string // import paths, longest first, so prefixes match the most specific
	symbols spelling // as the linker names symbols
	wasm    spelling // as the wasm name section spells them
	rows    map[string]*packageSize
}

// spelling matches symbol names to packages: paths[i] is a.paths[i] as spelled.
type spelling struct {
	prefixes, paths []string
}

// symbolPrefixes are the linker's prefixes before a package-qualified name: types, their
// pointer types, generated equality and hash functions, interface tables.
var symbolPrefixes = []string{"type:*", "type:.eq.", "type:.hash.", "type:", "go:itab.*", "go:itab."}

// wasmNameChars are the characters the Go linker replaces with '_' in the name section.
var wasmNameChars = regexp.MustCompile(`[^\w.]`)

func mangle(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = wasmNameChars.ReplaceAllString(n, "_")
	}
	return out
}

func newAttribution(pkgs []string) *attribution {
	paths := slices.Clone(pkgs)
	slices.SortFunc(paths, func(x, y string) int { return len(y) - len(x) })
	return &attribution{
		paths:   paths,
		symbols: spelling{symbolPrefixes, paths},
		wasm:    spelling{mangle(symbolPrefixes), mangle(paths)},
		rows:    map[string]*packageSize{},
	}
}

// match returns the index of sym's package, or -1 for anonymous symbols.
func (s spelling) match(sym string) int {
	for _, prefix := range s.prefixes {
		if rest, ok := strings.CutPrefix(sym, prefix); ok {
			sym = rest
			break
		}
	}
	for i, p := range s.paths {
		if len(sym) > len(p) && sym[len(p)] == '.' && strings.HasPrefix(sym, p) {
			return i
		}
	}
	return -1
}

func (a *attribution) row(path string) *packageSize {
	r := a.rows[path]
	if r == nil {
		r = &packageSize{path: path}
		a.rows[path] = r
	}
	return r
}

// packageOf returns the package of a symbol name, or "" for anonymous symbols.
func (a *attribution) packageOf(sym string) string {
	if i := a.symbols.match(sym); i >= 0 {
		return a.paths[i]
	}
	return ""
}

// packageOfWasmName returns the package of a function named in the wasm name section.
func (a *attribution) packageOfWasmName(name string) string {
	if i := a.wasm.match(name); i >= 0 {
		return a.paths[i]
	}
	return otherPackage
}

func (a *attribution) chargeCode(mod *wasmBinary) {
	for i, body := range mod.bodies {
		r := a.row(a.packageOfWasmName(mod.names[mod.importedFns+i]))
		r.funcs++
		r.code += len(body)
		r.codeBytes = append(r.codeBytes, body...)
	}
}

func (a *attribution) chargeMetadata(funcs []funcMetadata) {
	for _, f := range funcs {
		pkg := a.packageOf(f.name)
		if pkg == "" {
			pkg = otherPackage
		}
		a.row(pkg).meta += f.bytes
	}
}

// chargeGraph charges reachable data symbols and records, per package, the first symbol
// outside it that needed it.
func (a *attribution) chargeGraph(edges []depEdge, sizes map[string]int) {
	parent := make(map[string]string, len(edges))
	for _, e := range edges {
		parent[e.to] = e.from
		to, from := a.packageOf(e.to), a.packageOf(e.from)
		if to != "" && to != from {
			if r := a.row(to); r.neededBy == "" {
				r.neededBy = strings.TrimPrefix(e.from, "_") // "_" is the entry point
			}
		}
	}
	for _, e := range edges {
		n, ok := sizes[e.to]
		if !ok {
			continue
		}
		owner := ""
		for sym, hops := e.to, 0; owner == "" && sym != "" && hops < 64; sym, hops = parent[sym], hops+1 {
			owner = a.packageOf(sym)
		}
		if owner == "" {
			owner = otherPackage
		}
		a.row(owner).data += n
	}
}

// write prints the totals and the table, largest package first.
func (a *attribution) write(w io.Writer, mod *wasmBinary, raw []byte) error {
	shipped, err := packDataSegments(withoutCustomSection(raw, mod, "name"))
	if err != nil {
		return err
	}
	packed, err := parseWasm(shipped)
	if err != nil {
		return err
	}
	code, data := packed.section(sectionCode), packed.section(sectionData)
	rows := make([]*packageSize, 0, len(a.rows)+1)
	charged := 0
	for _, r := range a.rows {
		charged += r.total()
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(x, y *packageSize) int { return y.total() - x.total() })
	headers := &packageSize{path: "(data segment headers, zero fill)", data: data.size}
	for _, seg := range mod.segments {
		headers.data -= len(seg.data)
	}
	rest := &packageSize{path: "(not charged: type links, file tables, …)", data: len(shipped) - charged - headers.data}
	rows = append(rows, headers, rest)

	// Everything to compress, at once on every CPU: the module (brotli and gzip), the data
	// segments' bytes (for the ratio applied to meta and data) and each package's code.
	var br, gz, dataBr int
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	compressedLen := func(dst *int, compress func([]byte) ([]byte, error), b []byte) {
		g.Go(func() error {
			c, err := compress(b)
			*dst = len(c)
			return err
		})
	}
	compressedLen(&br, brotliBest, shipped)
	compressedLen(&gz, gzipBest, shipped)
	var segmentBytes []byte
	for _, seg := range mod.segments {
		segmentBytes = append(segmentBytes, seg.data...)
	}
	compressedLen(&dataBr, brotliBest, segmentBytes)
	for _, r := range rows {
		compressedLen(&r.brotli, brotliBest, r.codeBytes)
	}
	if err := g.Wait(); err != nil {
		return err
	}
	dataRatio := float64(dataBr) / float64(len(segmentBytes))
	for _, r := range rows {
		r.brotli += int(float64(r.meta+r.data) * dataRatio)
	}

	fmt.Fprintf(w, "ossign.wasm: %d bytes raw, %d gzip -9, %d brotli -q 11; code section %d, data section %d (its data brotli to %.0f%%)\n",
		len(shipped), gz, br, code.size, data.size, 100*dataRatio)
	fmt.Fprintf(w, "%-40s %5s %8s %8s %8s %8s %7s  %s\n", "package", "funcs", "code", "meta", "data", "total", "≈br", "first needed by")
	for _, r := range rows {
		estimate := strconv.Itoa(r.brotli)
		if r == headers {
			estimate = "-" // zeros and regular headers: the data's ratio does not apply
		}
		fmt.Fprintf(w, "%-40s %5d %8d %8d %8d %8d %7s  %s\n", r.path, r.funcs, r.code, r.meta, r.data, r.total(), estimate, r.neededBy)
	}
	return nil
}
