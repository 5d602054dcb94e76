package emulator_test

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImageProcessing runs x-oss-process chains on a 200×100 PNG whose pixel (x, y) has red x
// and green y, and on a JPEG and a GIF of it, and checks the size, format and the pixels that
// show where the image went.
func TestImageProcessing(t *testing.T) {
	e := newEnv(t)
	pic := testPNG(t, 200, 100)
	src, err := decodeImage(pic)
	require.NoError(t, err)
	var jpg, gf bytes.Buffer
	require.NoError(t, jpeg.Encode(&jpg, src, &jpeg.Options{Quality: 95}))
	require.NoError(t, gif.Encode(&gf, src, nil))
	for key, data := range map[string][]byte{"pic.png": pic, "pic.jpg": jpg.Bytes(), "pic.gif": gf.Bytes()} {
		require.Equal(t, http.StatusOK, e.rootRequest("PUT", testBucket, key, "", nil, data).status)
	}
	cases := []struct {
		name, key, process string
		wantType           string
		wantW, wantH       int
		// at, when set, is a pixel of the result and the source pixel it must show (red, green).
		at, from *image.Point
	}{
		{name: "resize by width keeps the ratio", key: "pic.png", process: "image/resize,w_50", wantType: "image/png", wantW: 50, wantH: 25},
		{name: "resize lfit fits inside", key: "pic.png", process: "image/resize,w_50,h_50", wantType: "image/png", wantW: 50, wantH: 25},
		{name: "resize mfit covers", key: "pic.png", process: "image/resize,m_mfit,w_50,h_50", wantType: "image/png", wantW: 100, wantH: 50},
		{name: "resize fill covers and crops", key: "pic.png", process: "image/resize,m_fill,w_50,h_50", wantType: "image/png", wantW: 50, wantH: 50},
		{name: "resize pad fits and pads", key: "pic.png", process: "image/resize,m_pad,w_50,h_50", wantType: "image/png", wantW: 50, wantH: 50},
		{name: "resize fixed", key: "pic.png", process: "image/resize,m_fixed,w_30,h_60", wantType: "image/png", wantW: 30, wantH: 60},
		{name: "resize by the longer side", key: "pic.png", process: "image/resize,l_100", wantType: "image/png", wantW: 100, wantH: 50},
		{name: "resize by percentage", key: "pic.png", process: "image/resize,p_10", wantType: "image/png", wantW: 20, wantH: 10},
		{name: "no enlargement by default", key: "pic.png", process: "image/resize,w_400", wantType: "image/png", wantW: 200, wantH: 100},
		{name: "enlargement with limit_0", key: "pic.png", process: "image/resize,w_400,limit_0", wantType: "image/png", wantW: 400, wantH: 200},
		{name: "crop from the top left", key: "pic.png", process: "image/crop,x_10,y_20,w_30,h_40", wantType: "image/png", wantW: 30, wantH: 40,
			at: &image.Point{0, 0}, from: &image.Point{10, 20}},
		{name: "crop from the bottom right", key: "pic.png", process: "image/crop,w_30,h_40,g_se", wantType: "image/png", wantW: 30, wantH: 40,
			at: &image.Point{0, 0}, from: &image.Point{170, 60}},
		{name: "crop cut to the image", key: "pic.png", process: "image/crop,x_190,w_30", wantType: "image/png", wantW: 10, wantH: 100},
		{name: "rotate 90 clockwise", key: "pic.png", process: "image/rotate,90", wantType: "image/png", wantW: 100, wantH: 200,
			at: &image.Point{99, 0}, from: &image.Point{0, 0}},
		{name: "rotate 180", key: "pic.png", process: "image/rotate,180", wantType: "image/png", wantW: 200, wantH: 100,
			at: &image.Point{0, 0}, from: &image.Point{199, 99}},
		{name: "rotate 45 enlarges the canvas", key: "pic.png", process: "image/rotate,45", wantType: "image/png", wantW: 212, wantH: 212},
		{name: "JPEG to PNG", key: "pic.jpg", process: "image/format,png", wantType: "image/png", wantW: 200, wantH: 100},
		{name: "PNG to GIF", key: "pic.png", process: "image/format,gif", wantType: "image/gif", wantW: 200, wantH: 100},
		{name: "GIF rotated", key: "pic.gif", process: "image/rotate,270", wantType: "image/gif", wantW: 100, wantH: 200},
		{name: "chain: resize, rotate, JPEG at quality 50", key: "pic.png", process: "image/resize,w_100/rotate,90/format,jpg/quality,Q_50", wantType: "image/jpeg", wantW: 50, wantH: 100},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.rootRequest("GET", testBucket, tc.key, "x-oss-process="+url.QueryEscape(tc.process), nil, nil)
			require.Equal(t, http.StatusOK, resp.status, "body: %s", resp.body)
			assert.Equal(t, tc.wantType, resp.header.Get("Content-Type"))
			img, err := decodeImage(resp.body)
			require.NoError(t, err)
			assert.Equal(t, image.Pt(tc.wantW, tc.wantH), img.Bounds().Size())
			if tc.at != nil {
				r, g, _, _ := img.At(tc.at.X, tc.at.Y).RGBA()
				assert.Equal(t, [2]uint32{uint32(tc.from.X), uint32(tc.from.Y)}, [2]uint32{r >> 8, g >> 8}, "pixel %v shows source pixel %v", tc.at, tc.from)
			}
		})
	}

	t.Run("quality changes the JPEG size", func(t *testing.T) {
		size := func(q string) int {
			resp := e.rootRequest("GET", testBucket, "pic.png", "x-oss-process="+url.QueryEscape("image/format,jpg/quality,q_"+q), nil, nil)
			require.Equal(t, http.StatusOK, resp.status)
			return len(resp.body)
		}
		assert.Less(t, size("10"), size("95"))
	})
	t.Run("bad parameters", func(t *testing.T) {
		for _, process := range []string{"image/resize", "image/resize,w_0", "image/resize,w_99999", "image/resize,m_zoom,w_10",
			"image/crop,x_500", "image/crop,g_middle", "image/rotate", "image/rotate,400", "image/format,tga", "image/quality,q_0",
			"image/resize,m_pad,w_10,h_10,color_red", "image/info/resize,w_10", "text/resize"} {
			resp := e.rootRequest("GET", testBucket, "pic.png", "x-oss-process="+url.QueryEscape(process), nil, nil)
			assert.Equal(t, http.StatusBadRequest, resp.status, "%s: %s", process, resp.body)
			assert.Equal(t, "InvalidArgument", parseError(t, resp.body).Code, process)
		}
	})
}

// decodeImage decodes a PNG, JPEG or GIF (sdk_more_test.go imports image/png).
func decodeImage(data []byte) (image.Image, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	return img, err
}
