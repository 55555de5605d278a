import { ref } from 'vue'
import { defineStore } from 'pinia'
import * as api from '@/api'
import { useAuthStore } from '@/stores/auth'

// The Settings page: which backend Go signs in to, and the server's address.
// Go owns every rule (the kinds on offer, the address rule, whether saving
// switches backends); this store only carries its answers.
export const useSettingsStore = defineStore('settings', () => {
  // { backend, remoteUrl, version } once loaded, else null
  const settings = ref(null)
  // The registry of backend kinds Go offers: [{ name, label, description, needsAddress, canProbe }]
  const kinds = ref([])
  const loading = ref(false)
  const saving = ref(false)
  const testing = ref(false)
  // { url, status: one of api.PROBE_STATUS or 'error', reason } or null
  const testResult = ref(null)
  // The last load or save failure (an AppError), or null
  const error = ref(null)
  // Go's Check answer for the form checked last: { key, ok, remoteUrl, message, warning, changed, switches } or null
  const formCheck = ref(null)

  let testSeq = 0
  let checkSeq = 0

  async function load() {
    loading.value = true
    error.value = null
    try {
      const [saved, offered] = await Promise.all([api.getSettings(), api.listBackendKinds()])
      kinds.value = offered
      settings.value = saved
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
    return settings.value
  }

  // Saves { backend, remoteUrl }. Resolves to { settings, switched } or, when Go
  // refuses, to null with `error` set. When Go switched backends it has ended
  // the session: the auth store then follows the new backend (login page).
  async function save(form) {
    saving.value = true
    error.value = null
    try {
      const result = await api.saveSettings(form)
      settings.value = result.settings
      clearCheck()
      if (result.switched) {
        clearTestResult()
        try {
          await useAuthStore().backendSwitched()
        } catch (err) {
          console.warn('AuthDesk: could not follow the backend switch:', err?.message || err)
        }
      }
      return result
    } catch (err) {
      error.value = err
      return null
    } finally {
      saving.value = false
    }
  }

  // Probes the form's server; the answer lands in testResult (a refused address as status 'error').
  async function testConnection(form) {
    const seq = ++testSeq
    testing.value = true
    testResult.value = null
    try {
      const result = await api.testConnection(form)
      if (seq === testSeq) testResult.value = result
    } catch (err) {
      if (seq === testSeq) testResult.value = { url: form.remoteUrl, status: 'error', reason: err?.message || String(err) }
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

  // Asks Go about a form (no network, nothing saved); only the newest answer
  // is kept. key names the form it is about.
  async function check(form, key) {
    const seq = ++checkSeq
    try {
      const answer = await api.checkSettings(form)
      if (seq === checkSeq) formCheck.value = { key, ...answer }
    } catch (err) {
      console.warn('AuthDesk: Settings.Check failed:', err?.message || err)
      if (seq === checkSeq) formCheck.value = null
    }
    return seq === checkSeq ? formCheck.value : null
  }

  function clearCheck() {
    checkSeq++
    formCheck.value = null
  }

  return {
    settings,
    kinds,
    loading,
    saving,
    testing,
    testResult,
    error,
    formCheck,
    load,
    save,
    testConnection,
    clearTestResult,
    check,
    clearCheck,
  }
})
