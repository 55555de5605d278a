import { describe, it, expect, vi, beforeEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('@/api', async (importOriginal) => {
  const actual = await importOriginal()
  return {
    AppError: actual.AppError,
    SESSION_CHANGED: actual.SESSION_CHANGED,
    SESSION_REASONS: actual.SESSION_REASONS,
    getLoginInfo: vi.fn(),
    onSessionChanged: vi.fn(() => () => {}),
    twoStepStatus: vi.fn(),
    beginTwoStep: vi.fn(),
    confirmTwoStep: vi.fn(),
    disableTwoStep: vi.fn(),
    newRecoveryCodes: vi.fn(),
    clipboardSetText: vi.fn(async () => true),
  }
})

// jsdom has no canvas to draw on; the real drawing is checked in the e2e test.
vi.mock('qrcode', () => ({ default: { toDataURL: vi.fn(async (text) => `data:image/png;base64,${btoa(text)}`) } }))

import * as api from '@/api'
import TwoStepView from '@/views/TwoStepView.vue'
import { useAuthStore } from '@/stores/auth'

const codes = Array.from({ length: 10 }, (_, i) => `abcd${i}-efgh${i}`)
const caps = (twoStep) => ({
  backendKind: 'embedded',
  backendLabel: 'Embedded (offline)',
  demoHint: false,
  capabilities: { passwordLogin: true, userDirectory: true, twoStep, twoStepAdmin: twoStep },
})

async function mountView() {
  const wrapper = mount(TwoStepView)
  for (let i = 0; i < 5; i++) await flushPromises()
  return wrapper
}

beforeEach(() => {
  vi.clearAllMocks()
  setActivePinia(createPinia())
  api.getLoginInfo.mockResolvedValue(caps(true))
})

describe('TwoStepView', () => {
  it('sets up: QR code and key, a current code, then the recovery codes once', async () => {
    api.twoStepStatus.mockResolvedValueOnce({ enabled: false, since: '', recoveryCodesLeft: 0 })
    api.twoStepStatus.mockResolvedValue({ enabled: true, since: '2030-01-02T03:04:05Z', recoveryCodesLeft: 10 })
    api.beginTwoStep.mockResolvedValue({ secret: 'JBSWY3DPEHPK3PXP', uri: 'otpauth://totp/AuthDesk:test?secret=JBSWY3DPEHPK3PXP&issuer=AuthDesk' })
    api.confirmTwoStep.mockRejectedValueOnce(new api.AppError('unauthorized', 'The code is not correct'))
    api.confirmTwoStep.mockResolvedValueOnce(codes)
    const wrapper = await mountView()
    expect(wrapper.find('#twostep-status').text()).toBe('Two-step sign-in is off.')

    await wrapper.find('#twostep-begin').trigger('click')
    await flushPromises()
    expect(wrapper.find('#twostep-secret').text()).toBe('JBSWY3DPEHPK3PXP')
    // The QR code carries the otpauth:// URI Go made.
    expect(atob(wrapper.find('#twostep-qr').attributes('src').split(',')[1])).toBe(
      'otpauth://totp/AuthDesk:test?secret=JBSWY3DPEHPK3PXP&issuer=AuthDesk',
    )

    await wrapper.find('#twostep-confirm').trigger('submit')
    expect(wrapper.find('#twostep-error').text()).toBe('Enter a code first')
    expect(api.confirmTwoStep).not.toHaveBeenCalled()

    await wrapper.find('#twostep-code').setValue('000000')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('#twostep-error').text()).toBe('The code is not correct')
    expect(wrapper.find('#twostep-secret').exists()).toBe(true)

    await wrapper.find('#twostep-code').setValue(' 123456 ')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(api.confirmTwoStep).toHaveBeenLastCalledWith('123456')
    expect(wrapper.findAll('#twostep-recovery-codes li').map((li) => li.text())).toEqual(codes)
    expect(wrapper.find('#twostep-secret').exists()).toBe(false)

    await wrapper.find('#twostep-copy').trigger('click')
    await flushPromises()
    expect(api.clipboardSetText).toHaveBeenCalledWith(codes.join('\n'))
    expect(wrapper.find('#twostep-copy').text()).toBe('Copied')

    await wrapper.find('#twostep-done').trigger('click')
    expect(wrapper.find('#twostep-recovery-codes').exists()).toBe(false)
    expect(wrapper.find('#twostep-status').text()).toMatch(/^Two-step sign-in is on/)
    expect(wrapper.find('#twostep-codes-left').text()).toBe('10 recovery codes left.')
  })

  it('turns it off with a code, and warns when few recovery codes are left', async () => {
    api.twoStepStatus.mockResolvedValueOnce({ enabled: true, since: '2030-01-02T03:04:05Z', recoveryCodesLeft: 1 })
    api.twoStepStatus.mockResolvedValue({ enabled: false, since: '', recoveryCodesLeft: 0 })
    api.disableTwoStep.mockResolvedValue(undefined)
    const wrapper = await mountView()
    expect(wrapper.find('#twostep-codes-left').text()).toBe('One recovery code left. Few recovery codes are left: make new ones.')

    await wrapper.find('#twostep-disable').trigger('click')
    expect(wrapper.find('#twostep-error').text()).toBe('Enter a code first')
    await wrapper.find('#twostep-code').setValue('abcde-fghjk')
    await wrapper.find('#twostep-disable').trigger('click')
    await flushPromises()
    expect(api.disableTwoStep).toHaveBeenCalledWith('abcde-fghjk')
    expect(wrapper.find('#twostep-notice').text()).toBe('Two-step sign-in is now off.')
    expect(wrapper.find('#twostep-status').text()).toBe('Two-step sign-in is off.')
  })

  it('says so when the backend has no two-step sign-in', async () => {
    api.getLoginInfo.mockResolvedValue(caps(false))
    useAuthStore().session = { backendLabel: 'https://api.example', user: { username: 'test' } }
    const wrapper = await mountView()
    expect(wrapper.find('#twostep-unsupported').text()).toBe('https://api.example does not offer two-step sign-in here.')
    expect(api.twoStepStatus).not.toHaveBeenCalled()
  })
})
