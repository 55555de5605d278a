import { describe, it, expect, vi, beforeEach } from 'vitest'

vi.mock('../../../wailsjs/go/app/MyAccount', () => ({
  Info: vi.fn(),
  ChangePassword: vi.fn(),
  List: vi.fn(),
  SignOut: vi.fn(),
  SignOutOthers: vi.fn(),
}))

import * as MyAccount from '../../../wailsjs/go/app/MyAccount'
import { AppError, accountInfo, changePassword, mySessions, signOutSession, signOutOtherSessions } from '@/api'

beforeEach(() => vi.clearAllMocks())

describe('account api', () => {
  it('reads Info with safe defaults', async () => {
    MyAccount.Info.mockResolvedValueOnce({ available: true, minPasswordLength: 10 })
    expect(await accountInfo()).toEqual({ available: true, minPasswordLength: 10 })
    MyAccount.Info.mockResolvedValueOnce(null)
    expect(await accountInfo()).toEqual({ available: false, minPasswordLength: 8 })
  })

  it('passes the passwords and turns a refusal into an AppError with the wait', async () => {
    MyAccount.ChangePassword.mockResolvedValueOnce(null)
    await changePassword('old-password', 'new-password')
    expect(MyAccount.ChangePassword).toHaveBeenCalledWith('old-password', 'new-password')
    MyAccount.ChangePassword.mockRejectedValueOnce({ code: 'too_many_requests', message: 'Too many attempts, try again in 4 s', retryAfter: 4 })
    const err = await changePassword('old-password', 'new-password').catch((e) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ code: 'too_many_requests', retryAfter: 4 })
  })

  it('always gives the sessions as an array', async () => {
    MyAccount.List.mockResolvedValueOnce(null)
    expect(await mySessions()).toEqual([])
    MyAccount.List.mockResolvedValueOnce([{ id: 'a', current: true }])
    expect(await mySessions()).toEqual([{ id: 'a', current: true }])
  })

  it('signs out by id as a string, and counts the others', async () => {
    MyAccount.SignOut.mockResolvedValueOnce(null)
    await signOutSession(12)
    expect(MyAccount.SignOut).toHaveBeenCalledWith('12')
    MyAccount.SignOutOthers.mockResolvedValueOnce(3)
    expect(await signOutOtherSessions()).toBe(3)
    MyAccount.SignOutOthers.mockResolvedValueOnce(null)
    expect(await signOutOtherSessions()).toBe(0)
  })
})
