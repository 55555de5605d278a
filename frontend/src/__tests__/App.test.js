import { describe, it, expect, vi, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'

vi.mock('@/api', async (importOriginal) => {
  const actual = await importOriginal()
  return {
    AppError: actual.AppError,
    SESSION_CHANGED: actual.SESSION_CHANGED,
    SESSION_REASONS: actual.SESSION_REASONS,
    logout: vi.fn(async () => {}),
    accountInfo: vi.fn(async () => ({ available: false, minPasswordLength: 8 })),
    onSessionChanged: vi.fn(() => () => {}),
  }
})
const appRouter = vi.hoisted(() => ({
  push: vi.fn(async () => {}),
  currentRoute: { value: { path: '/', fullPath: '/', query: {} } },
}))
vi.mock('@/router/navigation', () => ({ navigation: () => appRouter, setNavigation: () => {} }))

import * as api from '@/api'
import App from '@/App.vue'
import { useAuthStore } from '@/stores/auth'
import { useShellStore } from '@/stores/shell'

async function mountApp() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div id="page">page</div>' } },
      { path: '/login', component: { template: '<div>login</div>' } },
      { path: '/settings', component: { template: '<div id="settings-page">settings</div>' } },
    ],
  })
  router.push('/')
  await router.isReady()
  const wrapper = mount(App, { global: { plugins: [router] } })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})

describe('App', () => {
  it('hides the navbar while nobody is signed in', async () => {
    const wrapper = await mountApp()
    expect(wrapper.find('nav').exists()).toBe(false)
    expect(wrapper.find('#page').exists()).toBe(true)
  })

  it('shows a dark navbar with Home and Logout once signed in', async () => {
    useAuthStore().session = { user: { id: 1, firstName: 'Test', lastName: 'User' } }
    const wrapper = await mountApp()
    const nav = wrapper.find('nav.navbar.navbar-expand.navbar-dark.bg-dark')
    expect(nav.exists()).toBe(true)
    expect(nav.find('a#nav-home').text()).toBe('Home')
    expect(nav.find('button#logout').text()).toBe('Logout')
    expect(nav.find('button#logout').attributes('type')).toBe('button')
  })

  it('has a Settings link with a gear in the navbar', async () => {
    useAuthStore().session = { user: { id: 1, firstName: 'Test', lastName: 'User' } }
    const wrapper = await mountApp()
    const link = wrapper.find('nav a#nav-settings')
    expect(link.exists()).toBe(true)
    expect(link.attributes('href')).toBe('/settings')
    expect(link.text()).toContain('Settings')
    expect(link.text()).toContain('\u2699')

    await link.trigger('click')
    await flushPromises()
    expect(wrapper.find('#settings-page').exists()).toBe(true)
  })

  it('shows the version, with a v only before a number', async () => {
    useAuthStore().session = { user: { id: 1, firstName: 'Test', lastName: 'User' } }
    const shell = useShellStore()
    shell.version = '0.1.0'
    const wrapper = await mountApp()
    expect(wrapper.find('#app-version').text()).toBe('v0.1.0')
    shell.version = 'dev'
    await flushPromises()
    expect(wrapper.find('#app-version').text()).toBe('dev')
  })

  it('Logout signs out through the store', async () => {
    const auth = useAuthStore()
    auth.session = { user: { id: 1, firstName: 'Test', lastName: 'User' } }
    const wrapper = await mountApp()

    await wrapper.find('#logout').trigger('click')
    await flushPromises()

    expect(api.logout).toHaveBeenCalled()
    expect(auth.user).toBeNull()
    expect(appRouter.push).toHaveBeenCalledWith('/login')
    expect(wrapper.find('nav').exists()).toBe(false)
  })
})
