package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoBrowsePagesAndCredentials uploads 21 small files at once: the list shows them 20
// per page (ListObjectsV2 continuation tokens), forward and back. The Credentials panel
// counts down to the expiry and logs a refresh as it happens.
func TestDemoBrowsePagesAndCredentials(t *testing.T) {
	d := openDemo(t, "/", 1280, 2*time.Minute)
	countdown, _ := d.poll(`(t => /^\d+ min \d+ s left \(until .+\); next refresh at .+\.$/.test(t) && t)(document.getElementById('countdown').textContent)`).(string)
	t.Logf("countdown: %s", countdown)
	d.eval(`document.getElementById('refresh-now').click(), true`)
	refresh, _ := d.poll(`document.querySelectorAll('#refresh-log li').length === 2 && document.querySelector('#refresh-log li').textContent`).(string)
	assert.Contains(t, refresh, "Refreshed: the vending server answered with the same credentials")

	dir := t.TempDir()
	var paths []string
	for i := range 21 {
		p := filepath.Join(dir, fmt.Sprintf("file-%02d.txt", i))
		require.NoError(t, os.WriteFile(p, []byte(p), 0o644))
		paths = append(paths, p)
	}
	require.NoError(t, chromedp.Do(d.tab, chromedp.SetUploadFiles(chromedp.ID("upload-input"), paths)))
	d.poll(`(rows => rows.length === 21 && rows.every((r) => r.dataset.state === 'done'))([...document.querySelectorAll('#transfers li.transfer')])`)
	// page waits for a page of want rows, listed after all 21 objects exist (then page 1 has a
	// next page), and returns their names.
	page := func(want int, next bool) []any {
		t.Helper()
		names, _ := d.poll(fmt.Sprintf(`(rows => rows.length === %d && document.getElementById('page-next').disabled === %t &&
			rows.map((r) => r.querySelector('.name').textContent))([...document.querySelectorAll('#objects li.object')])`, want, !next)).([]any)
		return names
	}
	first := page(20, true)
	assert.Equal(t, "file-00.txt", first[0])
	assert.Equal(t, "file-19.txt", first[19])
	d.eval(`document.getElementById('page-next').click(), true`)
	assert.Equal(t, []any{"file-20.txt"}, page(1, false))
	assert.Equal(t, "Page 2", d.eval(`document.getElementById('page-number').textContent`))
	d.eval(`document.getElementById('page-prev').click(), true`)
	assert.Equal(t, first, page(20, true))
	assert.Empty(t, d.console.errors(nothingExcused), "console errors")
}
