import { describe, it, expect, vi, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { nextTick } from 'vue'

// Views talk to stores, stores to src/api: replace src/api and the app router.
vi.mock('@/api', async (importOriginal) => {
  const actual = await importOriginal()
  return {
    AppError: actual.AppError,
    SESSION_CHANGED: actual.SESSION_CHANGED,
    SESSION_REASONS: actual.SESSION_REASONS,
    login: vi.fn(),
    logout: vi.fn(),
    getSession: vi.fn(),
    getLoginInfo: vi.fn(),
    onSessionChanged: vi.fn(() => () => {}),
    pendingCode: vi.fn(async () => ({ pending: false, until: '' })),
    cancelCode: vi.fn(async () => {}),
    signInWithCode: vi.fn(),
  }
})
const appRouter = vi.hoisted(() => ({
  push: vi.fn(async () => {}),
  currentRoute: { value: { path: '/login', fullPath: '/login', query: {} } },
}))
vi.mock('@/router/navigation', () => ({ navigation: () => appRouter, setNavigation: () => {} }))

import * as api from '@/api'
import LoginView from '@/views/LoginView.vue'
import { useAuthStore } from '@/stores/auth'
import { i18n } from '@/i18n'
import { AppError } from '@/api/errors'

const session = {
  user: { id: 1, username: 'test', firstName: 'Test', lastName: 'User', role: 'user' },
  backendKind: 'embedded',
  backendLabel: 'Built-in demo backend',
  accessExpires: '2030-01-01T00:15:00Z',
  lastRefresh: '',
}

// A submit's outcome arrives after several promise hops (the store, the
// router), so assertions about it poll.
async function settle() {
  for (let i = 0; i < 5; i++) await flushPromises()
}
const eventually = (assertion) => vi.waitFor(assertion, { timeout: 5000, interval: 10 })

async function mountAt(path = '/login', options = {}) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div>home</div>' } },
      { path: '/login', component: LoginView },
      { path: '/settings', component: { template: '<div id="settings-page">settings</div>' } },
    ],
  })
  router.push(path)
  await router.isReady()
  const wrapper = mount(LoginView, { global: { plugins: [router] }, ...options })
  await settle()
  return { wrapper, router }
}

// tick moves the fake clock and lets the page re-render.
async function tick(ms) {
  vi.advanceTimersByTime(ms)
  await flushPromises()
  await nextTick()
}

// The validation messages on show (their places are always there, empty or not).
function shown(wrapper) {
  return wrapper
    .findAll('.invalid-feedback')
    .map((m) => m.text())
    .filter(Boolean)
}

async function fillAndSubmit(wrapper, username = 'test', password = 'test') {
  await wrapper.find('#username').setValue(username)
  await wrapper.find('#password').setValue(password)
  await wrapper.find('form').trigger('submit')
  await settle()
}

beforeEach(() => {
  vi.clearAllMocks()
  api.getLoginInfo.mockResolvedValue({ backendKind: 'embedded', backendLabel: 'Built-in demo backend', demoHint: false })
  setActivePinia(createPinia())
})

describe('LoginView', () => {
  it('an empty submit shows both messages and does not call Login', async () => {
    const { wrapper } = await mountAt()

    await wrapper.find('form').trigger('submit')

    await eventually(() => {
      const messages = shown(wrapper)
      expect(messages).toEqual(['Username is required', 'Password is required'])
    })
    expect(wrapper.find('#username').classes()).toContain('is-invalid')
    expect(wrapper.find('#password').classes()).toContain('is-invalid')
    expect(api.login).not.toHaveBeenCalled()
  })

  it('leaving an empty field is not an error until the form is submitted', async () => {
    const { wrapper } = await mountAt()
    await wrapper.find('#username').trigger('focus')
    await wrapper.find('#username').trigger('blur')
    await settle()
    await new Promise((r) => setTimeout(r, 50)) // nothing is checked later either
    await settle()
    expect(shown(wrapper)).toEqual([])

    await wrapper.find('form').trigger('submit')
    await eventually(() => expect(wrapper.find('#username').classes()).toContain('is-invalid'))
    // Once shown, the message goes away as soon as the field is filled in.
    await wrapper.find('#username').setValue('test')
    await eventually(() => expect(wrapper.find('#username').classes()).not.toContain('is-invalid'))
  })

  it('shown messages follow a change of language', async () => {
    const { wrapper } = await mountAt()
    await wrapper.find('form').trigger('submit')
    await eventually(() => expect(shown(wrapper)).toEqual(['Username is required', 'Password is required']))
    i18n.global.locale.value = 'de'
    try {
      await nextTick()
      expect(shown(wrapper)).toEqual(['Bitte den Benutzernamen eingeben', 'Bitte das Passwort eingeben'])
    } finally {
      i18n.global.locale.value = 'en'
    }
  })

  it('a username of spaces only still counts as missing', async () => {
    const { wrapper } = await mountAt()
    await fillAndSubmit(wrapper, '   ', 'secret')
    await eventually(() =>
      expect(shown(wrapper)).toEqual(['Username is required']),
    )
    expect(api.login).not.toHaveBeenCalled()
  })

  it('signs in with the typed credentials and goes to the returnUrl', async () => {
    api.login.mockResolvedValue(session)
    const { wrapper } = await mountAt('/login?returnUrl=%2F%3Ftab%3Dusers')

    await fillAndSubmit(wrapper, 'test', 'test')

    await eventually(() => expect(api.login).toHaveBeenCalledWith('test', 'test'))
    await eventually(() => expect(appRouter.push).toHaveBeenCalledWith('/?tab=users'))
    expect(wrapper.find('.alert-danger').exists()).toBe(false)
  })

  it('shows the API error in an alert', async () => {
    api.login.mockRejectedValue(new api.AppError('unauthorized', 'Username or password is incorrect'))
    const { wrapper } = await mountAt()

    await fillAndSubmit(wrapper, 'test', 'wrong')

    await eventually(() => expect(wrapper.find('.alert-danger').exists()).toBe(true))
    const alert = wrapper.find('.alert-danger')
    expect(alert.text()).toBe('Username or password is incorrect')
    expect(useAuthStore().user).toBeNull()
    expect(wrapper.find('button[type=submit]').attributes('disabled')).toBeUndefined()
  })

  it('counts down after too many attempts, with the button disabled until 0', async () => {
    // Only the clock and the ticking are fake: the page's promises keep real timers.
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] })
    try {
      api.login.mockRejectedValue(
        Object.assign(new api.AppError('too_many_requests', 'Too many attempts from your address. Try again in 3 s.'), {
          retryAfter: 3,
        }),
      )
      const { wrapper } = await mountAt()
      await fillAndSubmit(wrapper, 'test', 'wrong')

      const notice = () => wrapper.find('#retry-notice')
      const button = () => wrapper.find('button[type=submit]')
      await eventually(() => expect(notice().exists()).toBe(true))
      expect(notice().text()).toBe('Too many attempts, try again in 3 s')
      expect(button().attributes('disabled')).toBeDefined()
      expect(wrapper.find('.alert-danger').exists()).toBe(false)

      // The page ticks 4 times a second: 1.25 s on, 2 s are left whatever the phase.
      await tick(1250)
      expect(notice().text()).toBe('Too many attempts, try again in 2 s')

      await tick(1000)
      expect(notice().text()).toBe('Too many attempts, try again in 1 s')
      expect(button().attributes('disabled')).toBeDefined()

      await tick(1000)
      expect(notice().exists()).toBe(false)
      expect(button().attributes('disabled')).toBeUndefined()
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps counting down after leaving the page and coming back', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] })
    try {
      api.login.mockRejectedValue(Object.assign(new api.AppError('busy', 'The server is busy'), { retryAfter: 10 }))
      const first = await mountAt()
      await fillAndSubmit(first.wrapper, 'test', 'test')
      await eventually(() => expect(first.wrapper.find('#retry-notice').exists()).toBe(true))
      first.wrapper.unmount()

      vi.advanceTimersByTime(4000)
      const { wrapper } = await mountAt()
      await nextTick()
      expect(wrapper.find('#retry-notice').text()).toBe('The server is busy, try again in 6 s')
      expect(wrapper.find('button[type=submit]').attributes('disabled')).toBeDefined()
    } finally {
      vi.useRealTimers()
    }
  })

  it('disables the button and shows a spinner while submitting', async () => {
    let answer
    api.login.mockReturnValue(new Promise((resolve) => (answer = resolve)))
    const { wrapper } = await mountAt()
    const button = () => wrapper.find('button[type=submit]')
    expect(button().attributes('disabled')).toBeUndefined()
    expect(button().find('.spinner-border').exists()).toBe(false)

    await fillAndSubmit(wrapper)

    await eventually(() => expect(api.login).toHaveBeenCalled())
    expect(button().attributes('disabled')).toBeDefined()
    expect(button().find('.spinner-border').exists()).toBe(true)

    answer(session)
    await eventually(() => expect(button().attributes('disabled')).toBeUndefined())
    expect(button().find('.spinner-border').exists()).toBe(false)
  })

  it('shows the demo hint only when LoginInfo says so', async () => {
    const { wrapper: without } = await mountAt()
    expect(without.find('#demo-hint').exists()).toBe(false)

    api.getLoginInfo.mockResolvedValue({ backendKind: 'embedded', backendLabel: 'Built-in demo backend', demoHint: true })
    setActivePinia(createPinia())
    const { wrapper } = await mountAt()
    const hint = wrapper.find('#demo-hint')
    expect(hint.exists()).toBe(true)
    expect(hint.classes()).toContain('alert-info')
    expect(hint.text()).toContain('Username: test, Password: test')
  })

  it('shows which backend it signs in to', async () => {
    api.getLoginInfo.mockResolvedValue({ backendKind: 'remote', backendLabel: 'auth.example.org', demoHint: false })
    const { wrapper } = await mountAt()
    expect(wrapper.find('#backend-label').text()).toContain('auth.example.org')
    expect(wrapper.find('#backend-label').text()).toContain('(remote API)')
  })

  it('does not repeat the kind after "Embedded (offline)"', async () => {
    api.getLoginInfo.mockResolvedValue({ backendKind: 'embedded', backendLabel: 'Embedded (offline)', demoHint: true })
    const { wrapper } = await mountAt()
    expect(wrapper.find('#backend-label').text()).toBe('Signs in to: Embedded (offline)')
  })

  it('links to Settings next to the backend line', async () => {
    const { wrapper, router } = await mountAt()
    const link = wrapper.find('#login-settings')
    expect(link.exists()).toBe(true)
    expect(link.text()).toContain('Settings')
    expect(link.attributes('href')).toBe('/settings')
    expect(link.element.parentElement).toBe(wrapper.find('#backend-label').element.parentElement)
    await link.trigger('click')
    await settle()
    expect(router.currentRoute.value.path).toBe('/settings')
  })

  it('keeps the Settings link when LoginInfo says nothing', async () => {
    api.getLoginInfo.mockResolvedValue({ backendKind: '', backendLabel: '', demoHint: false })
    const { wrapper } = await mountAt()
    expect(wrapper.find('#backend-label').exists()).toBe(false)
    expect(wrapper.find('#login-settings').exists()).toBe(true)
  })

  it('shows why the person was sent here after an expiry', async () => {
    useAuthStore().notice = 'login.expired'
    const { wrapper } = await mountAt('/login?returnUrl=%2F')
    expect(wrapper.find('#session-notice').text()).toContain('expired')
  })

  it('marks a field with an error for assistive technology', async () => {
    const { wrapper } = await mountAt()
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('#username-error').text()).toBe('Username is required'))
    const input = wrapper.find('#username')
    expect(input.attributes('aria-invalid')).toBe('true')
    expect(input.attributes('aria-describedby')).toBe('username-error')
  })

  it('asks for the code after a right password, and signs in with it', async () => {
    const until = new Date(Date.now() + 5 * 60 * 1000).toISOString()
    const needCode = new api.AppError('mfa_required', 'Enter the code')
    needCode.until = until
    api.login.mockRejectedValue(needCode)
    api.signInWithCode.mockRejectedValueOnce(new api.AppError('unauthorized', 'The code is not correct'))
    api.signInWithCode.mockResolvedValueOnce(session)
    const { wrapper } = await mountAt()
    await fillAndSubmit(wrapper)

    await eventually(() => expect(wrapper.find('#mfa-code').exists()).toBe(true))
    expect(wrapper.find('#password').exists()).toBe(false)
    expect(wrapper.find('#mfa-until').text()).toMatch(/\d{2}:\d{2}:\d{2}/)
    await wrapper.find('#mfa-code').setValue('000000')
    await wrapper.find('#code-step').trigger('submit')
    await eventually(() => expect(wrapper.find('#mfa-error').text()).toBe('The code is not correct'))
    await wrapper.find('#mfa-code').setValue('123 456')
    await wrapper.find('#code-step').trigger('submit')
    await eventually(() => expect(appRouter.push).toHaveBeenCalledWith('/'))
    expect(api.signInWithCode).toHaveBeenLastCalledWith('123 456')
    expect(useAuthStore().user.username).toBe('test')
  })

  it('goes back to the password form when the code step has ended', async () => {
    const needCode = new api.AppError('mfa_required', 'Enter the code')
    needCode.until = new Date(Date.now() + 60 * 1000).toISOString()
    api.login.mockRejectedValue(needCode)
    api.signInWithCode.mockRejectedValue(new api.AppError('mfa_ended', 'This sign-in has expired or ended; sign in again'))
    const { wrapper } = await mountAt()
    await fillAndSubmit(wrapper)
    await eventually(() => expect(wrapper.find('#mfa-code').exists()).toBe(true))
    await wrapper.find('#mfa-code').setValue('111111')
    await wrapper.find('#code-step').trigger('submit')
    await eventually(() => expect(wrapper.find('#password').exists()).toBe(true))
    expect(wrapper.find('#login-error').text()).toBe('This sign-in has expired or ended; sign in again')
  })

  it('focuses Username on arrival and the first wrong field on submit', async () => {
    const { wrapper } = await mountAt('/login', { attachTo: document.body })
    await eventually(() => expect(document.activeElement?.id).toBe('username'))

    await wrapper.find('#username').setValue('test')
    await wrapper.find('form').trigger('submit')
    await eventually(() => expect(document.activeElement?.id).toBe('password'))

    await wrapper.find('#username').setValue('')
    await wrapper.find('form').trigger('submit')
    await eventually(() => expect(document.activeElement?.id).toBe('username'))
    wrapper.unmount()
  })

  it('keeps a place for each message, so nothing moves when one comes or goes', async () => {
    const { wrapper } = await mountAt()
    const places = () => wrapper.findAll('.field-message').map((m) => m.attributes('id'))
    expect(places()).toEqual(['username-error', 'password-error'])
    await wrapper.find('form').trigger('submit')
    await eventually(() => expect(shown(wrapper)).toHaveLength(2))
    await wrapper.find('#username').setValue('test')
    await eventually(() => expect(shown(wrapper)).toEqual(['Password is required']))
    expect(places()).toEqual(['username-error', 'password-error'])
  })

  it('speaks German when the UI language is German', async () => {
    i18n.global.locale.value = 'de'
    try {
      const { wrapper } = await mountAt()
      expect(wrapper.find('h1').text()).toBe('Bei AuthDesk anmelden')
      expect(wrapper.find('label[for="username"]').text()).toBe('Benutzername')
      expect(wrapper.find('#backend-label').text()).toContain('Eingebettet (offline)')
      await wrapper.find('form').trigger('submit')
      await eventually(() => expect(shown(wrapper)).toEqual(['Bitte den Benutzernamen eingeben', 'Bitte das Passwort eingeben']))
      api.login.mockRejectedValue(new AppError('unauthorized', 'Username or password is incorrect'))
      await fillAndSubmit(wrapper, 'test', 'wrong')
      await eventually(() => expect(wrapper.find('#login-error').text()).toBe('Benutzername oder Passwort ist falsch'))
    } finally {
      i18n.global.locale.value = 'en'
    }
  })
})
