import { describe, it, expect, vi, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('@/api', async (importOriginal) => {
  const actual = await importOriginal()
  return {
    AppError: actual.AppError,
    SESSION_CHANGED: actual.SESSION_CHANGED,
    SESSION_REASONS: actual.SESSION_REASONS,
    onSessionChanged: vi.fn(() => () => {}),
    accountInfo: vi.fn(),
    mySessions: vi.fn(),
    signOutSession: vi.fn(),
    signOutOtherSessions: vi.fn(),
  }
})

import * as api from '@/api'
import { AppError } from '@/api/errors'
import SessionsView from '@/views/SessionsView.vue'
import { useAuthStore } from '@/stores/auth'

const here = { id: 'a1', client: 'desktop', started: '2030-01-01T10:00:00Z', expires: '2030-01-08T10:00:00Z', current: true }
const firefox = {
  id: 'b2',
  client: '192.0.2.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0',
  started: '2030-01-01T09:00:00Z',
  lastRefreshed: '2030-01-01T09:30:00Z',
  expires: '2030-01-08T09:30:00Z',
  current: false,
}
const curl = { id: 'c3', client: '192.0.2.8', userAgent: 'curl/8.0', started: '2030-01-01T08:00:00Z', expires: '2030-01-08T08:00:00Z', current: false }

async function mountView() {
  useAuthStore().session = { user: { id: '1', username: 'test', firstName: 'Test', lastName: 'User' }, backendKind: 'embedded', backendLabel: 'Embedded (offline)' }
  const wrapper = mount(SessionsView)
  await flushPromises()
  return wrapper
}

const rows = (wrapper) => wrapper.findAll('.session-row')

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
  api.accountInfo.mockResolvedValue({ available: true, minPasswordLength: 8 })
})

describe('SessionsView', () => {
  it('lists the sessions with this one marked and no sign-out button on it', async () => {
    api.mySessions.mockResolvedValue([here, firefox, curl])
    const wrapper = await mountView()
    const r = rows(wrapper)
    expect(r).toHaveLength(3)
    expect(r[0].attributes('data-current')).toBe('true')
    expect(r[0].find('.session-current').text()).toBe('This session')
    expect(r[0].find('.session-where').text()).toBe('This computer (embedded backend)')
    expect(r[0].find('.session-refreshed').text()).toBe('Not refreshed yet')
    expect(r[0].find('.session-sign-out').exists()).toBe(false)
    expect(r[0].find('.session-program').text()).toBe('AuthDesk')
    expect(r[1].find('.session-where').text()).toBe('192.0.2.7')
    expect(r[1].find('.session-program').text()).toBe('Firefox')
    expect(r[1].find('.session-program').attributes('title')).toBe(firefox.userAgent)
    expect(r[1].find('.session-refreshed').text()).toMatch(/^Last active /)
    expect(r[1].find('.session-current').exists()).toBe(false)
    expect(r[1].find('.session-sign-out').attributes('aria-label')).toBe('Sign out the session from 192.0.2.7')
    expect(r[2].find('.session-program').text()).toBe('curl')
  })

  it('names a served session without a User-Agent an unknown program', async () => {
    api.mySessions.mockResolvedValue([here, { ...curl, userAgent: '' }])
    const wrapper = await mountView()
    expect(rows(wrapper)[1].find('.session-program').text()).toBe('Unknown program')
  })

  it('signs one session out and shows the list again', async () => {
    api.mySessions.mockResolvedValueOnce([here, firefox, curl]).mockResolvedValue([here, curl])
    api.signOutSession.mockResolvedValue(undefined)
    const wrapper = await mountView()
    await rows(wrapper)[1].find('.session-sign-out').trigger('click')
    await flushPromises()
    expect(api.signOutSession).toHaveBeenCalledWith('b2')
    expect(rows(wrapper)).toHaveLength(2)
    expect(wrapper.find('#sessions-notice').text()).toBe('The session was signed out.')
  })

  it('signs out everywhere else', async () => {
    api.mySessions.mockResolvedValueOnce([here, firefox, curl]).mockResolvedValue([here])
    api.signOutOtherSessions.mockResolvedValue(2)
    const wrapper = await mountView()
    await wrapper.find('#sign-out-others').trigger('click')
    await flushPromises()
    expect(wrapper.find('#sessions-notice').text()).toBe('2 other sessions were signed out.')
    expect(rows(wrapper)).toHaveLength(1)
    expect(wrapper.find('#sessions-none').exists()).toBe(true)
    expect(wrapper.find('#sign-out-others').attributes('disabled')).toBeDefined()
  })

  it('shows a refusal', async () => {
    api.mySessions.mockResolvedValue([here, firefox])
    api.signOutSession.mockRejectedValue(new AppError('not_found', 'Session not found'))
    const wrapper = await mountView()
    await rows(wrapper)[1].find('.session-sign-out').trigger('click')
    await flushPromises()
    expect(wrapper.find('#sessions-failure').text()).toBe('That session has already ended.')
  })

  it('shows nothing to do when the backend has no sessions list', async () => {
    api.accountInfo.mockResolvedValue({ available: false, minPasswordLength: 8 })
    const wrapper = await mountView()
    expect(wrapper.find('#sessions-unsupported').text()).toBe('Embedded (offline) does not list your sessions here.')
    expect(api.mySessions).not.toHaveBeenCalled()
    expect(wrapper.find('#sign-out-others').exists()).toBe(false)
  })
})
