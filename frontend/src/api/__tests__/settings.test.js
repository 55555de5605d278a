import { describe, it, expect, vi, beforeEach } from 'vitest'

vi.mock('../../../wailsjs/go/app/Settings', () => ({
  Get: vi.fn(),
  Save: vi.fn(),
  Check: vi.fn(),
  Kinds: vi.fn(),
  TestConnection: vi.fn(),
}))

import * as Settings from '../../../wailsjs/go/app/Settings'
import { AppError, getSettings, saveSettings, checkSettings, testConnection, listBackendKinds } from '@/api'

beforeEach(() => {
  vi.clearAllMocks()
})

describe('settings api', () => {
  it('getSettings returns the view, strings for missing fields', async () => {
    Settings.Get.mockResolvedValue({ backend: 'remote', remoteUrl: 'https://auth.example.org', version: '0.2.0' })
    await expect(getSettings()).resolves.toEqual({
      backend: 'remote',
      remoteUrl: 'https://auth.example.org',
      version: '0.2.0',
    })
    Settings.Get.mockResolvedValue({})
    await expect(getSettings()).resolves.toEqual({ backend: '', remoteUrl: '', version: '' })
  })

  it('listBackendKinds returns the registry Go offers', async () => {
    Settings.Kinds.mockResolvedValue([
      { name: 'embedded', label: 'Embedded (offline)', description: 'here', needsAddress: false, canProbe: false },
      { name: 'remote', label: 'Remote API', needsAddress: true, canProbe: true },
    ])
    await expect(listBackendKinds()).resolves.toEqual([
      { name: 'embedded', label: 'Embedded (offline)', description: 'here', needsAddress: false, canProbe: false, needsProvider: false },
      { name: 'remote', label: 'Remote API', description: '', needsAddress: true, canProbe: true, needsProvider: false },
    ])
    Settings.Kinds.mockResolvedValue(null)
    await expect(listBackendKinds()).resolves.toEqual([])
  })

  it('saveSettings sends {backend, remoteUrl} and returns what Go saved and whether it switched', async () => {
    Settings.Save.mockResolvedValue({
      settings: { backend: 'remote', remoteUrl: 'http://localhost:4000', version: '0.1.0' },
      switched: true,
    })
    const saved = await saveSettings({ backend: 'remote', remoteUrl: 'http://LOCALHOST:4000/', extra: 1 })
    expect(Settings.Save).toHaveBeenCalledWith({ backend: 'remote', remoteUrl: 'http://LOCALHOST:4000/' })
    expect(saved).toEqual({
      settings: { backend: 'remote', remoteUrl: 'http://localhost:4000', version: '0.1.0' },
      switched: true,
    })
  })

  it('saveSettings turns a Go error into an AppError', async () => {
    Settings.Save.mockRejectedValue({ code: 'invalid', message: 'The address must start with http:// or https://' })
    const err = await saveSettings({ backend: 'remote', remoteUrl: 'ftp://x' }).catch((e) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err.code).toBe('invalid')
    expect(err.message).toBe('The address must start with http:// or https://')
  })

  it('checkSettings and testConnection pass the form through', async () => {
    const form = { backend: 'remote', remoteUrl: 'http://10.0.0.2/' }
    Settings.Check.mockResolvedValue({ ok: true, remoteUrl: 'http://10.0.0.2', warning: 'Plain http', switches: true })
    await expect(checkSettings(form)).resolves.toEqual({
      ok: true,
      remoteUrl: 'http://10.0.0.2',
      message: '',
      warning: 'Plain http',
      changed: false,
      switches: true,
    })
    expect(Settings.Check).toHaveBeenCalledWith(form)

    Settings.TestConnection.mockResolvedValue({ url: 'http://10.0.0.2', status: 'unreachable', reason: 'refused' })
    await expect(testConnection(form)).resolves.toEqual({ url: 'http://10.0.0.2', status: 'unreachable', reason: 'refused' })
    expect(Settings.TestConnection).toHaveBeenCalledWith(form)
  })
})
