import { createApp } from 'vue'
import App from './App.vue'

createApp(App).mount('#app')

// Two animation frames after mounting, the first frame with the page has
// been painted: say so in the log, as AuthDesk's page does.
requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    window.runtime?.LogInfo(`ui painted route=/ page_ms=${Math.round(performance.now())}`)
  }),
)
