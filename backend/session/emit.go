package session

import "sync"

// emitter delivers OnChange calls one at a time in the order the changes
// happened, without holding the Manager's lock, so a callback may call
// Manager.Session. Tickets are taken under the Manager's lock (which fixes the
// order) and served here in ticket order.
type emitter struct {
	mu     sync.Mutex
	cond   sync.Cond
	issued uint64 // guarded by Manager.mu
	served uint64 // guarded by mu
}

func (e *emitter) init() { e.cond.L = &e.mu }

// deliver waits for ticket's turn, runs fn, and lets the next ticket go.
func (e *emitter) deliver(ticket uint64, fn func()) {
	e.mu.Lock()
	for e.served != ticket {
		e.cond.Wait()
	}
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		e.served++
		e.cond.Broadcast()
		e.mu.Unlock()
	}()
	fn()
}

// unlockEmit releases m.mu and reports the change to OnChange. It must be
// called with m.mu held, right after the change.
func (m *Manager) unlockEmit(s *Session, r Reason) {
	ticket := m.events.issued
	m.events.issued++
	m.mu.Unlock()
	m.events.deliver(ticket, func() {
		if m.OnChange != nil {
			m.OnChange(s, r)
		}
	})
}
