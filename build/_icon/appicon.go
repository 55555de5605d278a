//go:build ignore

// appicon draws AuthDesk's icon: a blue (#0d6efd, Bootstrap's primary) shield
// with a white "A" on a white rounded square. It draws every size from the
// same shapes (no downscaling), so the small sizes stay sharp: strokes get a
// minimum width in pixels and the margins shrink.
//
//	go run build/_icon/appicon.go -o build/appicon.png            # 1024x1024
//	go run build/_icon/appicon.go -o build/windowicon.png -size 128
//	go run build/_icon/appicon.go -ico build/windows/icon.ico     # 16..256, PNG entries
//	go run build/_icon/appicon.go -hicolor DIR                   # DIR/<n>x<n>/apps/authdesk.png
//
// build/appicon.png, build/windowicon.png (the Linux window's icon: a
// 1024x1024 one cost ~30 ms of start-up to decode and hand to the window
// manager) and build/windows/icon.ico are committed (Wails would
// otherwise make the .ico by scaling appicon.png down, which blurs 16 and 32);
// scripts/package.sh makes the Linux hicolor sizes at package time, and
// scripts/package-test.sh checks the committed files are what this program draws.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

var (
	hicolorSizes = []int{16, 32, 48, 64, 128, 256, 512}
	icoSizes     = []int{256, 128, 64, 48, 32, 16} // the sizes Wails puts in its own .ico
)

type rgb struct{ r, g, b float64 }

var (
	blue   = rgb{0x0d, 0x6e, 0xfd}
	white  = rgb{0xff, 0xff, 0xff}
	border = rgb{0xc5, 0xcd, 0xd6}
)

// shapes for one output size n; all geometry in units of the icon (0..1).
type shapes struct {
	n                    float64
	margin, radius, edge float64 // the tile
	stroke, bar          float64 // the A
}

func newShapes(n int) shapes {
	px := 1 / float64(n)
	s := shapes{n: float64(n)}
	s.margin = math.Max(0.055, 0.5*px) // the tile nearly fills small icons
	if n <= 32 {
		s.margin = 0.5 * px
	}
	s.radius = 0.19
	s.edge = math.Max(0.008, 0.9*px) // a thin grey rim: the white tile stays visible on white
	s.stroke = math.Max(0.088, 1.7*px)
	s.bar = math.Max(0.066, 1.3*px)
	return s
}

// tile: inside the rounded square?
func (s shapes) tile(x, y float64) (in, rim bool) {
	d := roundedBoxDist(x-0.5, y-0.5, 0.5-s.margin, s.radius*(1-2*s.margin))
	return d <= 0, d > -s.edge && d <= 0
}

// signed distance to a rounded box centred at 0 with half-size h, corner r.
func roundedBoxDist(x, y, h, r float64) float64 {
	qx := math.Abs(x) - (h - r)
	qy := math.Abs(y) - (h - r)
	out := math.Hypot(math.Max(qx, 0), math.Max(qy, 0))
	return out + math.Min(math.Max(qx, qy), 0) - r
}

// shield: a flat-sided shield with a slight dip in the top edge and a
// pointed, curved bottom.
func (s shapes) shield(x, y float64) bool {
	const (
		cx, hw       = 0.5, 0.305
		top, dip     = 0.165, 0.035
		waist, point = 0.50, 0.875
	)
	dx := math.Abs(x - cx)
	if dx > hw {
		return false
	}
	u := dx / hw
	if y < top+dip*(1-u*u) {
		return false
	}
	if y <= waist {
		return true
	}
	if y > point {
		return false
	}
	t := (y - waist) / (point - waist)
	return dx <= hw*math.Cos(t*math.Pi/2)
}

// letterA: two slanted strokes joined at the apex, a cross bar, flat feet.
func (s shapes) letterA(x, y float64) bool {
	const (
		apexX, apexY = 0.5, 0.285
		footY        = 0.685
		footDX       = 0.145
		barY         = 0.555
	)
	if y > footY {
		return false
	}
	w := s.stroke / 2
	// Legs run from the apex to the feet; extend past the feet so the cut is flat.
	ext := 0.05
	lx, ly := apexX-footDX*(1+ext/(footY-apexY)), footY+ext
	rx, ry := apexX+footDX*(1+ext/(footY-apexY)), footY+ext
	if segDist(x, y, apexX, apexY, lx, ly) <= w || segDist(x, y, apexX, apexY, rx, ry) <= w {
		return true
	}
	if math.Abs(y-barY) <= s.bar/2 {
		// between the legs' centre lines at this height
		half := footDX * (y - apexY) / (footY - apexY)
		return math.Abs(x-apexX) <= half
	}
	return false
}

func segDist(px, py, ax, ay, bx, by float64) float64 {
	vx, vy := bx-ax, by-ay
	t := ((px-ax)*vx + (py-ay)*vy) / (vx*vx + vy*vy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(px-(ax+t*vx), py-(ay+t*vy))
}

// sample: colour and alpha at one point.
func (s shapes) sample(x, y float64) (rgb, float64) {
	in, rim := s.tile(x, y)
	if !in {
		return rgb{}, 0
	}
	switch {
	case s.shield(x, y) && !s.letterA(x, y):
		return blue, 1
	case rim:
		return border, 1
	default:
		return white, 1
	}
}

func draw(n int) *image.NRGBA {
	s := newShapes(n)
	ss := 8 // samples per axis
	if n >= 512 {
		ss = 4
	}
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	for py := 0; py < n; py++ {
		for px := 0; px < n; px++ {
			var r, g, b, a float64
			for j := 0; j < ss; j++ {
				for i := 0; i < ss; i++ {
					x := (float64(px) + (float64(i)+0.5)/float64(ss)) / float64(n)
					y := (float64(py) + (float64(j)+0.5)/float64(ss)) / float64(n)
					c, al := s.sample(x, y)
					r += c.r * al
					g += c.g * al
					b += c.b * al
					a += al
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(r / a)), G: uint8(math.Round(g / a)), B: uint8(math.Round(b / a)),
				A: uint8(math.Round(255 * a / float64(ss*ss))),
			})
		}
	}
	return img
}

func write(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeICO writes a Windows icon whose entries are PNGs (Windows Vista and
// later read those; Wails' resource compiler loads them too).
func writeICO(path string, sizes []int) error {
	var pngs [][]byte
	for _, n := range sizes {
		var b bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, draw(n)); err != nil {
			return err
		}
		pngs = append(pngs, b.Bytes())
	}
	var out bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&out, le, [3]uint16{0, 1, uint16(len(sizes))}) // reserved, type icon, count
	offset := 6 + 16*len(sizes)
	for i, n := range sizes {
		dim := uint8(n)
		if n >= 256 {
			dim = 0 // 0 means 256
		}
		binary.Write(&out, le, struct {
			W, H, Colours, Reserved uint8
			Planes, BitCount        uint16
			Size, Offset            uint32
		}{dim, dim, 0, 0, 1, 32, uint32(len(pngs[i])), uint32(offset)})
		offset += len(pngs[i])
	}
	for _, p := range pngs {
		out.Write(p)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, out.Bytes(), 0o644)
}

func main() {
	out := flag.String("o", "", "write one PNG here")
	size := flag.Int("size", 1024, "size of the -o PNG")
	hicolor := flag.String("hicolor", "", "write DIR/<n>x<n>/apps/authdesk.png for the freedesktop hicolor sizes")
	ico := flag.String("ico", "", "write a Windows .ico here")
	flag.Parse()
	if *out == "" && *hicolor == "" && *ico == "" {
		fmt.Fprintln(os.Stderr, "appicon: give -o FILE, -ico FILE and/or -hicolor DIR")
		os.Exit(2)
	}
	if *ico != "" {
		if err := writeICO(*ico, icoSizes); err != nil {
			fmt.Fprintln(os.Stderr, "appicon:", err)
			os.Exit(1)
		}
	}
	if *out != "" {
		if err := write(*out, draw(*size)); err != nil {
			fmt.Fprintln(os.Stderr, "appicon:", err)
			os.Exit(1)
		}
	}
	if *hicolor != "" {
		for _, n := range hicolorSizes {
			p := filepath.Join(*hicolor, fmt.Sprintf("%dx%d", n, n), "apps", "authdesk.png")
			if err := write(p, draw(n)); err != nil {
				fmt.Fprintln(os.Stderr, "appicon:", err)
				os.Exit(1)
			}
		}
	}
}
