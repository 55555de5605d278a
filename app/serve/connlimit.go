package serve

import (
	"container/list"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// DefaultMaxConns is how many connections serve holds open at once. Each is
// a file descriptor and a goroutine; a thousand is far beyond what the
// tutorial's clients need and far below the descriptor limit.
const DefaultMaxConns = 1000

// connLimiter caps the connections a server holds. Unlike a listener that
// just stops accepting at the cap (which lets a crowd of idle connections
// lock real clients out until they time out), it makes room: at the cap, a
// new connection replaces the one that has been idle longest. A connection
// is idle from when it is accepted until its first request has arrived, and
// between keep-alive requests. Only when every connection is in the middle of
// a request does Accept wait for one to finish.
//
// It tracks connections through the server's ConnState hook, which must be
// set to its connState method. Connections are returned unwrapped, so TLS
// connections stay *tls.Conn for the server.
type connLimiter struct {
	net.Listener
	max int

	mu     sync.Mutex
	freed  *sync.Cond
	conns  map[net.Conn]*list.Element // nil while a request is being served
	idle   *list.List                 // of net.Conn; front = idle longest
	closed bool

	evicted atomic.Int64
}

func newConnLimiter(ln net.Listener, max int) *connLimiter {
	l := &connLimiter{Listener: ln, max: max, conns: make(map[net.Conn]*list.Element), idle: list.New()}
	l.freed = sync.NewCond(&l.mu)
	return l
}

func (l *connLimiter) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	var victim net.Conn
	l.mu.Lock()
	for len(l.conns) >= l.max && !l.closed {
		if e := l.idle.Front(); e != nil {
			victim = e.Value.(net.Conn)
			l.forget(victim)
			break
		}
		l.freed.Wait() // all busy: wait for a request to finish
	}
	if l.closed {
		l.mu.Unlock()
		c.Close()
		return nil, net.ErrClosed
	}
	l.conns[c] = l.idle.PushBack(c)
	l.mu.Unlock()
	if victim != nil {
		victim.Close()
		l.evicted.Add(1)
	}
	return c, nil
}

// connState follows the server's connections: only idle ones may be
// closed to make room.
func (l *connLimiter) connState(c net.Conn, s http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, tracked := l.conns[c]
	if !tracked {
		return // evicted already, or not ours
	}
	switch s {
	case http.StateActive:
		if e != nil {
			l.idle.Remove(e)
			l.conns[c] = nil
		}
	case http.StateIdle:
		if e == nil {
			l.conns[c] = l.idle.PushBack(c)
		}
		l.freed.Broadcast()
	case http.StateHijacked, http.StateClosed:
		l.forget(c)
		l.freed.Broadcast()
	}
}

// forget stops tracking c. The caller holds mu.
func (l *connLimiter) forget(c net.Conn) {
	if e := l.conns[c]; e != nil {
		l.idle.Remove(e)
	}
	delete(l.conns, c)
}

func (l *connLimiter) Close() error {
	l.mu.Lock()
	l.closed = true
	l.freed.Broadcast()
	l.mu.Unlock()
	return l.Listener.Close()
}

// open is how many connections are held now.
func (l *connLimiter) open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}
