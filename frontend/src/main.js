import 'bootstrap/dist/css/bootstrap.min.css'
import './assets/main.css'

import { createApp, nextTick } from 'vue'
import { createPinia } from 'pinia'

import App from './App.vue'
import i18n, { FALLBACK, loadLanguage } from './i18n'
import router from './router'
import { useAuthStore } from './stores/auth'
import { useShellStore } from './stores/shell'
import { endEarly, logInfo } from './api'

// When each step of start-up ended, in ms since the page's navigation began:
// html (index.html's boot script ran), js (the bundle has loaded), restored,
// routed, mounted. The "ui painted" log line carries them for `make bench`.
const marks = { ...globalThis.__bootMarks, js: Math.round(performance.now()) }
const mark = (name) => (marks[name] = Math.round(performance.now()))

async function start() {
  const app = createApp(App)
  const pinia = createPinia()
  app.use(pinia)
  app.use(i18n)

  // Before the first route is chosen: Go's start-up restore (the guard
  // awaits the same promise), what the login page says about the backend
  // (the nav bar uses it too), and the messages of the language shown, all
  // at once, so the first frame is complete and nothing moves after it.
  const auth = useAuthStore()
  const shell = useShellStore()
  auth.listen()
  await Promise.all([auth.restore(), auth.loadLoginInfo({ firstPage: true }), loadLanguage(i18n.global.locale.value)])
  mark('restored')

  shell.firstFramePending = true
  app.use(router)
  await router.isReady()
  mark('routed')
  app.mount('#app')
  await nextTick()
  mark('mounted')

  const route = router.currentRoute.value.fullPath
  // Two animation frames after mounting, the first frame with the page has
  // been painted: Go's log says so (`make bench` times start-up by it).
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
  logInfo(`ui painted route=${route} page_ms=${Math.round(performance.now())} ${Object.entries(marks).map(([k, v]) => `${k}=${v}`).join(' ')}`)
  shell.firstFramePending = false
  endEarly()
  // What the first frame does not need waits until it is on screen: the
  // menu's commands, shortcuts and theme events with the About dialog (the
  // colours are already right: the page's <html> carries Go's theme), the
  // version, and English for any message a language lacks. The desktop
  // store is a chunk of its own, loaded only now; Go hears that the UI is
  // ready once it follows the menu.
  import('./stores/desktop')
    .then(({ useDesktopStore }) => {
      useDesktopStore().start()
      shell.desktopStarted = true
    })
    .catch((err) => console.error('AuthDesk: the menu and theme could not start', err))
    .finally(() => shell.announceReady(route))
  shell.loadVersion()
  loadLanguage(FALLBACK).catch(() => {})
}

start().catch((err) => {
  console.error('AuthDesk: start-up failed', err)
})
