package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteHashedWasm(t *testing.T) {
	out := t.TempDir()
	files := map[string]string{
		"ossign.wasm": "\x00asm module bytes", "ossign.wasm.br": "brotli bytes", "ossign.wasm.gz": "gzip bytes!",
		"ossign.0badc0de.wasm": "an earlier build", "ossign.0badc0de.wasm.br": "old", "ossign.mjs": "kept",
	}
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(out, name), []byte(content), 0o644))
	}
	require.NoError(t, writeHashedWasm("", out))

	sum := sha256.Sum256([]byte(files["ossign.wasm"]))
	hashed := "ossign." + hex.EncodeToString(sum[:4]) + ".wasm"
	var manifest map[string]manifestEntry
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &manifest))
	assert.Equal(t, map[string]manifestEntry{"ossign.wasm": {
		File: hashed, Size: len(files["ossign.wasm"]), SHA256: hex.EncodeToString(sum[:]),
		Integrity: "sha256-" + base64.StdEncoding.EncodeToString(sum[:]),
		Encodings: map[string]encodedFile{"br": {hashed + ".br", 12}, "gzip": {hashed + ".gz", 11}},
	}}, manifest)
	for name, from := range map[string]string{hashed: "ossign.wasm", hashed + ".br": "ossign.wasm.br", hashed + ".gz": "ossign.wasm.gz"} {
		got, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err, name)
		assert.Equal(t, files[from], string(got), name)
	}
	for _, stale := range []string{"ossign.0badc0de.wasm", "ossign.0badc0de.wasm.br"} {
		assert.NoFileExists(t, filepath.Join(out, stale), "an earlier build's copy is removed")
	}
	assert.FileExists(t, filepath.Join(out, "ossign.mjs"))
}
