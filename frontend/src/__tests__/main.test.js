import { describe, it, expect, vi } from 'vitest'

vi.mock('../../wailsjs/go/app/Auth', () => ({
  Login: vi.fn(),
  Logout: vi.fn(),
  Session: vi.fn(),
  LoginInfo: vi.fn(async () => ({ backendKind: 'embedded', backendLabel: 'Built-in demo backend', demoHint: true })),
}))
vi.mock('../../wailsjs/go/app/Users', () => ({ List: vi.fn(async () => []) }))
vi.mock('../../wailsjs/go/app/Shell', () => ({ Ready: vi.fn(), Version: vi.fn(async () => '0.1.0') }))
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(() => () => {}), EventsOff: vi.fn() }))

import * as Auth from '../../wailsjs/go/app/Auth'
import * as Shell from '../../wailsjs/go/app/Shell'
import * as Runtime from '../../wailsjs/runtime/runtime'

describe('start-up (main.js)', () => {
  it('waits for the restore and LoginInfo, shows the first view complete, then calls Shell.Ready once', async () => {
    let answer
    Auth.Session.mockReturnValue(new Promise((resolve) => (answer = resolve)))
    const domAtReady = []
    Shell.Ready.mockImplementation(async (route) => {
      domAtReady.push({ route, login: !!document.querySelector('#username'), hint: !!document.querySelector('#demo-hint') })
    })
    document.body.innerHTML = '<div id="app"></div>'

    await import('@/main.js')
    await new Promise((r) => setTimeout(r, 20))
    // Nothing is drawn before Go has answered Session(): no login page flash.
    expect(document.querySelector('#app').children).toHaveLength(0)
    expect(Shell.Ready).not.toHaveBeenCalled()
    expect(Runtime.EventsOn).toHaveBeenCalledWith('session:changed', expect.any(Function))

    answer(null)
    await vi.waitFor(() => expect(Shell.Ready).toHaveBeenCalled(), { timeout: 5000, interval: 10 })

    expect(Shell.Ready).toHaveBeenCalledTimes(1)
    // The login page's first frame already has what LoginInfo said (the
    // demo hint): nothing appears and pushes the form down after it.
    expect(domAtReady).toEqual([{ route: '/login?returnUrl=/', login: true, hint: true }])
    expect(Auth.Session).toHaveBeenCalledTimes(1)
  })
})
