import 'bootstrap/dist/css/bootstrap.min.css'
import './assets/main.css'

import { createApp, nextTick } from 'vue'
import { createPinia } from 'pinia'

import App from './App.vue'
import i18n from './i18n'
import router from './router'
import { useAuthStore } from './stores/auth'
import { useShellStore } from './stores/shell'
import { useDesktopStore } from './stores/desktop'
import { logInfo } from './api'

async function start() {
  const app = createApp(App)
  const pinia = createPinia()
  app.use(pinia)
  app.use(i18n)

  // Follow Go's session events and wait for its start-up restore before the
  // first route is chosen (the guard awaits the same promise).
  const auth = useAuthStore()
  const shell = useShellStore()
  // Theme, menu commands and keys; not awaited: the page already has its colours.
  useDesktopStore().start()
  auth.listen()
  await auth.restore()

  app.use(router)
  await router.isReady()
  app.mount('#app')
  await nextTick()

  const route = router.currentRoute.value.fullPath
  shell.announceReady(route)
  shell.loadVersion()
  // Two animation frames after mounting, the first frame with the page has
  // been painted: Go's log says so (`make bench` times start-up by it).
  requestAnimationFrame(() => requestAnimationFrame(() => logInfo(`ui painted route=${route} page_ms=${Math.round(performance.now())}`)))
}

start().catch((err) => {
  console.error('AuthDesk: start-up failed', err)
})
