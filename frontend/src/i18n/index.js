// Every string the UI shows goes through vue-i18n. Messages live in
// locales/<language>/<area>.json, one file per area of the app (login,
// settings, ...), so a new view adds its own file instead of growing a shared
// one. English is the fallback; German is complete (a test checks that both
// have the same keys).
import { createI18n } from 'vue-i18n'

// Languages the UI is complete in, in the order Settings offers them.
export const LANGUAGES = Object.freeze(['en', 'de'])
export const FALLBACK = 'en'

const files = import.meta.glob('./locales/*/*.json', { eager: true, import: 'default' })

// messagesFrom turns { './locales/en/login.json': {...} } into
// { en: { login: {...} } }: the file name is the first part of each key.
export function messagesFrom(found) {
  const messages = {}
  for (const [path, content] of Object.entries(found)) {
    const m = path.match(/locales\/([^/]+)\/([^/]+)\.json$/)
    if (!m) continue
    const [, lang, area] = m
    messages[lang] ??= {}
    messages[lang][area] = content
  }
  return messages
}

export const messages = messagesFrom(files)

// pickLanguage returns the first supported language among the preferred ones
// (navigator.languages: 'de-AT' counts as 'de'), else English.
export function pickLanguage(preferred) {
  for (const tag of preferred ?? []) {
    const lang = String(tag).toLowerCase().split(/[-_]/)[0]
    if (LANGUAGES.includes(lang)) return lang
  }
  return FALLBACK
}

// systemLanguage is the language the OS (through the web view) asks for:
// navigator.language first (the UI language; WebKitGTK takes it from the
// process locale), then the rest of the preference list.
export function systemLanguage() {
  const nav = globalThis.navigator
  return pickLanguage([nav?.language, ...(nav?.languages ?? [])].filter(Boolean))
}

// The setting Go keeps ('system', 'en', 'de') is on the page's <html> as
// data-lang before any script runs, so the first frame is in that language.
function startLanguage() {
  const choice = globalThis.document?.documentElement?.getAttribute('data-lang')
  return choice && choice !== 'system' && LANGUAGES.includes(choice) ? choice : systemLanguage()
}

export const i18n = createI18n({
  legacy: false,
  locale: startLanguage(),
  fallbackLocale: FALLBACK,
  messages,
  missingWarn: false,
  fallbackWarn: false,
})

// setLanguage switches the UI's language: 'system' follows the OS.
export function setLanguage(choice) {
  const lang = choice && choice !== 'system' && LANGUAGES.includes(choice) ? choice : systemLanguage()
  i18n.global.locale.value = lang
  if (globalThis.document?.documentElement) document.documentElement.lang = lang
  return lang
}

export default i18n
