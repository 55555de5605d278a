import { describe, expect, it } from 'vitest'
import { LANGUAGES, allMessages, i18n, loadLanguage, pickLanguage } from '@/i18n'
import { areasFrom } from '@/i18n/areas'

// keys lists every leaf key of a message tree as a dotted path.
function keys(tree, prefix = '') {
  return Object.entries(tree).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('i18n', () => {
  it('has every supported language, each with the same keys as English', async () => {
    const messages = await allMessages()
    const english = keys(messages.en).sort()
    expect(english.length).toBeGreaterThan(0)
    for (const lang of LANGUAGES) {
      expect(messages[lang], lang).toBeTruthy()
      expect(keys(messages[lang]).sort(), `${lang} keys`).toEqual(english)
    }
  })

  it('has no empty translations', async () => {
    const messages = await allMessages()
    for (const lang of LANGUAGES) {
      for (const k of keys(messages[lang])) {
        const v = k.split('.').reduce((o, p) => o[p], messages[lang])
        expect(typeof v === 'string' && v.trim() !== '', `${lang}: ${k}`).toBe(true)
      }
    }
  })

  it('loads every area file of a language, and no other language\'s', async () => {
    // A language folder's files, as the build sees them, against what its
    // locales/<language>.js gathers (a folder without one would never load).
    const files = import.meta.glob('../locales/*/*.json')
    for (const lang of LANGUAGES) {
      const areas = Object.keys(files)
        .filter((path) => path.startsWith(`../locales/${lang}/`))
        .map((path) => path.match(/([^/]+)\.json$/)[1])
        .sort()
      expect(areas.length, lang).toBeGreaterThan(0)
      const gathered = (await import(`../locales/${lang}.js`)).default
      expect(Object.keys(areasFrom(gathered)).sort(), lang).toEqual(areas)
      expect(Object.keys(gathered).every((path) => path.startsWith(`./${lang}/`)), lang).toBe(true)
    }
    const folders = new Set(Object.keys(files).map((path) => path.split('/')[2]))
    expect([...folders].sort()).toEqual([...LANGUAGES].sort())
  })

  it('files become areas', () => {
    expect(areasFrom({ './login.json': { a: 'b' }, './nav.json': { c: 'd' } })).toEqual({ login: { a: 'b' }, nav: { c: 'd' } })
  })

  it('loads a language once, and refuses one it does not have', async () => {
    const first = loadLanguage('de')
    expect(loadLanguage('de')).toBe(first)
    await first
    await expect(loadLanguage('fr')).rejects.toThrow(/no messages for language "fr"/)
  })

  it('tries a language again after its messages failed to load', async () => {
    let attempts = 0
    const flaky = async () => {
      attempts++
      if (attempts === 1) throw new Error('chunk failed')
      return { './xx/test.json': { hello: 'Hallo' } }
    }
    await expect(loadLanguage('xx', flaky)).rejects.toThrow('chunk failed')
    await loadLanguage('xx', flaky)
    expect(attempts).toBe(2)
    expect(i18n.global.getLocaleMessage('xx')).toEqual({ test: { hello: 'Hallo' } })
  })

  it('follows the OS language, region or not, and falls back to English', () => {
    expect(pickLanguage(['de-AT', 'en-US'])).toBe('de')
    expect(pickLanguage(['fr-FR', 'de'])).toBe('de')
    expect(pickLanguage(['fr-FR'])).toBe('en')
    expect(pickLanguage([])).toBe('en')
    expect(pickLanguage(['EN_gb'])).toBe('en')
  })
})
