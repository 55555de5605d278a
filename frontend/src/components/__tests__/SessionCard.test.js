import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import SessionCard from '@/components/SessionCard.vue'
import { i18n } from '@/i18n'

const START = new Date('2030-01-01T12:00:00Z')

function session(extra = {}) {
  return {
    user: { id: 1, username: 'test', firstName: 'Test', lastName: 'User', role: 'user' },
    backendKind: 'remote',
    backendLabel: 'auth.example.org',
    accessExpires: '2030-01-01T12:02:05Z',
    lastRefresh: '',
    ...extra,
  }
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(START)
})
afterEach(() => {
  vi.useRealTimers()
})

describe('SessionCard', () => {
  it('counts down to the access token expiry every second (mm:ss)', async () => {
    const wrapper = mount(SessionCard, { props: { session: session() } })
    const text = () => wrapper.find('#expires-in').text()
    expect(text()).toBe('Access token expires in 02:05')

    vi.advanceTimersByTime(1000)
    await nextTick()
    expect(text()).toBe('Access token expires in 02:04')

    vi.advanceTimersByTime(64 * 1000)
    await nextTick()
    expect(text()).toBe('Access token expires in 01:00')

    vi.advanceTimersByTime(55 * 1000)
    await nextTick()
    expect(text()).toBe('Access token expires in 00:05')
  })

  it('stops at 00:00 once the token has expired', async () => {
    const wrapper = mount(SessionCard, { props: { session: session() } })
    vi.advanceTimersByTime(10 * 60 * 1000)
    await nextTick()
    expect(wrapper.find('#expires-in').text()).toMatch(/^Access token expires in 00:00/)
  })

  it('restarts the countdown when a refresh brings a new expiry', async () => {
    const wrapper = mount(SessionCard, { props: { session: session() } })
    vi.advanceTimersByTime(2 * 60 * 1000)
    await nextTick()
    expect(wrapper.find('#expires-in').text()).toBe('Access token expires in 00:05')

    await wrapper.setProps({
      session: session({ accessExpires: '2030-01-01T12:17:00Z', lastRefresh: '2030-01-01T12:02:00Z' }),
    })
    expect(wrapper.find('#expires-in').text()).toBe('Access token expires in 15:00')
    const local = new Date('2030-01-01T12:02:00Z').toLocaleTimeString('en')
    expect(wrapper.find('#last-refresh').text()).toBe(`Last silent refresh: ${local}`)
  })

  it('gives the last refresh in the UI language, whatever the system says', async () => {
    const wrapper = mount(SessionCard, { props: { session: session({ lastRefresh: '2030-01-01T12:02:00Z' }) } })
    i18n.global.locale.value = 'de'
    try {
      await nextTick()
      const german = new Date('2030-01-01T12:02:00Z').toLocaleTimeString('de')
      expect(german).not.toBe(new Date('2030-01-01T12:02:00Z').toLocaleTimeString('en'))
      expect(wrapper.find('#last-refresh').text()).toContain(german)
    } finally {
      i18n.global.locale.value = 'en'
    }
  })

  it('leaves the time out of the first frame and fills it in after', async () => {
    // HomeView passes formatTimes=false until the first frame is on screen.
    const wrapper = mount(SessionCard, {
      props: { session: session({ lastRefresh: '2030-01-01T12:02:00Z' }), formatTimes: false },
    })
    const line = () => wrapper.find('#last-refresh')
    // The line is there (nothing moves in under it later), without the time.
    expect(line().exists()).toBe(true)
    expect(line().text()).toBe('Last silent refresh:')
    await wrapper.setProps({ formatTimes: true })
    expect(line().text()).toBe(`Last silent refresh: ${new Date('2030-01-01T12:02:00Z').toLocaleTimeString('en')}`)
  })

  it('says "not yet" in the first frame too when there was no refresh', () => {
    const wrapper = mount(SessionCard, { props: { session: session(), formatTimes: false } })
    expect(wrapper.find('#last-refresh').text()).toBe('Last silent refresh: not yet')
  })

  it('shows the backend label and "not yet" before any refresh', () => {
    const wrapper = mount(SessionCard, { props: { session: session() } })
    expect(wrapper.find('#session-card').text()).toContain('auth.example.org')
    expect(wrapper.find('#last-refresh').text()).toBe('Last silent refresh: not yet')
  })

  it('shows --:-- when the expiry is unknown', () => {
    const wrapper = mount(SessionCard, { props: { session: session({ accessExpires: '' }) } })
    expect(wrapper.find('#expires-in').text()).toBe('Access token expires in --:--')
  })

  it('stops its timer when unmounted', () => {
    const wrapper = mount(SessionCard, { props: { session: session() } })
    expect(vi.getTimerCount()).toBe(1)
    wrapper.unmount()
    expect(vi.getTimerCount()).toBe(0)
  })
})
