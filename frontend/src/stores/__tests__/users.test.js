import { describe, it, expect, vi, beforeEach } from 'vitest'
import { setActivePinia, createPinia } from 'pinia'

vi.mock('../../../wailsjs/go/app/Accounts', () => ({ Page: vi.fn() }))

import * as Accounts from '../../../wailsjs/go/app/Accounts'
import { useUsersStore } from '@/stores/users'
import { AppError } from '@/api'

const people = (from, n) =>
  Array.from({ length: n }, (_, i) => ({ id: String(from + i), username: `u${from + i}`, firstName: 'F', lastName: `L${from + i}` }))

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})

describe('users store (the home list)', () => {
  it('starts with no list, not loading, no error', () => {
    const store = useUsersStore()
    expect([store.list, store.loading, store.error]).toEqual([null, false, null])
  })

  it('is loading while the first page is in flight, and asks for a small one', async () => {
    let answer
    Accounts.Page.mockReturnValue(new Promise((resolve) => (answer = resolve)))
    const store = useUsersStore()
    const done = store.getAll()
    expect(store.loading).toBe(true)
    expect(store.list).toBeNull()
    expect(Accounts.Page).toHaveBeenCalledWith({ search: '', sort: '', desc: false, limit: 100, cursor: '' })
    answer({ users: [], next: '', total: 0 })
    await done
    expect(store.loading).toBe(false)
    expect(store.list).toEqual([])
  })

  it('appends the next pages with their cursors, and stops after the last', async () => {
    Accounts.Page.mockResolvedValueOnce({ users: people(1, 100), next: 'c1', total: 250 })
      .mockResolvedValueOnce({ users: people(101, 150), next: '', total: 250 })
    const store = useUsersStore()
    await store.getAll()
    expect(store.list).toHaveLength(100)
    await store.loadMore()
    expect(Accounts.Page).toHaveBeenLastCalledWith({ search: '', sort: '', desc: false, limit: 500, cursor: 'c1' })
    expect(store.list).toHaveLength(250)
    expect(store.list[249].username).toBe('u250')
    await store.loadMore() // nothing more
    expect(Accounts.Page).toHaveBeenCalledTimes(2)
  })

  it('holds the error (an AppError) when loading fails, and clears it on the next try', async () => {
    Accounts.Page.mockRejectedValue({ code: 'unavailable', message: 'backend is down' })
    const store = useUsersStore()
    await store.getAll()
    expect(store.loading).toBe(false)
    expect(store.error).toBeInstanceOf(AppError)
    expect(store.error.code).toBe('unavailable')
    expect(store.error.message).toBe('backend is down')

    Accounts.Page.mockResolvedValue({ users: [], next: '', total: 0 })
    await store.getAll()
    expect(store.error).toBeNull()
    expect(store.list).toEqual([])
  })
})

describe('users store across sessions', () => {
  it("never shows the previous list while a new visit's first page loads", async () => {
    Accounts.Page.mockResolvedValueOnce({ users: people(1, 3), next: '', total: 3 })
    const store = useUsersStore()
    await store.getAll()
    expect(store.list).toHaveLength(3)
    let answer
    Accounts.Page.mockReturnValue(new Promise((resolve) => (answer = resolve)))
    const done = store.getAll()
    expect(store.list).toBeNull()
    answer({ users: people(10, 1), next: '', total: 1 })
    await done
    expect(store.list.map((u) => u.username)).toEqual(['u10'])
  })
})
