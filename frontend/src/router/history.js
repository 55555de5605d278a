import { createWebHashHistory } from 'vue-router'

// appHistory is the router's history: the hash history (the address after
// "#" is the page, so a reload stays on it), with one step taken first in
// the desktop window.
//
// On a page's first entry (history.state is still null) Vue Router records
// where the entry is: position history.length - 1. In WebKitGTK reading
// history.length is a synchronous round trip to the window's process, which
// during start-up is busy opening the window and serving the page: timed in
// the page, creating the router took 13-21 ms with it and ~5 ms without (the
// whole start moved by less than the bench's noise; see the README). The
// desktop window (Wails' runtime sets window.wails) loads its page once, so
// its first entry is the only one, position 0: that state is written here,
// in the form Vue Router writes it (a test compares the two), and Vue Router
// then finds it and asks nothing. A browser, where the app may be opened
// after other pages, is left to Vue Router, as is an entry that has a state
// already (a reload).
export function appHistory(win = globalThis.window) {
  if (win?.wails && win.history?.state == null) {
    const current = currentPath(win.location)
    win.history.replaceState({ back: null, current, forward: null, position: 0, replaced: true, scroll: null }, '', `#${current}`)
  }
  return createWebHashHistory()
}

// currentPath is the page as the hash history reads it from the address:
// what follows "#", starting with "/" ("" and "#" are "/").
export function currentPath(location) {
  const path = (location?.hash ?? '').slice(1)
  return path.startsWith('/') ? path : `/${path}`
}
