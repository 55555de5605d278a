import { describe, it, expect, vi, beforeEach } from 'vitest'
import { setActivePinia, createPinia } from 'pinia'

vi.mock('@/api', async (importOriginal) => {
  const actual = await importOriginal()
  return {
    AppError: actual.AppError,
    SESSION_CHANGED: actual.SESSION_CHANGED,
    SESSION_REASONS: actual.SESSION_REASONS,
    getSettings: vi.fn(),
    saveSettings: vi.fn(),
    testConnection: vi.fn(),
    checkSettings: vi.fn(),
    listBackendKinds: vi.fn(),
    getSession: vi.fn(),
    getLoginInfo: vi.fn(),
    onSessionChanged: vi.fn(() => () => {}),
  }
})
const nav = vi.hoisted(() => {
  const currentRoute = { value: { path: '/settings', fullPath: '/settings', query: {} } }
  const push = vi.fn(async (to) => {
    const path = typeof to === 'string' ? to : to.path
    currentRoute.value = { path, fullPath: path, query: {} }
  })
  return { push, currentRoute }
})
vi.mock('@/router/navigation', () => ({ navigation: () => nav, setNavigation: () => {} }))

import * as api from '@/api'
import { useSettingsStore } from '@/stores/settings'
import { useAuthStore } from '@/stores/auth'

const embedded = { backend: 'embedded', remoteUrl: 'http://localhost:4000', version: '0.1.0' }
const remote = { backend: 'remote', remoteUrl: 'https://auth.example.org', version: '0.1.0' }
const user = { id: 1, username: 'test', firstName: 'Test', lastName: 'User' }
const kinds = [
  { name: 'embedded', label: 'Embedded (offline)', description: '', needsAddress: false, canProbe: false },
  { name: 'remote', label: 'Remote API', description: '', needsAddress: true, canProbe: true },
]

function deferred() {
  let resolve, reject
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

beforeEach(() => {
  vi.clearAllMocks()
  nav.currentRoute.value = { path: '/settings', fullPath: '/settings', query: {} }
  api.getSession.mockResolvedValue(null)
  api.getLoginInfo.mockResolvedValue({ backendKind: 'remote', backendLabel: 'https://auth.example.org', demoHint: false })
  api.listBackendKinds.mockResolvedValue(kinds)
  setActivePinia(createPinia())
})

describe('settings store: load', () => {
  it('starts empty, loads, and keeps the view', async () => {
    const store = useSettingsStore()
    expect(store.settings).toBeNull()
    expect(store.loading).toBe(false)
    const answer = deferred()
    api.getSettings.mockReturnValue(answer.promise)
    const loading = store.load()
    expect(store.loading).toBe(true)
    answer.resolve(embedded)
    await expect(loading).resolves.toEqual(embedded)
    expect(store.loading).toBe(false)
    expect(store.settings).toEqual(embedded)
    expect(store.kinds).toEqual(kinds)
    expect(store.error).toBeNull()
  })

  it('keeps the error when Get fails', async () => {
    api.getSettings.mockRejectedValue(new api.AppError('internal', 'disk on fire'))
    const store = useSettingsStore()
    await store.load()
    expect(store.settings).toBeNull()
    expect(store.error.message).toBe('disk on fire')
    expect(store.loading).toBe(false)
  })
})

describe('settings store: save', () => {
  it('same backend: saves, reports no switch, does not touch the session', async () => {
    const store = useSettingsStore()
    store.settings = embedded
    api.saveSettings.mockResolvedValue({ settings: { ...embedded, remoteUrl: 'https://other.example.org' }, switched: false })

    const out = await store.save({ backend: 'embedded', remoteUrl: 'https://other.example.org' })

    expect(api.saveSettings).toHaveBeenCalledWith({ backend: 'embedded', remoteUrl: 'https://other.example.org' })
    expect(out).toEqual({ settings: { ...embedded, remoteUrl: 'https://other.example.org' }, switched: false })
    expect(store.settings.remoteUrl).toBe('https://other.example.org')
    expect(store.saving).toBe(false)
    expect(api.getSession).not.toHaveBeenCalled()
    expect(nav.push).not.toHaveBeenCalled()
  })

  it('shows saving while Go works', async () => {
    const store = useSettingsStore()
    store.settings = embedded
    const answer = deferred()
    api.saveSettings.mockReturnValue(answer.promise)
    const saving = store.save({ backend: 'embedded', remoteUrl: 'http://localhost:4001' })
    expect(store.saving).toBe(true)
    answer.resolve({ settings: { ...embedded, remoteUrl: 'http://localhost:4001' }, switched: false })
    await saving
    expect(store.saving).toBe(false)
  })

  it('Go switched: re-reads the session and LoginInfo, then goes to /login', async () => {
    const store = useSettingsStore()
    const auth = useAuthStore()
    auth.session = { user }
    auth.loginInfo = { backendKind: 'embedded', backendLabel: 'Embedded (offline)', demoHint: true }
    store.settings = embedded
    api.saveSettings.mockResolvedValue({ settings: remote, switched: true })

    const out = await store.save({ backend: 'remote', remoteUrl: 'https://auth.example.org' })

    expect(out.switched).toBe(true)
    expect(api.getSession).toHaveBeenCalled()
    expect(api.getLoginInfo).toHaveBeenCalled()
    expect(auth.user).toBeNull()
    expect(auth.loginInfo.backendLabel).toBe('https://auth.example.org')
    expect(nav.push).toHaveBeenLastCalledWith('/login')
  })

  it('follows what Go says about the switch, not what the form looks like', async () => {
    const store = useSettingsStore()
    store.settings = remote
    // Only the letter case differs: Go normalises it and reports no switch.
    api.saveSettings.mockResolvedValue({ settings: remote, switched: false })
    const out = await store.save({ backend: 'remote', remoteUrl: 'https://AUTH.example.org/' })
    expect(out.switched).toBe(false)
    expect(nav.push).not.toHaveBeenCalled()
  })

  it('a session Go restored for the new backend goes home instead', async () => {
    const store = useSettingsStore()
    store.settings = embedded
    api.saveSettings.mockResolvedValue({ settings: remote, switched: true })
    api.getSession.mockResolvedValue({ user, backendKind: 'remote', backendLabel: 'https://auth.example.org' })
    await store.save({ backend: 'remote', remoteUrl: 'https://auth.example.org' })
    expect(useAuthStore().user).toEqual(user)
    expect(nav.push).toHaveBeenLastCalledWith('/')
  })

  it('keeps Go\'s error and leaves the settings as they were', async () => {
    const store = useSettingsStore()
    store.settings = embedded
    api.saveSettings.mockRejectedValue(new api.AppError('invalid', 'The address must not contain a query (?...)'))

    const out = await store.save({ backend: 'remote', remoteUrl: 'https://a.example.org/?x=1' })

    expect(out).toBeNull()
    expect(store.error.code).toBe('invalid')
    expect(store.error.message).toBe('The address must not contain a query (?...)')
    expect(store.settings).toEqual(embedded)
    expect(store.saving).toBe(false)
    expect(nav.push).not.toHaveBeenCalled()
  })

  it('a later save clears the earlier error', async () => {
    const store = useSettingsStore()
    store.settings = embedded
    api.saveSettings.mockRejectedValueOnce(new api.AppError('invalid', 'bad'))
    await store.save({ backend: 'embedded', remoteUrl: 'x' })
    api.saveSettings.mockResolvedValueOnce({ settings: embedded, switched: false })
    await store.save({ backend: 'embedded', remoteUrl: 'http://localhost:4000' })
    expect(store.error).toBeNull()
  })
})

describe('settings store: test connection', () => {
  it('keeps each status Go reports, with testing while it runs', async () => {
    const store = useSettingsStore()
    for (const status of ['reachable', 'unreachable', 'not_this_api']) {
      const answer = deferred()
      api.testConnection.mockReturnValue(answer.promise)
      const running = store.testConnection({ backend: 'remote', remoteUrl: 'http://127.0.0.1:9' })
      expect(store.testing).toBe(true)
      expect(store.testResult).toBeNull()
      answer.resolve({ url: 'http://127.0.0.1:9', status, reason: `why ${status}` })
      await running
      expect(store.testing).toBe(false)
      expect(store.testResult).toEqual({ url: 'http://127.0.0.1:9', status, reason: `why ${status}` })
    }
    expect(api.testConnection).toHaveBeenCalledWith({ backend: 'remote', remoteUrl: 'http://127.0.0.1:9' })
  })

  it('an invalid address comes back as status error with Go\'s message', async () => {
    api.testConnection.mockRejectedValue(new api.AppError('invalid', 'The port must be a number from 1 to 65535'))
    const store = useSettingsStore()
    await store.testConnection({ backend: 'remote', remoteUrl: 'http://x:99999' })
    expect(store.testResult).toEqual({
      url: 'http://x:99999',
      status: 'error',
      reason: 'The port must be a number from 1 to 65535',
    })
    expect(store.testing).toBe(false)
  })

  it('a result that arrives after clearTestResult is dropped', async () => {
    const answer = deferred()
    api.testConnection.mockReturnValue(answer.promise)
    const store = useSettingsStore()
    const running = store.testConnection({ backend: 'remote', remoteUrl: 'http://old' })
    store.clearTestResult()
    expect(store.testing).toBe(false)
    answer.resolve({ url: 'http://old', status: 'reachable', reason: '' })
    await running
    expect(store.testResult).toBeNull()
  })
})

describe('settings store: check', () => {
  it('keeps the newest answer, tagged with the form it is about', async () => {
    const first = deferred()
    const answer = { ok: true, remoteUrl: 'http://10.0.0.2', message: '', warning: 'Plain http', changed: true, switches: true }
    api.checkSettings.mockReturnValueOnce(first.promise).mockResolvedValueOnce(answer)
    const store = useSettingsStore()
    const a = store.check({ backend: 'remote', remoteUrl: 'http://10.0.0.1' }, 'k1')
    await store.check({ backend: 'remote', remoteUrl: 'http://10.0.0.2' }, 'k2')
    first.resolve({ ...answer, remoteUrl: 'http://10.0.0.1', warning: 'old' })
    await expect(a).resolves.toBeNull()
    expect(store.formCheck).toEqual({ key: 'k2', ...answer })
    expect(api.checkSettings).toHaveBeenLastCalledWith({ backend: 'remote', remoteUrl: 'http://10.0.0.2' })
    store.clearCheck()
    expect(store.formCheck).toBeNull()
  })

  it('forgets the check when Check fails', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    api.checkSettings.mockRejectedValue('boom')
    const store = useSettingsStore()
    await expect(store.check({ backend: 'remote', remoteUrl: 'http://x' }, 'k')).resolves.toBeNull()
  })
})
