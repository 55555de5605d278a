import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { mount, flushPromises, RouterLinkStub } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('@/api', async (importOriginal) => {
  const actual = await importOriginal()
  return {
    AppError: actual.AppError,
    SESSION_CHANGED: actual.SESSION_CHANGED,
    SESSION_REASONS: actual.SESSION_REASONS,
    onSessionChanged: vi.fn(() => () => {}),
    accountInfo: vi.fn(),
    changePassword: vi.fn(),
  }
})

import * as api from '@/api'
import { AppError } from '@/api/errors'
import AccountView from '@/views/AccountView.vue'
import { useAuthStore } from '@/stores/auth'

const session = {
  user: { id: '2', username: 'ada', firstName: 'Ada', lastName: 'Lovelace', role: 'User' },
  backendKind: 'remote',
  backendLabel: 'http://127.0.0.1:4000',
}

async function mountView() {
  useAuthStore().session = session
  const wrapper = mount(AccountView)
  await flushPromises()
  return wrapper
}

async function fill(wrapper, current, next, repeat = next) {
  await wrapper.find('#current-password').setValue(current)
  await wrapper.find('#new-password').setValue(next)
  await wrapper.find('#repeat-password').setValue(repeat)
  await wrapper.find('form').trigger('submit')
  await flushPromises()
}

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
  api.accountInfo.mockResolvedValue({ available: true, minPasswordLength: 8 })
})
afterEach(() => vi.useRealTimers())

describe('AccountView', () => {
  it('leads to two-step sign-in when the backend has it, and not otherwise', async () => {
    const without = await mountView()
    expect(without.find('#account-two-step').exists()).toBe(false)
    without.unmount()
    useAuthStore().loginInfo = { capabilities: { twoStep: true } }
    const withIt = mount(AccountView, { global: { stubs: { RouterLink: RouterLinkStub } } })
    await flushPromises()
    expect(withIt.find('#account-two-step').text()).toContain('Two-step sign-in')
    expect(withIt.findComponent(RouterLinkStub).props('to')).toBe('/account/two-step')
  })

  it('shows who is signed in and the password rules', async () => {
    const wrapper = await mountView()
    expect(wrapper.find('#account-who').text()).toContain('Ada Lovelace')
    expect(wrapper.find('#account-who').text()).toContain('ada')
    expect(wrapper.find('#password-rules').text()).toContain('At least 8 characters')
  })

  it('checks the fields before asking Go', async () => {
    const wrapper = await mountView()
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#current-password-error').text()).toBe('Enter your current password')
    expect(wrapper.find('#new-password-error').text()).toBe('Enter a new password')
    await fill(wrapper, 'old-password', 'short')
    expect(wrapper.find('#new-password-error').text()).toBe('The new password needs at least 8 characters')
    await fill(wrapper, 'old-password', 'new-password', 'new-passw0rd')
    expect(wrapper.find('#repeat-password-error').text()).toBe('The two new passwords differ')
    await fill(wrapper, 'old-password', 'old-password')
    expect(wrapper.find('#new-password-error').text()).toBe('The new password must differ from the current one')
    // Eight characters of any kind: counted as characters, not bytes.
    await fill(wrapper, 'old-password', 'ßßßßßßß')
    expect(wrapper.find('#new-password-error').exists()).toBe(true)
    expect(api.changePassword).not.toHaveBeenCalled()
    // Fixing the field clears its error as you type.
    await wrapper.find('#new-password').setValue('ßßßßßßßß')
    expect(wrapper.find('#new-password-error').exists()).toBe(false)
  })

  it('changes the password and says the other sessions ended', async () => {
    api.changePassword.mockResolvedValue(undefined)
    const wrapper = await mountView()
    await fill(wrapper, 'old-password', 'new-password')
    expect(api.changePassword).toHaveBeenCalledWith('old-password', 'new-password')
    expect(wrapper.find('#password-changed').text()).toContain('every other session has ended')
    expect(wrapper.find('#current-password').element.value).toBe('')
    expect(wrapper.find('#new-password').element.value).toBe('')
  })

  it('shows a wrong current password and empties that field', async () => {
    api.changePassword.mockRejectedValue(new AppError('invalid', 'Current password is not correct'))
    const wrapper = await mountView()
    await fill(wrapper, 'guess-password', 'new-password')
    expect(wrapper.find('#password-error').text()).toBe('Current password is not correct')
    expect(wrapper.find('#current-password').element.value).toBe('')
    expect(wrapper.find('#new-password').element.value).toBe('new-password')
  })

  it('counts down while throttled, with the button disabled', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T10:00:00Z'), toFake: ['Date', 'setInterval', 'clearInterval'] })
    const err = new AppError('too_many_requests', 'Too many attempts, try again in 3 s')
    err.retryAfter = 3
    api.changePassword.mockRejectedValue(err)
    const wrapper = await mountView()
    await fill(wrapper, 'old-password', 'new-password')
    expect(wrapper.find('#password-retry').text()).toBe('Too many attempts, try again in 3 s')
    expect(wrapper.find('#change-password').attributes('disabled')).toBeDefined()
    expect(wrapper.find('#password-error').exists()).toBe(false)
    vi.advanceTimersByTime(1000)
    await flushPromises()
    expect(wrapper.find('#password-retry').text()).toBe('Too many attempts, try again in 2 s')
    vi.advanceTimersByTime(2000)
    await flushPromises()
    expect(wrapper.find('#password-retry').exists()).toBe(false)
    expect(wrapper.find('#change-password').attributes('disabled')).toBeUndefined()
  })

  it('says so when the backend has no account management', async () => {
    api.accountInfo.mockResolvedValue({ available: false, minPasswordLength: 8 })
    const wrapper = await mountView()
    expect(wrapper.find('#account-unsupported').text()).toBe('http://127.0.0.1:4000 does not offer changing the password here.')
    expect(wrapper.find('form').exists()).toBe(false)
  })
})
