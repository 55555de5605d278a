import { describe, it, expect, vi, beforeEach } from 'vitest'

vi.mock('../../../wailsjs/go/app/Accounts', () => ({
  Features: vi.fn(),
  Page: vi.fn(),
  Create: vi.fn(),
  Update: vi.fn(),
  SetDisabled: vi.fn(),
  ResetPassword: vi.fn(),
  Unlock: vi.fn(),
  Remove: vi.fn(),
}))

import * as Accounts from '../../../wailsjs/go/app/Accounts'
import * as api from '@/api'

beforeEach(() => vi.clearAllMocks())

describe('accounts api', () => {
  it('sends a whole query and always gives back an array, a cursor and a total', async () => {
    Accounts.Page.mockResolvedValue({ users: null })
    expect(await api.pageUsers({ search: 'ada', limit: 5 })).toEqual({ users: [], next: '', total: 0 })
    expect(Accounts.Page).toHaveBeenCalledWith({ search: 'ada', sort: '', desc: false, limit: 5, cursor: '' })
  })

  it('reads features as booleans, whatever Go left out', async () => {
    Accounts.Features.mockResolvedValue({ admin: true })
    expect(await api.accountFeatures()).toEqual({ paging: false, admin: true })
  })

  it('passes ids as strings and a new user as User unless told', async () => {
    await api.createUser({ username: 'x', firstName: 'X', lastName: 'Y', password: 'password1' })
    expect(Accounts.Create).toHaveBeenCalledWith({ role: 'User', username: 'x', firstName: 'X', lastName: 'Y', password: 'password1' })
    await api.setUserDisabled(7, true)
    expect(Accounts.SetDisabled).toHaveBeenCalledWith('7', true)
    await api.removeUser(7)
    expect(Accounts.Remove).toHaveBeenCalledWith('7')
  })

  it("turns Go's refusals into AppErrors with the code", async () => {
    Accounts.Remove.mockRejectedValue({ code: 'conflict', message: 'You cannot remove your own account' })
    const err = await api.removeUser('1').catch((e) => e)
    expect(err).toBeInstanceOf(api.AppError)
    expect([err.code, err.message]).toEqual(['conflict', 'You cannot remove your own account'])
  })
})
