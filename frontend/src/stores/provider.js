import { ref } from 'vue'
import { defineStore } from 'pinia'
import * as api from '@/api'
import { useAuthStore } from '@/stores/auth'

// Signing in with an OpenID provider, its "Test connection" and the home
// page's profile. Go opens the system browser, waits for the person and holds
// every token; this store only follows what Go answers.
export const useProviderStore = defineStore('provider', () => {
  // True while Go waits for the person to finish at the provider.
  const signingIn = ref(false)
  // The last failed sign-in (an AppError; its message is written for a
  // person), or null. A sign-in the person cancelled is not an error.
  const error = ref(null)
  // The person pressed Cancel on the last sign-in.
  const cancelled = ref(false)
  // { sub, name, givenName, familyName, email, claims: [{ name, value }] } or null
  const profile = ref(null)
  const profileLoaded = ref(false)
  // What "Test connection" found (api.testProvider's answer, or
  // { status: 'error', reason } when Go refused the form), or null.
  const testResult = ref(null)
  const testing = ref(false)

  let cancelRequested = false
  let testSeq = 0

  // Resolves to the Session, or null when the sign-in did not happen
  // (error says why, unless the person cancelled).
  async function signIn() {
    if (signingIn.value) return null
    signingIn.value = true
    error.value = null
    cancelled.value = false
    cancelRequested = false
    try {
      const s = await api.signInWithProvider()
      profile.value = null
      profileLoaded.value = false
      await useAuthStore().completeLogin(s)
      return s
    } catch (err) {
      if (cancelRequested) cancelled.value = true
      else error.value = err
      return null
    } finally {
      signingIn.value = false
    }
  }

  async function cancel() {
    if (!signingIn.value) return
    cancelRequested = true
    try {
      await api.cancelProviderSignIn()
    } catch (err) {
      console.warn('AuthDesk: could not cancel the sign-in:', err?.message || err)
    }
  }

  async function loadProfile() {
    try {
      profile.value = await api.getProfile()
    } catch (err) {
      console.warn('AuthDesk: could not load the profile:', err?.message || err)
      profile.value = null
    } finally {
      profileLoaded.value = true
    }
    return profile.value
  }

  // Only the newest test's answer is kept.
  async function test(form) {
    const seq = ++testSeq
    testing.value = true
    testResult.value = null
    try {
      const r = await api.testProvider(form)
      if (seq === testSeq) testResult.value = r
    } catch (err) {
      if (seq === testSeq) testResult.value = { status: 'error', reason: err?.message || String(err), warnings: [], endpoints: [] }
    } finally {
      if (seq === testSeq) testing.value = false
    }
    return testResult.value
  }

  // Logs out here and at the provider. Go ends the session (session:changed
  // takes the person to the login page) and opens the provider's page.
  async function signOutEverywhere() {
    try {
      await api.signOutAtProvider()
    } catch (err) {
      console.warn('AuthDesk: signing out at the provider failed:', err?.message || err)
      await useAuthStore().logout()
    }
    profile.value = null
    profileLoaded.value = false
  }

  function clearTest() {
    testSeq++
    testing.value = false
    testResult.value = null
  }

  return {
    signingIn,
    error,
    cancelled,
    profile,
    profileLoaded,
    testResult,
    testing,
    signIn,
    cancel,
    loadProfile,
    test,
    clearTest,
    signOutEverywhere,
  }
})
