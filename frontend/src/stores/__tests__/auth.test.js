import { describe, it, expect, vi, beforeEach } from 'vitest'
import { nextTick } from 'vue'
import { setActivePinia, createPinia } from 'pinia'

vi.mock('../../../wailsjs/go/app/Auth', () => ({
  Login: vi.fn(),
  Logout: vi.fn(),
  Session: vi.fn(),
  LoginInfo: vi.fn(),
}))
vi.mock('../../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(), EventsOff: vi.fn() }))

// A stand-in router that remembers where it was sent.
const nav = vi.hoisted(() => {
  const currentRoute = { value: { path: '/', fullPath: '/', query: {} } }
  const push = vi.fn(async (to) => {
    const path = typeof to === 'string' ? to.split('?')[0] : to.path
    const query = typeof to === 'string' ? {} : to.query || {}
    const qs = new URLSearchParams(query).toString()
    currentRoute.value = { path, query, fullPath: qs ? `${path}?${qs}` : path }
  })
  const go = (fullPath) => {
    const [path] = fullPath.split('?')
    currentRoute.value = { path, fullPath, query: {} }
  }
  return { router: { push, currentRoute }, go }
})
vi.mock('@/router/navigation', () => ({ navigation: () => nav.router, setNavigation: () => {} }))

import * as Auth from '../../../wailsjs/go/app/Auth'
import * as Runtime from '../../../wailsjs/runtime/runtime'
import { useAuthStore } from '@/stores/auth'
import { AppError, SESSION_CHANGED } from '@/api'

const user = { id: 1, username: 'test', firstName: 'Test', lastName: 'User', role: 'user' }
const session = (extra = {}) => ({
  user,
  backendKind: 'embedded',
  backendLabel: 'Built-in demo backend',
  accessExpires: '2030-01-01T00:15:00Z',
  lastRefresh: '',
  ...extra,
})

// The callback the store registered for session:changed.
function emitSessionChanged(payload) {
  const call = Runtime.EventsOn.mock.calls.find(([name]) => name === SESSION_CHANGED)
  expect(call, 'store subscribed to session:changed').toBeTruthy()
  return call[1](payload)
}

beforeEach(() => {
  vi.clearAllMocks()
  Runtime.EventsOn.mockReturnValue(vi.fn())
  Auth.Session.mockResolvedValue(null)
  nav.go('/')
  setActivePinia(createPinia())
})

describe('auth store: login', () => {
  it('sets the user and navigates to the returnUrl', async () => {
    Auth.Login.mockResolvedValue(session())
    const auth = useAuthStore()
    auth.setReturnUrl('/?tab=users')
    nav.go('/login?returnUrl=%2F%3Ftab%3Dusers')

    await auth.login('test', 'test')

    expect(Auth.Login).toHaveBeenCalledWith('test', 'test')
    expect(auth.user).toEqual(user)
    expect(auth.session.backendLabel).toBe('Built-in demo backend')
    expect(nav.router.push).toHaveBeenCalledWith('/?tab=users')
    expect(auth.returnUrl).toBeNull()
  })

  it('navigates home when there is no returnUrl', async () => {
    Auth.Login.mockResolvedValue(session())
    const auth = useAuthStore()
    await auth.login('test', 'test')
    expect(nav.router.push).toHaveBeenCalledWith('/')
  })

  it('ignores a returnUrl that leaves the app', async () => {
    Auth.Login.mockResolvedValue(session())
    const auth = useAuthStore()
    auth.setReturnUrl('https://evil.example/')
    await auth.login('test', 'test')
    expect(nav.router.push).toHaveBeenCalledWith('/')
  })

  it('propagates an AppError and leaves the user null', async () => {
    Auth.Login.mockRejectedValue({ code: 'unauthorized', message: 'Username or password is incorrect' })
    const auth = useAuthStore()

    const err = await auth.login('test', 'wrong').catch((e) => e)

    expect(err).toBeInstanceOf(AppError)
    expect(err.code).toBe('unauthorized')
    expect(err.message).toBe('Username or password is incorrect')
    expect(auth.user).toBeNull()
    expect(auth.isLoggedIn).toBe(false)
    expect(nav.router.push).not.toHaveBeenCalled()
  })
})

describe('auth store: throttled login', () => {
  it('remembers when the next attempt may be made, and forgets it after a success', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    try {
      Auth.Login.mockRejectedValue({ code: 'too_many_requests', message: 'Too many attempts', retryAfter: 30 })
      const auth = useAuthStore()

      const err = await auth.login('test', 'wrong').catch((e) => e)

      expect(err.code).toBe('too_many_requests')
      expect(err.retryAfter).toBe(30)
      expect(auth.retryAt).toBe(Date.parse('2030-01-01T00:00:30Z'))
      expect(auth.retryCode).toBe('too_many_requests')

      // Until then, Go is not asked at all.
      vi.setSystemTime(new Date('2030-01-01T00:00:20Z'))
      const early = await auth.login('test', 'test').catch((e) => e)
      expect(early.code).toBe('too_many_requests')
      expect(early.retryAfter).toBe(10)
      expect(Auth.Login).toHaveBeenCalledTimes(1)

      vi.setSystemTime(new Date('2030-01-01T00:00:30Z'))
      Auth.Login.mockResolvedValue(session())
      await auth.login('test', 'test')
      expect(auth.retryAt).toBe(0)
      expect(auth.retryCode).toBe('')
    } finally {
      vi.useRealTimers()
    }
  })

  it('a refusal without a wait sets no countdown', async () => {
    Auth.Login.mockRejectedValue({ code: 'too_many_requests', message: 'Slow down' })
    const auth = useAuthStore()
    await auth.login('test', 'x').catch(() => {})
    expect(auth.retryAt).toBe(0)
  })
})

describe('auth store: logout', () => {
  it('asks Go to log out, clears the session and shows the login page', async () => {
    Auth.Login.mockResolvedValue(session())
    Auth.Logout.mockResolvedValue(undefined)
    const auth = useAuthStore()
    await auth.login('test', 'test')
    nav.router.push.mockClear()

    await auth.logout()

    expect(Auth.Logout).toHaveBeenCalled()
    expect(auth.user).toBeNull()
    expect(auth.session).toBeNull()
    expect(nav.router.push).toHaveBeenCalledWith('/login')
  })

  it('still signs the person out in the UI when Go reports an error', async () => {
    Auth.Login.mockResolvedValue(session())
    Auth.Logout.mockRejectedValue('backend unreachable')
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const auth = useAuthStore()
    await auth.login('test', 'test')

    await auth.logout()

    expect(auth.user).toBeNull()
    expect(nav.router.currentRoute.value.path).toBe('/login')
  })
})

describe('auth store: restore', () => {
  it('takes the session Go restored at start-up', async () => {
    Auth.Session.mockResolvedValue(session())
    const auth = useAuthStore()
    expect(auth.restored).toBe(false)

    await auth.restore()

    expect(auth.user).toEqual(user)
    expect(auth.restored).toBe(true)
  })

  it('stays logged out when there is no session', async () => {
    const auth = useAuthStore()
    await auth.restore()
    expect(auth.user).toBeNull()
    expect(auth.restored).toBe(true)
  })

  it('asks Go once and subscribes to session:changed once', async () => {
    const auth = useAuthStore()
    await Promise.all([auth.restore(), auth.restore()])
    await auth.restore()
    auth.listen()
    expect(Auth.Session).toHaveBeenCalledTimes(1)
    expect(Runtime.EventsOn).toHaveBeenCalledTimes(1)
    expect(Runtime.EventsOn).toHaveBeenCalledWith(SESSION_CHANGED, expect.any(Function))
  })

  it('settles (logged out) when Session() fails', async () => {
    Auth.Session.mockRejectedValue({ code: 'internal', message: 'store is locked' })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const auth = useAuthStore()
    await auth.restore()
    expect(auth.user).toBeNull()
    expect(auth.restored).toBe(true)
  })

  it('an event that arrives while restoring wins over the older answer', async () => {
    let answer
    Auth.Session.mockReturnValue(new Promise((resolve) => (answer = resolve)))
    const auth = useAuthStore()
    const done = auth.restore()
    emitSessionChanged({ session: session({ lastRefresh: '2030-01-01T00:10:00Z' }), reason: 'refresh' })
    answer(null)
    await done
    expect(auth.user).toEqual(user)
    expect(auth.session.lastRefresh).toBe('2030-01-01T00:10:00Z')
  })
})

describe('auth store: session:changed', () => {
  async function loggedInAt(fullPath) {
    Auth.Session.mockResolvedValue(session())
    const auth = useAuthStore()
    await auth.restore()
    nav.go(fullPath)
    nav.router.push.mockClear()
    return auth
  }

  it('a refresh updates the session', async () => {
    const auth = await loggedInAt('/')
    const refreshed = session({ accessExpires: '2030-01-01T00:30:00Z', lastRefresh: '2030-01-01T00:15:00Z' })

    emitSessionChanged({ session: refreshed, reason: 'refresh' })

    expect(auth.session.accessExpires).toBe('2030-01-01T00:30:00Z')
    expect(auth.session.lastRefresh).toBe('2030-01-01T00:15:00Z')
    expect(auth.user).toEqual(user)
    expect(nav.router.push).not.toHaveBeenCalled()
  })

  it('a session restored late (after start-up) takes a person on the login page where they were going', async () => {
    const auth = useAuthStore()
    await auth.restore() // Go had no session yet: the server was unreachable
    nav.go('/login?returnUrl=%2F%3Ftab%3Dusers')
    auth.setReturnUrl('/?tab=users')

    await emitSessionChanged({ session: session(), reason: 'refresh' })

    expect(auth.user).toEqual(user)
    expect(nav.router.push).toHaveBeenCalledWith('/?tab=users')
  })

  it('expired clears the user and sends the person to /login with a returnUrl', async () => {
    const auth = await loggedInAt('/')

    await emitSessionChanged({ session: null, reason: 'expired' })

    expect(auth.user).toBeNull()
    expect(nav.router.push).toHaveBeenCalledWith({ path: '/login', query: { returnUrl: '/' } })
    expect(auth.returnUrl).toBe('/')
    expect(auth.notice).toBe('login.expired')
  })

  it('revoked keeps the place the person was at', async () => {
    const auth = await loggedInAt('/?tab=users')

    await emitSessionChanged({ session: null, reason: 'revoked' })

    expect(auth.user).toBeNull()
    expect(nav.router.push).toHaveBeenCalledWith({ path: '/login', query: { returnUrl: '/?tab=users' } })
    expect(auth.notice).toBe('login.revoked')
  })

  it('logout goes to /login without a returnUrl', async () => {
    const auth = await loggedInAt('/')

    await emitSessionChanged({ session: null, reason: 'logout' })

    expect(auth.user).toBeNull()
    expect(nav.router.push).toHaveBeenCalledWith('/login')
    expect(auth.returnUrl).toBeNull()
    expect(auth.notice).toBe('')
  })

  it('does not navigate when already on the login page', async () => {
    const auth = await loggedInAt('/login')
    await emitSessionChanged({ session: null, reason: 'expired' })
    expect(auth.user).toBeNull()
    expect(nav.router.push).not.toHaveBeenCalled()
  })
})

describe('auth store: login info', () => {
  it('loads LoginInfo, and falls back to no hint when it fails', async () => {
    Auth.LoginInfo.mockResolvedValue({ backendKind: 'embedded', backendLabel: 'Built-in', demoHint: true })
    const auth = useAuthStore()
    await auth.loadLoginInfo()
    expect(auth.loginInfo).toEqual({
      backendKind: 'embedded',
      backendLabel: 'Built-in',
      demoHint: true,
      capabilities: {
        passwordLogin: true,
        userDirectory: true,
        twoStep: false,
        twoStepAdmin: false,
        browserLogin: false,
        providerName: '',
      },
    })

    Auth.LoginInfo.mockRejectedValue(new Error('nope'))
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    await auth.loadLoginInfo()
    expect(auth.loginInfo.demoHint).toBe(false)
  })

  it('the newest LoginInfo answer wins (one about the old backend comes too late)', async () => {
    let oldAnswer
    Auth.LoginInfo.mockReturnValueOnce(new Promise((resolve) => (oldAnswer = resolve))).mockResolvedValueOnce({
      backendKind: 'remote',
      backendLabel: 'https://auth.example.org',
      demoHint: false,
    })
    const auth = useAuthStore()
    const first = auth.loadLoginInfo()
    await auth.loadLoginInfo()
    oldAnswer({ backendKind: 'embedded', backendLabel: 'Embedded (offline)', demoHint: true })
    await first
    expect(auth.loginInfo.backendLabel).toBe('https://auth.example.org')
  })
})

describe('auth store: the login page refreshes LoginInfo', () => {
  it('shows what start-up loaded once, then asks Go on every later visit', async () => {
    Auth.LoginInfo.mockResolvedValue({ backendKind: 'embedded', backendLabel: 'Built-in', demoHint: true })
    const auth = useAuthStore()
    await auth.loadLoginInfo({ firstPage: true })
    expect(Auth.LoginInfo).toHaveBeenCalledTimes(1)

    await auth.refreshLoginInfo() // the first page's mount
    expect(Auth.LoginInfo).toHaveBeenCalledTimes(1)
    expect(auth.loginInfo.demoHint).toBe(true)

    Auth.LoginInfo.mockResolvedValue({ backendKind: 'embedded', backendLabel: 'Built-in', demoHint: false })
    await auth.refreshLoginInfo() // back on the login page later
    expect(Auth.LoginInfo).toHaveBeenCalledTimes(2)
    expect(auth.loginInfo.demoHint).toBe(false)
  })

  it('asks Go again when someone signed in after start-up (a restored session, then a logout)', async () => {
    Auth.LoginInfo.mockResolvedValue({ backendKind: 'embedded', backendLabel: 'Built-in', demoHint: true })
    const auth = useAuthStore()
    await auth.loadLoginInfo({ firstPage: true })
    auth.session = session()
    await nextTick()
    auth.session = null
    Auth.LoginInfo.mockResolvedValue({ backendKind: 'embedded', backendLabel: 'Built-in', demoHint: false })
    await auth.refreshLoginInfo()
    expect(Auth.LoginInfo).toHaveBeenCalledTimes(2)
    expect(auth.loginInfo.demoHint).toBe(false)
  })

  it('asks Go again when start-up could not load it', async () => {
    Auth.LoginInfo.mockRejectedValueOnce(new Error('nope')).mockResolvedValue({ backendKind: 'embedded', backendLabel: 'Built-in', demoHint: true })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const auth = useAuthStore()
    await auth.loadLoginInfo({ firstPage: true })
    await auth.refreshLoginInfo()
    expect(Auth.LoginInfo).toHaveBeenCalledTimes(2)
    expect(auth.loginInfo.demoHint).toBe(true)
  })
})

describe('auth store: backend switched', () => {
  it('asks Go for the session again, reloads LoginInfo and shows the login page', async () => {
    const auth = useAuthStore()
    auth.session = session()
    auth.notice = 'old notice'
    auth.returnUrl = '/?tab=users'
    nav.go('/settings')
    Auth.Session.mockResolvedValue(null)
    Auth.LoginInfo.mockResolvedValue({ backendKind: 'remote', backendLabel: 'https://a.example.org', demoHint: false })

    await auth.backendSwitched()

    expect(auth.user).toBeNull()
    expect(auth.notice).toBe('')
    expect(auth.returnUrl).toBeNull()
    expect(auth.loginInfo.backendLabel).toBe('https://a.example.org')
    expect(nav.router.push).toHaveBeenLastCalledWith('/login')
  })

  it('goes home when Go restored a session saved for the new backend', async () => {
    const auth = useAuthStore()
    nav.go('/settings')
    Auth.Session.mockResolvedValue(session({ backendKind: 'remote' }))
    Auth.LoginInfo.mockResolvedValue({ backendKind: 'remote', backendLabel: 'https://a.example.org', demoHint: false })
    await auth.backendSwitched()
    expect(auth.user).toEqual(user)
    expect(nav.router.push).toHaveBeenLastCalledWith('/')
  })
})
