import { describe, it, expect, vi, beforeEach } from 'vitest'
import { setActivePinia, createPinia } from 'pinia'
import { nextTick } from 'vue'

vi.mock('../../../wailsjs/go/app/Shell', () => ({ Ready: vi.fn(), Version: vi.fn() }))

import * as Shell from '../../../wailsjs/go/app/Shell'
import { useShellStore } from '@/stores/shell'

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
})

describe('shell store', () => {
  it('announces readiness to Go once, with the route', async () => {
    Shell.Ready.mockResolvedValue(undefined)
    const shell = useShellStore()
    await shell.announceReady('/login?returnUrl=/')
    await shell.announceReady('/')
    expect(Shell.Ready).toHaveBeenCalledTimes(1)
    expect(Shell.Ready).toHaveBeenCalledWith('/login?returnUrl=/')
  })

  it('survives a failing Ready or Version', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    Shell.Ready.mockRejectedValue({ code: 'internal', message: 'x' })
    Shell.Version.mockRejectedValue('nope')
    const shell = useShellStore()
    await expect(shell.announceReady('/')).resolves.toBeUndefined()
    await expect(shell.loadVersion()).resolves.toBe('')
  })

  it('loads the version', async () => {
    Shell.Version.mockResolvedValue('0.1.0')
    const shell = useShellStore()
    await shell.loadVersion()
    expect(shell.version).toBe('0.1.0')
  })

  it('runs work meant for after the first frame at once, or once that frame is on screen', async () => {
    const shell = useShellStore()
    const now = vi.fn()
    shell.afterFirstFrame(now)
    expect(now).toHaveBeenCalledTimes(1)

    shell.firstFramePending = true
    const later = vi.fn()
    shell.afterFirstFrame(later)
    await nextTick()
    expect(later).not.toHaveBeenCalled()
    shell.firstFramePending = false
    await nextTick()
    expect(later).toHaveBeenCalledTimes(1)
    shell.firstFramePending = true
    shell.firstFramePending = false
    await nextTick()
    expect(later).toHaveBeenCalledTimes(1)
  })
})
