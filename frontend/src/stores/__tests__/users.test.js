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
  it('starts with no list, not loading, no error', () => {
    const store = useUsersStore()
    expect([store.list, store.loading, store.error]).toEqual([null, false, null])
  })

  it('is loading while the call is in flight', async () => {
    let answer
    Users.List.mockReturnValue(new Promise((resolve) => (answer = resolve)))
    const store = useUsersStore()

    const done = store.getAll()
    expect(store.loading).toBe(true)
    expect(store.list).toBeNull()

    answer([])
    await done
    expect(store.loading).toBe(false)
    expect(store.list).toEqual([])
  })

  it('holds the array once loaded', async () => {
    const list = [
      { id: 1, username: 'test', firstName: 'Test', lastName: 'User', role: 'user' },
      { id: 2, username: 'ada', firstName: 'Ada', lastName: 'Lovelace', role: 'admin' },
    ]
    Users.List.mockResolvedValue(list)
    const store = useUsersStore()
    await store.getAll()
    expect(store.list).toEqual(list)
    expect(store.error).toBeNull()
  })

  it('holds the error (an AppError) when loading fails, and clears it on the next try', async () => {
    Users.List.mockRejectedValue({ code: 'unavailable', message: 'backend is down' })
    const store = useUsersStore()
    await store.getAll()
    expect(store.loading).toBe(false)
    expect(store.error).toBeInstanceOf(AppError)
    expect(store.error.code).toBe('unavailable')
    expect(store.error.message).toBe('backend is down')

    Users.List.mockResolvedValue([])
    await store.getAll()
    expect(store.error).toBeNull()
    expect(store.list).toEqual([])
  })
})
