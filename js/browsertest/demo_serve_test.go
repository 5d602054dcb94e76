package browsertest

import (
	"crypto/sha256"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoScriptTagPage opens the second page, which loads dist/ossign.min.js with a classic
// <script> tag: it gets credentials, lists, and signs a link for the key typed in.
func TestDemoScriptTagPage(t *testing.T) {
	d := openDemo(t, "/script-tag.html", 390, time.Minute)
	prefix := d.vended().Prefix
	d.eval(`(() => { document.getElementById('key').value = ` + jsString(prefix+"a b.txt") + `;
		document.querySelector('#sign button[type=submit]').click(); return true; })()`)
	url, _ := d.poll(`document.getElementById('signed-url')?.textContent`).(string)
	assert.Contains(t, url, "/"+prefix+"a%20b.txt?")
	assert.Contains(t, url, "x-oss-signature=")
	files, _ := d.eval(`document.getElementById('files').innerText`).(string)
	assert.Contains(t, files, "Nothing here yet")
	d.requireFitsViewport("script-tag page at 390 px")
	assert.Empty(t, d.console.errors(nothingExcused), "console errors")
}

// TestDevServesBrotliWasm is `curl -H 'Accept-Encoding: br'` on the wasm that `ossign dev`
// serves: the bytes of dist/ossign.wasm.br with Content-Encoding, Vary and application/wasm.
func TestDevServesBrotliWasm(t *testing.T) {
	page, _ := startDev(t, filepath.Join(repoRoot, "web"), "-log-level", "warn")
	req, err := http.NewRequest(http.MethodGet, page+"/dist/ossign.wasm", nil)
	require.NoError(t, err)
	req.Header.Set("Accept-Encoding", "br")
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	want, err := os.ReadFile(filepath.Join(workDir, "dist", "ossign.wasm.br"))
	require.NoError(t, err)
	assert.Equal(t, "br", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))
	assert.Equal(t, "Accept-Encoding", resp.Header.Get("Vary"))
	assert.Equal(t, len(want), len(body))
	assert.Equal(t, sha256.Sum256(want), sha256.Sum256(body), "the bytes of ossign.wasm.br")
}
