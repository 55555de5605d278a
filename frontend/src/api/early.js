// index.html's boot script asks Go for the session and the login page's
// backend information as soon as the Wails runtime is on the page, before
// this bundle has even loaded, so the answers are there when the app starts
// (see `make bench`). earlyOr hands each answer out once, to the first
// getSession() or getLoginInfo(), as a stand-in for the binding call; later
// calls get the binding and ask Go again.
export function earlyOr(name, call) {
  const early = globalThis.__authdeskEarly
  const answer = early?.[name]
  if (!answer || typeof answer.then !== 'function') return call
  early[name] = null
  return () => answer
}
