package emulator

import (
	"encoding/hex"
	"image/color"
	"net/http"
	"strconv"
	"strings"
)

// imageStep is one operation of an x-oss-process image chain, "name,k_v,k_v" (rotate's angle
// and format's format are bare values, under the name "").
type imageStep struct {
	name   string
	params stepParams
}

// stepParams are a step's parameters by name.
type stepParams struct {
	op     string
	values map[string]string
}

// parseImageSteps parses "image/<op>[,params]/<op>…". OSS's image operations the emulator
// lacks are NotImplemented (IMG's 501, https://www.alibabacloud.com/help/en/oss/user-guide/common-errors);
// names OSS does not know are InvalidArgument naming the operation (what OSS answers for them
// is not documented: the emulator chooses IMG's code for an invalid parameter).
func parseImageSteps(process string) ([]imageStep, error) {
	chain, ok := strings.CutPrefix(process, "image/")
	if !ok {
		kind, _, _ := strings.Cut(process, "/")
		if kind == "style" || kind == "video" || kind == "doc" || kind == "audio" {
			return nil, errNotImplemented("x-oss-process " + kind + "/ (only image/ operations)")
		}
		return nil, errInvalidArgument("x-oss-process must start with image/ (such as image/resize,w_100).", "x-oss-process", process)
	}
	var steps []imageStep
	for _, part := range strings.Split(chain, "/") {
		fields := strings.Split(part, ",")
		s := imageStep{name: fields[0], params: stepParams{op: fields[0], values: map[string]string{}}}
		for _, f := range fields[1:] {
			k, v, found := strings.Cut(f, "_")
			if !found {
				k, v = "", f
			}
			s.params.values[k] = v
		}
		switch {
		case imageOps[s.name]:
		case ossOnlyImageOps[s.name]:
			return nil, errNotImplemented("the x-oss-process image operation " + s.name)
		default:
			return nil, errInvalidArgument("The x-oss-process image operation "+strconv.Quote(s.name)+" is not supported.", "x-oss-process", process)
		}
		steps = append(steps, s)
	}
	return steps, nil
}

// imageOps are the image operations the emulator performs.
var imageOps = setOf("info", "resize", "crop", "rotate", "format", "quality")

// ossOnlyImageOps are OSS image operations the emulator does not perform.
var ossOnlyImageOps = setOf("auto-orient", "average-hue", "blind-watermark", "blur", "bright", "circle",
	"contrast", "indexcrop", "interlace", "rounded-corners", "sharpen", "watermark")

// errImageArgument is 400 InvalidArgument for a bad parameter of an image operation.
func errImageArgument(op, name, value, why string) *ossError {
	label := op
	if name != "" {
		label += "," + name + "_"
	}
	return errInvalidArgument("x-oss-process "+label+": "+why+".", "x-oss-process", value)
}

// str returns the parameter name, or def when it is absent.
func (p stepParams) str(name, def string) string {
	if v, ok := p.values[name]; ok {
		return v
	}
	return def
}

// intIn returns the integer parameter name and whether it is present; a value that is not an
// integer from lo to hi is InvalidArgument.
func (p stepParams) intIn(name string, lo, hi int) (int, bool, error) {
	v, ok := p.values[name]
	if !ok {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, false, errImageArgument(p.op, name, v, "must be an integer from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
	return n, true, nil
}

// limit is resize's limit parameter: 1 (the default) never enlarges.
func (p stepParams) limit() bool { return p.str("limit", "1") != "0" }

// color returns the RRGGBB parameter name, def when absent.
func (p stepParams) color(name string, def color.Color) (color.Color, error) {
	v, ok := p.values[name]
	if !ok {
		return def, nil
	}
	rgb, err := hex.DecodeString(v)
	if err != nil || len(rgb) != 3 {
		return nil, errImageArgument(p.op, name, v, "must be a colour as RRGGBB hex")
	}
	return color.NRGBA{rgb[0], rgb[1], rgb[2], 0xff}, nil
}

// errImageTooLarge is 400 ImageTooLarge (IMG's code for an image over its limits).
func errImageTooLarge(why string) *ossError {
	return newOSSError(http.StatusBadRequest, "ImageTooLarge", "The image is too large to process: "+why+".")
}
