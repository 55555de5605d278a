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

  shell.announceReady(router.currentRoute.value.fullPath)
  shell.loadVersion()
}

start().catch((err) => {
  console.error('AuthDesk: start-up failed', err)
})
