import { afterEach, describe, expect, it, vi } from 'vitest'
import { createWebHashHistory } from 'vue-router'
import { appHistory, currentPath } from '../history'

// Each test starts on a first entry (no state) at the given address.
function freshEntry(url) {
  window.history.replaceState(null, '', url)
}

function lengthReads() {
  return vi.spyOn(window.history, 'length', 'get')
}

afterEach(() => {
  delete window.wails
  freshEntry('/')
})

describe('appHistory', () => {
  it.each(['/', '/#', '/#/settings', '/#/login?returnUrl=%2Fusers', '/#users'])(
    'in the desktop window, writes the first entry as Vue Router does for %s, without reading history.length',
    (url) => {
      // What Vue Router itself writes on a one-entry history (jsdom's is one entry).
      freshEntry(url)
      expect(window.history.length).toBe(1)
      createWebHashHistory().destroy()
      const routerState = window.history.state
      const routerHref = window.location.href

      freshEntry(url)
      window.wails = {}
      const reads = lengthReads()
      const h = appHistory()
      expect(reads).not.toHaveBeenCalled()
      expect(window.history.state).toEqual(routerState)
      expect(window.location.href).toBe(routerHref)
      expect(h.location).toBe(routerState.current)
      h.destroy()
    },
  )

  it('in a browser, leaves the first entry to Vue Router (which reads history.length)', () => {
    freshEntry('/#/settings')
    const reads = lengthReads()
    const h = appHistory()
    expect(reads).toHaveBeenCalled()
    expect(window.history.state).toMatchObject({ current: '/settings', position: window.history.length - 1 })
    h.destroy()
  })

  it('keeps the state of an entry that has one (a reload)', () => {
    const saved = { back: '/', current: '/settings', forward: null, position: 3, replaced: false, scroll: { left: 0, top: 40 } }
    window.history.replaceState(saved, '', '/#/settings')
    window.wails = {}
    const h = appHistory()
    expect(window.history.state).toEqual(saved)
    expect(h.location).toBe('/settings')
    h.destroy()
  })

  it('navigates as the hash history does after the first entry', () => {
    freshEntry('/')
    window.wails = {}
    const h = appHistory()
    h.push('/settings')
    expect(window.location.hash).toBe('#/settings')
    expect(window.history.state).toMatchObject({ back: '/', current: '/settings', position: 1 })
    h.replace('/login?returnUrl=/')
    expect(window.history.state).toMatchObject({ back: '/', current: '/login?returnUrl=/', position: 1 })
    h.destroy()
  })
})

describe('currentPath', () => {
  it.each([
    ['', '/'],
    ['#', '/'],
    ['#/', '/'],
    ['#/users', '/users'],
    ['#users', '/users'],
    ['#/login?returnUrl=%2F', '/login?returnUrl=%2F'],
  ])('reads %j as %j', (hash, path) => {
    expect(currentPath({ hash })).toBe(path)
  })
})
