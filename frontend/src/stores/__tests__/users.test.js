import { describe, it, expect, vi, beforeEach } from 'vitest'
import { setActivePinia, createPinia } from 'pinia'

vi.mock('../../../wailsjs/go/app/Users', () => ({ List: vi.fn() }))

import * as Users from '../../../wailsjs/go/app/Users'
import { useUsersStore } from '@/stores/users'
import { AppError } from '@/api'

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})

describe('users store', () => {
  it('starts as an empty object', () => {
    expect(useUsersStore().users).toEqual({})
  })

  it('is {loading: true} while the call is in flight', async () => {
    let answer
    Users.List.mockReturnValue(new Promise((resolve) => (answer = resolve)))
    const store = useUsersStore()

    const done = store.getAll()
    expect(store.users).toEqual({ loading: true })

    answer([])
    await done
  })

  it('holds the array once loaded', async () => {
    const list = [
      { id: 1, username: 'test', firstName: 'Test', lastName: 'User', role: 'user' },
      { id: 2, username: 'ada', firstName: 'Ada', lastName: 'Lovelace', role: 'admin' },
    ]
    Users.List.mockResolvedValue(list)
    const store = useUsersStore()
    await store.getAll()
    expect(store.users).toEqual(list)
  })

  it('holds {error} (an AppError) when loading fails', async () => {
    Users.List.mockRejectedValue({ code: 'unavailable', message: 'backend is down' })
    const store = useUsersStore()
    await store.getAll()
    expect(store.users.error).toBeInstanceOf(AppError)
    expect(store.users.error.code).toBe('unavailable')
    expect(store.users.error.message).toBe('backend is down')
  })
})
