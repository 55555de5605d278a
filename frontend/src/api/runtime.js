import { EventsOn, EventsOff } from '../../wailsjs/runtime/runtime'
import { SESSION_CHANGED } from './events'

// Subscribes to a Go event; returns a function that unsubscribes.
export function onEvent(name, handler) {
  const off = EventsOn(name, (...data) => handler(...data))
  if (typeof off === 'function') return off
  return () => EventsOff(name)
}

// handler receives { session: Session | null, reason }
export function onSessionChanged(handler) {
  return onEvent(SESSION_CHANGED, (payload) => {
    const p = payload && typeof payload === 'object' ? payload : {}
    handler({ session: p.session || null, reason: p.reason || '' })
  })
}
