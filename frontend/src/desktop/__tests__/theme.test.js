import { describe, it, expect, vi } from 'vitest'
import { applyTheme, isDark, onSystemThemeChange } from '@/desktop/theme'

describe('theme', () => {
  it('follows the system only when the setting says so', () => {
    expect(isDark('system', true)).toBe(true)
    expect(isDark('system', false)).toBe(false)
    expect(isDark('dark', false)).toBe(true)
    expect(isDark('light', true)).toBe(false)
    expect(isDark('nonsense', true)).toBe(true) // unknown means system
  })

  it("sets Bootstrap's colour mode on <html>", () => {
    expect(applyTheme('dark', false)).toBe(true)
    expect(document.documentElement.getAttribute('data-bs-theme')).toBe('dark')
    expect(applyTheme('system', false)).toBe(false)
    expect(document.documentElement.getAttribute('data-bs-theme')).toBe('light')
    expect(document.documentElement.getAttribute('data-theme')).toBe('system')
  })

  it('hears the OS switch between light and dark', () => {
    const listeners = []
    const mql = { matches: false, addEventListener: (_, l) => listeners.push(l), removeEventListener: vi.fn() }
    const win = { matchMedia: vi.fn(() => mql) }
    const seen = []
    const stop = onSystemThemeChange((dark) => seen.push(dark), win)
    expect(win.matchMedia).toHaveBeenCalledWith('(prefers-color-scheme: dark)')
    listeners.forEach((l) => l({ matches: true }))
    expect(seen).toEqual([true])
    stop()
    expect(mql.removeEventListener).toHaveBeenCalled()
  })
})
