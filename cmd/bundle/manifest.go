package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
)

// The serving side of the build: a copy of ossign.wasm (and its .br and .gz) under a name
// that carries its content's hash, which a server may let caches keep for a year (a new
// build is a new name), and manifest.json, which maps the logical name to it:
//
//	{"ossign.wasm": {"file": "ossign.1a2b3c4d.wasm", "size": …, "sha256": "…",
//	  "integrity": "sha256-…", "encodings": {"br": {"file": "ossign.1a2b3c4d.wasm.br", "size": …},
//	  "gzip": {…}}}}
//
// integrity is the Subresource Integrity value of the uncompressed bytes. The JS package still
// loads ossign.wasm by default; a page passes the hashed URL as wasmURL (README, "Serving
// ossign.wasm").

// manifestEntry describes one content-hashed artifact.
type manifestEntry struct {
	File      string                 `json:"file"`
	Size      int                    `json:"size"`
	SHA256    string                 `json:"sha256"`
	Integrity string                 `json:"integrity"`
	Encodings map[string]encodedFile `json:"encodings"`
}

// encodedFile is a precompressed sibling, by its Content-Encoding.
type encodedFile struct {
	File string `json:"file"`
	Size int    `json:"size"`
}

// hashedWasm matches the content-hashed copies (and their siblings) a build writes.
var hashedWasm = regexp.MustCompile(`^ossign\.[0-9a-f]{8}\.wasm(\.br|\.gz)?$`)

// writeHashedWasm writes ossign.<first 8 hex digits of its SHA-256>.wasm with its .br and .gz,
// removes the copies earlier builds left in out, and writes manifest.json.
func writeHashedWasm(_, out string) error {
	raw, err := os.ReadFile(filepath.Join(out, "ossign.wasm"))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(raw)
	name := hashedWasmName(raw)
	entry := manifestEntry{
		File:      name,
		Size:      len(raw),
		SHA256:    hex.EncodeToString(sum[:]),
		Integrity: "sha256-" + base64.StdEncoding.EncodeToString(sum[:]),
		Encodings: map[string]encodedFile{},
	}
	if err := removeStaleHashedCopies(out, name); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(out, name), raw); err != nil {
		return err
	}
	for encoding, ext := range map[string]string{"br": ".br", "gzip": ".gz"} {
		b, err := os.ReadFile(filepath.Join(out, "ossign.wasm"+ext))
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(out, name+ext), b); err != nil {
			return err
		}
		entry.Encodings[encoding] = encodedFile{File: name + ext, Size: len(b)}
	}
	manifest, err := json.MarshalIndent(map[string]manifestEntry{"ossign.wasm": entry}, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(out, "manifest.json"), append(manifest, '\n'))
}

// hashedWasmName is the content-hashed name of a module: ossign.<first 8 hex digits of its
// SHA-256>.wasm.
func hashedWasmName(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "ossign." + hex.EncodeToString(sum[:4]) + ".wasm"
}

func removeStaleHashedCopies(out, current string) error {
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if hashedWasm.MatchString(n) && n != current && n != current+".br" && n != current+".gz" {
			if err := os.Remove(filepath.Join(out, n)); err != nil {
				return err
			}
		}
	}
	return nil
}
