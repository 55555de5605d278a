import { describe, it, expect, vi, beforeEach } from 'vitest'

vi.mock('../../../wailsjs/go/app/Settings', () => ({
  Get: vi.fn(),
  Save: vi.fn(),
  TestConnection: vi.fn(),
  CheckURL: vi.fn(),
}))

import * as Settings from '../../../wailsjs/go/app/Settings'
import { AppError, getSettings, saveSettings, testConnection, checkUrl } from '@/api'

beforeEach(() => {
  vi.clearAllMocks()
})

describe('settings api', () => {
  it('getSettings returns the view with defaults filled in', async () => {
    Settings.Get.mockResolvedValue({ backend: 'remote', remoteUrl: 'https://auth.example.org', version: '0.2.0' })
    await expect(getSettings()).resolves.toEqual({
      backend: 'remote',
      remoteUrl: 'https://auth.example.org',
      version: '0.2.0',
    })
    Settings.Get.mockResolvedValue({})
    await expect(getSettings()).resolves.toEqual({ backend: 'embedded', remoteUrl: '', version: '' })
  })

  it('saveSettings sends {backend, remoteUrl} and returns what Go saved', async () => {
    Settings.Save.mockResolvedValue({ backend: 'remote', remoteUrl: 'http://localhost:4000', version: '0.1.0' })
    const saved = await saveSettings({ backend: 'remote', remoteUrl: 'http://LOCALHOST:4000/', extra: 1 })
    expect(Settings.Save).toHaveBeenCalledWith({ backend: 'remote', remoteUrl: 'http://LOCALHOST:4000/' })
    expect(saved).toEqual({ backend: 'remote', remoteUrl: 'http://localhost:4000', version: '0.1.0' })
  })

  it('saveSettings turns a Go error into an AppError', async () => {
    Settings.Save.mockRejectedValue({ code: 'invalid', message: 'The address must start with http:// or https://' })
    const err = await saveSettings({ backend: 'remote', remoteUrl: 'ftp://x' }).catch((e) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err.code).toBe('invalid')
    expect(err.message).toBe('The address must start with http:// or https://')
  })

  it('testConnection and checkUrl pass the address through', async () => {
    Settings.TestConnection.mockResolvedValue({ url: 'http://127.0.0.1:9', status: 'unreachable', reason: 'refused' })
    await expect(testConnection('http://127.0.0.1:9')).resolves.toEqual({
      url: 'http://127.0.0.1:9',
      status: 'unreachable',
      reason: 'refused',
    })
    expect(Settings.TestConnection).toHaveBeenCalledWith('http://127.0.0.1:9')

    Settings.CheckURL.mockResolvedValue({ ok: true, url: 'http://10.0.0.2', message: '', warning: 'Plain http' })
    await expect(checkUrl('http://10.0.0.2/')).resolves.toEqual({
      ok: true,
      url: 'http://10.0.0.2',
      message: '',
      warning: 'Plain http',
    })
    expect(Settings.CheckURL).toHaveBeenCalledWith('http://10.0.0.2/')
  })
})
