// Light and dark colour modes (Bootstrap 5.3's data-bs-theme on <html>).
// Go owns the setting; the page works out what it means here, where the
// operating system's preference is known (prefers-color-scheme).

export const DARK_QUERY = '(prefers-color-scheme: dark)'

export function systemPrefersDark(win = window) {
  return typeof win.matchMedia === 'function' && win.matchMedia(DARK_QUERY).matches
}

// Whether the setting means dark now.
export function isDark(theme, systemDark) {
  if (theme === 'dark') return true
  if (theme === 'light') return false
  return systemDark === true
}

// Puts the colour mode on the document; returns whether it is dark.
export function applyTheme(theme, systemDark, doc = document) {
  const dark = isDark(theme, systemDark)
  const root = doc.documentElement
  root.setAttribute('data-bs-theme', dark ? 'dark' : 'light')
  root.setAttribute('data-theme', theme)
  return dark
}

// Calls handler(systemDark) whenever the OS switches; returns the unsubscribe.
export function onSystemThemeChange(handler, win = window) {
  if (typeof win.matchMedia !== 'function') return () => {}
  const mql = win.matchMedia(DARK_QUERY)
  const listener = (e) => handler(e.matches)
  mql.addEventListener('change', listener)
  return () => mql.removeEventListener('change', listener)
}
