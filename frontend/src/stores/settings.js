import { ref } from 'vue'
import { defineStore } from 'pinia'
import * as api from '@/api'
import { useAuthStore } from '@/stores/auth'

const EMBEDDED = 'embedded'
const REMOTE = 'remote'

// The backend a settings view selects, as Go tells backends apart: saving a
// view with another identity switches the backend (and ends the session).
export function backendIdentity(view) {
  if (!view) return ''
  return view.backend === REMOTE ? `${REMOTE}:${view.remoteUrl || ''}` : EMBEDDED
}

// The Settings page: which backend Go signs in to, and the remote server's address.
export const useSettingsStore = defineStore('settings', () => {
  // { backend: 'embedded' | 'remote', remoteUrl, version } once loaded, else null
  const settings = ref(null)
  const loading = ref(false)
  const saving = ref(false)
  const testing = ref(false)
  // { url, status: 'reachable' | 'unreachable' | 'not_this_api' | 'error', reason } or null
  const testResult = ref(null)
  // The last load or save failure (an AppError), or null
  const error = ref(null)
  // Go's CheckURL answer for the address typed last: { input, ok, url, message, warning } or null
  const urlCheck = ref(null)

  let testSeq = 0
  let checkSeq = 0

  async function load() {
    loading.value = true
    error.value = null
    try {
      settings.value = await api.getSettings()
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
    return settings.value
  }

  // Saves { backend, remoteUrl }. Resolves to { settings, switched } or, when Go
  // refuses, to null with `error` set. When the backend changed, Go has ended
  // the session: the auth store then follows the new backend (login page).
  async function save({ backend, remoteUrl }) {
    saving.value = true
    error.value = null
    try {
      const before = settings.value
      const saved = await api.saveSettings({ backend, remoteUrl })
      settings.value = saved
      const switched = backendIdentity(before) !== backendIdentity(saved)
      if (switched) {
        clearTestResult()
        try {
          await useAuthStore().backendSwitched()
        } catch (err) {
          console.warn('AuthDesk: could not follow the backend switch:', err?.message || err)
        }
      }
      return { settings: saved, switched }
    } catch (err) {
      error.value = err
      return null
    } finally {
      saving.value = false
    }
  }

  // Probes url; the answer lands in testResult (an invalid address as status 'error').
  async function testConnection(url) {
    const seq = ++testSeq
    testing.value = true
    testResult.value = null
    try {
      const result = await api.testConnection(url)
      if (seq === testSeq) testResult.value = result
    } catch (err) {
      if (seq === testSeq) testResult.value = { url, status: 'error', reason: err?.message || String(err) }
    } finally {
      if (seq === testSeq) testing.value = false
    }
    return testResult.value
  }

  // Forgets a result (the address changed); a probe still running is ignored.
  function clearTestResult() {
    testSeq++
    testing.value = false
    testResult.value = null
  }

  // Asks Go about a typed address (no network); only the newest answer is kept.
  async function checkUrl(url) {
    const seq = ++checkSeq
    try {
      const check = await api.checkUrl(url)
      if (seq === checkSeq) urlCheck.value = { input: url, ...check }
    } catch (err) {
      console.warn('AuthDesk: CheckURL failed:', err?.message || err)
      if (seq === checkSeq) urlCheck.value = null
    }
    return urlCheck.value
  }

  function clearUrlCheck() {
    checkSeq++
    urlCheck.value = null
  }

  return {
    settings,
    loading,
    saving,
    testing,
    testResult,
    error,
    urlCheck,
    load,
    save,
    testConnection,
    clearTestResult,
    checkUrl,
    clearUrlCheck,
  }
})
