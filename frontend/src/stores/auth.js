import { computed, ref, watch } from 'vue'
import { defineStore } from 'pinia'
import * as api from '@/api'
import { AppError, ERROR_CODES } from '@/api/errors'
import { navigation } from '@/router/navigation'
import { safeReturnUrl } from '@/utils/returnUrl'
import { i18n } from '@/i18n'

const LOGIN_PATH = '/login'

// The notice is kept as a message key: the login page says it in the language shown.
const NOTICES = {
  [api.SESSION_REASONS.EXPIRED]: 'login.expired',
  [api.SESSION_REASONS.REVOKED]: 'login.revoked',
}

// Who is signed in. Go owns the tokens and refreshes them silently; this store only
// mirrors the Session that Go reports (it never holds a token).
export const useAuthStore = defineStore('auth', () => {
  const session = ref(null)
  const user = computed(() => session.value?.user ?? null)
  const isLoggedIn = computed(() => user.value !== null)
  // Where to go after a successful login (an in-app path), or null for home.
  const returnUrl = ref(null)
  // Why the person was sent to the login page (expired/revoked), shown
  // there: a message key ('login.expired'), '' for none.
  const notice = ref('')
  // What LoginInfo() said: { backendKind, backendLabel, demoHint, capabilities }, null until loaded.
  const loginInfo = ref(null)
  // True once Go's start-up restore attempt has been awaited.
  const restored = ref(false)
  // After a throttled or busy login: when (Date.now() ms) the next attempt
  // may be made, and why ('too_many_requests' or 'busy'). Kept here, not in
  // the view, so leaving the login page and coming back does not reset it.
  const retryAt = ref(0)
  const retryCode = ref('')

  let restoring = null
  let unsubscribe = null
  let eventCount = 0
  let loginInfoSeq = 0
  // LoginInfo loaded at start-up and not yet shown by the login page. Once
  // anyone is signed in, the login page shown next asks Go afresh.
  let startInfoUnshown = false
  watch(session, (s) => {
    if (s) startInfoUnshown = false
  })

  // Follows Go's session:changed event. Safe to call more than once.
  function listen() {
    if (unsubscribe) return
    try {
      unsubscribe = api.onSessionChanged(handleSessionChanged)
    } catch (err) {
      // No Wails runtime (e.g. `npm run dev` in a plain browser).
      console.warn('AuthDesk: cannot follow session events:', err?.message || err)
    }
  }

  function stopListening() {
    if (unsubscribe) unsubscribe()
    unsubscribe = null
  }

  // Waits for Go's start-up restore (Auth.Session()) once; later calls share the result.
  function restore() {
    listen()
    if (!restoring) {
      const eventsBefore = eventCount
      restoring = api
        .getSession()
        .then((s) => {
          // An event that arrived meanwhile is newer than this answer.
          if (eventCount === eventsBefore) session.value = s
        })
        .catch((err) => {
          console.warn('AuthDesk: could not restore the session:', err?.message || err)
        })
        .finally(() => {
          restored.value = true
        })
    }
    return restoring
  }

  function setReturnUrl(url) {
    returnUrl.value = url ? safeReturnUrl(url) : null
  }

  // Rejects with an AppError on failure (user stays null).
  async function login(username, password) {
    const wait = Math.ceil((retryAt.value - Date.now()) / 1000)
    if (wait > 0) {
      // Still counting down: asking Go now would only be refused again.
      const key = retryCode.value === ERROR_CODES.BUSY ? 'login.busy' : 'login.tooMany'
      const err = new AppError(retryCode.value, i18n.global.t(key, { n: wait }))
      err.retryAfter = wait
      throw err
    }
    let s
    try {
      s = await api.login(username, password)
    } catch (err) {
      const code = err?.code
      if ((code === ERROR_CODES.TOO_MANY_REQUESTS || code === ERROR_CODES.BUSY) && err.retryAfter > 0) {
        retryAt.value = Date.now() + err.retryAfter * 1000
        retryCode.value = code
      }
      throw err
    }
    return completeLogin(s)
  }

  // A session has started (the password, or the second step's code): show
  // it and go where the person was going.
  async function completeLogin(s) {
    retryAt.value = 0
    retryCode.value = ''
    session.value = s
    notice.value = ''
    const target = safeReturnUrl(returnUrl.value)
    returnUrl.value = null
    await navigation().push(target)
    return s
  }

  // The person signs out. Go forgets the tokens; the UI shows the login page
  // (without a returnUrl: the next sign-in starts at home).
  async function logout() {
    try {
      await api.logout()
    } catch (err) {
      console.warn('AuthDesk: logout failed in Go:', err?.message || err)
    }
    session.value = null
    returnUrl.value = null
    notice.value = ''
    await goToLogin(false)
  }

  // The newest call wins: an answer about the backend used before a switch
  // must not overwrite one about the backend in use now.
  // firstPage: loaded by start-up for the first page. The login page's first
  // mount then shows it as it is (refreshLoginInfo), rather than asking Go
  // again and drawing the page twice before its first frame.
  async function loadLoginInfo({ firstPage = false } = {}) {
    const seq = ++loginInfoSeq
    let info
    try {
      info = await api.getLoginInfo()
    } catch (err) {
      console.warn('AuthDesk: LoginInfo failed:', err?.message || err)
      info = { backendKind: '', backendLabel: '', demoHint: false, capabilities: { passwordLogin: true, userDirectory: true } }
      firstPage = false
    }
    if (seq === loginInfoSeq) {
      loginInfo.value = info
      startInfoUnshown = firstPage
    }
    return loginInfo.value
  }

  // For the login page as it mounts: what start-up loaded is used once; every
  // later visit asks Go again (the demo hint may have changed meanwhile).
  function refreshLoginInfo() {
    if (startInfoUnshown) {
      startInfoUnshown = false
      return Promise.resolve(loginInfo.value)
    }
    return loadLoginInfo()
  }

  // Settings switched Go to another backend. Go has ended the session (and
  // emitted session:changed if there was one) and has tried to restore a session
  // saved earlier for the new backend: ask Go again, load what the login page
  // shows for the new backend, then go to the login page (or home, when a saved
  // session for the new backend came back).
  async function backendSwitched() {
    returnUrl.value = null
    notice.value = ''
    const eventsBefore = eventCount
    let s = null
    try {
      s = await api.getSession()
    } catch (err) {
      console.warn('AuthDesk: could not read the session after the switch:', err?.message || err)
    }
    // An event that arrived meanwhile is newer than this answer.
    if (eventCount === eventsBefore) session.value = s
    await loadLoginInfo()
    await navigation().push(user.value ? '/' : LOGIN_PATH)
  }

  function handleSessionChanged({ session: next, reason }) {
    eventCount++
    if (next) {
      // login or a silent refresh
      session.value = next
      // A saved session that Go could restore only after start-up (the
      // server was unreachable at first) arrives while the person looks at
      // the login page: take them where they were going.
      if (reason === api.SESSION_REASONS.REFRESH && navigation().currentRoute.value.path === LOGIN_PATH) {
        const target = safeReturnUrl(returnUrl.value)
        returnUrl.value = null
        notice.value = ''
        return navigation().push(target)
      }
      return
    }
    session.value = null
    if (reason === api.SESSION_REASONS.LOGOUT) {
      returnUrl.value = null
      notice.value = ''
      return goToLogin(false)
    }
    notice.value = NOTICES[reason] || NOTICES[api.SESSION_REASONS.EXPIRED]
    return goToLogin(true)
  }

  async function goToLogin(keepPlace) {
    const current = navigation().currentRoute.value
    if (current.path === LOGIN_PATH) return
    if (keepPlace) {
      const place = safeReturnUrl(current.fullPath)
      returnUrl.value = place
      await navigation().push({ path: LOGIN_PATH, query: { returnUrl: place } })
    } else {
      await navigation().push(LOGIN_PATH)
    }
  }

  return {
    session,
    user,
    isLoggedIn,
    returnUrl,
    notice,
    loginInfo,
    restored,
    retryAt,
    retryCode,
    listen,
    stopListening,
    restore,
    setReturnUrl,
    login,
    completeLogin,
    logout,
    loadLoginInfo,
    refreshLoginInfo,
    backendSwitched,
    handleSessionChanged,
  }
})
