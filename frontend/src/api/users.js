import * as Users from '../../wailsjs/go/app/Users'
import { callGo } from './errors'

// The secure call: Go attaches the access token and refreshes it on a 401.
export async function listUsers() {
  const list = await callGo(Users.List)
  return Array.isArray(list) ? list : []
}
