package browsertest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDevSmokeDemo runs `ossign dev` (emulator + vending in dev-anonymous mode + the web/ demo)
// and drives its page in Chromium: get a token, upload a file of random bytes through a signed
// PUT URL, download it through a signed GET URL; the bytes must come back identical.
func TestDevSmokeDemo(t *testing.T) {
	page, _ := startDev(t, filepath.Join(repoRoot, "web"), "-log-level", "warn")

	tab, cancelTab := chromedp.NewContext(browser)
	defer cancelTab()
	tab, cancelTimeout := context.WithTimeout(tab, 60*time.Second)
	defer cancelTimeout()
	require.NoError(t, chromedp.Do(tab, chromedp.Navigate(page)))
	_, err := chromedp.Run(tab, chromedp.Poll[bool]("window.demoReady === true"))
	require.NoError(t, err)
	// A file of random bytes, as if the user had picked it; then "Get a token".
	_, err = chromedp.Run(tab, chromedp.Evaluate[bool](`(() => {
		const bytes = new Uint8Array(200000);
		for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], 'random photo+1.bin', { type: 'application/octet-stream' }));
		document.getElementById('file').files = dt.files;
		document.getElementById('token').click();
		return true;
	})()`))
	require.NoError(t, err)
	_, err = chromedp.Run(tab, chromedp.Poll[bool]("!document.getElementById('roundtrip').disabled"))
	require.NoError(t, err, "no credentials")
	_, err = chromedp.Run(tab, chromedp.Evaluate[bool]("document.getElementById('roundtrip').click(), true"))
	require.NoError(t, err)
	result, err := chromedp.Run(tab, chromedp.Poll[map[string]any]("window.roundTripResult"))
	require.NoError(t, err, "the round trip never finished")
	status, err := chromedp.Run(tab, chromedp.Evaluate[string]("document.getElementById('status').textContent"))
	require.NoError(t, err)
	assert.Equal(t, true, result["same"], status)
	assert.Equal(t, float64(200000), result["bytes"])
	assert.Regexp(t, `^users/[0-9a-f]{32}/random photo\+1\.bin$`, result["key"])
}
