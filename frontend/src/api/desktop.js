import * as Theme from '../../wailsjs/go/app/Theme'
import * as About from '../../wailsjs/go/app/About'
import * as Language from '../../wailsjs/go/app/Language'
import { ClipboardGetText, ClipboardSetText, LogInfo } from '../../wailsjs/runtime/runtime'
import { callGo } from './errors'

export const THEMES = Object.freeze({ SYSTEM: 'system', LIGHT: 'light', DARK: 'dark' })

function toTheme(v) {
  const t = v && typeof v === 'object' ? v.theme : ''
  return Object.values(THEMES).includes(t) ? t : THEMES.SYSTEM
}

// The theme setting Go keeps: 'system' | 'light' | 'dark'.
export async function getTheme() {
  return toTheme(await callGo(Theme.Get))
}

// Go stores it and emits theme:changed; rejects ('invalid') for anything else.
export async function setTheme(theme) {
  return toTheme(await callGo(Theme.Set, theme))
}

// Tells Go which colour mode the page now shows, so the window matches.
export async function themeApplied(dark) {
  await callGo(Theme.Applied, dark === true)
}

// The UI language setting Go keeps: 'system' or a language code ('en', 'de').
function toLanguage(v) {
  const l = v && typeof v === 'object' ? v.language : ''
  return typeof l === 'string' && l ? l : 'system'
}

export async function getLanguageSetting() {
  return toLanguage(await callGo(Language.Get))
}

// Go stores it; rejects ('invalid') for a language it does not offer.
export async function saveLanguageSetting(language) {
  return toLanguage(await callGo(Language.Set, language))
}

// { name, version, commit, license, copyright, dataDir, website }
export async function getAbout() {
  const a = (await callGo(About.Get)) || {}
  const str = (v) => (typeof v === 'string' ? v : '')
  return {
    name: str(a.name) || 'AuthDesk',
    version: str(a.version),
    commit: str(a.commit),
    license: str(a.license),
    copyright: str(a.copyright),
    dataDir: str(a.dataDir),
    website: str(a.website),
  }
}

// Rejects ('unavailable') when no file manager could be started.
export async function openDataFolder() {
  await callGo(About.OpenDataFolder)
}

export async function openWebsite() {
  await callGo(About.OpenWebsite)
}

// The system clipboard through Go: the web view gives scripts no access to it.
export async function clipboardGetText() {
  const t = await ClipboardGetText()
  return typeof t === 'string' ? t : ''
}

export async function clipboardSetText(text) {
  return (await ClipboardSetText(text)) === true
}

// A line in Go's log, for what the UI did on Go's behalf.
export function logInfo(message) {
  try {
    LogInfo(String(message))
  } catch {
    // no Wails runtime (a plain browser): nothing to log to
  }
}
