import * as Accounts from '../../wailsjs/go/app/Accounts'
import { callGo } from './errors'

// Paged user lists and account management. Go runs every call with the
// session's access token; the UI never holds one.

// { paging, admin }: what the selected backend offers (a remote server is asked).
export async function accountFeatures() {
  const v = (await callGo(Accounts.Features)) || {}
  return { paging: v.paging === true, admin: v.admin === true }
}

// One page: query { search, sort, desc, limit, cursor } (all optional).
// Resolves with { users: [...], next: '' | cursor, total }.
export async function pageUsers(query = {}) {
  const q = {
    search: query.search || '',
    sort: query.sort || '',
    desc: query.desc === true,
    limit: query.limit || 0,
    cursor: query.cursor || '',
  }
  const v = (await callGo(Accounts.Page, q)) || {}
  return { users: Array.isArray(v.users) ? v.users : [], next: v.next || '', total: v.total || 0 }
}

// user { username, firstName, lastName, role, password }
export function createUser(user) {
  return callGo(Accounts.Create, { role: 'User', ...user })
}

// edit { firstName, lastName, role }; resolves with the updated row.
export function updateUser(id, edit) {
  return callGo(Accounts.Update, String(id), edit)
}

export function setUserDisabled(id, disabled) {
  return callGo(Accounts.SetDisabled, String(id), disabled === true)
}

export function resetUserPassword(id, password) {
  return callGo(Accounts.ResetPassword, String(id), password)
}

export function unlockUser(id) {
  return callGo(Accounts.Unlock, String(id))
}

export function removeUser(id) {
  return callGo(Accounts.Remove, String(id))
}
