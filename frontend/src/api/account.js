import * as Account from '../../wailsjs/go/app/MyAccount'
import { callGo } from './errors'

// The signed-in person's own account: the password and their sessions. The
// access token that authorises each call stays in Go.

// { available, minPasswordLength }: whether the selected backend offers the
// Account and Sessions pages (a remote server is asked once).
export async function accountInfo() {
  const v = (await callGo(Account.Info)) || {}
  return { available: v.available === true, minPasswordLength: v.minPasswordLength || 8 }
}

// Every other session ends; this one goes on. A wrong current password is
// 'invalid'; 'too_many_requests' carries retryAfter.
export function changePassword(current, newPassword) {
  return callGo(Account.ChangePassword, current, newPassword)
}

// [{ id, client, userAgent, started, lastRefreshed, expires, current }], the current one first.
export async function mySessions() {
  const list = await callGo(Account.List)
  return Array.isArray(list) ? list : []
}

export function signOutSession(id) {
  return callGo(Account.SignOut, String(id))
}

// Resolves with how many sessions ended.
export async function signOutOtherSessions() {
  return (await callGo(Account.SignOutOthers)) || 0
}
