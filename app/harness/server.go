//go:build harness

package harness

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/authdesk/authdesk/app"
	"github.com/authdesk/authdesk/backend"
)

// Enabled is true in builds with `-tags harness`.
const Enabled = true

//go:embed shim.js
var shimSource string

// Serve runs the harness until ctx ends or a page calls runtime.Quit: it serves
// the frontend with the shim injected, answers binding calls from the real
// bound structs and streams Go events to the page.
func Serve(ctx context.Context, opts Options) error {
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return fmt.Errorf("harness address %q: %w", opts.Addr, err)
	}
	if !backend.IsLoopback(host) {
		return fmt.Errorf("harness address %q: only loopback addresses are allowed", opts.Addr)
	}
	disp, err := NewDispatcher(opts.Bound...)
	if err != nil {
		return err
	}
	index, err := fs.ReadFile(opts.Assets, "index.html")
	if err != nil {
		return fmt.Errorf("harness: the frontend build has no index.html (run the vite build first): %w", err)
	}
	index = injectShim(index)
	names, _ := json.Marshal(disp.Names())
	shim := strings.Replace(shimSource, "__BINDINGS__", string(names), 1)

	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	h := &handler{disp: disp, broker: opts.Broker, opts: opts, index: index, shim: shim, files: http.FileServerFS(opts.Assets), quit: cancel}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdownCtx, stop := context.WithTimeout(context.Background(), 2*time.Second)
		defer stop()
		srv.Shutdown(shutdownCtx)
	}()
	if opts.Ready != nil {
		fmt.Fprintf(opts.Ready, "harness listening on http://%s/\n", ln.Addr())
	}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func injectShim(index []byte) []byte {
	tag := []byte(`<script src="/__harness/shim.js"></script>`)
	if i := bytes.Index(index, []byte("<head>")); i >= 0 {
		i += len("<head>")
		return append(append(append([]byte{}, index[:i]...), tag...), index[i:]...)
	}
	return append(tag, index...)
}

type handler struct {
	disp   *Dispatcher
	broker *Broker
	opts   Options
	index  []byte
	shim   string
	files  http.Handler
	quit   func()
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/", "/index.html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(h.index)
	case "/__harness/shim.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		io.WriteString(w, h.shim)
	case "/__harness/call":
		h.call(w, r)
	case "/__harness/events":
		h.events(w, r)
	case "/__harness/log":
		var m struct{ Level, Message string }
		if json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&m) == nil {
			h.opts.Log.Info("ui log", "level", m.Level, "message", m.Message)
		}
		w.WriteHeader(http.StatusNoContent)
	case "/__harness/opened":
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(h.broker.openedSoFar())
	case "/__harness/quit":
		w.WriteHeader(http.StatusNoContent)
		h.quit()
	default:
		h.files.ServeHTTP(w, r)
	}
}

func (h *handler) call(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	var req struct {
		Name string            `json:"name"`
		Args []json.RawMessage `json:"args"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, "bad call: "+err.Error(), http.StatusBadRequest)
		return
	}
	result, err := h.disp.Call(req.Name, req.Args)
	w.Header().Set("Content-Type", "application/json")
	var ce *CallError
	switch {
	case errors.As(err, &ce):
		h.opts.Log.Error("harness call failed", "name", req.Name, "err", err)
		json.NewEncoder(w).Encode(map[string]any{"error": ce.Msg})
	case err != nil:
		json.NewEncoder(w).Encode(map[string]any{"error": app.ErrorFormatter(h.opts.Log)(err)})
	default:
		json.NewEncoder(w).Encode(map[string]any{"result": result})
	}
}

func (h *handler) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch, stop := h.broker.Subscribe()
	defer stop()
	io.WriteString(w, ": connected\n\n")
	flusher.Flush()
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg := <-ch:
			fmt.Fprintf(w, "data: %s\n\n", msg)
			flusher.Flush()
		case <-keepalive.C:
			io.WriteString(w, ": keepalive\n\n")
			flusher.Flush()
		}
	}
}
