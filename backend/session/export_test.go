package session

// SetAfterTick lets tests know when a tick has been fully handled (including
// any refresh it waited for), so they never sleep.
func SetAfterTick(m *Manager, f func()) { m.afterTick = f }
