package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// thumbnailWay is one way BenchmarkChromiumThumbnails shows 50 thumbnails: the page
// (testdata/bench-thumbs-*.html), the folder of objects (thumbs: Cache-Control no-store;
// cached: private, max-age=3600; public: public-read, no-store), and whether the worker is
// stopped before each load.
type thumbnailWay struct {
	name, page, dir string
	stopWorker      bool
}

// thumbnailRounds are the ways, in two groups measured one after the other: objects no load
// may reuse, and objects the HTTP cache may keep (measured with the worker running throughout,
// as it is while a user browses: a restart signs new URLs).
var thumbnailRounds = [][]thumbnailWay{
	{
		{"ossign-page", "bench-thumbs-ossign.html", "thumbs", false},
		{"ossign-sw", "bench-thumbs-sw.html", "thumbs", false},
		{"ossign-sw-restarted", "bench-thumbs-sw.html", "thumbs", true},
		{"ali-oss", "bench-thumbs-alioss.html", "thumbs", false},
		{"public", "bench-thumbs-public.html", "public", false},
	},
	{
		{"ossign-page-cacheable", "bench-thumbs-ossign.html", "cached", false},
		{"ossign-sw-cacheable", "bench-thumbs-sw.html", "cached", false},
		{"ali-oss-cacheable", "bench-thumbs-alioss.html", "cached", false},
	},
}

// BenchmarkChromiumThumbnails measures a page of 50 private thumbnails (96×96 JPEGs of about
// 5 KB in the emulator), from navigation until every image has loaded, in the same run:
// ossign signing in the page (the script build: module and credentials fetched, 50
// signatureUrl V4), ossign's Service Worker installed and running (the page loads no signing
// code), the same worker stopped before each load (it starts again, compiles the module from
// its cache and fetches credentials), ali-oss 6.23 in the page (credentials fetched, 50
// signatureUrl V1), and as the floor the same images public (public-read, plain URLs: no
// credentials, no signing). These objects say Cache-Control: no-store, so no load reuses
// another's images. Then again with objects a browser may keep (private, max-age=3600): the
// worker signs the same URL for an object for 5 minutes, so the HTTP cache answers it, while
// URLs signed in the page change at every load. The HTTP cache is warm (scripts, module);
// median of 11 loads per way, the ways of a group interleaved, each round in another order.
// Run with -benchtime=1x.
func BenchmarkChromiumThumbnails(b *testing.B) {
	const loads, count = 11, 50
	env := newWorkerEnv(b)
	for i := range count {
		jpeg := thumbnailJPEG(b, i)
		name := fmt.Sprintf("%02d.jpg", i)
		env.putObject("thumbs/"+name, jpeg, "image/jpeg", "no-store")
		env.putObject("cached/"+name, jpeg, "image/jpeg", "private, max-age=3600")
		env.putPublicObject("public/"+name, jpeg, "image/jpeg", "no-store")
	}
	warm := startupCondition{name: "warm", cache: true}
	// sw.html installs the worker with the options the Service Worker page registers it with;
	// every way loads once to fill the HTTP cache.
	control := env.openWorkerPage(b, "", 10*time.Minute)
	pageURL := func(page, dir string) string {
		return env.base + "/" + page + "?dir=" + dir + "&endpoint=" + url.QueryEscape(env.srv.OSSEndpoint+"/"+transferBucket+"/")
	}
	samples := map[string][]float64{}
	for _, ways := range thumbnailRounds {
		for _, w := range ways {
			thumbnailsLoad(b, pageURL(w.page, w.dir), warm)
		}
		for i := range loads {
			// Each round starts with another way, so that no way always follows the same one (a
			// load can leave work behind, such as a module's optimizing compilation).
			for j := range ways {
				w := ways[(i+j)%len(ways)]
				if w.stopWorker {
					env.stopWorker(b, control)
				}
				samples[w.name] = append(samples[w.name], thumbnailsLoad(b, pageURL(w.page, w.dir), warm))
			}
		}
	}
	for _, ways := range thumbnailRounds {
		for _, w := range ways {
			v := samples[w.name]
			slices.Sort(v)
			b.ReportMetric(v[len(v)/2], "ms/"+w.name)
		}
	}
}

// thumbnailsLoad opens url in a new tab under condition c, waits for every image, and returns
// the time from navigation start until the last one loaded (ms); a broken image fails the
// benchmark.
func thumbnailsLoad(b testing.TB, url string, c startupCondition) float64 {
	b.Helper()
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	tab, cancelTimeout := context.WithTimeout(tab, time.Minute)
	defer cancelTimeout()
	if err := chromedp.Do(tab, startupNet(c), chromedp.Navigate(url)); err != nil {
		b.Fatalf("open %s: %v", url, err)
	}
	type loaded struct{ Ms, Broken float64 }
	got, err := chromedp.Run(tab, chromedp.Poll[loaded](`window.ready === true && { Ms: window.allLoadedMs, Broken: window.broken }`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		b.Fatalf("%s never showed its images: %v", url, err)
	}
	if got.Broken > 0 {
		b.Fatalf("%s: %v broken images", url, got.Broken)
	}
	return got.Ms
}

// thumbnailJPEG is a 96×96 JPEG of about 5 KB, different for each seed: a gradient with noise,
// as small photos are.
func thumbnailJPEG(b testing.TB, seed int) []byte {
	b.Helper()
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	img := image.NewRGBA(image.Rect(0, 0, 96, 96))
	for y := range 96 {
		for x := range 96 {
			n := uint8(rng.IntN(48))
			img.Set(x, y, color.RGBA{uint8(x*2) + n, uint8(y*2) + n, uint8(seed * 5), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}
