package emulator

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"strconv"

	xdraw "golang.org/x/image/draw"
)

// The image operations of x-oss-process (https://www.alibabacloud.com/help/en/oss/user-guide/resize-images-4,
// crop-images, rotate-images): each takes the image and the step's parameters and returns the
// new image. They never enlarge memory beyond maxImagePixels: checkSize runs on every result.

// Parameter bounds OSS documents.
const (
	// maxResizeSide bounds resize's w, h, l and s.
	maxResizeSide = 16384
	// maxResizePercent bounds resize's p.
	maxResizePercent = 1000
)

// resizeImage is image/resize: w, h (or l, the longer side, and s, the shorter), or p (a
// percentage); m = lfit (default: fit inside w×h), mfit (cover w×h), fill (cover, then crop the
// centre to w×h), pad (fit, then pad to w×h with color, default FFFFFF) or fixed (exactly w×h);
// limit_1 (default) returns the image unchanged when it would be enlarged.
func resizeImage(img image.Image, p stepParams) (image.Image, error) {
	b := img.Bounds()
	sw, sh := float64(b.Dx()), float64(b.Dy())
	if pct, ok, err := p.intIn("p", 1, maxResizePercent); err != nil {
		return nil, err
	} else if ok {
		if pct > 100 && p.limit() {
			return img, nil
		}
		return scaled(img, scaledSide(sw, float64(pct)/100), scaledSide(sh, float64(pct)/100)), nil
	}
	w, h, err := resizeBox(p, sw >= sh)
	if err != nil {
		return nil, err
	}
	mode := p.str("m", "lfit")
	sx, sy := float64(w)/sw, float64(h)/sh
	if w == 0 {
		sx = sy
	}
	if h == 0 {
		sy = sx
	}
	scale := math.Min(sx, sy)
	switch mode {
	case "lfit", "pad":
	case "mfit", "fill":
		scale = math.Max(sx, sy)
	case "fixed":
		if p.limit() && (sx > 1 || sy > 1) {
			return img, nil
		}
		return scaled(img, scaledSide(sw, sx), scaledSide(sh, sy)), nil
	default:
		return nil, errImageArgument("resize", "m", mode, "must be lfit, mfit, fill, pad or fixed")
	}
	if scale > 1 && p.limit() {
		return img, nil
	}
	out := scaled(img, scaledSide(sw, scale), scaledSide(sh, scale))
	switch {
	case mode == "fill" && w > 0 && h > 0:
		return cropRect(out, centred(out.Bounds(), w, h)), nil
	case mode == "pad" && w > 0 && h > 0:
		bg, err := p.color("color", color.White)
		if err != nil {
			return nil, err
		}
		return padded(out, w, h, bg), nil
	}
	return out, nil
}

// resizeBox reads the target box of a resize: w and h, or l and s (the longer and the shorter
// side, mapped to w and h by the image's orientation); 0 means unconstrained.
func resizeBox(p stepParams, landscape bool) (w, h int, err error) {
	vals := map[string]int{}
	for _, name := range []string{"w", "h", "l", "s"} {
		v, _, err := p.intIn(name, 1, maxResizeSide)
		if err != nil {
			return 0, 0, err
		}
		vals[name] = v
	}
	w, h = vals["w"], vals["h"]
	if long, short := vals["l"], vals["s"]; long > 0 || short > 0 {
		if landscape {
			w, h = long, short
		} else {
			w, h = short, long
		}
	}
	if w == 0 && h == 0 {
		return 0, 0, errImageArgument("resize", "w", "", "needs w, h, l, s or p")
	}
	return w, h, nil
}

// scaledSide is a side length times scale, at least one pixel.
func scaledSide(side, scale float64) int {
	return max(1, int(math.Round(side*scale)))
}

// scaled is img resampled (bilinear) to w×h.
func scaled(img image.Image, w, h int) image.Image {
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	xdraw.BiLinear.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	return dst
}

// centred is the w×h rectangle at the centre of r (clipped to it).
func centred(r image.Rectangle, w, h int) image.Rectangle {
	x := r.Min.X + (r.Dx()-w)/2
	y := r.Min.Y + (r.Dy()-h)/2
	return image.Rect(x, y, x+w, y+h).Intersect(r)
}

// padded is img centred on a w×h canvas of colour bg.
func padded(img image.Image, w, h int, bg color.Color) image.Image {
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	b := img.Bounds()
	at := image.Pt((w-b.Dx())/2, (h-b.Dy())/2)
	draw.Draw(dst, image.Rectangle{Min: at, Max: at.Add(b.Size())}, img, b.Min, draw.Over)
	return dst
}

// cropRect copies the rectangle r of img into a new image.
func cropRect(img image.Image, r image.Rectangle) image.Image {
	dst := image.NewNRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(dst, dst.Bounds(), img, r.Min, draw.Src)
	return dst
}

// gravityOrigins maps crop's g to the fraction of the free space before the crop box, per axis.
var gravityOrigins = map[string][2]float64{
	"nw": {0, 0}, "north": {0.5, 0}, "ne": {1, 0},
	"west": {0, 0.5}, "center": {0.5, 0.5}, "east": {1, 0.5},
	"sw": {0, 1}, "south": {0.5, 1}, "se": {1, 1},
}

// cropImage is image/crop: a w×h box (default: to the image's edge) placed by g (nw, north,
// ne, west, center, east, sw, south, se; default nw) and moved by x, y from there; the box is
// cut to the image. A start outside the image is InvalidArgument.
func cropImage(img image.Image, p stepParams) (image.Image, error) {
	b := img.Bounds()
	vals := map[string]int{}
	for _, name := range []string{"x", "y", "w", "h"} {
		v, _, err := p.intIn(name, 0, math.MaxInt32)
		if err != nil {
			return nil, err
		}
		vals[name] = v
	}
	w, h := vals["w"], vals["h"]
	if w == 0 {
		w = b.Dx()
	}
	if h == 0 {
		h = b.Dy()
	}
	g := p.str("g", "nw")
	origin, ok := gravityOrigins[g]
	if !ok {
		return nil, errImageArgument("crop", "g", g, "must be nw, north, ne, west, center, east, sw, south or se")
	}
	x0 := b.Min.X + int(origin[0]*float64(max(b.Dx()-w, 0))) + vals["x"]
	y0 := b.Min.Y + int(origin[1]*float64(max(b.Dy()-h, 0))) + vals["y"]
	if x0 >= b.Max.X || y0 >= b.Max.Y {
		return nil, errImageArgument("crop", "x", strconv.Itoa(vals["x"]), "places the crop box outside the image")
	}
	return cropRect(img, image.Rect(x0, y0, x0+w, y0+h).Intersect(b)), nil
}

// rotateImage is image/rotate,<degrees>: clockwise by 0–360 degrees. Right angles are exact;
// other angles enlarge the canvas to hold the turned image, the corners filled with bg.
func rotateImage(img image.Image, p stepParams, bg color.Color) (image.Image, error) {
	deg, ok, err := p.intIn("", 0, 360)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errImageArgument("rotate", "", "", "needs an angle from 0 to 360")
	}
	b := img.Bounds()
	rad := float64(deg%360) * math.Pi / 180
	sin, cos := math.Sin(rad), math.Cos(rad)
	if deg%90 == 0 {
		sin, cos = math.Round(sin), math.Round(cos)
	}
	sw, sh := float64(b.Dx()), float64(b.Dy())
	w := int(math.Round(math.Abs(sw*cos) + math.Abs(sh*sin)))
	h := int(math.Round(math.Abs(sw*sin) + math.Abs(sh*cos)))
	if err := checkPixels(w, h); err != nil {
		return nil, err
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	// Map each destination pixel centre back into the source (inverse rotation).
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)+0.5-float64(w)/2, float64(y)+0.5-float64(h)/2
			sx := dx*cos + dy*sin + sw/2
			sy := -dx*sin + dy*cos + sh/2
			if sx >= 0 && sy >= 0 && sx < sw && sy < sh {
				dst.Set(x, y, img.At(b.Min.X+int(sx), b.Min.Y+int(sy)))
			}
		}
	}
	return dst, nil
}
