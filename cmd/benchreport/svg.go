package main

import (
	"strconv"
	"strings"
)

// Chart geometry, in SVG user units.
const (
	chartWidth  = 760
	labelWidth  = 330
	barHeight   = 18
	barGap      = 6
	chartMargin = 10
)

// chartSVG draws a table's bars as a horizontal bar chart: ossign's bars in blue, reference
// figures in grey, each with its value.
func chartSVG(t table) []byte {
	maxValue := 0.0
	for _, b := range t.bars {
		maxValue = max(maxValue, b.value)
	}
	height := 2*chartMargin + 24 + len(t.bars)*(barHeight+barGap)
	var s strings.Builder
	s.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="` + itoa(chartWidth) + `" height="` + itoa(height) +
		`" font-family="sans-serif" font-size="12">` + "\n")
	s.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	s.WriteString(`<text x="` + itoa(chartMargin) + `" y="` + itoa(chartMargin+12) + `" font-weight="bold">` + escape(t.chartUnit) + "</text>\n")
	span := float64(chartWidth - labelWidth - 2*chartMargin - 60)
	for i, b := range t.bars {
		y := chartMargin + 24 + i*(barHeight+barGap)
		w := 1.0
		if maxValue > 0 {
			w = max(1, b.value/maxValue*span)
		}
		color := "#2f6fdf"
		if b.ref {
			color = "#9a9a9a"
		}
		s.WriteString(`<text x="` + itoa(labelWidth) + `" y="` + itoa(y+13) + `" text-anchor="end">` + escape(b.label) + "</text>\n")
		s.WriteString(`<rect x="` + itoa(labelWidth+8) + `" y="` + itoa(y) + `" width="` + strconv.FormatFloat(w, 'f', 1, 64) +
			`" height="` + itoa(barHeight) + `" fill="` + color + `"/>` + "\n")
		s.WriteString(`<text x="` + strconv.FormatFloat(float64(labelWidth+12)+w, 'f', 1, 64) + `" y="` + itoa(y+13) + `">` +
			figure(b.value, true) + "</text>\n")
	}
	s.WriteString("</svg>\n")
	return []byte(s.String())
}

func itoa(n int) string { return strconv.Itoa(n) }

// escape escapes text for SVG.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "`", "").Replace(s)
}
