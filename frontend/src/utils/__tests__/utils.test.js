import { describe, it, expect } from 'vitest'
import { formatCountdown, formatLocalTime, parseTime } from '@/utils/time'
import { safeReturnUrl } from '@/utils/returnUrl'

describe('formatCountdown', () => {
  it.each([
    [0, '00:00'],
    [999, '00:00'],
    [1000, '00:01'],
    [59_999, '00:59'],
    [60_000, '01:00'],
    [125_000, '02:05'],
    [75 * 60_000, '75:00'],
    [-5000, '00:00'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text)
  })

  it('is --:-- for an unknown duration', () => {
    expect(formatCountdown(NaN)).toBe('--:--')
    expect(formatCountdown(undefined)).toBe('--:--')
  })
})

describe('time parsing', () => {
  it('parses RFC3339 and rejects empty strings', () => {
    expect(parseTime('2030-01-01T00:00:00Z')).toBe(Date.UTC(2030, 0, 1))
    expect(parseTime('2030-01-01T01:00:00+01:00')).toBe(Date.UTC(2030, 0, 1))
    expect(Number.isNaN(parseTime(''))).toBe(true)
    expect(Number.isNaN(parseTime(null))).toBe(true)
    expect(Number.isNaN(parseTime(undefined))).toBe(true)
  })

  it('treats Go\'s zero time as no time', () => {
    expect(Number.isNaN(parseTime('0001-01-01T00:00:00Z'))).toBe(true)
    expect(formatLocalTime('0001-01-01T00:00:00Z')).toBeNull()
  })

  it('formats a local time, or null when there is none', () => {
    expect(formatLocalTime('')).toBeNull()
    expect(formatLocalTime('garbage')).toBeNull()
    expect(formatLocalTime('2030-01-01T00:00:00Z')).toBe(new Date(Date.UTC(2030, 0, 1)).toLocaleTimeString())
    expect(formatLocalTime('2030-01-01T15:00:00Z', 'de')).toBe(new Date(Date.UTC(2030, 0, 1, 15)).toLocaleTimeString('de'))
  })
})

describe('safeReturnUrl', () => {
  it('keeps in-app paths', () => {
    expect(safeReturnUrl('/')).toBe('/')
    expect(safeReturnUrl('/?tab=users')).toBe('/?tab=users')
    expect(safeReturnUrl(['/a', '/b'])).toBe('/a')
  })

  it('sends anything else home', () => {
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil', 'relative', '', null, undefined, 7]) {
      expect(safeReturnUrl(bad)).toBe('/')
    }
  })

  it('never returns to the login page itself', () => {
    expect(safeReturnUrl('/login')).toBe('/')
    expect(safeReturnUrl('/login?returnUrl=%2F')).toBe('/')
  })
})
