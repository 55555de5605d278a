// Names of the events Go emits to the UI. Keep in step with the Go side.

// Payload: { session: Session | null, reason: one of SESSION_REASONS }
export const SESSION_CHANGED = 'session:changed'

export const SESSION_REASONS = Object.freeze({
  LOGIN: 'login',
  REFRESH: 'refresh',
  LOGOUT: 'logout',
  EXPIRED: 'expired',
  REVOKED: 'revoked',
})
