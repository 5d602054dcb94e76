package emulator

import (
	"path"
	"strings"
)

// defaultContentTypes maps a key's extension (lower-case, with the dot) to the Content-Type
// OSS stores when an upload sends none. The values are those of the official Go SDK v2's
// extension table (oss/utils_mime.go in github.com/aliyun/alibabacloud-oss-go-sdk-v2, whose
// TypeByExtension also strips Go's "; charset=utf-8"), limited to the types a web page
// commonly uploads; a fixed table, unlike Go's mime package, does not depend on the machine's
// /etc/mime.types. Types the SDK table lacks (.mjs, .wasm, .csv, .md, .avif, .woff, .woff2)
// are the IANA registrations.
var defaultContentTypes = map[string]string{
	".txt": "text/plain", ".html": "text/html", ".htm": "text/html", ".css": "text/css",
	".js": "application/x-javascript", ".mjs": "text/javascript", ".json": "application/json",
	".xml": "application/xml", ".csv": "text/csv", ".md": "text/markdown",
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
	".webp": "image/webp", ".svg": "image/svg+xml", ".ico": "image/x-icon", ".bmp": "image/bmp",
	".tif": "image/tiff", ".tiff": "image/tiff", ".avif": "image/avif",
	".pdf": "application/pdf", ".zip": "application/zip", ".gz": "application/x-gzip",
	".tar": "application/x-tar", ".wasm": "application/wasm",
	".mp4": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime",
	".mp3": "audio/mpeg", ".wav": "audio/x-wav", ".ogg": "application/ogg",
	".woff": "font/woff", ".woff2": "font/woff2",
	".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

// defaultContentType is the Content-Type of key's extension (any case), or
// application/octet-stream, as OSS defaults it.
func defaultContentType(key string) string {
	if t := defaultContentTypes[strings.ToLower(path.Ext(key))]; t != "" {
		return t
	}
	return "application/octet-stream"
}
