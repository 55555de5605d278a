// Names of the events Go emits to the UI, from the generated contract.
import { EVENTS, SESSION_REASONS } from './contract'

// Payload: { session: Session | null, reason: one of SESSION_REASONS }
export const SESSION_CHANGED = EVENTS.SESSION_CHANGED

export { SESSION_REASONS }
