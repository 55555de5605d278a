import { ref, watch } from 'vue'
import { defineStore } from 'pinia'
import * as api from '@/api'

// The window around the app: version string and the "UI is ready" signal.
export const useShellStore = defineStore('shell', () => {
  const version = ref('')
  const readySent = ref(false)
  // The desktop store (menu, shortcuts, theme, About) has started: main.js
  // loads it after the first frame, and App shows the About dialog from then.
  const desktopStarted = ref(false)
  // True while start-up prepares the first frame (main.js sets it): Go calls
  // that only fill in what the first frame does not show wait until it is on
  // screen (afterFirstFrame), so they do not add work before it.
  const firstFramePending = ref(false)

  function afterFirstFrame(fn) {
    if (!firstFramePending.value) {
      fn()
      return
    }
    const stop = watch(firstFramePending, (pending) => {
      if (pending) return
      stop()
      fn()
    })
  }

  async function loadVersion() {
    try {
      version.value = await api.getVersion()
    } catch (err) {
      console.warn('AuthDesk: Version failed:', err?.message || err)
    }
    return version.value
  }

  // Tells Go once that the first route has been resolved and its view mounted.
  async function announceReady(route) {
    if (readySent.value) return
    readySent.value = true
    try {
      await api.ready(route)
    } catch (err) {
      console.warn('AuthDesk: Ready failed:', err?.message || err)
    }
  }

  return { version, readySent, desktopStarted, firstFramePending, afterFirstFrame, loadVersion, announceReady }
})
