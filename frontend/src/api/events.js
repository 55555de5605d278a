// Names of the events Go emits to the UI, from the generated contract.
import { EVENTS, SESSION_REASONS } from './contract'

// Payload: { session: Session | null, reason: one of SESSION_REASONS }
export const SESSION_CHANGED = EVENTS.SESSION_CHANGED

export { SESSION_REASONS }

// The desktop shell (menu and theme).
// Payload: { theme: 'system' | 'light' | 'dark' }
export const THEME_CHANGED = EVENTS.THEME_CHANGED
// Payload: the route a menu item opens, e.g. '/settings'
export const MENU_NAVIGATE = EVENTS.MENU_NAVIGATE
// No payload: show the About dialog
export const MENU_ABOUT = EVENTS.MENU_ABOUT
// Payload: one of EDIT_COMMANDS, for the focused field
export const MENU_EDIT = EVENTS.MENU_EDIT
export const EDIT_COMMANDS = Object.freeze(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'])
