// The stores move the person between pages (to the login page when a session
// ends, home after signing in), and the router's guard reads the auth store.
// Importing the router into a store would make that an import cycle, so the
// stores reach the router through this holder, which createAppRouter fills.
let current = null

export function setNavigation(router) {
  current = router
}

// The app's router. Throws if none was created yet: that is a wiring bug.
export function navigation() {
  if (!current) throw new Error('AuthDesk: no router yet (createAppRouter was not called)')
  return current
}
