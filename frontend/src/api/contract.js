// Generated from Go by app/contract_test.go; do not edit. When Go's constants
// change, run: AUTHDESK_UPDATE_CONTRACT=1 go test ./app -run TestUIContract

export const ERROR_CODES = Object.freeze({
  BUSY: 'busy',
  CONFLICT: 'conflict',
  INTERNAL: 'internal',
  INVALID: 'invalid',
  MFA_ENDED: 'mfa_ended',
  MFA_REQUIRED: 'mfa_required',
  NOT_FOUND: 'not_found',
  TOO_MANY_REQUESTS: 'too_many_requests',
  UNAUTHORIZED: 'unauthorized',
  UNAVAILABLE: 'unavailable',
})

export const EVENTS = Object.freeze({
  SESSION_CHANGED: 'session:changed',
  THEME_CHANGED: 'theme:changed',
  MENU_NAVIGATE: 'menu:navigate',
  MENU_ABOUT: 'menu:about',
  MENU_EDIT: 'menu:edit',
  REMEMBER_CHANGED: 'remember:changed',
})

export const SESSION_REASONS = Object.freeze({
  LOGIN: 'login',
  REFRESH: 'refresh',
  LOGOUT: 'logout',
  EXPIRED: 'expired',
  REVOKED: 'revoked',
})

export const PROBE_STATUS = Object.freeze({
  REACHABLE: 'reachable',
  UNREACHABLE: 'unreachable',
  NOT_THIS_API: 'not_this_api',
})

export const PROVIDER_PROBE_STATUS = Object.freeze({
  REACHABLE: 'reachable',
  UNREACHABLE: 'unreachable',
  NOT_OIDC: 'not_oidc',
  MISCONFIGURED: 'misconfigured',
})
