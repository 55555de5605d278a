import * as Auth from '../../wailsjs/go/app/Auth'
import { callGo } from './errors'
import { earlyOr } from './early'

// Session: { user: {id, username, firstName, lastName, role}, backendKind,
//            backendLabel, accessExpires: RFC3339, lastRefresh: RFC3339 | "" }
// Tokens stay in Go; nothing here ever sees one.

export function login(username, password) {
  return callGo(Auth.Login, username, password)
}

export async function logout() {
  await callGo(Auth.Logout)
}

// Resolves once Go has finished its start-up restore attempt: a Session or null.
export async function getSession() {
  const session = await callGo(earlyOr('session', Auth.Session))
  return session || null
}

// { backendKind, backendLabel, demoHint, capabilities: { passwordLogin, userDirectory } }:
// the backend the person signs in to and what it can do (the UI offers only that).
export async function getLoginInfo() {
  const info = (await callGo(earlyOr('loginInfo', Auth.LoginInfo))) || {}
  const caps = info.capabilities && typeof info.capabilities === 'object' ? info.capabilities : {}
  return {
    backendKind: info.backendKind || '',
    backendLabel: info.backendLabel || '',
    demoHint: info.demoHint === true,
    capabilities: {
      // Unknown means "as before": the form and the list are shown.
      passwordLogin: caps.passwordLogin !== false,
      userDirectory: caps.userDirectory !== false,
      // Two-step sign-in set-up and its admin side: only when Go says so.
      twoStep: caps.twoStep === true,
      twoStepAdmin: caps.twoStepAdmin === true,
      // Sign-in through the system browser at an OpenID provider.
      browserLogin: caps.browserLogin === true,
      providerName: typeof caps.providerName === 'string' ? caps.providerName : '',
    },
  }
}
