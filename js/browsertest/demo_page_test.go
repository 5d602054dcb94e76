package browsertest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/ossign/ossign/signer/wire"
)

// demoPage is the demo (web/) served by a running `ossign dev`, open in a Chromium tab whose
// console is recorded from before the page loads.
type demoPage struct {
	t       *testing.T
	tab     context.Context
	url     string // the URL ossign dev printed, without the trailing "/"
	console *consoleLog
}

// openDemo starts `ossign dev` with web/ (and flags), opens path in a tab of the given
// viewport width (that lives at most timeout) and waits for <body data-ready="true">.
func openDemo(t *testing.T, path string, width int64, timeout time.Duration, flags ...string) *demoPage {
	t.Helper()
	url, _ := startDev(t, filepath.Join(repoRoot, "web"), append([]string{"-log-level", "warn"}, flags...)...)
	tab, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	tab, cancelTimeout := context.WithTimeout(tab, timeout)
	t.Cleanup(cancelTimeout)
	d := &demoPage{t: t, tab: tab, url: url, console: watchConsole(tab)}
	require.NoError(t, chromedp.Do(tab, chromedp.EmulateViewport(width, 900), chromedp.Navigate(url+path)))
	d.waitReady()
	return d
}

// waitReady waits for the page to say it started, and that it did.
func (d *demoPage) waitReady() {
	d.t.Helper()
	state := d.poll(`document.body.dataset.ready`)
	require.Equal(d.t, "true", state, "the page did not start: %s", d.eval(`document.body.innerText`))
}

// eval evaluates a JavaScript expression (awaiting a promise) and returns its JSON value.
func (d *demoPage) eval(expression string) any {
	d.t.Helper()
	v, err := chromedp.Run(d.tab, chromedp.Evaluate[any](expression, chromedp.EvalAwaitPromise))
	require.NoError(d.t, err, expression)
	return v
}

// poll waits for a JavaScript expression to be truthy and returns its value.
func (d *demoPage) poll(expression string) any {
	d.t.Helper()
	v, err := chromedp.Run(d.tab, chromedp.Poll[any](expression, chromedp.WithPollingTimeout(90*time.Second)))
	require.NoError(d.t, err, "waiting for %s", expression)
	return v
}

// pollInto is poll with the value decoded into out.
func (d *demoPage) pollInto(expression string, out any) {
	d.t.Helper()
	b, err := json.Marshal(d.poll(expression))
	require.NoError(d.t, err)
	require.NoError(d.t, json.Unmarshal(b, out))
}

// screenshot saves a PNG of the whole page in the artifacts folder and returns its path.
func (d *demoPage) screenshot(name string) string {
	d.t.Helper()
	png, err := chromedp.Run(d.tab, chromedp.FullScreenshot(100))
	require.NoError(d.t, err)
	path := filepath.Join(artifactsDir(d.t), name)
	require.NoError(d.t, os.WriteFile(path, png, 0o644))
	d.t.Logf("screenshot: %s", path)
	return path
}

// vended returns the credentials the vending server gives this tab's browser (its HttpOnly
// cookie sent from Go): the ones the page signs with, since the server reuses them.
func (d *demoPage) vended() wire.Vending {
	d.t.Helper()
	cookies, err := chromedp.Run(d.tab, func(ctx context.Context, t *chromedp.Target) (network.GetCookiesResult, error) {
		return cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{URLs: []string{d.url + "/"}})
	})
	require.NoError(d.t, err)
	req, err := http.NewRequest(http.MethodGet, d.url+"/sts", nil)
	require.NoError(d.t, err)
	for _, c := range cookies.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(d.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(d.t, err)
	require.Equal(d.t, http.StatusOK, resp.StatusCode, "/sts")
	v, err := wire.ParseVending(body)
	require.NoError(d.t, err)
	return v
}

// pageFetch is what the page gets for a URL (through the Service Worker when it answers it).
type pageFetch struct {
	Status              int
	SHA256, Disposition string
	Code                string // x-oss-error-code
}

// fetch fetches url in the page.
func (d *demoPage) fetch(url string) pageFetch {
	d.t.Helper()
	var out pageFetch
	b, err := json.Marshal(d.eval(`(async () => { const res = await fetch(` + jsString(url) + `);
		const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', await res.arrayBuffer()))].map((b) => b.toString(16).padStart(2, '0')).join('');
		return { Status: res.status, SHA256: hash, Disposition: res.headers.get('content-disposition') ?? '', Code: res.headers.get('x-oss-error-code') ?? '' }; })()`))
	require.NoError(d.t, err)
	require.NoError(d.t, json.Unmarshal(b, &out))
	return out
}

// requireFitsViewport checks that nothing makes the page wider than its viewport.
func (d *demoPage) requireFitsViewport(when string) {
	d.t.Helper()
	var size struct {
		Scroll, Inner float64
		Widest        string
	}
	b, err := json.Marshal(d.eval(`(() => {
		const clipped = (e) => { for (let p = e.parentElement; p; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return true; return false; };
		const wide = [...document.body.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > window.innerWidth && !clipped(e));
		const leaf = wide.find((e) => !wide.some((o) => o !== e && e.contains(o)));
		return { Scroll: document.documentElement.scrollWidth, Inner: window.innerWidth,
			Widest: leaf ? leaf.tagName + '.' + leaf.className + '#' + leaf.id + ': ' + leaf.textContent.slice(0, 80) : '' };
	})()`))
	require.NoError(d.t, err)
	require.NoError(d.t, json.Unmarshal(b, &size))
	require.LessOrEqual(d.t, size.Scroll, size.Inner, "%s: the page is wider than the viewport, from %s", when, size.Widest)
}

// consoleLog records what a tab writes to its console: console API calls, uncaught
// exceptions and the browser's own log (failed requests among them).
type consoleLog struct {
	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
}

// watchConsole starts recording the console of tab (before the page loads).
func watchConsole(tab context.Context) *consoleLog {
	c := &consoleLog{}
	messages := chromedp.Console(tab)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			c.mu.Lock()
			c.messages = append(c.messages, m)
			c.mu.Unlock()
		}
	}()
	return c
}

// errors returns the errors and exceptions recorded so far that allowed does not excuse.
func (c *consoleLog) errors(allowed func(chromedp.ConsoleMessage) bool) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, m := range c.messages {
		if (m.Type == chromedp.ConsoleError || m.IsException()) && !allowed(m) {
			out = append(out, m.String()+" ("+m.URL+")")
		}
	}
	return out
}

// nothingExcused excuses no console error.
func nothingExcused(chromedp.ConsoleMessage) bool { return false }

var (
	artifactsOnce sync.Once
	artifacts     string
	artifactsErr  error
)

// artifactsDir is where the demo's screenshots go: $OSSIGN_TEST_ARTIFACTS, or a temporary
// folder that is kept (and logged).
func artifactsDir(t *testing.T) string {
	t.Helper()
	artifactsOnce.Do(func() {
		if artifacts = os.Getenv("OSSIGN_TEST_ARTIFACTS"); artifacts != "" {
			artifactsErr = os.MkdirAll(artifacts, 0o755)
			return
		}
		artifacts, artifactsErr = os.MkdirTemp("", "ossign-demo-artifacts-")
	})
	require.NoError(t, artifactsErr)
	return artifacts
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// rowSelector is the CSS selector of the element of class kind whose data-key is key.
func rowSelector(kind, key string) string {
	return "li." + kind + "[data-key=" + jsString(key) + "]"
}

// toJSON is v as JSON, for JavaScript.
func toJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
