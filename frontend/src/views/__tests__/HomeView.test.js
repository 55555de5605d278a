import { describe, it, expect, vi, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('@/api', async (importOriginal) => {
  const actual = await importOriginal()
  return {
    AppError: actual.AppError,
    SESSION_CHANGED: actual.SESSION_CHANGED,
    SESSION_REASONS: actual.SESSION_REASONS,
    listUsers: vi.fn(),
    pageUsers: vi.fn(),
    getLoginInfo: vi.fn(),
    onSessionChanged: vi.fn(() => () => {}),
    usersWithTwoStep: vi.fn(async () => []),
    resetTwoStep: vi.fn(),
  }
})
vi.mock('@/router/navigation', () => ({
  navigation: () => ({ push: vi.fn(), currentRoute: { value: { path: '/', fullPath: '/', query: {} } } }),
  setNavigation: () => {},
}))

import * as api from '@/api'
import HomeView from '@/views/HomeView.vue'
import { useAuthStore } from '@/stores/auth'
import { useShellStore } from '@/stores/shell'

const users = [
  { id: 1, username: 'test', firstName: 'Test', lastName: 'User', role: 'user' },
  { id: 2, username: 'ada', firstName: 'Ada', lastName: 'Lovelace', role: 'admin' },
]

// The list and its two-step controls are loaded when first shown
// (defineAsyncComponent): wait for those imports as well as Go's answers.
async function settle() {
  await flushPromises()
  await vi.dynamicImportSettled()
  await flushPromises()
}

function mountHome() {
  const auth = useAuthStore()
  auth.session = {
    user: users[0],
    backendKind: 'embedded',
    backendLabel: 'Built-in demo backend',
    accessExpires: new Date(Date.now() + 15 * 60 * 1000).toISOString(),
    lastRefresh: '',
  }
  return mount(HomeView)
}

beforeEach(() => {
  vi.clearAllMocks()
  api.getLoginInfo.mockResolvedValue({
    backendKind: 'embedded',
    backendLabel: 'Built-in demo backend',
    demoHint: false,
    capabilities: { passwordLogin: true, userDirectory: true },
  })
  setActivePinia(createPinia())
  // The home list reads pages; these tests give the whole list as one.
  api.pageUsers.mockImplementation(async () => {
    const list = await api.listUsers()
    return { users: list, next: '', total: list.length }
  })
})

describe('HomeView', () => {
  it('greets the signed-in person by first name', async () => {
    api.listUsers.mockResolvedValue(users)
    const wrapper = mountHome()
    await settle()
    expect(wrapper.find('h1').text()).toBe('Hi Test!')
    expect(wrapper.text()).toContain('Users from secure api end point')
  })

  it('lists the users from the secure call', async () => {
    api.listUsers.mockResolvedValue(users)
    const wrapper = mountHome()
    await settle()
    expect(api.listUsers).toHaveBeenCalledTimes(1)
    expect(wrapper.findAll('#users-list li').map((li) => li.text())).toEqual(['Test User', 'Ada Lovelace'])
    expect(wrapper.find('#users-loading').exists()).toBe(false)
    expect(wrapper.find('.text-danger').exists()).toBe(false)
  })

  it('shows a spinner while the users load', async () => {
    let answer
    api.listUsers.mockReturnValue(new Promise((resolve) => (answer = resolve)))
    const wrapper = mountHome()
    await settle()
    expect(wrapper.find('#users-loading[role=status] .spinner-border').exists()).toBe(true)
    expect(wrapper.find('#users-list').exists()).toBe(false)

    answer(users)
    await settle()
    expect(wrapper.find('#users-loading').exists()).toBe(false)
    expect(wrapper.findAll('#users-list li')).toHaveLength(2)
  })

  it('shows an error line when the call fails', async () => {
    api.listUsers.mockRejectedValue(new api.AppError('unavailable', 'backend is down'))
    const wrapper = mountHome()
    await settle()
    const error = wrapper.find('.text-danger')
    expect(error.exists()).toBe(true)
    expect(error.text()).toContain('backend is down')
    expect(wrapper.find('#users-loading').exists()).toBe(false)
    expect(wrapper.find('#users-list').exists()).toBe(false)
  })

  it('shows the session card', async () => {
    api.listUsers.mockResolvedValue(users)
    const wrapper = mountHome()
    await settle()
    const card = wrapper.find('#session-card')
    expect(card.exists()).toBe(true)
    expect(wrapper.find('#session-backend').text()).toBe('Backend: Embedded (offline)') // once, no second label
    expect(wrapper.find('#expires-in').text()).toMatch(/^Access token expires in \d\d:\d\d/)
    expect(wrapper.find('#last-refresh').text()).toBe('Last silent refresh: not yet')
  })

  it("draws the list and the last refresh's time once the first frame is on screen", async () => {
    api.listUsers.mockResolvedValue(users)
    const shell = useShellStore()
    shell.firstFramePending = true
    const auth = useAuthStore()
    const wrapper = mountHome()
    auth.session = { ...auth.session, lastRefresh: '2030-01-01T12:02:00Z' }
    await settle()
    // Go was asked at mount and has answered; the first frame shows the
    // list's spinner and the card's line without its time.
    expect(api.listUsers).toHaveBeenCalled()
    expect(wrapper.find('#users-list').exists()).toBe(false)
    expect(wrapper.find('#users-empty').exists()).toBe(false)
    expect(wrapper.find('#users-loading[role=status] .spinner-border').exists()).toBe(true)
    expect(wrapper.find('#last-refresh').text()).toBe('Last silent refresh:')

    shell.firstFramePending = false
    await settle()
    expect(wrapper.findAll('#users-list li').map((li) => li.text())).toEqual(['Test User', 'Ada Lovelace'])
    expect(wrapper.find('#users-loading').exists()).toBe(false)
    expect(wrapper.find('#last-refresh').text()).toBe(
      `Last silent refresh: ${new Date('2030-01-01T12:02:00Z').toLocaleTimeString('en')}`,
    )
  })

  it('says so instead of listing users when the backend has no user directory', async () => {
    api.getLoginInfo.mockResolvedValue({
      backendKind: 'oidc',
      backendLabel: 'https://id.example',
      demoHint: false,
      capabilities: { passwordLogin: false, userDirectory: false },
    })
    const wrapper = mountHome()
    await settle()
    expect(wrapper.find('#users-unsupported').exists()).toBe(true)
    expect(api.listUsers).not.toHaveBeenCalled()
  })

  it('shows admins who has two-step sign-in, and resets it after asking', async () => {
    api.getLoginInfo.mockResolvedValue({
      backendKind: 'embedded',
      backendLabel: 'Built-in demo backend',
      demoHint: false,
      capabilities: { passwordLogin: true, userDirectory: true, twoStep: true, twoStepAdmin: true },
    })
    api.listUsers.mockResolvedValue(users)
    api.usersWithTwoStep.mockResolvedValue(['2'])
    api.resetTwoStep.mockResolvedValue(true)
    const auth = useAuthStore()
    await auth.loadLoginInfo()
    auth.session = {
      user: { ...users[0], role: 'Admin' },
      backendKind: 'embedded',
      backendLabel: 'Built-in demo backend',
      accessExpires: new Date(Date.now() + 15 * 60 * 1000).toISOString(),
      lastRefresh: '',
    }
    const admin = mount(HomeView)
    await settle()
    const rows = admin.findAll('#users-list li')
    expect(rows[0].find('.two-step-badge').exists()).toBe(false)
    expect(rows[1].find('.two-step-badge').text()).toBe('2-step')

    const ask = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true)
    await rows[1].find('.two-step-reset').trigger('click')
    expect(api.resetTwoStep).not.toHaveBeenCalled()
    await rows[1].find('.two-step-reset').trigger('click')
    await settle()
    expect(ask).toHaveBeenLastCalledWith(expect.stringContaining('Turn off two-step sign-in for ada?'))
    expect(api.resetTwoStep).toHaveBeenCalledWith(2)
    expect(admin.findAll('#users-list li')[1].find('.two-step-badge').exists()).toBe(false)
  })

  it('shows no two-step column to non-admins', async () => {
    api.listUsers.mockResolvedValue(users)
    const wrapper = mountHome()
    await settle()
    expect(api.usersWithTwoStep).not.toHaveBeenCalled()
    expect(wrapper.find('.two-step-badge').exists()).toBe(false)
  })
})
