import { describe, it, expect, vi, beforeEach } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'

vi.mock('../../../wailsjs/go/app/Auth', () => ({ Login: vi.fn(), Logout: vi.fn(), Session: vi.fn(), LoginInfo: vi.fn() }))
vi.mock('../../../wailsjs/go/app/Accounts', () => ({ Features: vi.fn(async () => ({})), Page: vi.fn(async () => ({ users: [] })) }))
vi.mock('../../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(() => () => {}), EventsOff: vi.fn() }))

import * as Auth from '../../../wailsjs/go/app/Auth'
import { createAppRouter } from '@/router'

const session = (role) => ({
  user: { id: 1, username: 'test', firstName: 'Test', lastName: 'User', role },
  backendKind: 'embedded',
  backendLabel: 'Embedded',
  accessExpires: '2030-01-01T00:15:00Z',
})

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})

describe('the Users page guard', () => {
  it('sends non-admins home', async () => {
    Auth.Session.mockResolvedValue(session('User'))
    const router = createAppRouter(createMemoryHistory())
    await router.push('/users')
    expect(router.currentRoute.value.path).toBe('/')
  })

  it('lets admins in', async () => {
    Auth.Session.mockResolvedValue(session('Admin'))
    const router = createAppRouter(createMemoryHistory())
    await router.push('/users')
    expect(router.currentRoute.value.path).toBe('/users')
  })

  it('sends a signed-out person to the login page first', async () => {
    Auth.Session.mockResolvedValue(null)
    const router = createAppRouter(createMemoryHistory())
    await router.push('/users')
    expect(router.currentRoute.value.fullPath).toBe('/login?returnUrl=/users')
  })
})
