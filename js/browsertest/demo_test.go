package browsertest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// demoFiles writes the two files the test picks: a small PNG (previewable) and 20 MiB of
// random bytes (a multipart upload). It returns their paths.
func demoFiles(t *testing.T) (photo, big string) {
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 400, 240))
	for y := range 240 {
		for x := range 400 {
			img.Set(x, y, color.RGBA{uint8(x * 255 / 400), uint8(y * 255 / 240), 160, 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	photo = filepath.Join(dir, "photo 1.png")
	require.NoError(t, os.WriteFile(photo, buf.Bytes(), 0o644))
	data := make([]byte, 20<<20)
	rng := rand.NewChaCha8([32]byte{9})
	_, _ = rng.Read(data)
	big = filepath.Join(dir, "big.bin")
	require.NoError(t, os.WriteFile(big, data, 0o644))
	return photo, big
}

// transferState is one row of the Upload panel.
type transferState struct {
	Key, State, Text string
	Value, Max       float64
}

// objectState is one row of the Browse panel.
type objectState struct {
	Key, Type, Link, Expires string
	Previewable              bool
}

// TestDemoUploadBrowseDownloadDelete drives the demo as a user would, on `ossign dev` (the
// built binary, the URL it prints): picks a small PNG and a 20 MiB file in the page's file
// input, waits for both progress bars to reach 100%, finds both in the list, downloads the
// large one through its signed link, previews the PNG (resized by x-oss-process) and deletes
// it with the keyboard; screenshots at 1280 and 390 px wide; the layout fits 390 px and the
// page logs no console error.
func TestDemoUploadBrowseDownloadDelete(t *testing.T) {
	d := openDemo(t, "/", 1280, 3*time.Minute)
	photo, big := demoFiles(t)
	prefix, _ := d.eval(`document.getElementById('browse-prefix').textContent`).(string)
	require.Regexp(t, `^users/[0-9a-f]{32}/$`, prefix)
	photoKey, bigKey := prefix+"photo 1.png", prefix+"big.bin"

	require.NoError(t, chromedp.Do(d.tab, chromedp.SetUploadFiles(chromedp.ID("upload-input"), []string{photo, big})))
	var transfers []transferState
	d.pollInto(`(() => {
		const rows = [...document.querySelectorAll('#transfers li.transfer')];
		if (rows.length < 2 || rows.some((r) => r.dataset.state === 'running')) return null;
		return rows.map((r) => { const bar = r.querySelector('progress');
			return { Key: r.dataset.key, State: r.dataset.state, Text: r.innerText, Value: bar.value, Max: bar.max }; });
	})()`, &transfers)
	sizes := map[string]float64{photoKey: fileSize(t, photo), bigKey: fileSize(t, big)}
	require.Len(t, transfers, 2)
	for _, tr := range transfers {
		require.Equal(t, "done", tr.State, tr.Text)
		assert.Equal(t, sizes[tr.Key], tr.Max, "%s: the bar counts the file's bytes", tr.Key)
		assert.Equal(t, tr.Max, tr.Value, "%s: the bar is at 100%%", tr.Key)
	}
	assert.Contains(t, transferText(transfers, bigKey), "multipart, 3 parts")
	assert.Contains(t, transferText(transfers, photoKey), "one PUT")

	objects := map[string]objectState{}
	for _, key := range []string{photoKey, bigKey} {
		var o objectState
		d.pollInto(`(() => { const row = document.querySelector(`+jsString(rowSelector("object", key))+`);
			if (!row || row.querySelector('.type').textContent === '…') return null;
			return { Key: row.dataset.key, Type: row.querySelector('.type').textContent, Link: row.querySelector('a.download').href,
				Expires: row.querySelector('.expires').textContent, Previewable: !row.querySelector('button[aria-label^="Preview"]').hidden }; })()`, &o)
		objects[key] = o
	}
	assert.Equal(t, "image/png", objects[photoKey].Type)
	assert.True(t, objects[photoKey].Previewable)
	assert.False(t, objects[bigKey].Previewable)
	assert.Regexp(t, `^\(the link is valid until `, objects[bigKey].Expires)

	assert.True(t, strings.HasPrefix(objects[bigKey].Link, d.url+"/oss/"+bigKey+"?download="), "the download goes through the Service Worker: %s", objects[bigKey].Link)
	download := d.fetch(objects[bigKey].Link)
	require.Equal(t, http.StatusOK, download.Status)
	assert.Equal(t, sha256Hex(readFile(t, big)), download.SHA256, "the download link gives back the uploaded bytes")
	assert.Contains(t, download.Disposition, "attachment")
	thumb := d.poll(`(() => { const img = document.querySelector(` + jsString(rowSelector("object", photoKey)+` img.thumb`) + `);
		return img && img.complete && img.naturalWidth; })()`)
	assert.EqualValues(t, 96, thumb, "the thumbnail, resized by OSS, through the Service Worker")
	shared, _ := d.eval(`document.querySelector(` + jsString(rowSelector("object", bigKey)+` button[aria-label^="Copy"]`) + `) !== null`).(bool)
	assert.True(t, shared, "a signed link to share")

	d.eval(`document.querySelector(` + jsString(rowSelector("object", photoKey)+` button[aria-label^="Preview"]`) + `).click()`)
	width := d.poll(`(() => { const img = document.querySelector(` + jsString(rowSelector("object", photoKey)+` .preview img`) + `);
		return img && img.complete && img.naturalWidth; })()`)
	assert.EqualValues(t, 160, width, "OSS resized the preview (x-oss-process image/resize,w_160)")

	d.screenshot("demo-desktop.png")
	require.NoError(t, chromedp.Do(d.tab, chromedp.EmulateViewport(390, 844)))
	d.requireFitsViewport("390 px wide, with files listed")
	d.screenshot("demo-390px.png")

	deleteButton := rowSelector("object", photoKey) + ` button[aria-label^="Delete"]`
	require.NoError(t, chromedp.Do(d.tab, chromedp.Focus(chromedp.CSS(deleteButton)), chromedp.KeyEvent("\r")))
	d.poll(`!document.querySelector(` + jsString(rowSelector("object", photoKey)) + `) && !!document.querySelector(` + jsString(rowSelector("object", bigKey)) + `)`)
	gone := d.fetch(d.url + "/oss/" + photoKey)
	assert.Equal(t, http.StatusNotFound, gone.Status, "the PNG is gone from the bucket")
	assert.Equal(t, "NoSuchKey", gone.Code)

	deletedFetch := func(m chromedp.ConsoleMessage) bool {
		return strings.HasSuffix(m.URL, "/photo%201.png") && strings.Contains(m.Text, "404")
	}
	assert.Empty(t, d.console.errors(deletedFetch), "console errors (but the test's own fetch of the deleted PNG)")
}

// transferText is the text of the upload row of key.
func transferText(rows []transferState, key string) string {
	for _, r := range rows {
		if r.Key == key {
			return r.Text
		}
	}
	return ""
}

func fileSize(t *testing.T, path string) float64 {
	info, err := os.Stat(path)
	require.NoError(t, err)
	return float64(info.Size())
}

func readFile(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// sha256Hex is the hex SHA-256 of b.
func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
