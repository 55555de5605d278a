import { ref } from 'vue'
import { defineStore } from 'pinia'
import * as api from '@/api'
import router from '@/router'
import { applyTheme, onSystemThemeChange, systemPrefersDark } from '@/desktop/theme'
import { installEditKeys, runEditCommand } from '@/desktop/editing'
import { setLanguage as applyLanguage } from '@/i18n'

// The desktop shell around the pages: the theme Go keeps, the menu's
// commands (Settings, About, Edit) and the About dialog.
export const useDesktopStore = defineStore('desktop', () => {
  // The setting: 'system' | 'light' | 'dark'; dark: what is shown now.
  const theme = ref(document.documentElement.getAttribute('data-theme') || 'system')
  const dark = ref(false)
  // The language setting: 'system' | 'en' | 'de' (Go keeps it, like the theme).
  const language = ref(document.documentElement.getAttribute('data-lang') || 'system')
  const aboutOpen = ref(false)
  const about = ref(null)

  let systemDark = systemPrefersDark()
  let stops = []
  let lastReported = null

  function apply() {
    dark.value = applyTheme(theme.value, systemDark)
    if (dark.value !== lastReported) {
      lastReported = dark.value
      api.themeApplied(dark.value).catch((err) => console.warn('AuthDesk: Theme.Applied failed:', err?.message || err))
    }
  }

  // Applies the theme at once (from the page's data-theme), then asks Go and
  // follows its events, the OS's colour scheme and the menu. Safe to call twice.
  async function start() {
    if (stops.length) return
    apply()
    const on = (name, handler) => {
      try {
        stops.push(api.onEvent(name, handler))
      } catch (err) {
        console.warn('AuthDesk: cannot follow', name, err?.message || err) // no Wails runtime
      }
    }
    on(api.THEME_CHANGED, (p) => {
      if (p && typeof p.theme === 'string') {
        theme.value = p.theme
        apply()
      }
    })
    on(api.MENU_NAVIGATE, (path) => {
      if (typeof path !== 'string' || !path.startsWith('/')) return
      router.push(path).then(() => api.logInfo(`menu: showing ${router.currentRoute.value.fullPath}`))
    })
    on(api.MENU_ABOUT, () => openAbout())
    on(api.MENU_EDIT, (command) => runEditCommand(command, clipboard))
    stops.push(onSystemThemeChange((isDark) => {
      systemDark = isDark
      apply()
    }))
    stops.push(installEditKeys())
    await applyLanguage(language.value)
    try {
      theme.value = await api.getTheme()
      apply()
    } catch (err) {
      console.warn('AuthDesk: Theme.Get failed:', err?.message || err)
    }
    try {
      language.value = await api.getLanguageSetting()
      await applyLanguage(language.value)
    } catch (err) {
      console.warn('AuthDesk: Language.Get failed:', err?.message || err)
    }
  }

  function stop() {
    stops.forEach((fn) => fn())
    stops = []
  }

  async function setTheme(next) {
    theme.value = await api.setTheme(next)
    apply()
  }

  // Go stores the choice; the UI switches at once.
  async function setLanguage(next) {
    language.value = await api.saveLanguageSetting(next)
    await applyLanguage(language.value)
  }

  async function openAbout() {
    aboutOpen.value = true
    if (!about.value) {
      try {
        about.value = await api.getAbout()
      } catch (err) {
        console.warn('AuthDesk: About.Get failed:', err?.message || err)
      }
    }
  }

  function closeAbout() {
    aboutOpen.value = false
  }

  const clipboard = { getText: () => api.clipboardGetText(), setText: (text) => api.clipboardSetText(text) }

  return { theme, dark, language, aboutOpen, about, start, stop, setTheme, setLanguage, openAbout, closeAbout }
})
