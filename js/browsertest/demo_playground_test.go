package browsertest

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/signer"
)

// playgroundInput is what the test types into the signer playground.
type playgroundInput struct {
	Method, Key, Version, ContentType, Response, Process, TrafficLimit, Headers, SignAt string
	Expires                                                                             int
}

// signInPlayground sets the playground's fields to in and presses Sign.
func (d *demoPage) signInPlayground(in playgroundInput) {
	d.t.Helper()
	d.eval(`(() => {
		const f = document.getElementById('playground').elements, v = ` + toJSON(d.t, in) + `;
		f.method.value = v.Method; f.key.value = v.Key; f.expires.value = String(v.Expires); f.version.value = v.Version;
		f.contentType.value = v.ContentType; f.response.value = v.Response; f.process.value = v.Process;
		f.trafficLimit.value = v.TrafficLimit; f.headers.value = v.Headers; f.signAt.value = v.SignAt;
		document.querySelector('#playground button[type=submit]').click();
		return true;
	})()`)
}

// TestDemoPlaygroundMatchesGoSigner signs in the playground, V4 and V1, with every kind of
// input and a given signing time; the URL is the Go signer's for the same inputs, clock and
// credentials (the vending server's for this browser).
func TestDemoPlaygroundMatchesGoSigner(t *testing.T) {
	d := openDemo(t, "/", 1280, 2*time.Minute)
	vended := d.vended()
	signAt := time.Now().Add(-time.Hour).Truncate(time.Second).UTC()
	cases := []struct {
		name  string
		input playgroundInput
		req   signer.Request
	}{
		{name: "V4 GET with response overrides, image processing, traffic limit and a header",
			input: playgroundInput{Method: "GET", Key: vended.Prefix + "photo 1+2.jpg", Version: "v4", Expires: 600,
				Response: "content-disposition: attachment; filename=\"a b.jpg\"\nresponse-content-type: image/webp",
				Process:  "image/resize,w_200", TrafficLimit: "819200", Headers: "x-oss-meta-author: me"},
			req: signer.Request{Method: "GET", Key: vended.Prefix + "photo 1+2.jpg", Expires: 600 * time.Second,
				Headers: []signer.Header{{Name: "x-oss-meta-author", Value: "me"}},
				Query: []signer.Param{{Name: "response-content-disposition", Value: `attachment; filename="a b.jpg"`},
					{Name: "response-content-type", Value: "image/webp"}, {Name: "x-oss-process", Value: "image/resize,w_200"},
					{Name: "x-oss-traffic-limit", Value: "819200"}}}},
		{name: "V1 PUT with a Content-Type and metadata",
			input: playgroundInput{Method: "PUT", Key: vended.Prefix + "notes/中文.txt", Version: "v1", Expires: 900,
				ContentType: "text/plain", Headers: "x-oss-meta-a: 1\nx-oss-storage-class: IA"},
			req: signer.Request{Method: "PUT", Key: vended.Prefix + "notes/中文.txt", Expires: 900 * time.Second,
				Headers: []signer.Header{{Name: "Content-Type", Value: "text/plain"}, {Name: "x-oss-meta-a", Value: "1"}, {Name: "x-oss-storage-class", Value: "IA"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.input.SignAt = signAt.Format(time.RFC3339)
			d.eval(`document.getElementById('playground-out').replaceChildren(), true`)
			d.signInPlayground(tc.input)
			got, _ := d.poll(`document.querySelector('#pg-url, #playground-out .error')?.textContent`).(string)
			tc.req.Bucket = vended.Bucket
			target := signer.Target{Region: vended.Region, Endpoint: vended.Endpoint, Version: signer.Version(tc.input.Version)}
			want, err := signer.Presign(target, vended.Credentials, tc.req, signAt)
			require.NoError(t, err)
			assert.Equal(t, want.URL, got, "the playground's URL is the Go signer's")
			stringToSign, _ := d.eval(`document.getElementById('pg-string-to-sign').textContent`).(string)
			assert.Equal(t, redacted(want.Explanation.StringToSign), stringToSign)
		})
	}
	assert.Empty(t, d.console.errors(nothingExcused), "console errors")
}

// TestDemoSignatureDoesNotMatchExplained forces a SignatureDoesNotMatch at 390 px: a PUT
// signed for text/plain, sent with image/png from the playground, shows OSS's code, request
// id and the diagnosis naming Content-Type, not OSS's XML, within the viewport; OSS's XML
// for the same mistake pasted into the explainer says the same.
func TestDemoSignatureDoesNotMatchExplained(t *testing.T) {
	d := openDemo(t, "/", 390, 2*time.Minute)
	vended := d.vended()
	d.signInPlayground(playgroundInput{Method: "PUT", Key: vended.Prefix + "note.txt", Version: "v4", Expires: 600, ContentType: "text/plain"})
	url, _ := d.poll(`document.getElementById('pg-url')?.textContent`).(string)
	d.eval(`(() => { const h = document.getElementById('pg-headers'); h.value = h.value.replace('text/plain', 'image/png');
		document.getElementById('pg-send').click(); return true; })()`)
	var shown struct{ Code, Summary, RequestID, Text, Comparison string }
	d.pollInto(`(() => { const out = document.getElementById('pg-send-out'), err = out.querySelector('.error');
		return err && { Code: err.querySelector('.error-code').textContent, Summary: out.querySelector('.diagnosis-summary')?.textContent ?? '',
			RequestID: [...err.querySelectorAll('dt')].find((dt) => dt.textContent === 'Request id')?.nextElementSibling.textContent ?? '',
			Text: out.innerText, Comparison: out.querySelector('.comparison')?.innerText ?? '' }; })()`, &shown)
	assert.Equal(t, "SignatureDoesNotMatch", shown.Code)
	assert.Contains(t, strings.ToLower(shown.Summary), "content-type", "the diagnosis names the header")
	assert.NotEmpty(t, shown.RequestID)
	assert.Contains(t, shown.Comparison, "− content-type:text/plain")
	assert.Contains(t, shown.Comparison, "+ content-type:image/png")
	assert.NotContains(t, shown.Text, "<Error>", "no raw XML")
	assert.NotContains(t, shown.Text, vended.Credentials.SecurityToken, "the token is redacted")
	d.screenshot("demo-signature-error-390px.png")
	d.requireFitsViewport("390 px wide, with a SignatureDoesNotMatch explained")

	req, err := http.NewRequest(http.MethodPut, url, strings.NewReader("x"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "image/png")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	xml, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	d.eval(`(() => { document.getElementById('error-xml').value = ` + jsString(string(xml)) + `;
		document.querySelector('#explainer button[type=submit]').click(); return true; })()`)
	summary, _ := d.poll(`document.querySelector('#explain-out .diagnosis-summary')?.textContent`).(string)
	assert.Contains(t, strings.ToLower(summary), "content-type")
	pasted, _ := d.eval(`document.getElementById('explain-out').innerText`).(string)
	assert.NotContains(t, pasted, "<Error>")
	d.requireFitsViewport("390 px wide, with pasted XML explained")

	// The browser itself logs the 403 of the request sent on purpose; nothing else.
	assert.Empty(t, d.console.errors(func(m chromedp.ConsoleMessage) bool {
		return m.Source == "network" && strings.Contains(m.Text, "403")
	}), "console errors")
}

// tokenParam is a security token in a signed string, as the playground redacts it.
var tokenParam = regexp.MustCompile(`(?i)((?:x-oss-)?security-token[:=])[^\n&]*`)

// redacted is s with its security token hidden, as the playground shows it.
func redacted(s string) string { return tokenParam.ReplaceAllString(s, "${1}<redacted>") }
