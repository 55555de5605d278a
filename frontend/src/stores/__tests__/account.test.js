import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('@/api', async (importOriginal) => {
  const actual = await importOriginal()
  return {
    AppError: actual.AppError,
    accountInfo: vi.fn(),
    changePassword: vi.fn(),
    mySessions: vi.fn(),
    signOutSession: vi.fn(),
    signOutOtherSessions: vi.fn(),
  }
})

import * as api from '@/api'
import { AppError } from '@/api/errors'
import { useAccountStore } from '@/stores/account'

const here = { id: 'a1', client: 'desktop', started: '2030-01-01T10:00:00Z', expires: '2030-01-08T10:00:00Z', current: true }
const there = { id: 'b2', client: '192.0.2.7', userAgent: 'Firefox/140', started: '2030-01-01T09:00:00Z', current: false }

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})
afterEach(() => vi.useRealTimers())

describe('account store', () => {
  it('asks Go once per sign-in whether the account pages exist', async () => {
    api.accountInfo.mockResolvedValue({ available: true, minPasswordLength: 8 })
    const s = useAccountStore()
    expect(s.info.available).toBe(false)
    await s.loadInfo('1|embedded|Embedded')
    await s.loadInfo('1|embedded|Embedded')
    expect(api.accountInfo).toHaveBeenCalledTimes(1)
    expect(s.info.available).toBe(true)
    // Another backend: asked again, and the answer may be no.
    api.accountInfo.mockResolvedValue({ available: false, minPasswordLength: 8 })
    await s.loadInfo('1|remote|http://127.0.0.1:4000')
    expect(api.accountInfo).toHaveBeenCalledTimes(2)
    expect(s.info.available).toBe(false)
  })

  it('treats a failing question as "not offered" for now, and asks again next time', async () => {
    api.accountInfo.mockRejectedValueOnce(new AppError('unavailable', 'Server down'))
    const s = useAccountStore()
    await s.loadInfo('k')
    expect(s.info.available).toBe(false)
    api.accountInfo.mockResolvedValueOnce({ available: true, minPasswordLength: 8 })
    await s.loadInfo('k')
    expect(api.accountInfo).toHaveBeenCalledTimes(2)
    expect(s.info.available).toBe(true)
  })

  it('counts down after too many attempts and refuses without asking Go meanwhile', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T10:00:00Z') })
    const throttled = new AppError('too_many_requests', 'Too many attempts, try again in 4 s')
    throttled.retryAfter = 4
    api.changePassword.mockRejectedValueOnce(throttled)
    const s = useAccountStore()
    await expect(s.changePassword('old-password', 'new-password')).rejects.toBe(throttled)
    expect(s.retryAt).toBe(Date.now() + 4000)
    expect(s.retryCode).toBe('too_many_requests')
    vi.advanceTimersByTime(1000)
    await expect(s.changePassword('old-password', 'new-password')).rejects.toMatchObject({ code: 'too_many_requests', retryAfter: 3 })
    expect(api.changePassword).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(3000)
    api.changePassword.mockResolvedValueOnce(undefined)
    await s.changePassword('old-password', 'new-password')
    expect(api.changePassword).toHaveBeenLastCalledWith('old-password', 'new-password')
    expect(s.retryAt).toBe(0)
  })

  it('a wrong current password starts no countdown', async () => {
    api.changePassword.mockRejectedValueOnce(new AppError('invalid', 'Current password is not correct'))
    const s = useAccountStore()
    await expect(s.changePassword('nope', 'new-password')).rejects.toMatchObject({ code: 'invalid' })
    expect(s.retryAt).toBe(0)
  })

  it('signs sessions out and shows the list as it is afterwards', async () => {
    api.mySessions.mockResolvedValueOnce([here, there]).mockResolvedValue([here])
    api.signOutSession.mockResolvedValue(undefined)
    const s = useAccountStore()
    await s.loadSessions()
    expect(s.sessions).toEqual([here, there])
    await s.signOut('b2')
    expect(api.signOutSession).toHaveBeenCalledWith('b2')
    expect(s.sessions).toEqual([here])

    api.signOutOtherSessions.mockResolvedValue(2)
    expect(await s.signOutOthers()).toBe(2)
    expect(api.mySessions).toHaveBeenCalledTimes(3)
  })

  it('keeps a failed load as the error, and the list reloads after a refused sign-out', async () => {
    api.mySessions.mockRejectedValueOnce(new AppError('unavailable', 'Server down'))
    const s = useAccountStore()
    await s.loadSessions()
    expect(s.error.message).toBe('Server down')
    api.signOutSession.mockRejectedValue(new AppError('not_found', 'Session not found'))
    api.mySessions.mockResolvedValue([here])
    await expect(s.signOut('gone')).rejects.toMatchObject({ code: 'not_found' })
    expect(s.sessions).toEqual([here])
    expect(s.error).toBe(null)
  })

  it('forgets the last person when someone else signs in', async () => {
    api.accountInfo.mockResolvedValue({ available: true, minPasswordLength: 8 })
    api.mySessions.mockResolvedValue([here, there])
    const s = useAccountStore()
    await s.loadInfo('1|embedded|E')
    await s.loadSessions()
    s.retryAt = Date.now() + 10_000
    await s.loadInfo('2|embedded|E')
    expect(s.sessions).toEqual([])
    expect(s.retryAt).toBe(0)
  })
})
