import { afterEach, describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import { errorText } from '@/i18n/errors'
import { AppError, FALLBACK_MESSAGE, toAppError } from '@/api/errors'

afterEach(() => {
  i18n.global.locale.value = 'en'
})

describe('errorText', () => {
  it('says a code in the UI language when Go sent no message of its own', () => {
    i18n.global.locale.value = 'de'
    expect(errorText({ code: 'unavailable', message: '' })).toBe('Der Server ist nicht erreichbar.')
    expect(errorText({ code: 'busy' })).toBe('Der Server ist ausgelastet. Bitte gleich erneut versuchen.')
    expect(errorText(toAppError(null))).toBe('Etwas ist schiefgegangen. Bitte erneut versuchen.')
    expect(errorText(new AppError('internal', FALLBACK_MESSAGE))).toBe('Etwas ist schiefgegangen. Bitte erneut versuchen.')
    expect(errorText({ code: 'made_up' })).toBe('Etwas ist schiefgegangen. Bitte erneut versuchen.')
  })

  it("translates the contract's fixed sentences and Go's generic one", () => {
    i18n.global.locale.value = 'de'
    expect(errorText(new AppError('unauthorized', 'Username or password is incorrect'))).toBe(
      'Benutzername oder Passwort ist falsch',
    )
    expect(errorText(new AppError('internal', 'Something went wrong inside AuthDesk. The details are in its log.'))).toBe(
      'In AuthDesk ist etwas schiefgegangen. Die Einzelheiten stehen im Protokoll.',
    )
    i18n.global.locale.value = 'en'
    expect(errorText(new AppError('unauthorized', 'Username or password is incorrect'))).toBe('Username or password is incorrect')
  })

  it("shows a server's own words as they came", () => {
    i18n.global.locale.value = 'de'
    expect(errorText(new AppError('invalid', 'Kennwort zu kurz (server)'))).toBe('Kennwort zu kurz (server)')
    expect(errorText(null)).toBe('')
  })
})
