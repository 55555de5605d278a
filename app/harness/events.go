package harness

import (
	"encoding/json"
	"sync"
)

// Event is one Go -> UI event as the page's shim receives it.
type Event struct {
	Name string `json:"name"`
	Data []any  `json:"data"`
}

// Broker stands in for the Wails runtime (it satisfies app.Runtime): events go
// to every connected page over server-sent events.
type Broker struct {
	mu     sync.Mutex
	subs   map[chan []byte]struct{}
	shown  int
	opened []string // addresses Go asked the system browser to open
}

// NewBroker returns a Broker with no page connected yet.
func NewBroker() *Broker {
	return &Broker{subs: map[chan []byte]struct{}{}}
}

// Subscribe returns a channel of encoded events and a function to stop.
func (b *Broker) Subscribe() (<-chan []byte, func()) {
	ch := make(chan []byte, 64)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		delete(b.subs, ch)
		b.mu.Unlock()
	}
}

// EventsEmit sends an event to every connected page. A page too slow to keep
// 64 events queued misses some, as a stalled webview would.
func (b *Broker) EventsEmit(name string, data ...any) {
	if data == nil {
		data = []any{}
	}
	msg, err := json.Marshal(Event{Name: name, Data: data})
	if err != nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- msg:
		default:
		}
	}
}

// ShowWindow has no window to show; it is counted so tests can see the call.
func (b *Broker) ShowWindow() {
	b.mu.Lock()
	b.shown++
	b.mu.Unlock()
}

// BrowserOpenURL stands in for the system browser: the address is recorded
// for the test, which opens it in a page of its own (GET /__harness/opened).
func (b *Broker) BrowserOpenURL(url string) {
	b.mu.Lock()
	b.opened = append(b.opened, url)
	b.mu.Unlock()
}

// Opened is what the test sees of the system browser and the window: every
// address Go opened, and how often the window was brought to the front.
type Opened struct {
	URLs  []string `json:"urls"`
	Shown int      `json:"shown"`
}

func (b *Broker) openedSoFar() Opened {
	b.mu.Lock()
	defer b.mu.Unlock()
	return Opened{URLs: append([]string{}, b.opened...), Shown: b.shown}
}
