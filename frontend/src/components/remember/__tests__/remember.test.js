import { describe, it, expect, vi, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'

const handlers = vi.hoisted(() => [])
vi.mock('@/api', () => ({
  getRemember: vi.fn(),
  setKeepSignedIn: vi.fn(),
  onRememberChanged: vi.fn((h) => {
    handlers.push(h)
    return () => handlers.splice(handlers.indexOf(h), 1)
  }),
}))

import * as api from '@/api'
import KeepSignedIn from '@/components/remember/KeepSignedIn.vue'
import RememberSetting from '@/components/remember/RememberSetting.vue'
import RememberNotice from '@/components/remember/RememberNotice.vue'

const FILE_SENTENCE =
  "Your sign-in is remembered in a file protected by your account's permissions: no system keyring was found"

beforeEach(() => {
  vi.clearAllMocks()
  handlers.length = 0
})

describe('KeepSignedIn', () => {
  it('is on by default and shows the remembered choice', async () => {
    api.getRemember.mockResolvedValue({ keep: false, location: 'none', problem: '', notice: '' })
    const w = mount(KeepSignedIn)
    expect(w.get('#keep-signed-in').element.checked).toBe(true)
    expect(w.text()).toContain('Keep me signed in')
    await flushPromises()
    expect(w.get('#keep-signed-in').element.checked).toBe(false)
  })

  it('stays on when Go cannot be asked', async () => {
    api.getRemember.mockRejectedValue(new Error('no'))
    const w = mount(KeepSignedIn)
    await flushPromises()
    expect(w.get('#keep-signed-in').element.checked).toBe(true)
  })

  it('tells Go at once when the box is unticked', async () => {
    api.getRemember.mockResolvedValue({ keep: true, location: 'none', problem: '', notice: '' })
    api.setKeepSignedIn.mockResolvedValue({ keep: false, location: 'none', problem: '', notice: '' })
    const w = mount(KeepSignedIn)
    await flushPromises()
    await w.get('#keep-signed-in').setValue(false)
    await flushPromises()
    expect(api.setKeepSignedIn).toHaveBeenCalledWith(false)
  })

  it('says so when the choice cannot be saved', async () => {
    api.getRemember.mockResolvedValue({ keep: true, location: 'none', problem: '', notice: '' })
    api.setKeepSignedIn.mockRejectedValue(new Error('Could not write client.db'))
    const w = mount(KeepSignedIn)
    await flushPromises()
    await w.get('#keep-signed-in').setValue(false)
    await flushPromises()
    expect(w.get('#keep-signed-in-error').text()).toBe('Could not write client.db')
  })
})

describe('RememberSetting', () => {
  it('says the sign-in is in the system keyring', async () => {
    api.getRemember.mockResolvedValue({ keep: true, location: 'keyring', problem: '', notice: '' })
    const w = mount(RememberSetting)
    await flushPromises()
    expect(w.get('#remember-where').text()).toBe('Your sign-in is remembered in the system keyring.')
    expect(w.find('#remember-why').exists()).toBe(false)
    expect(w.get('#remember-toggle').element.checked).toBe(true)
  })

  it("uses the issue's plain sentence for the file fallback, with the reason", async () => {
    api.getRemember.mockResolvedValue({
      keep: true,
      location: 'file',
      problem: 'No system keyring was found: there is no D-Bus session',
      notice: '',
    })
    const w = mount(RememberSetting)
    await flushPromises()
    expect(w.get('#remember-where').text()).toBe(FILE_SENTENCE)
    expect(w.get('#remember-why').text()).toContain('there is no D-Bus session')
  })

  it('offers not to remember the sign-in at all', async () => {
    api.getRemember.mockResolvedValue({ keep: true, location: 'file', problem: 'x', notice: '' })
    api.setKeepSignedIn.mockResolvedValue({ keep: false, location: 'none', problem: 'x', notice: '' })
    const w = mount(RememberSetting)
    await flushPromises()
    await w.get('#remember-toggle').setValue(false)
    await flushPromises()
    expect(api.setKeepSignedIn).toHaveBeenCalledWith(false)
    expect(w.get('#remember-where').text()).toBe('Your sign-in is not remembered: you sign in each time AuthDesk starts.')
  })

  it('re-reads the status when Go says the sign-in moved', async () => {
    api.getRemember.mockResolvedValueOnce({ keep: true, location: 'keyring', problem: '', notice: '' })
    const w = mount(RememberSetting)
    await flushPromises()
    api.getRemember.mockResolvedValueOnce({ keep: true, location: 'memory', problem: 'disk full', notice: '' })
    handlers[0]({ keep: true, location: 'memory', problem: 'disk full', notice: 'not_saved' })
    await flushPromises()
    expect(w.get('#remember-where').text()).toBe('Your sign-in could not be saved: it lasts until AuthDesk closes.')
    w.unmount()
    expect(handlers).toHaveLength(0)
  })
})

describe('RememberNotice', () => {
  it('shows nothing until Go reports a problem, then says what happened', async () => {
    const w = mount(RememberNotice)
    expect(w.find('#remember-notice').exists()).toBe(false)
    handlers[0]({ keep: true, location: 'keyring', problem: '', notice: '' })
    await flushPromises()
    expect(w.find('#remember-notice').exists()).toBe(false)
    handlers[0]({ keep: true, location: 'memory', problem: 'Could not write client.db', notice: 'not_saved' })
    await flushPromises()
    expect(w.get('#remember-notice').text()).toContain('Your sign-in could not be saved')
    expect(w.get('#remember-notice-why').text()).toContain('Could not write client.db')
    await w.get('#remember-notice button').trigger('click')
    expect(w.find('#remember-notice').exists()).toBe(false)
  })

  it('tells when the keyring failed and a file took the sign-in', async () => {
    const w = mount(RememberNotice)
    handlers[0]({ keep: true, location: 'file', problem: 'The system keyring could not be used', notice: 'moved_to_file' })
    await flushPromises()
    expect(w.get('#remember-notice').text()).toContain('now remembered in a file')
  })
})
