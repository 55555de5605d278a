// Helpers for the browser end-to-end tests: start the Go test harness (the real
// bound structs and the real frontend build, served on loopback), drive
// Debian's Chromium through playwright-core, and keep screenshots and logs of
// every failure under AUTHDESK_TEST_OUTPUT.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { chromium } from 'playwright-core'

const HARNESS = process.env.AUTHDESK_HARNESS
export const OUTPUT = process.env.AUTHDESK_TEST_OUTPUT || join(tmpdir(), 'authdesk-e2e')
mkdirSync(OUTPUT, { recursive: true })

const START_TIMEOUT_MS = 20_000
export const STEP_TIMEOUT_MS = 10_000

// tempDataDir returns a fresh data folder, removed when the process exits.
export function tempDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'authdesk-e2e-data-'))
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

// startHarness runs `authdesk-harness harness` on a free loopback port and
// resolves once it prints its URL. The returned object collects its log.
export function startHarness({ dataDir = tempDataDir(), args = [] } = {}) {
  return startProcess(['harness', '--data-dir', dataDir, '--log-level', 'debug', ...args], /harness listening on (http:\/\/\S+)/, dataDir)
}

// The password of the accounts addUser makes.
export const SERVED_PASSWORD = 'secret-pass'

// addUser runs `authdesk users add` on a data folder no process holds yet.
export function addUser(dataDir, username, first, last, role = 'User') {
  const r = spawnSync(
    HARNESS,
    ['--data-dir', dataDir, 'users', 'add', '--username', username, '--first-name', first, '--last-name', last, '--role', role, '--password-stdin'],
    { input: `${SERVED_PASSWORD}\n`, encoding: 'utf8' },
  )
  if (r.status !== 0) throw new Error(`users add failed: ${r.stderr}`)
}

// servedFolder is a data folder for `authdesk serve`, which refuses one
// without users and never creates the demo account: it holds the admin
// test (Test User) with SERVED_PASSWORD.
export function servedFolder() {
  const dir = tempDataDir()
  addUser(dir, 'test', 'Test', 'User', 'Admin')
  return dir
}

// startServe runs `authdesk serve` (the embedded backend as the tutorial's
// HTTP API) on a free loopback port; url is its base URL.
export function startServe({ dataDir = tempDataDir(), args = [] } = {}) {
  return startProcess(['serve', '--data-dir', dataDir, '--addr', '127.0.0.1:0', ...args], /AuthDesk API listening on (http:\/\/\S+)/, dataDir)
}

function startProcess(args, readyRe, dataDir) {
  if (!HARNESS) throw new Error('AUTHDESK_HARNESS is not set: run the e2e tests through `make test`')
  const proc = spawn(HARNESS, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const h = { proc, dataDir, log: '', url: null }
  const append = (chunk) => {
    h.log += chunk.toString()
  }
  proc.stdout.on('data', append)
  proc.stderr.on('data', append)
  h.stop = () => stopProcess(proc)
  h.waitForLog = (re, timeout = STEP_TIMEOUT_MS) => waitFor(() => h.log.match(re), timeout, `${args[0]} log ${re}`)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL')
      reject(new Error(`${args[0]} did not start within ${START_TIMEOUT_MS} ms:\n${h.log}`))
    }, START_TIMEOUT_MS)
    proc.on('exit', (code) => {
      clearTimeout(timer)
      if (!h.url) reject(new Error(`${args[0]} exited with ${code} before serving:\n${h.log}`))
    })
    proc.stdout.on('data', () => {
      const m = h.log.match(readyRe)
      if (m && !h.url) {
        h.url = m[1].replace(/\/$/, '')
        clearTimeout(timer)
        resolve(h)
      }
    })
  })
}

function stopProcess(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => proc.kill('SIGKILL'), 5000)
    proc.on('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    proc.kill('SIGTERM')
  })
}

export async function waitFor(fn, timeout, what) {
  const end = Date.now() + timeout
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

// launchBrowser starts Debian's Chromium headless with a fresh profile and no
// background traffic (the machine has no network beyond loopback).
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

// openApp opens the harness page at a hash route and waits until the Go event
// stream is connected, so no session event can be missed.
// options go to browser.newContext (e.g. { locale: 'de-DE' }).
export async function openApp(browser, harness, route = '/', options = {}) {
  const page = await newPage(browser, options)
  await page.goto(`${harness.url}/#${route}`)
  await page.waitForFunction(() => window.__harness && window.__harness.eventsConnected)
  await page.evaluate(() => window.__harness.eventsConnected)
  return page
}

// One Chromium per test file (each file runs in its own process), started on
// first use and closed after the file's last test.
let browserPromise = null
after(async () => {
  if (browserPromise) await (await browserPromise).close()
})
function sharedBrowser() {
  browserPromise ??= launchBrowser()
  return browserPromise
}

// newPage opens a blank page that records its console for failure reports.
// It has a context of its own (axe-core opens a helper page in it), closed
// with the page.
async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, ...options })
  const page = await context.newPage()
  page.on('close', () => context.close().catch(() => {}))
  page.setDefaultTimeout(STEP_TIMEOUT_MS)
  page.consoleLines = []
  page.on('console', (m) => page.consoleLines.push(`[${m.type()}] ${m.text()}`))
  page.on('pageerror', (e) => page.consoleLines.push(`[pageerror] ${e.message}`))
  return page
}

// e2e wraps a node:test body. The body gets ctx.start(options) to start a
// harness and ctx.open(harness, route) to open a page on it; both are
// stopped/closed afterwards. On failure it saves a screenshot and the console
// of every page and the log of every harness, then rethrows.
export function e2e(body) {
  return async (t) => {
    const ctx = { pages: [], harnesses: [] }
    ctx.start = async (options) => {
      const h = await startHarness(options)
      ctx.harnesses.push(h)
      return h
    }
    ctx.serve = async (options) => {
      const s = await startServe(options)
      ctx.harnesses.push(s)
      return s
    }
    ctx.blankPage = async () => {
      const page = await newPage(await sharedBrowser())
      ctx.pages.push(page)
      return page
    }
    ctx.open = async (h, route, options) => {
      const page = await openApp(await sharedBrowser(), h, route, options)
      ctx.pages.push(page)
      return page
    }
    try {
      await body(ctx, t)
    } catch (err) {
      const base = join(OUTPUT, t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase())
      for (const [i, page] of ctx.pages.entries()) {
        await page.screenshot({ path: `${base}-${i}.png`, fullPage: true }).catch(() => {})
        writeFileSync(`${base}-${i}.console.txt`, page.consoleLines.join('\n'))
      }
      for (const [i, h] of ctx.harnesses.entries()) writeFileSync(`${base}-harness-${i}.log`, h.log)
      console.error(`e2e failure artefacts: ${base}-*`)
      throw err
    } finally {
      for (const page of ctx.pages) await page.close().catch(() => {})
      for (const h of ctx.harnesses) await h.stop()
    }
  }
}
