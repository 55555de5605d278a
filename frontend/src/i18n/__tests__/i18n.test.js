import { describe, expect, it } from 'vitest'
import { LANGUAGES, messages, messagesFrom, pickLanguage } from '@/i18n'

// keys lists every leaf key of a message tree as a dotted path.
function keys(tree, prefix = '') {
  return Object.entries(tree).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('i18n', () => {
  it('has every supported language, each with the same keys as English', () => {
    const english = keys(messages.en).sort()
    expect(english.length).toBeGreaterThan(0)
    for (const lang of LANGUAGES) {
      expect(messages[lang], lang).toBeTruthy()
      expect(keys(messages[lang]).sort(), `${lang} keys`).toEqual(english)
    }
  })

  it('has no empty translations', () => {
    for (const lang of LANGUAGES) {
      for (const k of keys(messages[lang])) {
        const v = k.split('.').reduce((o, p) => o[p], messages[lang])
        expect(typeof v === 'string' && v.trim() !== '', `${lang}: ${k}`).toBe(true)
      }
    }
  })

  it('files become areas', () => {
    expect(messagesFrom({ './locales/de/login.json': { a: 'b' } })).toEqual({ de: { login: { a: 'b' } } })
  })

  it('follows the OS language, region or not, and falls back to English', () => {
    expect(pickLanguage(['de-AT', 'en-US'])).toBe('de')
    expect(pickLanguage(['fr-FR', 'de'])).toBe('de')
    expect(pickLanguage(['fr-FR'])).toBe('en')
    expect(pickLanguage([])).toBe('en')
    expect(pickLanguage(['EN_gb'])).toBe('en')
  })
})
