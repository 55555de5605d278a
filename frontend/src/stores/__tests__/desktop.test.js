import { describe, it, expect, vi, beforeEach } from 'vitest'
import { setActivePinia, createPinia } from 'pinia'
import { mount, flushPromises } from '@vue/test-utils'

// The Wails bindings and runtime, as Go would answer; events are delivered
// by emit() below.
const handlers = vi.hoisted(() => ({}))
vi.mock('../../../wailsjs/go/app/Theme', () => ({
  Get: vi.fn(async () => ({ theme: 'dark' })),
  Set: vi.fn(async (t) => ({ theme: t })),
  Applied: vi.fn(async () => {}),
}))
vi.mock('../../../wailsjs/go/app/Language', () => ({
  Get: vi.fn(async () => ({ language: 'de' })),
  Set: vi.fn(async (l) => ({ language: l })),
}))
vi.mock('../../../wailsjs/go/app/About', () => ({
  Get: vi.fn(async () => ({
    name: 'AuthDesk',
    version: '0.1.0',
    commit: 'abc123def456',
    license: 'MIT',
    dataDir: '/home/ann/.config/authdesk',
    website: 'https://example.org',
  })),
  OpenDataFolder: vi.fn(async () => {}),
  OpenWebsite: vi.fn(async () => {}),
}))
vi.mock('../../../wailsjs/runtime/runtime', () => ({
  EventsOn: vi.fn((name, fn) => {
    handlers[name] = fn
    return () => delete handlers[name]
  }),
  EventsOff: vi.fn(),
  ClipboardGetText: vi.fn(async () => ''),
  ClipboardSetText: vi.fn(async () => true),
  LogInfo: vi.fn(),
}))
const router = vi.hoisted(() => ({ push: vi.fn(async () => {}), currentRoute: { value: { fullPath: '/settings' } } }))
vi.mock('@/router', () => ({ default: router }))

import * as Theme from '../../../wailsjs/go/app/Theme'
import * as About from '../../../wailsjs/go/app/About'
import * as Runtime from '../../../wailsjs/runtime/runtime'
import { useDesktopStore } from '@/stores/desktop'
import * as Language from '../../../wailsjs/go/app/Language'
import { i18n } from '@/i18n'
import AboutDialog from '@/components/AboutDialog.vue'

const emit = (name, ...data) => handlers[name](...data)

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
  document.documentElement.removeAttribute('data-theme')
  window.matchMedia = vi.fn(() => ({ matches: false, addEventListener: vi.fn(), removeEventListener: vi.fn() }))
})

describe('desktop store', () => {
  it("applies Go's theme setting, tells Go what it shows, and follows theme:changed", async () => {
    const desktop = useDesktopStore()
    await desktop.start()
    expect(Theme.Get).toHaveBeenCalled()
    expect(document.documentElement.getAttribute('data-bs-theme')).toBe('dark')
    expect(Theme.Applied).toHaveBeenLastCalledWith(true)

    emit('theme:changed', { theme: 'light' })
    expect(desktop.theme).toBe('light')
    expect(document.documentElement.getAttribute('data-bs-theme')).toBe('light')
    expect(Theme.Applied).toHaveBeenLastCalledWith(false)
    desktop.stop()
  })

  it("speaks the language Go keeps, and 'system' follows the OS", async () => {
    const desktop = useDesktopStore()
    try {
      await desktop.start()
      expect(Language.Get).toHaveBeenCalled()
      expect(desktop.language).toBe('de')
      expect(i18n.global.locale.value).toBe('de')
      expect(document.documentElement.lang).toBe('de')
      await desktop.setLanguage('system')
      expect(Language.Set).toHaveBeenCalledWith('system')
      expect(i18n.global.locale.value).toBe('en') // jsdom's navigator says en-US
    } finally {
      desktop.stop()
      i18n.global.locale.value = 'en'
    }
  })

  it('setTheme goes through Go', async () => {
    const desktop = useDesktopStore()
    await desktop.setTheme('dark')
    expect(Theme.Set).toHaveBeenCalledWith('dark')
    expect(document.documentElement.getAttribute('data-bs-theme')).toBe('dark')
  })

  it("follows the menu: Settings navigates, About opens the dialog", async () => {
    const desktop = useDesktopStore()
    await desktop.start()
    emit('menu:navigate', '/settings')
    expect(router.push).toHaveBeenCalledWith('/settings')
    await flushPromises()
    expect(Runtime.LogInfo).toHaveBeenCalledWith('menu: showing /settings')
    emit('menu:navigate', 'https://elsewhere.example') // not a route: ignored
    expect(router.push).toHaveBeenCalledTimes(1)
    emit('menu:about')
    await flushPromises()
    expect(desktop.aboutOpen).toBe(true)
    expect(desktop.about.commit).toBe('abc123def456')
    desktop.stop()
  })
})

describe('AboutDialog', () => {
  it('shows version, build, licence and data folder; Open folder and Esc work', async () => {
    const desktop = useDesktopStore()
    const wrapper = mount(AboutDialog, { attachTo: document.body })
    expect(wrapper.find('#about-dialog').exists()).toBe(false)
    await desktop.openAbout()
    await flushPromises()

    expect(wrapper.find('#about-version').text()).toBe('v0.1.0')
    expect(wrapper.find('#about-commit').text()).toBe('abc123def456')
    expect(wrapper.find('#about-license').text()).toBe('MIT')
    expect(wrapper.find('#about-data-dir').text()).toBe('/home/ann/.config/authdesk')
    expect(document.activeElement?.id).toBe('about-close')

    await wrapper.find('#about-open-folder').trigger('click')
    expect(About.OpenDataFolder).toHaveBeenCalled()
    About.OpenDataFolder.mockRejectedValueOnce({ code: 'unavailable', message: 'Could not open it' })
    await wrapper.find('#about-open-folder').trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('Could not open it')

    // Tab from the last button wraps to the first: the focus stays in the dialog.
    await wrapper.find('#about-close').trigger('keydown', { key: 'Tab' })
    expect(document.activeElement?.id).toBe('about-open-folder')
    await wrapper.find('#about-open-folder').trigger('keydown', { key: 'Tab', shiftKey: true })
    expect(document.activeElement?.id).toBe('about-close')

    await wrapper.find('#about-dialog').trigger('keydown', { key: 'Escape' })
    await flushPromises()
    expect(desktop.aboutOpen).toBe(false)
    expect(wrapper.find('#about-dialog').exists()).toBe(false)
    wrapper.unmount()
  })
})
