import * as TwoStep from '../../wailsjs/go/app/TwoStep'
import { callGo } from './errors'

// Two-step sign-in. The challenge between the password and the code stays in
// Go; the login page only learns that a code is needed and until when
// (login's mfa_required error carries `until`, and pendingCode says so after
// a reload).

// The code step: a 6-digit code or a recovery code. Resolves with a Session.
export function signInWithCode(code) {
  return callGo(TwoStep.SignIn, code)
}

// { pending: boolean, until: RFC3339 | undefined }
export async function pendingCode() {
  const v = (await callGo(TwoStep.Pending)) || {}
  return { pending: v.pending === true, until: v.until || '' }
}

export function cancelCode() {
  return callGo(TwoStep.Cancel)
}

// { enabled, since, recoveryCodesLeft } of the signed-in person.
export async function twoStepStatus() {
  const v = (await callGo(TwoStep.Status)) || {}
  return { enabled: v.enabled === true, since: v.since || '', recoveryCodesLeft: v.recoveryCodesLeft || 0 }
}

// { secret, uri }: a new secret, pending until confirmTwoStep.
export function beginTwoStep() {
  return callGo(TwoStep.Begin)
}

// Resolves with the 10 recovery codes, the only time they are shown.
export async function confirmTwoStep(code) {
  return (await callGo(TwoStep.Confirm, code)) || []
}

export function disableTwoStep(code) {
  return callGo(TwoStep.Disable, code)
}

export async function newRecoveryCodes(code) {
  return (await callGo(TwoStep.NewRecoveryCodes, code)) || []
}

// Admins: the IDs of the users with two-step sign-in on.
export async function usersWithTwoStep() {
  const ids = await callGo(TwoStep.UsersWithTwoStep)
  return Array.isArray(ids) ? ids : []
}

// Admins: turn off a user's two-step sign-in; resolves true when it was on.
export function resetTwoStep(userId) {
  return callGo(TwoStep.Reset, String(userId))
}
