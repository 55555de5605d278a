import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'

vi.mock('../../../wailsjs/go/app/Remember', () => ({ Status: vi.fn(), SetKeep: vi.fn() }))
vi.mock('../../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(), EventsOff: vi.fn() }))

import * as Remember from '../../../wailsjs/go/app/Remember'
import { endEarly, getRemember } from '@/api'

// index.html's boot script also asks for the stored "Keep me signed in", so
// the login page's check box is right in its first frame.
describe("the boot script's early answers", () => {
  beforeEach(() => {
    vi.clearAllMocks()
    Remember.Status.mockResolvedValue({ keep: true, location: 'keyring' })
  })
  afterEach(() => {
    delete globalThis.__authdeskEarly
  })

  it('gives the first getRemember the early answer, and later ones ask Go', async () => {
    globalThis.__authdeskEarly = { remember: Promise.resolve({ keep: false, location: 'none' }) }
    await expect(getRemember()).resolves.toMatchObject({ keep: false, location: 'none' })
    expect(Remember.Status).not.toHaveBeenCalled()
    await expect(getRemember()).resolves.toMatchObject({ keep: true, location: 'keyring' })
    expect(Remember.Status).toHaveBeenCalledTimes(1)
  })

  it('drops what nobody took once the first frame is shown (it could be out of date by a later logout)', async () => {
    globalThis.__authdeskEarly = { remember: Promise.resolve({ keep: false, location: 'none' }) }
    endEarly()
    await expect(getRemember()).resolves.toMatchObject({ keep: true, location: 'keyring' })
    expect(Remember.Status).toHaveBeenCalledTimes(1)
  })
})
