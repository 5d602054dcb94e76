package signer_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ossign/ossign/signer"
)

// FuzzURIEncode checks UriEncode against its definition (§0): only unreserved bytes, '%XX'
// with upper-case hex and (when kept) '/' come out, and decoding gives the input back. It
// must also equal the Go SDKs' idiom, url.QueryEscape with '+' written as %20.
func FuzzURIEncode(f *testing.F) {
	for _, s := range []string{"", "a b+c", "中文/é", "~*'()!", "%2B", "//", "a\x00\xff"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, keepSlash bool) {
		enc := signer.URIEncode(s, keepSlash)
		for i := 0; i < len(enc); i++ {
			c := enc[i]
			switch {
			case c == '%':
				if i+2 >= len(enc) || strings.ToUpper(enc[i+1:i+3]) != enc[i+1:i+3] {
					t.Fatalf("URIEncode(%q) = %q: bad escape at %d", s, enc, i)
				}
			case c == '/' && !keepSlash, !(c == '/' || isUnreserved(c)):
				t.Fatalf("URIEncode(%q, %v) = %q: byte %q left raw", s, keepSlash, enc, c)
			}
		}
		if dec, err := url.PathUnescape(enc); err != nil || dec != s {
			t.Fatalf("URIEncode(%q) = %q does not decode back (%q, %v)", s, enc, dec, err)
		}
		if !keepSlash {
			if want := strings.ReplaceAll(url.QueryEscape(s), "+", "%20"); enc != want {
				t.Fatalf("URIEncode(%q) = %q, QueryEscape idiom gives %q", s, enc, want)
			}
		}
	})
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0
}

// FuzzCanonicalQuery signs two arbitrary query parameters and checks that the URL carries
// exactly them (decoded back by net/url) and that the V4 canonical query is the URL's query
// without x-oss-signature, sorted by encoded name.
func FuzzCanonicalQuery(f *testing.F) {
	f.Add("+param1", "value3", "|param2", "")
	f.Add("response-content-disposition", "attachment; filename=\"a b.txt\"", "x-oss-process", "image/resize,w_100")
	f.Add("a&b=c", "d=e&f", "中文", "%2B+ ")
	f.Fuzz(func(t *testing.T, name1, value1, name2, value2 string) {
		query := []signer.Param{{Name: name1, Value: value1}, {Name: name2, Value: value2}}
		for _, v := range []signer.Version{signer.V1, signer.V4} {
			p, err := signer.Presign(signer.Target{Region: "cn-hangzhou", Version: v}, static,
				signer.Request{Method: "GET", Bucket: "examplebucket", Key: "k", Query: query}, time.Unix(1702781677, 0))
			if err != nil {
				requireSignerError(t, err)
				continue
			}
			u, err := url.Parse(p.URL)
			if err != nil {
				t.Fatalf("%s URL %q does not parse: %v", v, p.URL, err)
			}
			got := u.Query()
			for _, q := range query {
				if got.Get(q.Name) != q.Value || len(got[q.Name]) != 1 {
					t.Fatalf("%s URL %q carries %q=%q, want %q", v, p.URL, q.Name, got[q.Name], q.Value)
				}
			}
			if v == signer.V4 {
				lines := strings.Split(p.Explanation.CanonicalRequest, "\n")
				withoutSig, _, _ := strings.Cut(u.RawQuery, "&x-oss-signature=")
				if lines[2] != withoutSig {
					t.Fatalf("canonical query %q differs from the URL's %q", lines[2], withoutSig)
				}
				pairs := strings.Split(lines[2], "&")
				for i := 1; i < len(pairs); i++ {
					prev, _, _ := strings.Cut(pairs[i-1], "=")
					cur, _, _ := strings.Cut(pairs[i], "=")
					if prev >= cur {
						t.Fatalf("canonical query %q is not sorted at %q", lines[2], cur)
					}
				}
			}
		}
	})
}

// FuzzPresign feeds arbitrary keys, header values and methods: the signer either returns a
// *signer.Error or a URL whose path decodes to the key, never panics.
func FuzzPresign(f *testing.F) {
	f.Add("dir/a b+c.txt", "text/plain", "PUT", int64(3600))
	f.Add("/leading", "x", "get", int64(0))
	f.Add("中文//#?%", "a\nb", "DELETE", int64(-5))
	f.Fuzz(func(t *testing.T, key, contentType, method string, seconds int64) {
		req := signer.Request{Method: method, Bucket: "examplebucket", Key: key, Expires: time.Duration(seconds) * time.Second,
			Headers: []signer.Header{{Name: "Content-Type", Value: contentType}}}
		for _, v := range []signer.Version{signer.V1, signer.V4} {
			p, err := signer.Presign(signer.Target{Region: "cn-hangzhou", Version: v, PathStyle: true}, static, req, time.Unix(1702781677, 0))
			if err != nil {
				requireSignerError(t, err)
				continue
			}
			u, err := url.Parse(p.URL)
			if err != nil {
				t.Fatalf("URL %q does not parse: %v", p.URL, err)
			}
			if u.Path != "/examplebucket/"+key {
				t.Fatalf("URL path %q does not decode to key %q", u.Path, key)
			}
		}
	})
}

func requireSignerError(t *testing.T, err error) {
	t.Helper()
	var se *signer.Error
	if !errors.As(err, &se) || se.Code == "" || se.Message == "" {
		t.Fatalf("error %v (%T) is not a *signer.Error with a code", err, err)
	}
}
