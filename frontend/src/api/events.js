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

// The desktop shell (menu and theme). Keep in step with app/events.go.
// Payload: { theme: 'system' | 'light' | 'dark' }
export const THEME_CHANGED = 'theme:changed'
// Payload: the route a menu item opens, e.g. '/settings'
export const MENU_NAVIGATE = 'menu:navigate'
// No payload: show the About dialog
export const MENU_ABOUT = 'menu:about'
// Payload: one of EDIT_COMMANDS, for the focused field
export const MENU_EDIT = 'menu:edit'
export const EDIT_COMMANDS = Object.freeze(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'])
