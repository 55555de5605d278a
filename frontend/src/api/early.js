// index.html's boot script asks Go for the session, the login page's
// backend information and its stored "Keep me signed in" as soon as the
// Wails runtime is on the page, before this bundle has even loaded, so the
// answers are there when the app starts (see `make bench`) and the first
// frame shows them. earlyOr hands each answer out once, to the first
// getSession(), getLoginInfo() or getRemember(), as a stand-in for the
// binding call; later calls get the binding and ask Go again.
export function earlyOr(name, call) {
  const early = globalThis.__authdeskEarly
  const answer = early?.[name]
  if (!answer || typeof answer.then !== 'function') return call
  early[name] = null
  return () => answer
}

// endEarly drops the answers nobody took while the first frame was made
// (main.js calls it once that frame is on screen): "Keep me signed in" is
// only asked for by the login page, and one taken after a later logout
// could be out of date.
export function endEarly() {
  globalThis.__authdeskEarly = null
}
