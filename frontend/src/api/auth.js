import * as Auth from '../../wailsjs/go/app/Auth'
import { callGo } from './errors'

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
  const session = await callGo(Auth.Session)
  return session || null
}

// { backendKind: 'embedded' | 'remote', backendLabel, demoHint }
export async function getLoginInfo() {
  const info = (await callGo(Auth.LoginInfo)) || {}
  return {
    backendKind: info.backendKind || '',
    backendLabel: info.backendLabel || '',
    demoHint: info.demoHint === true,
  }
}
