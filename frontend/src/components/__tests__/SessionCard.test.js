import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import SessionCard from '@/components/SessionCard.vue'

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
    const local = new Date('2030-01-01T12:02:00Z').toLocaleTimeString()
    expect(wrapper.find('#last-refresh').text()).toBe(`Last silent refresh: ${local}`)
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
