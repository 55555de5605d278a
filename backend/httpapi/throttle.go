package httpapi

import (
	"container/list"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Per-client throttling of the served auth routes. Each client address has a
// token bucket: Burst requests pass at once, and the bucket refills at Burst
// per Per, so a client that keeps going gets one request every Per/Burst.
//
// The anchors: PocketBase allows 2 auth requests per 3 s per IP; Supabase
// uses buckets of 30. A login bucket of 30 refilled over a minute (one
// attempt every 2 s once it is empty) never gets in the way of a person
// mistyping a password, a script or a shared office address, and holds a
// wrong-password flood from one address to 30 attempts a minute. Refresh is
// cheaper for the server and browser tabs refresh together, so its bucket
// is twice as large.
var (
	DefaultLoginRate   = Rate{Burst: 30, Per: time.Minute}
	DefaultRefreshRate = Rate{Burst: 60, Per: time.Minute}
)

// MaxTrackedClients bounds the throttle's memory: beyond it the client
// heard from least recently is forgotten (a bucket idle long enough is full
// again, so forgetting it changes nothing).
const MaxTrackedClients = 10_000

// Rate is a token bucket's size and the time it takes to refill completely.
// The zero Rate means no limit.
type Rate struct {
	Burst int
	Per   time.Duration
}

// Off reports whether r limits nothing.
func (r Rate) Off() bool { return r.Burst <= 0 || r.Per <= 0 }

// String is the form ParseRate reads: "30/1m0s", or "off".
func (r Rate) String() string {
	if r.Off() {
		return "off"
	}
	return strconv.Itoa(r.Burst) + "/" + r.Per.String()
}

// ParseRate reads "N/DURATION" (a bucket of N refilled over DURATION, e.g.
// "30/1m") or "off".
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "off") {
		return Rate{}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	burst, err := strconv.Atoi(n)
	if !ok || err != nil || burst < 1 || burst > 1_000_000 {
		return Rate{}, fmt.Errorf("%q: want N/DURATION, e.g. 30/1m (N from 1), or off", s)
	}
	d, err := time.ParseDuration(per)
	if err != nil || d <= 0 {
		return Rate{}, fmt.Errorf("%q: %q is not a positive duration (e.g. 1m, 30s)", s, per)
	}
	return Rate{Burst: burst, Per: d}, nil
}

// Limiter keeps one token bucket per client address. It is safe for
// concurrent use. The zero Limiter is not usable; use NewLimiter.
type Limiter struct {
	rate Rate
	max  int
	now  func() time.Time

	mu      sync.Mutex
	buckets map[string]*list.Element // of *bucket; front = heard from most recently
	order   *list.List
}

type bucket struct {
	key    string
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// NewLimiter returns a Limiter with rate for at most maxClients addresses at
// a time (MaxTrackedClients when maxClients <= 0). now is the clock (nil
// means time.Now). A Rate that is Off gives a nil Limiter, which allows all.
func NewLimiter(rate Rate, maxClients int, now func() time.Time) *Limiter {
	if rate.Off() {
		return nil
	}
	if maxClients <= 0 {
		maxClients = MaxTrackedClients
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{rate: rate, max: maxClients, now: now, buckets: make(map[string]*list.Element), order: list.New()}
}

// Allow takes a token from key's bucket. When the bucket is empty it says
// how long until the next token, and takes nothing.
func (l *Limiter) Allow(key string) (ok bool, wait time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	perToken := l.rate.Per / time.Duration(l.rate.Burst)
	l.mu.Lock()
	defer l.mu.Unlock()
	var b *bucket
	if e, found := l.buckets[key]; found {
		l.order.MoveToFront(e)
		b = e.Value.(*bucket)
		if elapsed := now.Sub(b.at); elapsed > 0 {
			b.tokens = math.Min(float64(l.rate.Burst), b.tokens+float64(elapsed)/float64(perToken))
			b.at = now
		}
	} else {
		for len(l.buckets) >= l.max {
			oldest := l.order.Back()
			l.order.Remove(oldest)
			delete(l.buckets, oldest.Value.(*bucket).key)
		}
		b = &bucket{key: key, tokens: float64(l.rate.Burst), at: now}
		l.buckets[key] = l.order.PushFront(b)
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(perToken))
}

// Tracked is how many client addresses the limiter remembers now.
func (l *Limiter) Tracked() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// clientKey is the address a request is throttled by: the peer's IP, or
// for IPv6 its /64 (one machine usually holds a whole /64).
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// throttled puts l in front of h: a client whose bucket is empty gets 429
// with Retry-After and the backend is not asked at all.
func (s *Server) throttled(l *Limiter, h func(http.ResponseWriter, *http.Request, []string)) func(http.ResponseWriter, *http.Request, []string) {
	if l == nil {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request, seg []string) {
		if ok, wait := l.Allow(clientKey(r)); !ok {
			secs := RetryAfterSeconds(wait)
			writeRetryAfter(w, http.StatusTooManyRequests, secs,
				fmt.Sprintf("Too many attempts from your address. Try again in %d s.", secs))
			return
		}
		h(w, r, seg)
	}
}

// RetryAfterSeconds is a wait as the Retry-After header gives it: whole
// seconds, rounded up, at least 1.
func RetryAfterSeconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		return 1
	}
	return s
}

// writeRetryAfter answers a refusal that a later attempt may pass.
func writeRetryAfter(w http.ResponseWriter, status, secs int, msg string) {
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, status, msg)
}
