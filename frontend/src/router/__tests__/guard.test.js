import { describe, it, expect, vi, beforeEach } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'

vi.mock('../../../wailsjs/go/app/Auth', () => ({
  Login: vi.fn(),
  Logout: vi.fn(),
  Session: vi.fn(),
  LoginInfo: vi.fn(),
}))
vi.mock('../../../wailsjs/go/app/Users', () => ({ List: vi.fn() }))
vi.mock('../../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(() => () => {}), EventsOff: vi.fn() }))

import * as Auth from '../../../wailsjs/go/app/Auth'
import { createAppRouter } from '@/router'
import { useAuthStore } from '@/stores/auth'

const session = {
  user: { id: 1, username: 'test', firstName: 'Test', lastName: 'User', role: 'user' },
  backendKind: 'embedded',
  backendLabel: 'Built-in demo backend',
  accessExpires: '2030-01-01T00:15:00Z',
  lastRefresh: '',
}

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})

describe('router guard', () => {
  it('sends a logged-out person to /login?returnUrl=/', async () => {
    Auth.Session.mockResolvedValue(null)
    const router = createAppRouter(createMemoryHistory())

    await router.push('/')

    expect(router.currentRoute.value.path).toBe('/login')
    expect(router.currentRoute.value.query.returnUrl).toBe('/')
    expect(router.currentRoute.value.fullPath).toBe('/login?returnUrl=/')
    expect(useAuthStore().returnUrl).toBe('/')
  })

  it('keeps the full path as the returnUrl', async () => {
    Auth.Session.mockResolvedValue(null)
    const router = createAppRouter(createMemoryHistory())
    await router.push('/?tab=users')
    expect(router.currentRoute.value.path).toBe('/login')
    expect(router.currentRoute.value.query.returnUrl).toBe('/?tab=users')
  })

  it('sends a logged-in person from /login to /', async () => {
    Auth.Session.mockResolvedValue(session)
    const router = createAppRouter(createMemoryHistory())

    await router.push('/login')

    expect(router.currentRoute.value.fullPath).toBe('/')
  })

  it('lets a logged-in person open home', async () => {
    Auth.Session.mockResolvedValue(session)
    const router = createAppRouter(createMemoryHistory())
    await router.push('/')
    expect(router.currentRoute.value.fullPath).toBe('/')
  })

  it('lets a logged-out person open /login', async () => {
    Auth.Session.mockResolvedValue(null)
    const router = createAppRouter(createMemoryHistory())
    await router.push('/login')
    expect(router.currentRoute.value.fullPath).toBe('/login')
  })

  it('lets a logged-out person open /settings (no returnUrl detour)', async () => {
    Auth.Session.mockResolvedValue(null)
    const router = createAppRouter(createMemoryHistory())
    await router.push('/settings')
    expect(router.currentRoute.value.fullPath).toBe('/settings')
    expect(useAuthStore().returnUrl).toBeNull()
  })

  it('lets a logged-in person open /settings and go back home', async () => {
    Auth.Session.mockResolvedValue(session)
    const router = createAppRouter(createMemoryHistory())
    await router.push('/settings')
    expect(router.currentRoute.value.fullPath).toBe('/settings')
    await router.push('/')
    expect(router.currentRoute.value.fullPath).toBe('/')
  })

  it('a logged-out person goes from /settings to /login and back', async () => {
    Auth.Session.mockResolvedValue(null)
    const router = createAppRouter(createMemoryHistory())
    await router.push('/login')
    await router.push('/settings')
    expect(router.currentRoute.value.fullPath).toBe('/settings')
    await router.push('/login')
    expect(router.currentRoute.value.fullPath).toBe('/login')
  })

  it('redirects unknown paths to home (then to login when logged out)', async () => {
    Auth.Session.mockResolvedValue(null)
    const router = createAppRouter(createMemoryHistory())
    await router.push('/nowhere')
    expect(router.currentRoute.value.path).toBe('/login')
    expect(router.currentRoute.value.query.returnUrl).toBe('/')
  })

  it('waits for Go\'s session restore before the first route is chosen', async () => {
    let answer
    Auth.Session.mockReturnValue(new Promise((resolve) => (answer = resolve)))
    const router = createAppRouter(createMemoryHistory())

    let settled = false
    const navigation = router.push('/login').then(() => (settled = true))
    await new Promise((r) => setTimeout(r, 10))
    expect(settled).toBe(false)

    answer(session)
    await navigation
    // restored as signed in: never shown the login page
    expect(router.currentRoute.value.fullPath).toBe('/')
    expect(Auth.Session).toHaveBeenCalledTimes(1)
  })
})
