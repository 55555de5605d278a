// AuthDesk browser harness shim. Stands in for what Wails injects into its
// webview: window.go (bound Go methods) and window.runtime (events, logging),
// so the real frontend build runs unchanged in a plain browser. Binding calls go
// to the harness over HTTP; Go events arrive over server-sent events.
(() => {
  const bindings = __BINDINGS__;

  async function call(name, args) {
    const res = await fetch('/__harness/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, args }),
    });
    const body = await res.json();
    if ('error' in body) throw body.error;
    return body.result;
  }

  window.go = {};
  for (const full of bindings) {
    const [pkg, struct, method] = full.split('.');
    window.go[pkg] ??= {};
    window.go[pkg][struct] ??= {};
    window.go[pkg][struct][method] = (...args) => call(full, args);
  }

  const listeners = new Map(); // event name -> [{ callback, left }]

  function notify(name, data) {
    const list = listeners.get(name);
    if (!list) return;
    for (const l of [...list]) {
      if (l.left === 0) continue;
      if (l.left > 0) l.left--;
      try {
        l.callback(...data);
      } catch (err) {
        console.error('harness: listener for', name, 'threw', err);
      }
    }
    listeners.set(name, list.filter((l) => l.left !== 0));
  }

  function log(level) {
    return (message) => {
      console.log(`[${level}] ${message}`);
      fetch('/__harness/log', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ level, message: String(message) }),
      }).catch(() => {});
    };
  }

  const noop = () => {};
  window.runtime = {
    EventsOnMultiple(name, callback, maxCallbacks) {
      const l = { callback, left: maxCallbacks };
      if (!listeners.has(name)) listeners.set(name, []);
      listeners.get(name).push(l);
      return () => {
        const list = listeners.get(name) || [];
        listeners.set(name, list.filter((x) => x !== l));
      };
    },
    EventsOff(name, ...more) {
      for (const n of [name, ...more]) listeners.delete(n);
    },
    EventsOffAll() {
      listeners.clear();
    },
    EventsEmit(name, ...data) {
      notify(name, data);
    },
    LogPrint: log('print'),
    LogTrace: log('trace'),
    LogDebug: log('debug'),
    LogInfo: log('info'),
    LogWarning: log('warning'),
    LogError: log('error'),
    LogFatal: log('fatal'),
    WindowSetTitle(title) {
      document.title = title;
    },
    WindowReload() {
      location.reload();
    },
    BrowserOpenURL(url) {
      window.open(url, '_blank');
    },
    Quit() {
      fetch('/__harness/quit', { method: 'POST' }).catch(() => {});
    },
    Environment() {
      return Promise.resolve({ buildType: 'harness', platform: 'browser', arch: 'js' });
    },
    // A page-local clipboard, so tests can read what a Copy button copied
    // (window.__harness.clipboard).
    ClipboardSetText(text) {
      window.__harness.clipboard = String(text);
      return Promise.resolve(true);
    },
    ClipboardGetText() {
      return Promise.resolve(window.__harness.clipboard || '');
    },
  };
  for (const name of ['WindowShow', 'WindowHide', 'WindowCenter', 'WindowMaximise', 'WindowMinimise',
    'WindowUnminimise', 'WindowSetSize', 'WindowSetMinSize', 'WindowFullscreen', 'WindowUnfullscreen']) {
    window.runtime[name] = noop;
  }

  // Tests wait on this before acting, so no Go event is missed.
  window.__harness = {
    eventsConnected: new Promise((resolve) => {
      const source = new EventSource('/__harness/events');
      source.onopen = () => resolve(true);
      source.onmessage = (e) => {
        const { name, data } = JSON.parse(e.data);
        notify(name, data);
      };
    }),
  };
})();
