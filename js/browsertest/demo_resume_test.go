package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoResumeAfterReload cancels a 20 MiB upload while its parts are on their way (the
// emulator answers each request after 0.5 s), reloads the page, finds the upload listed under
// "Unfinished uploads", resumes it with the keyboard and the file chooser, and downloads the
// complete object.
func TestDemoResumeAfterReload(t *testing.T) {
	d := openDemo(t, "/", 1280, 2*time.Minute, "-latency", "500ms")
	_, big := demoFiles(t)
	key := d.vended().Prefix + "big.bin"
	row := jsString(rowSelector("transfer", key))
	require.NoError(t, chromedp.Do(d.tab, chromedp.SetUploadFiles(chromedp.ID("upload-input"), []string{big})))
	d.poll(`(() => { const r = document.querySelector(` + row + `); return r && r.dataset.state === 'running' && r.querySelector('progress').value > 0; })()`)
	d.eval(`document.querySelector(` + jsString(rowSelector("transfer", key)+" button") + `).click(), true`)
	d.poll(`document.querySelector(` + row + `)?.dataset.state === 'cancelled'`)

	require.NoError(t, chromedp.Do(d.tab, chromedp.Reload()))
	d.waitReady()
	pending := `#pending-list li[data-key=` + jsString(key) + `]`
	listed, _ := d.poll(`!document.getElementById('pending').hidden && document.querySelector(` + jsString(pending) + `)?.innerText`).(string)
	assert.Contains(t, listed, "big.bin")

	_, err := chromedp.Run(d.tab, func(ctx context.Context, t *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, t, page.SetInterceptFileChooserDialog, page.SetInterceptFileChooserDialogParams{Enabled: true})
	})
	require.NoError(t, err)
	chooser := chromedp.Events(d.tab, page.FileChooserOpened)
	require.NoError(t, chromedp.Do(d.tab, chromedp.Focus(chromedp.CSS(pending+` button[aria-label^="Resume"]`)), chromedp.KeyEvent("\r")))
	for opened, err := range chooser {
		require.NoError(t, err)
		require.NoError(t, chromedp.Do(d.tab, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: []string{big}, BackendNodeID: opened.BackendNodeID})
			return err
		})))
		break
	}
	var done transferState
	d.pollInto(`(() => { const r = document.querySelector(`+row+`);
		return r && r.dataset.state !== 'running' && { Key: r.dataset.key, State: r.dataset.state, Text: r.innerText }; })()`, &done)
	require.Equal(t, "done", done.State, done.Text)
	d.poll(`document.getElementById('pending').hidden`)
	link, _ := d.poll(`document.querySelector(` + jsString(rowSelector("object", key)+" a.download") + `)?.href`).(string)
	assert.Equal(t, sha256Hex(readFile(t, big)), d.fetch(link).SHA256, "the resumed upload stored the whole file")
	assert.Empty(t, d.console.errors(nothingExcused), "console errors")
}
