package main

import (
	"bytes"
	"compress/gzip"
	"os"

	"github.com/andybalholm/brotli"
)

// measureSizes adds the raw, gzip -9 and brotli -q 11 sizes of sizedFiles to r.
func measureSizes(r results) error {
	for _, f := range sizedFiles {
		b, err := os.ReadFile(f.path)
		if err != nil {
			return err
		}
		var gz, br bytes.Buffer
		gw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		if err != nil {
			return err
		}
		bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
		for _, w := range []interface {
			Write([]byte) (int, error)
			Close() error
		}{gw, bw} {
			if _, err := w.Write(b); err != nil {
				return err
			}
			if err := w.Close(); err != nil {
				return err
			}
		}
		r.set("Size/"+f.name, "raw", float64(len(b)))
		r.set("Size/"+f.name, "gzip", float64(gz.Len()))
		r.set("Size/"+f.name, "brotli", float64(br.Len()))
	}
	return nil
}
