import * as Provider from '../../wailsjs/go/app/Provider'
import { callGo } from './errors'
import { PROVIDER_PROBE_STATUS } from './contract'

export { PROVIDER_PROBE_STATUS }

// Signing in with an OpenID provider. Go opens the provider's page in the
// system browser, waits for the person to come back and holds every token;
// these calls see a Session, a probe's findings and the profile claims only.

const str = (v) => (typeof v === 'string' ? v : '')
const list = (v) => (Array.isArray(v) ? v : [])

// Resolves with a Session once the person has signed in at the provider
// (Go waits at most 5 minutes); rejects with an AppError when they cancel,
// decline, take too long, or the provider's answer is refused.
export function signInWithProvider() {
  return callGo(Provider.SignInWithProvider)
}

// Stops the sign-in signInWithProvider is waiting for.
export function cancelProviderSignIn() {
  return callGo(Provider.CancelProviderSignIn)
}

// { issuer, status: one of PROVIDER_PROBE_STATUS, reason, warnings: [],
//   endpoints: [{ name, value }], pkceS256, revocation, endSession, keys, signingAlgs }.
// An incomplete form rejects ('invalid').
export async function testProvider({ issuer, clientId, scopes }) {
  const r = (await callGo(Provider.TestProvider, { issuer: issuer ?? '', clientId: clientId ?? '', scopes: scopes ?? '' })) || {}
  return {
    issuer: str(r.issuer),
    status: str(r.status) || PROVIDER_PROBE_STATUS.UNREACHABLE,
    reason: str(r.reason),
    warnings: list(r.warnings).map(str),
    endpoints: list(r.endpoints).map((e) => ({ name: str(e?.name), value: str(e?.value) })),
    pkceS256: r.pkceS256 === true,
    revocation: r.revocation === true,
    endSession: r.endSession === true,
    keys: typeof r.keys === 'number' ? r.keys : 0,
    signingAlgs: list(r.signingAlgs).map(str),
  }
}

// The signed-in person's profile as the provider gave it:
// { sub, name, givenName, familyName, email, claims: [{ name, value }],
//   providerLogout (the provider can end its own session too) }, or null.
export async function getProfile() {
  const p = await callGo(Provider.Profile)
  if (!p || typeof p !== 'object') return null
  return {
    sub: str(p.sub),
    name: str(p.name),
    givenName: str(p.givenName),
    familyName: str(p.familyName),
    email: str(p.email),
    claims: list(p.claims).map((c) => ({ name: str(c?.name), value: str(c?.value) })),
    providerLogout: p.providerLogout === true,
  }
}

// Logs out here (the refresh token is revoked) and opens the provider's
// end-session page in the system browser.
export function signOutAtProvider() {
  return callGo(Provider.SignOutAtProvider)
}
