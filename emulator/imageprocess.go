package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Image processing limits. OSS refuses source images over 20 MB or 30,000 pixels a side
// (https://www.alibabacloud.com/help/en/oss/user-guide/img-implementation-modes, "Limits");
// the emulator also refuses images (source or result) over 25 megapixels, a tenth of OSS's
// 250, so that processing stays within about 100 MB of memory.
const (
	maxImageSourceBytes = 20 << 20
	maxImageSide        = 30000
	maxImagePixels      = 25_000_000
	// maxProcessBody bounds a ProcessObject request body.
	maxProcessBody = 4 << 10
)

// defaultJPEGQuality is the quality of a JPEG result without image/quality.
const defaultJPEGQuality = 90

// processedImage is the result of an x-oss-process chain.
type processedImage struct {
	body        []byte
	contentType string
}

// serveProcessed answers GetObject with x-oss-process: the object's image transformed by the
// chain (JPEG, PNG and GIF; a GIF's first frame), or image/info's JSON.
func (c *call) serveProcessed(src io.Reader, size int64, process string) error {
	out, err := processImage(src, size, process)
	if err != nil {
		return err
	}
	h := c.w.Header()
	h.Set("Content-Type", out.contentType)
	h.Set("Content-Length", strconv.Itoa(len(out.body)))
	c.w.WriteHeader(http.StatusOK)
	_, err = c.w.Write(out.body)
	if err != nil {
		c.e.log.Debug("oss: processed image not fully sent", "request_id", c.id, "err", err)
	}
	return nil
}

// processImage runs an x-oss-process image chain on the size bytes of src.
func processImage(src io.Reader, size int64, process string) (*processedImage, error) {
	steps, err := parseImageSteps(process)
	if err != nil {
		return nil, err
	}
	if size > maxImageSourceBytes {
		return nil, errImageTooLarge("the source is over 20 MB")
	}
	data, err := io.ReadAll(io.LimitReader(src, maxImageSourceBytes))
	if err != nil {
		return nil, err
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, newOSSError(http.StatusBadRequest, "BadRequest", "The object is not an image the emulator can process (JPEG, PNG or GIF).")
	}
	if cfg.Width > maxImageSide || cfg.Height > maxImageSide {
		return nil, errImageTooLarge("a side is over 30000 pixels")
	}
	if err := checkPixels(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	if format == "jpeg" {
		format = "jpg"
	}
	if steps[0].name == "info" {
		if len(steps) > 1 {
			return nil, errInvalidArgument("image/info cannot be combined with other operations.", "x-oss-process", process)
		}
		return imageInfo(len(data), format, cfg), nil
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, newOSSError(http.StatusBadRequest, "BadRequest", "The image could not be decoded: "+err.Error()+".")
	}
	r := &imageRun{img: img, format: format, quality: defaultJPEGQuality}
	for _, s := range steps {
		if err := r.apply(s); err != nil {
			return nil, err
		}
	}
	return r.encode()
}

// imageInfo is image/info's answer: OSS's JSON of {"value": "…"} objects.
func imageInfo(fileSize int, format string, cfg image.Config) *processedImage {
	value := func(v string) map[string]string { return map[string]string{"value": v} }
	body, _ := json.Marshal(map[string]map[string]string{
		"FileSize":    value(strconv.Itoa(fileSize)),
		"Format":      value(format),
		"ImageHeight": value(strconv.Itoa(cfg.Height)),
		"ImageWidth":  value(strconv.Itoa(cfg.Width)),
	})
	return &processedImage{body: body, contentType: "application/json"}
}

// imageRun is an image being processed: the image, the format and the JPEG quality to encode
// it with.
type imageRun struct {
	img     image.Image
	format  string
	quality int
}

// apply runs one step.
func (r *imageRun) apply(s imageStep) error {
	var err error
	switch s.name {
	case "info":
		return errInvalidArgument("image/info cannot be combined with other operations.", "x-oss-process", "info")
	case "resize":
		r.img, err = resizeImage(r.img, s.params)
	case "crop":
		r.img, err = cropImage(r.img, s.params)
	case "rotate":
		r.img, err = rotateImage(r.img, s.params, r.background())
	case "format":
		r.format, err = outputFormat(s.params.str("", ""))
	case "quality":
		r.quality, err = jpegQuality(s.params)
	}
	if err != nil {
		return err
	}
	b := r.img.Bounds()
	return checkPixels(b.Dx(), b.Dy())
}

// background is the fill of new canvas area: white for JPEG (no transparency), else clear.
func (r *imageRun) background() color.Color {
	if r.format == "jpg" {
		return color.White
	}
	return color.Transparent
}

// encode writes the image in its format.
func (r *imageRun) encode() (*processedImage, error) {
	var buf bytes.Buffer
	var err error
	switch r.format {
	case "jpg":
		err = jpeg.Encode(&buf, r.img, &jpeg.Options{Quality: r.quality})
	case "png":
		err = png.Encode(&buf, r.img)
	case "gif":
		err = gif.Encode(&buf, r.img, nil)
	}
	if err != nil {
		return nil, err
	}
	return &processedImage{body: buf.Bytes(), contentType: "image/" + strings.Replace(r.format, "jpg", "jpeg", 1)}, nil
}

// outputFormat is image/format's target: jpg (or jpeg), png or gif. OSS's other formats
// (webp, bmp, tiff, heic, avif) are NotImplemented here: Go cannot encode them.
func outputFormat(f string) (string, error) {
	switch f {
	case "jpg", "jpeg":
		return "jpg", nil
	case "png", "gif":
		return f, nil
	case "webp", "bmp", "tiff", "heic", "avif":
		return "", errNotImplemented("image/format," + f + " (jpg, png and gif only)")
	}
	return "", errImageArgument("format", "", f, "must be jpg, png, gif, webp, bmp, tiff, heic or avif")
}

// jpegQuality is image/quality: q_ (relative to the source's quality, which the emulator takes
// as absolute) or Q_ (absolute), 1 to 100.
func jpegQuality(p stepParams) (int, error) {
	for _, name := range []string{"Q", "q"} {
		if q, ok, err := p.intIn(name, 1, 100); err != nil || ok {
			return q, err
		}
	}
	return 0, errImageArgument("quality", "q", "", "needs q or Q from 1 to 100")
}

// checkPixels refuses a w×h image over maxImagePixels.
func checkPixels(w, h int) error {
	if int64(w)*int64(h) > maxImagePixels {
		return errImageTooLarge(strconv.Itoa(w) + "×" + strconv.Itoa(h) + " is over the emulator's 25 megapixels")
	}
	return nil
}

// processObject is ProcessObject: POST ?x-oss-process with the body
// "x-oss-process=image/…|sys/saveas,o_<base64url key>[,b_<base64url bucket>]" stores the
// processed image as that object (in the same bucket without b_) and answers OSS's JSON.
// The signer needs oss:PostProcessTask and oss:GetObject on the source and oss:PutObject on
// the target.
func (c *call) processObject() error {
	body, err := io.ReadAll(io.LimitReader(c.r.Body, maxProcessBody+1))
	if err != nil {
		return err
	}
	process, _ := strings.CutPrefix(string(body), "x-oss-process=")
	chain, saveas, found := strings.Cut(process, "|sys/saveas,")
	if !found || len(body) > maxProcessBody {
		return errInvalidArgument("ProcessObject's body is x-oss-process=image/…|sys/saveas,o_<base64url key>[,b_<base64url bucket>].", "x-oss-process", process)
	}
	bucket, key, err := c.saveAsTarget(saveas)
	if err != nil {
		return err
	}
	m, f, err := c.e.store.open(c.bucket, c.key)
	if err != nil {
		return err
	}
	out, err := processImage(f.section(0, m.Size), m.Size, chain)
	f.Close()
	if err != nil {
		return err
	}
	st, err := stage(c.e.store.tmpDir, bytes.NewReader(out.body), maxObjectSize, synced)
	if err != nil {
		return err
	}
	saved := normalObject(key, st, c.now, map[string]string{"Content-Type": out.contentType}, nil)
	if err := c.e.store.put(bucket, saved, st, false); err != nil {
		return err
	}
	res, _ := json.Marshal(map[string]any{"bucket": bucket, "fileSize": saved.Size, "object": key, "status": "OK"})
	c.w.Header().Set("Content-Type", "application/json")
	c.w.Header().Set("Content-Length", strconv.Itoa(len(res)))
	c.w.WriteHeader(http.StatusOK)
	_, err = c.w.Write(res)
	return err
}

// saveAsTarget reads sys/saveas's o_ and b_ (URL-safe Base64) and checks the signer may read
// the source and write the target.
func (c *call) saveAsTarget(saveas string) (bucket, key string, err error) {
	p := stepParams{op: "sys/saveas", values: map[string]string{}}
	for _, f := range strings.Split(saveas, ",") {
		k, v, _ := strings.Cut(f, "_")
		p.values[k] = v
	}
	decode := func(name, def string) (string, error) {
		v, ok := p.values[name]
		if !ok {
			return def, nil
		}
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(v, "="))
		if err != nil {
			return "", errImageArgument("sys/saveas", name, v, "must be URL-safe Base64")
		}
		return string(raw), nil
	}
	if key, err = decode("o", ""); err != nil {
		return "", "", err
	}
	if bucket, err = decode("b", c.bucket); err != nil {
		return "", "", err
	}
	if err := checkObjectKey(key); err != nil {
		return "", "", err
	}
	if !validBucketName(bucket) || !c.e.store.hasBucket(bucket) {
		return "", "", errNoSuchBucket(bucket)
	}
	if err := c.authorizeAction("oss:GetObject", c.bucket, c.key, false); err != nil {
		return "", "", err
	}
	return bucket, key, c.authorizeAction("oss:PutObject", bucket, key, false)
}
