import * as Settings from '../../wailsjs/go/app/Settings'
import { callGo } from './errors'

export const BACKENDS = Object.freeze({ EMBEDDED: 'embedded', REMOTE: 'remote' })

// What Settings.TestConnection reports about a server address.
export const PROBE_STATUS = Object.freeze({
  REACHABLE: 'reachable',
  UNREACHABLE: 'unreachable',
  NOT_THIS_API: 'not_this_api',
})

function toView(v) {
  const view = v && typeof v === 'object' ? v : {}
  return {
    backend: view.backend === BACKENDS.REMOTE ? BACKENDS.REMOTE : BACKENDS.EMBEDDED,
    remoteUrl: typeof view.remoteUrl === 'string' ? view.remoteUrl : '',
    version: typeof view.version === 'string' ? view.version : '',
  }
}

// { backend: 'embedded' | 'remote', remoteUrl, version }
export async function getSettings() {
  return toView(await callGo(Settings.Get))
}

// Go validates, stores and, when the backend in use changes, ends the current
// session (emitting session:changed) and switches. Resolves to the saved view
// (the address normalised); rejects with an AppError ('invalid' for a bad address).
export async function saveSettings({ backend, remoteUrl }) {
  return toView(await callGo(Settings.Save, { backend, remoteUrl: remoteUrl ?? '' }))
}

// { url, status: one of PROBE_STATUS, reason }; an invalid address rejects ('invalid').
export async function testConnection(url) {
  const r = (await callGo(Settings.TestConnection, url)) || {}
  return {
    url: typeof r.url === 'string' ? r.url : '',
    status: typeof r.status === 'string' ? r.status : PROBE_STATUS.UNREACHABLE,
    reason: typeof r.reason === 'string' ? r.reason : '',
  }
}

// Checks a typed address without contacting it: { ok, url, message, warning }.
export async function checkUrl(url) {
  const r = (await callGo(Settings.CheckURL, url)) || {}
  return {
    ok: r.ok === true,
    url: typeof r.url === 'string' ? r.url : '',
    message: typeof r.message === 'string' ? r.message : '',
    warning: typeof r.warning === 'string' ? r.warning : '',
  }
}
