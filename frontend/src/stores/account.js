import { ref } from 'vue'
import { defineStore } from 'pinia'
import * as api from '@/api'
import { AppError, ERROR_CODES } from '@/api/errors'

// The signed-in person's own account: whether the backend offers the
// Account and Sessions pages, the password change (with the same
// "try again in N s" handling as the login page) and the sessions list.
export const useAccountStore = defineStore('account', () => {
  // { available, minPasswordLength }; available is false until Go has said.
  const info = ref({ available: false, minPasswordLength: 8 })
  // Which sign-in info belongs to ('' when none): a new sign-in asks again.
  const infoFor = ref('')
  const sessions = ref([])
  const loading = ref(false)
  const error = ref(null)
  // After a throttled or busy change: when (Date.now() ms) the next attempt
  // may be made, and why. Kept here so leaving the page does not reset it.
  const retryAt = ref(0)
  const retryCode = ref('')

  let infoSeq = 0

  // Asks Go once per sign-in (key: who, on which backend).
  async function loadInfo(key) {
    if (key && key === infoFor.value) return info.value
    if (key !== infoFor.value) reset() // someone else, or another backend
    const seq = ++infoSeq
    let next = { available: false, minPasswordLength: 8 }
    let answered = true
    try {
      next = await api.accountInfo()
    } catch (err) {
      // Go could not find out (the server is unreachable): ask again later.
      console.warn('AuthDesk: account info failed:', err?.message || err)
      answered = false
    }
    if (seq === infoSeq) {
      info.value = next
      infoFor.value = answered ? key || '' : ''
    }
    return info.value
  }

  // Signed out: forget everything about the last person.
  function reset() {
    infoSeq++
    info.value = { available: false, minPasswordLength: 8 }
    infoFor.value = ''
    sessions.value = []
    error.value = null
    retryAt.value = 0
    retryCode.value = ''
  }

  // Rejects with an AppError; a refusal with a wait starts the countdown.
  async function changePassword(current, newPassword) {
    const wait = Math.ceil((retryAt.value - Date.now()) / 1000)
    if (wait > 0) {
      const err = new AppError(retryCode.value, `Try again in ${wait} s`)
      err.retryAfter = wait
      throw err
    }
    try {
      await api.changePassword(current, newPassword)
    } catch (err) {
      const code = err?.code
      if ((code === ERROR_CODES.TOO_MANY_REQUESTS || code === ERROR_CODES.BUSY) && err.retryAfter > 0) {
        retryAt.value = Date.now() + err.retryAfter * 1000
        retryCode.value = code
      }
      throw err
    }
    retryAt.value = 0
    retryCode.value = ''
  }

  async function loadSessions() {
    loading.value = true
    try {
      sessions.value = await api.mySessions()
      error.value = null
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
    return sessions.value
  }

  // Ends one other session, then shows the list as it is now.
  async function signOut(id) {
    try {
      await api.signOutSession(id)
    } finally {
      await loadSessions()
    }
  }

  // Resolves with how many ended.
  async function signOutOthers() {
    try {
      return await api.signOutOtherSessions()
    } finally {
      await loadSessions()
    }
  }

  return { info, infoFor, sessions, loading, error, retryAt, retryCode, loadInfo, reset, changePassword, loadSessions, signOut, signOutOthers }
})
