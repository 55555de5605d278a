import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

// The Settings page with the OpenID provider kind: src/api replaced (Go is
// not here), the app router a real in-memory one.
vi.mock('@/api', async (importOriginal) => {
  const actual = await importOriginal()
  return {
    AppError: actual.AppError,
    SESSION_CHANGED: actual.SESSION_CHANGED,
    SESSION_REASONS: actual.SESSION_REASONS,
    PROBE_STATUS: actual.PROBE_STATUS,
    PROVIDER_PROBE_STATUS: actual.PROVIDER_PROBE_STATUS,
    getSettings: vi.fn(),
    listBackendKinds: vi.fn(),
    saveSettings: vi.fn(),
    testConnection: vi.fn(),
    checkSettings: vi.fn(),
    testProvider: vi.fn(),
    getSession: vi.fn(async () => null),
    getLoginInfo: vi.fn(async () => ({ backendKind: 'oidc', backendLabel: 'sso.example.com', demoHint: false, capabilities: {} })),
    getVersion: vi.fn(async () => '0.1.0'),
    onSessionChanged: vi.fn(() => () => {}),
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

const DEFAULT_SCOPES = 'openid profile email offline_access'
const saved = {
  backend: 'embedded',
  remoteUrl: 'http://localhost:4000',
  version: '0.1.0',
  provider: { issuer: '', clientId: '', scopes: DEFAULT_SCOPES },
}
const kinds = [
  { name: 'embedded', label: 'Embedded (offline)', description: '', needsAddress: false, canProbe: false, needsProvider: false },
  { name: 'remote', label: 'Remote API', description: '', needsAddress: true, canProbe: true, needsProvider: false },
  { name: 'oidc', label: 'OpenID Connect provider', description: '', needsAddress: false, canProbe: false, needsProvider: true },
]

// A stand-in for Go's Settings.Check: the provider's two required fields.
async function fakeCheck(form) {
  const p = form.provider
  let message = ''
  if (form.backend === 'oidc') {
    if (!p?.issuer) message = 'The issuer URL is required'
    else if (!p.clientId) message = 'The client ID is required'
  }
  if (message) return { ok: false, remoteUrl: '', message, warning: '', changed: false, switches: false }
  return { ok: true, remoteUrl: form.remoteUrl, message: '', warning: '', changed: form.backend !== saved.backend, switches: form.backend !== saved.backend }
}

async function settle() {
  for (let i = 0; i < 5; i++) await flushPromises()
}
const eventually = (assertion) => vi.waitFor(assertion, { timeout: 3000, interval: 10 })

let wrapper
async function mountSettings() {
  await router.push('/settings')
  await router.isReady()
  wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [router] }, attachTo: document.body })
  await eventually(() => expect(wrapper.find('#settings-form').exists()).toBe(true))
  await settle()
}

beforeEach(async () => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
  api.getSettings.mockResolvedValue(saved)
  api.listBackendKinds.mockResolvedValue(kinds)
  api.checkSettings.mockImplementation(fakeCheck)
  await router.push('/')
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = null
})

describe('SettingsView with an OpenID provider', () => {
  it('asks for issuer, client ID and scopes instead of an address, and saves them', async () => {
    await mountSettings()
    expect(wrapper.find('#provider-settings').exists()).toBe(false)
    await wrapper.find('#backend-oidc').setValue(true)
    await settle()
    expect(wrapper.find('#provider-settings').exists()).toBe(true)
    expect(wrapper.find('#remote-url').exists()).toBe(false)
    // Each kind's fields sit under its own choice, not under the last one.
    const block = (name) => wrapper.find(`#backend-${name}`).element.closest('.form-check')
    expect(block('oidc').querySelector('#provider-settings')).not.toBeNull()
    await wrapper.find('#backend-remote').setValue(true)
    await settle()
    expect(block('remote').querySelector('#remote-url')).not.toBeNull()
    expect(block('oidc').querySelector('#remote-url')).toBeNull()
    await wrapper.find('#backend-oidc').setValue(true)
    await settle()
    expect(wrapper.find('#provider-scopes').element.value).toBe(DEFAULT_SCOPES)

    await wrapper.find('#provider-issuer').setValue('https://sso.example.com/realms/staff')
    await wrapper.find('#provider-client-id').setValue('authdesk')
    api.saveSettings.mockResolvedValue({
      settings: { ...saved, backend: 'oidc', provider: { issuer: 'https://sso.example.com/realms/staff', clientId: 'authdesk', scopes: DEFAULT_SCOPES } },
      switched: true,
    })
    await wrapper.find('#settings-form').trigger('submit')
    await settle()
    expect(api.saveSettings).toHaveBeenCalledWith({
      backend: 'oidc',
      remoteUrl: 'http://localhost:4000',
      provider: { issuer: 'https://sso.example.com/realms/staff', clientId: 'authdesk', scopes: DEFAULT_SCOPES },
    })
    // Go asked about the provider's fields, not only the address.
    expect(api.checkSettings).toHaveBeenCalledWith(expect.objectContaining({ provider: expect.objectContaining({ clientId: 'authdesk' }) }))
    await eventually(() => expect(router.currentRoute.value.path).toBe('/login'))
  })

  it('shows what Go says is missing and saves nothing', async () => {
    await mountSettings()
    await wrapper.find('#backend-oidc').setValue(true)
    await wrapper.find('#provider-issuer').setValue('https://sso.example.com')
    await settle()
    await wrapper.find('#settings-form').trigger('submit')
    await settle()
    await eventually(() => expect(wrapper.find('#provider-settings-error').text()).toBe('The client ID is required'))
    expect(api.saveSettings).not.toHaveBeenCalled()
  })

  it('other kinds do not send the provider fields', async () => {
    await mountSettings()
    await wrapper.find('#backend-remote').setValue(true)
    await wrapper.find('#remote-url').setValue('https://auth.example.org')
    await settle()
    for (const [form] of api.checkSettings.mock.calls) expect(form.provider).toBeUndefined()
  })
})
