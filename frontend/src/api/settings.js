import * as Settings from '../../wailsjs/go/app/Settings'
import { callGo } from './errors'
import { PROBE_STATUS } from './contract'

export { PROBE_STATUS }

const str = (v) => (typeof v === 'string' ? v : '')

function toView(v) {
  const view = v && typeof v === 'object' ? v : {}
  const out = { backend: str(view.backend), remoteUrl: str(view.remoteUrl), version: str(view.version) }
  // The OpenID provider, for kinds that sign in with one.
  const p = view.provider
  if (p && typeof p === 'object') out.provider = { issuer: str(p.issuer), clientId: str(p.clientId), scopes: str(p.scopes) }
  return out
}

// The form as Go takes it; an absent provider keeps the saved one.
function toForm({ backend, remoteUrl, provider }) {
  const form = { backend, remoteUrl: remoteUrl ?? '' }
  if (provider) form.provider = { issuer: provider.issuer ?? '', clientId: provider.clientId ?? '', scopes: provider.scopes ?? '' }
  return form
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
    needsProvider: k?.needsProvider === true,
  }))
}

// { backend, remoteUrl, version }
export async function getSettings() {
  return toView(await callGo(Settings.Get))
}

// Go validates, stores and, when the backend in use changes, ends the current
// session (emitting session:changed) and switches. Resolves to
// { settings, switched }; rejects with an AppError ('invalid' for a bad address).
export async function saveSettings(form) {
  const r = (await callGo(Settings.Save, toForm(form))) || {}
  return { settings: toView(r.settings), switched: r.switched === true }
}

// Go's verdict on the form, without saving or contacting anyone:
// { ok, remoteUrl (as it would be saved), message, warning, changed, switches }.
export async function checkSettings(form) {
  const r = (await callGo(Settings.Check, toForm(form))) || {}
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
