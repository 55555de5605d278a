// Client-side checks of a server address, in step with Go's remote.CheckURL
// (Go has the last word: Settings.CheckURL and Settings.Save check again).

export const URL_MESSAGES = Object.freeze({
  REQUIRED: "Enter the server's address, for example http://localhost:4000",
  SCHEME: 'The address must start with http:// or https://',
  HOST: 'The address must name a host, for example http://localhost:4000',
  PORT: 'The port must be a number from 1 to 65535',
  INVALID: 'That is not a valid address',
})

const SCHEME_RE = /^(https?):\/\/(.*)$/i

// '' when raw is an http(s) address with a host, otherwise why not.
export function serverUrlProblem(raw) {
  const s = typeof raw === 'string' ? raw.trim() : ''
  if (!s) return URL_MESSAGES.REQUIRED
  const m = SCHEME_RE.exec(s)
  if (!m) return URL_MESSAGES.SCHEME
  // The authority ends at the first / ? or #; without userinfo it is host[:port].
  const authority = m[2].split(/[/?#]/, 1)[0]
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1)
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.split(':', 1)[0]
  if (!host || host === '[]') return URL_MESSAGES.HOST
  const rest = hostPort.slice(host.length)
  if (rest.startsWith(':') && rest.length > 1) {
    const port = Number(rest.slice(1))
    if (!/^\d+$/.test(rest.slice(1)) || port < 1 || port > 65535) return URL_MESSAGES.PORT
  }
  try {
    const u = new URL(s)
    if (!u.hostname) return URL_MESSAGES.HOST
  } catch {
    return URL_MESSAGES.INVALID
  }
  return ''
}

export function isServerUrl(raw) {
  return serverUrlProblem(raw) === ''
}

// Roughly what Go saves: trimmed, no trailing slash, scheme and host in lower case.
// Used only to tell whether the form differs from the saved settings.
export function normalizeServerUrl(raw) {
  const s = (typeof raw === 'string' ? raw.trim() : '').replace(/\/+$/, '')
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(s)
  if (!m) return s
  return `${m[1].toLowerCase()}://${m[2].toLowerCase()}${m[3]}`
}
