// index.html's boot script asks Go for the session and the login page's
// backend information as soon as the Wails runtime is on the page, before
// this bundle has even loaded, so the answers are there when the app starts
// (see `make bench`). takeEarly hands each answer out once, to the first
// getSession() or getLoginInfo(); later calls ask Go again.
export function takeEarly(name) {
  const early = globalThis.__authdeskEarly
  const answer = early?.[name]
  if (!answer || typeof answer.then !== 'function') return null
  early[name] = null
  return answer
}
