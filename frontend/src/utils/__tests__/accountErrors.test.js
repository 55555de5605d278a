import { describe, it, expect, afterEach } from 'vitest'
import { i18n } from '@/i18n'
import { AppError } from '@/api/errors'
import { accountErrorText } from '@/utils/accountErrors'

const t = (...args) => i18n.global.t(...args)

afterEach(() => {
  i18n.global.locale.value = 'en'
})

describe('accountErrorText', () => {
  it("translates the account calls' fixed sentences", () => {
    i18n.global.locale.value = 'de'
    expect(accountErrorText(new AppError('invalid', 'Current password is not correct'), t, 'x')).toBe('Das aktuelle Passwort stimmt nicht')
    expect(accountErrorText(new AppError('invalid', 'Password must be at least 8 characters'), t, 'x')).toBe(
      'Das neue Passwort braucht mindestens 8 Zeichen',
    )
    expect(accountErrorText(new AppError('not_found', 'Session not found'), t, 'x')).toBe('Diese Sitzung ist bereits beendet.')
  })

  it("shows a server's own words as they are, and the fallback for none", () => {
    expect(accountErrorText(new AppError('unavailable', 'http://x answered with a server error: 502'), t, 'fallback')).toBe(
      'http://x answered with a server error: 502',
    )
    expect(accountErrorText({ code: 'internal', message: '' }, t, 'fallback')).toBe('fallback')
    expect(accountErrorText(null, t, 'fallback')).toBe('fallback')
  })
})
