import * as Remember from '../../wailsjs/go/app/Remember'
import { callGo } from './errors'
import { earlyOr } from './early'
import { EVENTS } from './contract'
import { onEvent } from './runtime'

// "Keep me signed in": whether the sign-in is remembered across restarts
// and where (the system keyring, or a file when there is none). The token
// itself stays in Go.

// Where the sign-in is kept.
export const REMEMBER_LOCATIONS = Object.freeze({ KEYRING: 'keyring', FILE: 'file', MEMORY: 'memory', NONE: 'none' })
// What a person should be told now: saving failed, or the keyring could
// not take it and a file did.
export const REMEMBER_NOTICES = Object.freeze({ NOT_SAVED: 'not_saved', MOVED_TO_FILE: 'moved_to_file' })

const str = (v) => (typeof v === 'string' ? v : '')

function toView(v) {
  const view = v && typeof v === 'object' ? v : {}
  const location = Object.values(REMEMBER_LOCATIONS).includes(view.location) ? view.location : REMEMBER_LOCATIONS.NONE
  return { keep: view.keep !== false, location, problem: str(view.problem), notice: str(view.notice) }
}

// { keep, location, problem, notice } for the backend in use.
export async function getRemember() {
  return toView(await callGo(earlyOr('remember', Remember.Status)))
}

// Turns "Keep me signed in" on or off; resolves with the new status.
export async function setKeepSignedIn(keep) {
  return toView(await callGo(Remember.SetKeep, keep === true))
}

// handler receives { keep, location, problem, notice } when where the
// sign-in is kept changes or saving it failed.
export function onRememberChanged(handler) {
  return onEvent(EVENTS.REMEMBER_CHANGED, (payload) => handler(toView(payload)))
}
