import { describe, it, expect, vi, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'

// The stores and views talk to src/api: replace it (Go is not here) and the
// app router.
vi.mock('@/api', async (importOriginal) => {
  const actual = await importOriginal()
  return {
    AppError: actual.AppError,
    SESSION_CHANGED: actual.SESSION_CHANGED,
    SESSION_REASONS: actual.SESSION_REASONS,
    PROVIDER_PROBE_STATUS: actual.PROVIDER_PROBE_STATUS,
    signInWithProvider: vi.fn(),
    cancelProviderSignIn: vi.fn(async () => {}),
    testProvider: vi.fn(),
    getProfile: vi.fn(),
    signOutAtProvider: vi.fn(async () => {}),
    getLoginInfo: vi.fn(),
    getSession: vi.fn(async () => null),
    listUsers: vi.fn(async () => []),
    onSessionChanged: vi.fn(() => () => {}),
    pendingCode: vi.fn(async () => ({ pending: false, until: '' })),
    usersWithTwoStep: vi.fn(async () => []),
  }
})
const appRouter = vi.hoisted(() => ({
  push: vi.fn(async () => {}),
  currentRoute: { value: { path: '/login', fullPath: '/login', query: {} } },
}))
vi.mock('@/router/navigation', () => ({ navigation: () => appRouter, setNavigation: () => {} }))

import * as api from '@/api'
import { AppError } from '@/api/errors'
import { useProviderStore } from '@/stores/provider'
import { useAuthStore } from '@/stores/auth'
import ProviderSignIn from '@/components/provider/ProviderSignIn.vue'
import ProviderSettings from '@/components/provider/ProviderSettings.vue'
import ProviderHome from '@/components/provider/ProviderHome.vue'
import LoginView from '@/views/LoginView.vue'
import HomeView from '@/views/HomeView.vue'

const session = {
  user: { id: 'u-42', username: 'grace', firstName: 'Grace', lastName: 'Hopper', role: '' },
  backendKind: 'oidc',
  backendLabel: 'sso.example.com',
  accessExpires: new Date(Date.now() + 15 * 60 * 1000).toISOString(),
  lastRefresh: '',
}
const providerInfo = {
  backendKind: 'oidc',
  backendLabel: 'sso.example.com',
  demoHint: false,
  capabilities: { passwordLogin: false, userDirectory: false, twoStep: false, twoStepAdmin: false, browserLogin: true, providerName: 'sso.example.com' },
}
const profile = {
  sub: 'u-42',
  name: 'Grace Hopper',
  givenName: 'Grace',
  familyName: 'Hopper',
  email: 'grace@example.org',
  claims: [
    { name: 'sub', value: 'u-42' },
    { name: 'given_name', value: 'Grace' },
    { name: 'email', value: 'grace@example.org' },
  ],
}

// deferred is a Go call that answers when the test says so.
function deferred() {
  let resolve, reject
  const promise = new Promise((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
  api.getLoginInfo.mockResolvedValue(providerInfo)
})

describe('provider store', () => {
  it('signs in: waiting while Go waits, then the session goes to the auth store', async () => {
    const call = deferred()
    api.signInWithProvider.mockReturnValue(call.promise)
    const store = useProviderStore()
    const auth = useAuthStore()
    const done = store.signIn()
    expect(store.signingIn).toBe(true)
    expect(await store.signIn()).toBeNull() // a second click while waiting starts nothing
    expect(api.signInWithProvider).toHaveBeenCalledTimes(1)
    call.resolve(session)
    await expect(done).resolves.toEqual(session)
    expect(store.signingIn).toBe(false)
    expect(auth.user?.firstName).toBe('Grace')
    expect(appRouter.push).toHaveBeenCalledWith('/')
  })

  it('keeps Go\'s message when the provider refuses, and no error when the person cancels', async () => {
    const store = useProviderStore()
    api.signInWithProvider.mockRejectedValueOnce(new AppError('unauthorized', 'The sign-in was declined at sso.example.com (access_denied).'))
    await store.signIn()
    expect(store.error?.message).toMatch(/declined/)
    expect(useAuthStore().user).toBeNull()

    const call = deferred()
    api.signInWithProvider.mockReturnValueOnce(call.promise)
    const done = store.signIn()
    expect(store.error).toBeNull() // a new attempt clears the old message
    await store.cancel()
    expect(api.cancelProviderSignIn).toHaveBeenCalledTimes(1)
    call.reject(new AppError('unauthorized', 'The sign-in was cancelled.'))
    await done
    expect(store.error).toBeNull()
    expect(store.cancelled).toBe(true)
  })

  it('tests a provider and shows a refused form as an error result', async () => {
    const store = useProviderStore()
    api.testProvider.mockResolvedValueOnce({ status: 'reachable', reason: 'found', warnings: [], endpoints: [] })
    await store.test({ issuer: 'https://sso.example.com', clientId: 'desk', scopes: '' })
    expect(store.testResult.status).toBe('reachable')
    api.testProvider.mockRejectedValueOnce(new AppError('invalid', 'The client ID is required'))
    await store.test({ issuer: 'https://sso.example.com', clientId: '', scopes: '' })
    expect(store.testResult).toMatchObject({ status: 'error', reason: 'The client ID is required' })
  })
})

describe('ProviderSignIn', () => {
  it('offers "Sign in with <provider>", waits with Cancel, and says the sign-in was cancelled', async () => {
    const call = deferred()
    api.signInWithProvider.mockReturnValue(call.promise)
    const wrapper = mount(ProviderSignIn, { props: { provider: 'sso.example.com' } })
    const button = wrapper.find('#provider-sign-in-button')
    expect(button.text()).toBe('Sign in with sso.example.com')
    await button.trigger('click')
    expect(wrapper.find('#provider-waiting').text()).toMatch(/Finish signing in in your web browser/)
    expect(wrapper.find('#provider-sign-in-button').exists()).toBe(false)
    await wrapper.find('#provider-cancel').trigger('click')
    call.reject(new AppError('unauthorized', 'The sign-in was cancelled.'))
    await flushPromises()
    expect(wrapper.find('#provider-cancelled').text()).toBe('The sign-in was cancelled.')
    expect(wrapper.find('#provider-error').exists()).toBe(false)
    expect(wrapper.find('#provider-sign-in-button').exists()).toBe(true)
  })

  it.each([
    ['access denied', 'The sign-in was declined at sso.example.com (access_denied: the user said no).'],
    ['timeout', 'The sign-in was not finished within 5 minutes, so AuthDesk stopped waiting. Please sign in again.'],
    ['state mismatch', 'The answer that reached AuthDesk does not belong to this sign-in (its state does not match), so it was refused. Please sign in again.'],
  ])('shows Go\'s plain message for %s', async (_, message) => {
    api.signInWithProvider.mockRejectedValue(new AppError('unauthorized', message))
    const wrapper = mount(ProviderSignIn, { props: { provider: 'sso.example.com' } })
    await wrapper.find('#provider-sign-in-button').trigger('click')
    await flushPromises()
    expect(wrapper.find('#provider-error').text()).toBe(message)
    expect(wrapper.find('#provider-error').attributes('role')).toBe('alert')
  })
})

describe('ProviderSettings', () => {
  function mountSettings(props = {}) {
    return mount(ProviderSettings, {
      props: { modelValue: { issuer: '', clientId: '', scopes: 'openid profile email offline_access' }, ...props },
    })
  }

  it('edits the three fields through v-model', async () => {
    const wrapper = mountSettings()
    await wrapper.find('#provider-issuer').setValue('https://sso.example.com')
    await wrapper.setProps({ modelValue: wrapper.emitted('update:modelValue').at(-1)[0] })
    await wrapper.find('#provider-client-id').setValue('authdesk')
    expect(wrapper.emitted('update:modelValue').at(-1)[0]).toEqual({
      issuer: 'https://sso.example.com',
      clientId: 'authdesk',
      scopes: 'openid profile email offline_access',
    })
  })

  it('shows what Test connection found: PKCE, revocation, keys, warnings', async () => {
    api.testProvider.mockResolvedValue({
      status: 'reachable',
      reason: 'sso.example.com is an OpenID provider: sign-in with PKCE, token revocation; 1 signing key.',
      warnings: ['The provider has no end-session endpoint.'],
      endpoints: [{ name: 'token', value: 'https://sso.example.com/token' }],
      pkceS256: true,
      revocation: true,
      endSession: false,
      keys: 1,
      signingAlgs: ['RS256'],
    })
    const wrapper = mountSettings({ modelValue: { issuer: 'https://sso.example.com', clientId: 'desk', scopes: '' } })
    await wrapper.find('#provider-test').trigger('click')
    await flushPromises()
    const result = wrapper.find('#provider-test-result')
    expect(result.text()).toMatch(/^Provider found\./)
    expect(result.find('[data-finding="pkce"]').text()).toBe('yes')
    expect(result.find('[data-finding="end-session"]').text()).toBe('no')
    expect(result.find('[data-finding="keys"]').text()).toBe('1 RS256')
    expect(wrapper.find('#provider-test-warnings').text()).toMatch(/no end-session endpoint/)
    expect(api.testProvider).toHaveBeenCalledWith({ issuer: 'https://sso.example.com', clientId: 'desk', scopes: '' })
  })

  it('says exactly what is wrong, and shows Go\'s check message for the fields', async () => {
    api.testProvider.mockResolvedValue({
      status: 'misconfigured',
      reason: 'The provider calls itself "https://sso.example.com/", not "https://sso.example.com".',
      warnings: [],
      endpoints: [],
    })
    const wrapper = mountSettings({ error: 'The client ID is required' })
    expect(wrapper.find('#provider-settings-error').text()).toBe('The client ID is required')
    await wrapper.find('#provider-test').trigger('click')
    await flushPromises()
    expect(wrapper.find('#provider-test-result').text()).toMatch(/cannot be used as configured.*calls itself/)
  })
})

describe('ProviderHome', () => {
  it('lists the profile claims and notes that there is no users list', async () => {
    api.getProfile.mockResolvedValue(profile)
    useAuthStore().session = session
    const wrapper = mount(ProviderHome, { props: { provider: 'sso.example.com' } })
    await flushPromises()
    const rows = wrapper.findAll('#profile-claims tbody tr')
    expect(rows.map((r) => r.attributes('data-claim'))).toEqual(['sub', 'given_name', 'email'])
    expect(wrapper.find('[data-claim="email"]').text()).toMatch(/grace@example\.org/)
    expect(wrapper.find('#provider-users-note').text()).toMatch(/no list of users/)
  })

  it('offers to log out at the provider too when it can end its session', async () => {
    api.getProfile.mockResolvedValue({ ...profile, providerLogout: true })
    useAuthStore().session = session
    const wrapper = mount(ProviderHome, { props: { provider: 'sso.example.com' } })
    await flushPromises()
    const button = wrapper.find('#provider-sign-out-everywhere')
    expect(button.text()).toBe('Log out here and at sso.example.com')
    await button.trigger('click')
    await flushPromises()
    expect(api.signOutAtProvider).toHaveBeenCalledTimes(1)

    api.getProfile.mockResolvedValue({ ...profile, providerLogout: false })
    const without = mount(ProviderHome, { props: { provider: 'sso.example.com' } })
    await flushPromises()
    expect(without.find('#provider-sign-out-everywhere').exists()).toBe(false)
  })

  it('says so when the provider gave no profile', async () => {
    api.getProfile.mockResolvedValue(null)
    useAuthStore().session = session
    const wrapper = mount(ProviderHome, { props: { provider: 'sso.example.com' } })
    await flushPromises()
    expect(wrapper.find('#profile-empty').exists()).toBe(true)
  })
})

describe('the login and home pages for a provider', () => {
  it('the login page shows "Sign in with <provider>" instead of the password form', async () => {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: { template: '<div>home</div>' } },
        { path: '/login', component: LoginView },
        { path: '/settings', component: { template: '<div>settings</div>' } },
      ],
    })
    router.push('/login')
    await router.isReady()
    const wrapper = mount(LoginView, { global: { plugins: [router] } })
    await flushPromises()
    expect(wrapper.find('#provider-sign-in-button').text()).toBe('Sign in with sso.example.com')
    expect(wrapper.find('#username').exists()).toBe(false)
    expect(wrapper.find('#no-password-login').exists()).toBe(false)
  })

  it('home greets by given name and shows the profile instead of the users list', async () => {
    api.getProfile.mockResolvedValue(profile)
    useAuthStore().session = session
    const wrapper = mount(HomeView)
    await flushPromises()
    expect(wrapper.find('#greeting').text()).toBe('Hi Grace!')
    expect(wrapper.find('#profile-claims').exists()).toBe(true)
    expect(wrapper.find('#users-list').exists()).toBe(false)
    expect(wrapper.find('#users-unsupported').exists()).toBe(false)
    expect(api.listUsers).not.toHaveBeenCalled()
  })
})
