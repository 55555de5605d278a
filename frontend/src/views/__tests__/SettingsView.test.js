import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

// Views talk to stores, stores to src/api: replace src/api. The app router is a
// real in-memory one, so the stores' navigation can be followed.
vi.mock('@/api', async (importOriginal) => {
  const actual = await importOriginal()
  return {
    AppError: actual.AppError,
    SESSION_CHANGED: actual.SESSION_CHANGED,
    SESSION_REASONS: actual.SESSION_REASONS,
    PROBE_STATUS: actual.PROBE_STATUS,
    getSettings: vi.fn(),
    listBackendKinds: vi.fn(),
    saveSettings: vi.fn(),
    testConnection: vi.fn(),
    checkSettings: vi.fn(),
    getSession: vi.fn(),
    getLoginInfo: vi.fn(),
    getVersion: vi.fn(),
    logout: vi.fn(),
    onSessionChanged: vi.fn(() => () => {}),
    setTheme: vi.fn(async (t) => t),
    themeApplied: vi.fn(async () => {}),
    saveLanguageSetting: vi.fn(async (l) => l),
  }
})
vi.mock('@/router', async () => {
  const { createMemoryHistory, createRouter } = await import('vue-router')
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div id="home-page">home</div>' } },
      { path: '/login', component: { template: '<div id="login-page">login</div>' } },
      { path: '/settings', component: () => import('@/views/SettingsView.vue') },
    ],
  })
  return { default: router }
})
vi.mock('@/router/navigation', async () => {
  const { default: router } = await import('@/router')
  return { navigation: () => router, setNavigation: () => {} }
})

import * as api from '@/api'
import router from '@/router'
import { useAuthStore } from '@/stores/auth'
import { useShellStore } from '@/stores/shell'
import { useSettingsStore } from '@/stores/settings'
import { i18n } from '@/i18n'

const embedded = { backend: 'embedded', remoteUrl: 'http://localhost:4000', version: '0.1.0' }
const remote = { backend: 'remote', remoteUrl: 'https://auth.example.org', version: '0.1.0' }
const user = { id: 1, username: 'test', firstName: 'Test', lastName: 'User' }
const kinds = [
  { name: 'embedded', label: 'Embedded (offline)', description: 'On this computer.', needsAddress: false, canProbe: false },
  { name: 'remote', label: 'Remote API', description: "The tutorial's API.", needsAddress: true, canProbe: true },
]

// A stand-in for Go's Settings.Check, against the settings the store holds
// (what Go saved). Go has the real rule; this knows just enough of it.
async function fakeCheck({ backend, remoteUrl }) {
  const saved = useSettingsStore().settings
  const url = remoteUrl.replace(/\/+$/, '')
  let message = ''
  if (!url) message = "Enter the server's address, for example http://localhost:4000"
  else if (!/^https?:\/\//i.test(remoteUrl)) message = 'The address must start with http:// or https://'
  else if (/^https?:\/\/($|[/:?#])/i.test(remoteUrl)) message = 'The address must name a host, for example http://localhost:4000'
  const needsAddress = backend === 'remote'
  if (message && needsAddress) return { ok: false, remoteUrl: '', message, warning: '', changed: false, switches: false }
  const next = { backend, remoteUrl: message ? saved.remoteUrl : url }
  const id = (v) => (v.backend === 'remote' ? `remote:${v.remoteUrl}` : v.backend)
  return {
    ok: true,
    remoteUrl: next.remoteUrl,
    message: '',
    warning: '',
    changed: next.backend !== saved.backend || next.remoteUrl !== saved.remoteUrl,
    switches: id(next) !== id(saved),
  }
}

const Host = { template: '<RouterView />' }

async function settle() {
  for (let i = 0; i < 5; i++) await flushPromises()
}
const eventually = (assertion) => vi.waitFor(assertion, { timeout: 3000, interval: 10 })

let wrapper
async function mountSettings() {
  await router.push('/settings')
  await router.isReady()
  wrapper = mount(Host, { global: { plugins: [router] }, attachTo: document.body })
  await eventually(() => expect(wrapper.find('#settings-form').exists()).toBe(true))
  await settle()
  return wrapper
}

const urlInput = () => wrapper.find('#remote-url')
const saveButton = () => wrapper.find('#save-settings')

async function chooseRemote(url) {
  await wrapper.find('#backend-remote').setValue(true)
  if (url !== undefined) await urlInput().setValue(url)
  await settle()
}

function deferred() {
  let resolve
  const promise = new Promise((res) => (resolve = res))
  return { promise, resolve }
}

beforeEach(async () => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
  api.getSettings.mockResolvedValue(embedded)
  api.getSession.mockResolvedValue(null)
  api.getVersion.mockResolvedValue('0.1.0')
  api.getLoginInfo.mockResolvedValue({ backendKind: 'embedded', backendLabel: 'Embedded (offline)', demoHint: true })
  api.listBackendKinds.mockResolvedValue(kinds)
  api.checkSettings.mockImplementation(fakeCheck)
  await router.push('/')
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = null
})

describe('SettingsView: loading', () => {
  it('shows the saved choice, the about line, and nothing to save yet', async () => {
    await mountSettings()
    expect(wrapper.find('#backend-embedded').element.checked).toBe(true)
    expect(wrapper.find('#backend-remote').element.checked).toBe(false)
    expect(urlInput().element.value).toBe('http://localhost:4000')
    expect(urlInput().attributes('disabled')).toBeDefined()
    expect(wrapper.find('#test-connection').attributes('disabled')).toBeDefined()
    expect(saveButton().attributes('disabled')).toBeDefined()
    expect(wrapper.find('#settings-version').text()).toBe('AuthDesk 0.1.0')
    expect(wrapper.find('#switch-warning').exists()).toBe(false)
    expect(wrapper.find('#settings-error').exists()).toBe(false)
  })

  it('shows remote mode with its address', async () => {
    api.getSettings.mockResolvedValue(remote)
    await mountSettings()
    expect(wrapper.find('#backend-remote').element.checked).toBe(true)
    expect(urlInput().element.value).toBe('https://auth.example.org')
    expect(urlInput().attributes('disabled')).toBeUndefined()
  })

  it('falls back to Shell.Version for the about line', async () => {
    api.getSettings.mockResolvedValue({ ...embedded, version: '' })
    api.getVersion.mockResolvedValue('dev')
    await mountSettings()
    expect(wrapper.find('#settings-version').text()).toBe('AuthDesk dev')
  })

  it('shows why the settings could not be read', async () => {
    api.getSettings.mockRejectedValueOnce(new api.AppError('internal', 'cannot open the settings'))
    await router.push('/settings')
    wrapper = mount(Host, { global: { plugins: [router] } })
    await eventually(() => expect(wrapper.find('#settings-error').exists()).toBe(true))
    expect(wrapper.find('#settings-error').classes()).toContain('alert-danger')
    expect(wrapper.find('#settings-error').text()).toContain('cannot open the settings')
    expect(wrapper.find('#settings-form').exists()).toBe(false)

    await wrapper.find('#settings-retry').trigger('click')
    await eventually(() => expect(wrapper.find('#settings-form').exists()).toBe(true))
    expect(wrapper.find('#settings-error').exists()).toBe(false)
  })
})

describe('SettingsView: the form', () => {
  it('the address is editable only while Remote API is chosen', async () => {
    await mountSettings()
    await chooseRemote()
    expect(urlInput().attributes('disabled')).toBeUndefined()
    expect(wrapper.find('#test-connection').attributes('disabled')).toBeUndefined()
    expect(saveButton().attributes('disabled')).toBeUndefined()

    await wrapper.find('#backend-embedded').setValue(true)
    await settle()
    expect(urlInput().attributes('disabled')).toBeDefined()
    expect(wrapper.find('#test-connection').attributes('disabled')).toBeDefined()
    expect(saveButton().attributes('disabled')).toBeDefined()
  })

  it('says what is wrong with an address once the field is left', async () => {
    await mountSettings()
    await chooseRemote('localhost:4000')
    expect(wrapper.find('.invalid-feedback').exists()).toBe(false) // not while typing
    await urlInput().trigger('blur')
    await eventually(() =>
      expect(wrapper.find('.invalid-feedback').text()).toBe('The address must start with http:// or https://'),
    )
    expect(urlInput().classes()).toContain('is-invalid')
    expect(urlInput().attributes('aria-invalid')).toBe('true')
    expect(urlInput().attributes('aria-describedby')).toBe('remote-url-error')

    await urlInput().setValue('http://')
    await eventually(() =>
      expect(wrapper.find('.invalid-feedback').text()).toBe(
        'The address must name a host, for example http://localhost:4000',
      ),
    )

    await urlInput().setValue('http://localhost:4001')
    await eventually(() => expect(wrapper.find('.invalid-feedback').exists()).toBe(false))
    expect(urlInput().classes()).not.toContain('is-invalid')
  })

  it('an empty address is required in remote mode, and Save does not call Go', async () => {
    await mountSettings()
    await chooseRemote('')
    await wrapper.find('form').trigger('submit')
    await eventually(() =>
      expect(wrapper.find('.invalid-feedback').text()).toBe(
        "Enter the server's address, for example http://localhost:4000",
      ),
    )
    await settle()
    expect(api.saveSettings).not.toHaveBeenCalled()
  })

  it('shows Go\'s warning about plain http off this computer', async () => {
    api.checkSettings.mockImplementation(async (form) => ({
      ...(await fakeCheck(form)),
      warning: 'Plain http sends your password and tokens to 10.0.0.2 unencrypted.',
    }))
    await mountSettings()
    await chooseRemote('http://10.0.0.2:4000')
    await urlInput().trigger('blur')
    await eventually(() => expect(wrapper.find('#url-warning').exists()).toBe(true))
    expect(api.checkSettings).toHaveBeenCalledWith({ backend: 'remote', remoteUrl: 'http://10.0.0.2:4000' })
    expect(urlInput().attributes('aria-describedby')).toBe('url-warning')
    const warning = wrapper.find('#url-warning')
    expect(warning.classes()).toEqual(expect.arrayContaining(['alert', 'alert-warning', 'small']))
    expect(warning.text()).toContain('unencrypted')

    // Not about another address, and not in embedded mode.
    await urlInput().setValue('http://10.0.0.3:4000')
    await settle()
    expect(wrapper.find('#url-warning').exists()).toBe(false)
    await urlInput().trigger('blur')
    await eventually(() => expect(wrapper.find('#url-warning').exists()).toBe(true))
    await wrapper.find('#backend-embedded').setValue(true)
    await settle()
    expect(wrapper.find('#url-warning').exists()).toBe(false)
  })

  it('asks Go about the address after a pause in typing', async () => {
    await mountSettings()
    await chooseRemote('https://auth.example.org')
    await eventually(() =>
      expect(api.checkSettings).toHaveBeenCalledWith({ backend: 'remote', remoteUrl: 'https://auth.example.org' }),
    )
  })

  it('shows Go\'s reason when Go refuses an address', async () => {
    api.checkSettings.mockImplementation(async () => ({
      ok: false,
      remoteUrl: '',
      message: 'The address must not contain a query (?...)',
      warning: '',
      changed: false,
      switches: false,
    }))
    await mountSettings()
    await chooseRemote('https://auth.example.org/?x=1')
    await urlInput().trigger('blur')
    await eventually(() =>
      expect(wrapper.find('.invalid-feedback').text()).toBe('The address must not contain a query (?...)'),
    )
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(api.saveSettings).not.toHaveBeenCalled()
  })

  it('warns before switching while signed in', async () => {
    useAuthStore().session = { user }
    await mountSettings()
    expect(wrapper.find('#switch-warning').exists()).toBe(false)
    await chooseRemote('https://auth.example.org')
    await eventually(() => expect(wrapper.find('#switch-warning').text()).toContain('Switching backend will sign you out'))
    await wrapper.find('#backend-embedded').setValue(true)
    await eventually(() => expect(wrapper.find('#switch-warning').exists()).toBe(false))
  })

  it('does not warn when nobody is signed in', async () => {
    await mountSettings()
    await chooseRemote('https://auth.example.org')
    await eventually(() => expect(api.checkSettings).toHaveBeenCalledWith({ backend: 'remote', remoteUrl: 'https://auth.example.org' }))
    await settle()
    expect(wrapper.find('#switch-warning').exists()).toBe(false)
  })

  it('links back home when signed in and back to sign in otherwise', async () => {
    await mountSettings()
    expect(wrapper.find('#settings-back').attributes('href')).toBe('/login')
    wrapper.unmount()
    useAuthStore().session = { user }
    await mountSettings()
    expect(wrapper.find('#settings-back').attributes('href')).toBe('/')
    await wrapper.find('#settings-back').trigger('click')
    await eventually(() => expect(router.currentRoute.value.path).toBe('/'))
  })
})

describe('SettingsView: test connection', () => {
  const cases = [
    ['reachable', 'alert-success', 'Connection OK.'],
    ['unreachable', 'alert-danger', 'Cannot reach the server.'],
    ['not_this_api', 'alert-danger', 'not the AuthDesk API'],
  ]
  for (const [status, cls, text] of cases) {
    it(`shows a ${status} result with Go's reason`, async () => {
      api.testConnection.mockResolvedValue({ url: 'http://127.0.0.1:9', status, reason: `reason for ${status}` })
      await mountSettings()
      await chooseRemote('http://127.0.0.1:9')
      await wrapper.find('#test-connection').trigger('click')
      await eventually(() => expect(wrapper.find('#connection-result').exists()).toBe(true))
      expect(api.testConnection).toHaveBeenCalledWith({ backend: 'remote', remoteUrl: 'http://127.0.0.1:9' })
      const result = wrapper.find('#connection-result')
      expect(result.classes()).toContain('alert')
      expect(result.classes()).toContain(cls)
      expect(result.text()).toContain(text)
      expect(result.text()).toContain(`reason for ${status}`)
    })
  }

  it('shows a spinner while testing, and forgets the result when the address changes', async () => {
    const answer = deferred()
    api.testConnection.mockReturnValue(answer.promise)
    await mountSettings()
    await chooseRemote('https://auth.example.org')
    await wrapper.find('#test-connection').trigger('click')
    await eventually(() => expect(api.testConnection).toHaveBeenCalled())
    expect(wrapper.find('#test-connection').attributes('disabled')).toBeDefined()
    expect(wrapper.find('#test-connection .spinner-border').exists()).toBe(true)

    answer.resolve({ url: 'https://auth.example.org', status: 'reachable', reason: 'ok' })
    await eventually(() => expect(wrapper.find('#connection-result').exists()).toBe(true))
    expect(wrapper.find('#test-connection').attributes('disabled')).toBeUndefined()

    await urlInput().setValue('https://other.example.org')
    await settle()
    expect(wrapper.find('#connection-result').exists()).toBe(false)
  })

  it('does not probe an invalid address', async () => {
    await mountSettings()
    await chooseRemote('auth.example.org')
    await wrapper.find('#test-connection').trigger('click')
    await eventually(() =>
      expect(wrapper.find('.invalid-feedback').text()).toBe('The address must start with http:// or https://'),
    )
    expect(api.testConnection).not.toHaveBeenCalled()
    expect(wrapper.find('#connection-result').exists()).toBe(false)
  })

  it('shows Go\'s refusal of the address as a failed test', async () => {
    api.testConnection.mockRejectedValue(new api.AppError('invalid', 'The address must not contain a query (?...)'))
    await mountSettings()
    await chooseRemote('http://localhost:4000/?x=1')
    await wrapper.find('#test-connection').trigger('click')
    await eventually(() => expect(wrapper.find('#connection-result').exists()).toBe(true))
    expect(wrapper.find('#connection-result').classes()).toContain('alert-danger')
    expect(wrapper.find('#connection-result').text()).toContain('The address must not contain a query (?...)')
  })
})

describe('SettingsView: saving', () => {
  it('switching backend saves the choice, then shows the login page for the new backend', async () => {
    api.saveSettings.mockResolvedValue({ settings: remote, switched: true })
    await mountSettings()
    await chooseRemote('  https://auth.example.org  ')
    api.getLoginInfo.mockResolvedValue({ backendKind: 'remote', backendLabel: 'https://auth.example.org', demoHint: false })

    await wrapper.find('form').trigger('submit')

    await eventually(() => expect(router.currentRoute.value.path).toBe('/login'))
    expect(api.saveSettings).toHaveBeenCalledTimes(1)
    expect(api.saveSettings).toHaveBeenCalledWith({ backend: 'remote', remoteUrl: 'https://auth.example.org' })
    expect(api.getLoginInfo).toHaveBeenCalled()
    expect(useAuthStore().loginInfo).toEqual({
      backendKind: 'remote',
      backendLabel: 'https://auth.example.org',
      demoHint: false,
    })
    expect(wrapper.find('#login-page').exists()).toBe(true)
  })

  it('a signed-in person is signed out by the switch and lands on the login page', async () => {
    const auth = useAuthStore()
    auth.session = { user }
    api.getSettings.mockResolvedValue(remote)
    api.saveSettings.mockResolvedValue({ settings: embedded, switched: true })
    await mountSettings()

    await wrapper.find('#backend-embedded').setValue(true)
    await eventually(() => expect(wrapper.find('#switch-warning').exists()).toBe(true))
    await wrapper.find('form').trigger('submit')

    await eventually(() => expect(router.currentRoute.value.path).toBe('/login'))
    expect(api.saveSettings).toHaveBeenCalledWith({ backend: 'embedded', remoteUrl: 'https://auth.example.org' })
    expect(auth.user).toBeNull()
    expect(auth.loginInfo.backendLabel).toBe('Embedded (offline)')
  })

  it('a change that keeps the backend shows Saved and stays', async () => {
    api.saveSettings.mockResolvedValue({ settings: { ...embedded, remoteUrl: 'https://auth.example.org' }, switched: false })
    await mountSettings()
    // remember another address but stay embedded
    await chooseRemote('https://auth.example.org')
    await wrapper.find('#backend-embedded').setValue(true)
    await settle()
    expect(saveButton().attributes('disabled')).toBeUndefined()

    await wrapper.find('form').trigger('submit')

    await eventually(() => expect(wrapper.find('#settings-saved').exists()).toBe(true))
    expect(api.saveSettings).toHaveBeenCalledWith({ backend: 'embedded', remoteUrl: 'https://auth.example.org' })
    expect(wrapper.find('#settings-saved').text()).toBe('Saved')
    expect(router.currentRoute.value.path).toBe('/settings')
    expect(api.getLoginInfo).not.toHaveBeenCalled()
    await eventually(() => expect(saveButton().attributes('disabled')).toBeDefined())

    // gone once the form differs again
    await chooseRemote()
    expect(wrapper.find('#settings-saved').exists()).toBe(false)
  })

  it('disables Save and shows a spinner while saving', async () => {
    const answer = deferred()
    api.saveSettings.mockReturnValue(answer.promise)
    await mountSettings()
    await chooseRemote('https://auth.example.org')
    await wrapper.find('form').trigger('submit')
    await eventually(() => expect(api.saveSettings).toHaveBeenCalled())
    await settle()
    expect(saveButton().attributes('disabled')).toBeDefined()
    expect(saveButton().find('.spinner-border').exists()).toBe(true)
    answer.resolve({ settings: remote, switched: true })
    await eventually(() => expect(router.currentRoute.value.path).toBe('/login'))
  })

  it('shows Go\'s error and keeps the person on the page', async () => {
    api.saveSettings.mockRejectedValue(new api.AppError('invalid', 'The address must not contain a user name or password'))
    await mountSettings()
    await chooseRemote('https://me:pw@auth.example.org')
    await wrapper.find('form').trigger('submit')

    await eventually(() => expect(wrapper.find('#settings-error').exists()).toBe(true))
    const error = wrapper.find('#settings-error')
    expect(error.classes()).toContain('alert-danger')
    expect(error.text()).toContain('The address must not contain a user name or password')
    expect(router.currentRoute.value.path).toBe('/settings')
    expect(saveButton().attributes('disabled')).toBeUndefined()
    expect(wrapper.find('#settings-saved').exists()).toBe(false)
  })
})

describe('SettingsView: unsaved changes', () => {
  it('asks before leaving with unsaved edits; Keep editing stays, Discard leaves', async () => {
    await mountSettings()
    await chooseRemote('https://auth.example.org')
    await eventually(() => expect(saveButton().attributes('disabled')).toBeUndefined())

    router.push('/login')
    await eventually(() => expect(wrapper.find('#discard-dialog').exists()).toBe(true))
    expect(document.activeElement?.id).toBe('discard-dialog-cancel')
    await wrapper.find('#discard-dialog-cancel').trigger('click')
    await settle()
    expect(router.currentRoute.value.path).toBe('/settings')
    expect(urlInput().element.value).toBe('https://auth.example.org')

    // Esc is "keep editing" too.
    router.push('/login')
    await eventually(() => expect(wrapper.find('#discard-dialog').exists()).toBe(true))
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    await settle()
    expect(wrapper.find('#discard-dialog').exists()).toBe(false)
    expect(router.currentRoute.value.path).toBe('/settings')

    router.push('/login')
    await eventually(() => expect(wrapper.find('#discard-dialog').exists()).toBe(true))
    await wrapper.find('#discard-dialog-confirm').trigger('click')
    await eventually(() => expect(router.currentRoute.value.path).toBe('/login'))
  })

  it('does not ask while this visit has not filled the form yet', async () => {
    useSettingsStore().settings = embedded // from an earlier visit
    api.getSettings.mockReturnValue(new Promise(() => {})) // Go has not answered
    await router.push('/settings')
    await router.isReady()
    wrapper = mount(Host, { global: { plugins: [router] }, attachTo: document.body })
    await settle()
    await router.push('/login')
    await settle()
    expect(router.currentRoute.value.path).toBe('/login')
    expect(wrapper.find('#discard-dialog').exists()).toBe(false)
  })

  it('leaves without asking when nothing was changed', async () => {
    await mountSettings()
    await router.push('/login')
    await settle()
    expect(router.currentRoute.value.path).toBe('/login')
    expect(wrapper.find('#discard-dialog').exists()).toBe(false)
  })
})

describe('SettingsView: appearance', () => {
  it('switches the language at once and has Go keep it', async () => {
    await mountSettings()
    try {
      await wrapper.find('#language-choice').setValue('de')
      await settle()
      expect(api.saveLanguageSetting).toHaveBeenCalledWith('de')
      expect(wrapper.find('h1').text()).toBe('Einstellungen')
      expect(wrapper.find('label[for="backend-embedded"]').text()).toBe('Eingebettet (offline)')
      expect(document.documentElement.lang).toBe('de')
    } finally {
      i18n.global.locale.value = 'en'
    }
  })

  it('shows the version only when the nav bar does not (signed out)', async () => {
    useAuthStore().session = { user, backendKind: 'embedded', backendLabel: 'Embedded (offline)' }
    await mountSettings()
    expect(wrapper.find('#settings-version').exists()).toBe(false)
  })
})
