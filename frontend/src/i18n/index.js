// Every string the UI shows goes through vue-i18n. Messages live in
// locales/<language>/<area>.json, one file per area of the app (login,
// settings, ...), so a new view adds its own file instead of growing a shared
// one; locales/<language>.js gathers a language's areas. English is the
// fallback; German is complete (a test checks that both have the same keys).
// Each language is a chunk of its own, loaded with one import when it is
// first shown: start-up loads only the language on screen (see `make bench`).
import { createI18n } from 'vue-i18n'
import { areasFrom } from './areas'

// Languages the UI is complete in, in the order Settings offers them.
export const LANGUAGES = Object.freeze(['en', 'de'])
export const FALLBACK = 'en'

const languages = import.meta.glob('./locales/*.js', { import: 'default' })
const loading = {}

// loaderOf returns the loader of one language's message files
// ({ './de/login.json': {...}, ... }), or null when it has none.
function loaderOf(lang) {
  return languages[`./locales/${lang}.js`] ?? null
}

// loadLanguage makes a supported language's messages available (once; a
// load that failed is tried again on the next call).
export function loadLanguage(lang, load = loaderOf(lang)) {
  if (!load) return Promise.reject(new Error(`no messages for language ${JSON.stringify(lang)}`))
  loading[lang] ??= load().then(
    (found) => {
      i18n.global.setLocaleMessage(lang, areasFrom(found))
    },
    (err) => {
      delete loading[lang]
      throw err
    },
  )
  return loading[lang]
}

// allMessages loads every language and returns { en: {...}, de: {...} }.
export async function allMessages() {
  await Promise.all(LANGUAGES.map((lang) => loadLanguage(lang)))
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, i18n.global.getLocaleMessage(lang)]))
}

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
  missingWarn: false,
  fallbackWarn: false,
})

// setLanguage switches the UI's language: 'system' follows the OS. It
// resolves once the language's messages are loaded and shown.
export async function setLanguage(choice) {
  const lang = choice && choice !== 'system' && LANGUAGES.includes(choice) ? choice : systemLanguage()
  await loadLanguage(lang)
  i18n.global.locale.value = lang
  if (globalThis.document?.documentElement) document.documentElement.lang = lang
  return lang
}

export default i18n
