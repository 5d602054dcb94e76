package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
)

// compressed are the artifacts that get .br (brotli -q 11) and .gz (gzip -9) siblings for
// servers that send precompressed files.
var compressed = []string{"ossign.wasm", "ossign.mjs", "ossign.min.js", "ossign-sw.js", "wasm_exec.js"}

func compressAll(_, out string) error {
	for _, name := range compressed {
		path := filepath.Join(out, name)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		br, err := brotliBest(b)
		if err != nil {
			return err
		}
		gz, err := gzipBest(b)
		if err != nil {
			return err
		}
		if err := writeFile(path+".br", br); err != nil {
			return err
		}
		if err := writeFile(path+".gz", gz); err != nil {
			return err
		}
	}
	return nil
}

// brotliBest compresses b at quality 11, as `brotli -q 11` does.
func brotliBest(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	err := w.Close()
	return buf.Bytes(), err
}

func gzipBest(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	err = w.Close()
	return buf.Bytes(), err
}
