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
    onSessionChanged: vi.fn(() => () => {}),
    logout: vi.fn(async () => {}),
    accountInfo: vi.fn(),
  }
})
const appRouter = vi.hoisted(() => ({
  push: vi.fn(async () => {}),
  currentRoute: { value: { path: '/', fullPath: '/', query: {} } },
}))
vi.mock('@/router/navigation', () => ({ navigation: () => appRouter, setNavigation: () => {} }))

import * as api from '@/api'
import UserMenu from '@/components/UserMenu.vue'
import { useAuthStore } from '@/stores/auth'

const admin = { user: { id: '1', username: 'test', firstName: 'Test', lastName: 'User', role: 'Admin' }, backendKind: 'embedded', backendLabel: 'Embedded (offline)' }

async function mountMenu(session = admin) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div />' } },
      { path: '/account', component: { template: '<div />' } },
      { path: '/account/sessions', component: { template: '<div />' } },
    ],
  })
  router.push('/')
  await router.isReady()
  useAuthStore().session = session
  const wrapper = mount(UserMenu, { global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

const focused = () => document.activeElement?.id

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
  document.body.innerHTML = ''
  api.accountInfo.mockResolvedValue({ available: true, minPasswordLength: 8 })
})

describe('UserMenu', () => {
  it('shows the signed-in person with their role, the menu closed', async () => {
    const { wrapper } = await mountMenu()
    expect(wrapper.find('#user-menu-name').text()).toBe('Test User')
    expect(wrapper.find('#user-menu-role').text()).toBe('Admin')
    expect(wrapper.find('#user-menu').attributes('aria-expanded')).toBe('false')
    expect(wrapper.find('#user-menu-list').isVisible()).toBe(false)
    wrapper.unmount()
  })

  it('opens on click with Account, Sessions and Sign out', async () => {
    const { wrapper, router } = await mountMenu()
    await wrapper.find('#user-menu').trigger('click')
    await flushPromises()
    expect(wrapper.find('#user-menu').attributes('aria-expanded')).toBe('true')
    expect(wrapper.findAll('[role=menuitem]').map((b) => b.text())).toEqual(['Account', 'Sessions', 'Sign out'])
    expect(focused()).toBe('menu-account')
    await wrapper.find('#menu-sessions').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/account/sessions')
    expect(wrapper.find('#user-menu').attributes('aria-expanded')).toBe('false')
    wrapper.unmount()
  })

  it('is usable from the keyboard: arrows, Home/End, Escape gives the focus back, Tab leaves', async () => {
    const { wrapper } = await mountMenu()
    const button = wrapper.find('#user-menu')
    await button.trigger('keydown', { key: 'ArrowDown' })
    await flushPromises()
    expect(focused()).toBe('menu-account')
    const list = wrapper.find('#user-menu-list')
    await list.trigger('keydown', { key: 'ArrowDown' })
    expect(focused()).toBe('menu-sessions')
    await list.trigger('keydown', { key: 'ArrowDown' })
    await list.trigger('keydown', { key: 'ArrowDown' }) // wraps around
    expect(focused()).toBe('menu-account')
    await list.trigger('keydown', { key: 'ArrowUp' })
    expect(focused()).toBe('menu-sign-out')
    await list.trigger('keydown', { key: 'Home' })
    expect(focused()).toBe('menu-account')
    await list.trigger('keydown', { key: 'End' })
    expect(focused()).toBe('menu-sign-out')
    await list.trigger('keydown', { key: 'Escape' })
    await flushPromises()
    expect(button.attributes('aria-expanded')).toBe('false')
    expect(focused()).toBe('user-menu')

    // ArrowUp opens it at the last item; Tab closes it.
    await button.trigger('keydown', { key: 'ArrowUp' })
    await flushPromises()
    expect(focused()).toBe('menu-sign-out')
    await list.trigger('keydown', { key: 'Tab' })
    await flushPromises()
    expect(button.attributes('aria-expanded')).toBe('false')
    wrapper.unmount()
  })

  it('signs out from the menu', async () => {
    const { wrapper } = await mountMenu()
    await wrapper.find('#user-menu').trigger('click')
    await flushPromises()
    await wrapper.find('#menu-sign-out').trigger('click')
    await flushPromises()
    expect(api.logout).toHaveBeenCalled()
    expect(appRouter.push).toHaveBeenCalledWith('/login')
    wrapper.unmount()
  })

  it('offers only Sign out when the backend has no account pages', async () => {
    api.accountInfo.mockResolvedValue({ available: false, minPasswordLength: 8 })
    const { wrapper } = await mountMenu({ ...admin, backendKind: 'remote', backendLabel: 'http://tutorial' })
    await wrapper.find('#user-menu').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[role=menuitem]').map((b) => b.text())).toEqual(['Sign out'])
    wrapper.unmount()
  })

  it('asks again when opened if Go could not tell at sign-in', async () => {
    api.accountInfo.mockRejectedValueOnce(new Error('{"code":"unavailable","message":"Server down"}'))
    const { wrapper } = await mountMenu()
    await wrapper.find('#user-menu').trigger('click')
    await flushPromises()
    expect(api.accountInfo).toHaveBeenCalledTimes(2)
    expect(wrapper.findAll('[role=menuitem]').map((b) => b.text())).toEqual(['Account', 'Sessions', 'Sign out'])
    wrapper.unmount()
  })

  it('a click elsewhere closes it', async () => {
    const { wrapper } = await mountMenu()
    await wrapper.find('#user-menu').trigger('click')
    await flushPromises()
    document.body.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
    await flushPromises()
    expect(wrapper.find('#user-menu').attributes('aria-expanded')).toBe('false')
    wrapper.unmount()
  })

  it('shows the username when the names are empty', async () => {
    const { wrapper } = await mountMenu({ ...admin, user: { id: '3', username: 'bob', firstName: '', lastName: '', role: 'User' } })
    expect(wrapper.find('#user-menu-name').text()).toBe('bob')
    expect(wrapper.find('#user-menu-role').text()).toBe('User')
    wrapper.unmount()
  })
})
