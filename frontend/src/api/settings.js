import * as Settings from '../../wailsjs/go/app/Settings'
import { callGo } from './errors'
import { PROBE_STATUS } from './contract'

export { PROBE_STATUS }

const str = (v) => (typeof v === 'string' ? v : '')

function toView(v) {
  const view = v && typeof v === 'object' ? v : {}
  return { backend: str(view.backend), remoteUrl: str(view.remoteUrl), version: str(view.version) }
}

// The backend kinds Go offers, in order (the first is the default):
// [{ name, label, description, needsAddress, canProbe }]
export async function listBackendKinds() {
  const kinds = await callGo(Settings.Kinds)
  return (Array.isArray(kinds) ? kinds : []).map((k) => ({
    name: str(k?.name),
    label: str(k?.label),
    description: str(k?.description),
    needsAddress: k?.needsAddress === true,
    canProbe: k?.canProbe === true,
  }))
}

// { backend, remoteUrl, version }
export async function getSettings() {
  return toView(await callGo(Settings.Get))
}

// Go validates, stores and, when the backend in use changes, ends the current
// session (emitting session:changed) and switches. Resolves to
// { settings, switched }; rejects with an AppError ('invalid' for a bad address).
export async function saveSettings({ backend, remoteUrl }) {
  const r = (await callGo(Settings.Save, { backend, remoteUrl: remoteUrl ?? '' })) || {}
  return { settings: toView(r.settings), switched: r.switched === true }
}

// Go's verdict on the form, without saving or contacting anyone:
// { ok, remoteUrl (as it would be saved), message, warning, changed, switches }.
export async function checkSettings({ backend, remoteUrl }) {
  const r = (await callGo(Settings.Check, { backend, remoteUrl: remoteUrl ?? '' })) || {}
  return {
    ok: r.ok === true,
    remoteUrl: str(r.remoteUrl),
    message: str(r.message),
    warning: str(r.warning),
    changed: r.changed === true,
    switches: r.switches === true,
  }
}

// { url, status: one of PROBE_STATUS, reason }; an invalid address rejects ('invalid').
export async function testConnection({ backend, remoteUrl }) {
  const r = (await callGo(Settings.TestConnection, { backend, remoteUrl: remoteUrl ?? '' })) || {}
  return {
    url: str(r.url),
    status: typeof r.status === 'string' ? r.status : PROBE_STATUS.UNREACHABLE,
    reason: str(r.reason),
  }
}
