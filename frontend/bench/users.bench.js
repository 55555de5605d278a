// `make bench` (bench-users): how the paged, virtualised user lists hold up
// with many users. For 1 (the baseline), 1,000, 10,000 and 100,000 users it
// seeds a data folder through `authdesk users import` (one cheap bcrypt
// hash, cost 4, shared by every record: seeding measures the store, not the
// hash), starts the test harness (the real bound structs and the real
// frontend build) on it, signs in in Debian's Chromium and prints a table:
// ms to the first rows of the home list and of the Users page, ms for a
// search on the Users page (typing to rows shown, with the page's 250 ms
// pause after typing), and the memory of Chromium's renderer processes (RSS)
// and the page's JS heap, each the median of 3 runs; then the home list
// scrolled down to its 10,000th row, and the memory after that.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const HARNESS = process.env.AUTHDESK_HARNESS
if (!HARNESS) {
  console.error('AUTHDESK_HARNESS is not set: run `make bench-users`')
  process.exit(2)
}
const SIZES = (process.env.BENCH_USERS || '1,1000,10000,100000').split(',').map(Number)
const RUNS = 3
const PASSWORD = 'bench-password'
// bcrypt (cost 4) of PASSWORD; AuthDesk upgrades it to argon2id at the first login.
const HASH = '$2a$04$ga/cSfSQul6aop.DBVYGIut6kFthDLTcXrlyNPiRCSTGIOxE08n7W'
const SEARCH = 'user00077' // matches user000770..user000779 (10) once there are 1,000

function seed(dir, n) {
  const lines = [JSON.stringify({ username: 'admin', passwordHash: HASH, firstName: 'Ada', lastName: 'Admin', role: 'Admin' })]
  for (let i = 1; i < n; i++) {
    const id = String(i).padStart(6, '0')
    lines.push(JSON.stringify({ username: `user${id}`, passwordHash: HASH, firstName: `First${id}`, lastName: `Last${id}`, role: 'User' }))
  }
  const file = join(dir, 'users.json')
  writeFileSync(file, lines.join('\n') + '\n')
  const t0 = performance.now()
  const r = spawnSync(HARNESS, ['--data-dir', dir, 'users', 'import', '--format', 'mongo', file], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`)
  rmSync(file)
  return performance.now() - t0
}

function startHarness(dir) {
  const proc = spawn(HARNESS, ['harness', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`harness did not start:\n${log}`)), 30_000)
    const onData = (c) => {
      log += c
      const m = log.match(/harness listening on (http:\/\/\S+)/)
      if (m) {
        clearTimeout(timer)
        resolve({ proc, url: m[1].replace(/\/$/, '') })
      }
    }
    proc.stdout.on('data', onData)
    proc.stderr.on('data', onData)
    proc.on('exit', (code) => reject(new Error(`harness exited with ${code}:\n${log}`)))
  })
}

function stop(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve()
    proc.on('exit', resolve)
    proc.kill('SIGTERM')
  })
}

// The RSS of the renderer processes of the Chromium started with marker.
function rendererRSS(marker) {
  const procs = new Map()
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      const rss = Number((readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/) || [0, 0])[1])
      procs.set(pid, { ppid, cmd, rss })
    } catch {
      // gone meanwhile
    }
  }
  const root = [...procs].find(([, p]) => p.cmd.includes(marker) && !p.cmd.includes('--type='))?.[0]
  const under = (pid) => {
    for (let p = pid; p && p !== '1'; p = procs.get(p)?.ppid) if (p === root) return true
    return false
  }
  let kb = 0
  for (const [pid, p] of procs) if (p.cmd.includes('--type=renderer') && under(pid)) kb += p.rss
  return kb / 1024
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function timed(page, fn, ready) {
  const t0 = performance.now()
  await fn()
  await ready()
  return performance.now() - t0
}

async function measure(n) {
  const dir = mkdtempSync(join(tmpdir(), 'authdesk-bench-users-'))
  try {
    const seedMs = seed(dir, n)
    const h = await startHarness(dir)
    const marker = `--authdesk-bench=${process.pid}-${n}`
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', marker],
    })
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 760 } })
      page.setDefaultTimeout(Number(process.env.BENCH_TIMEOUT || 120_000))
      await page.goto(`${h.url}/#/login`)
      await page.waitForFunction(() => window.__harness && window.__harness.eventsConnected)
      await page.locator('#username').fill('admin')
      await page.locator('#password').fill(PASSWORD)
      await page.locator('button[type=submit]').click()
      await page.locator('#users-list li').first().waitFor()
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('Performance.enable')
      const home = []
      const users = []
      const search = []
      for (let i = 0; i < RUNS; i++) {
        await page.evaluate(() => (location.hash = '#/settings'))
        await page.locator('#save-settings').waitFor()
        home.push(await timed(page, () => page.evaluate(() => (location.hash = '#/')), () => page.locator('#users-list li').first().waitFor()))
        users.push(await timed(page, () => page.evaluate(() => (location.hash = '#/users')), () => page.locator('.user-row').first().waitFor()))
        const want = n >= 1000 ? 10 : 0
        search.push(
          await timed(
            page,
            () => page.locator('#users-search').fill(SEARCH),
            () => page.waitForFunction((w) => document.querySelectorAll('.user-row').length === w && !document.querySelector('#users-page-loading'), want),
          ),
        )
      }
      // Scrolling: the home list scrolled down until 10,000 rows are loaded
      // (or all of them): the memory after it, and the rows in the page.
      await page.evaluate(() => (location.hash = '#/'))
      await page.locator('#users-list li').first().waitFor()
      const goal = Math.min(n, 10000)
      const t0 = performance.now()
      for (;;) {
        const last = await page.locator('#users-list li').last().getAttribute('data-index')
        if (Number(last) >= goal - 1) break
        await page.locator('.virtual-rows').evaluate((el) => (el.scrollTop = el.scrollHeight))
        await page.waitForTimeout(20)
      }
      const scrollMs = performance.now() - t0
      const domRows = await page.locator('#users-list li').count()
      await cdp.send('HeapProfiler.collectGarbage')
      const scrolledRSS = rendererRSS(marker)

      // Memory at rest on the Users page with its first page shown.
      await page.evaluate(() => (location.hash = '#/users'))
      await page.locator('#users-search').fill('')
      await page.waitForFunction(() => document.querySelectorAll('.user-row').length > 0 && !document.querySelector('#users-page-loading'))
      await cdp.send('HeapProfiler.collectGarbage')
      await new Promise((r) => setTimeout(r, 500))
      const { metrics } = await cdp.send('Performance.getMetrics')
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize').value / 1024 / 1024
      return { n, seedMs, home: median(home), users: median(users), search: median(search), rss: rendererRSS(marker), heap, scrollMs, goal, domRows, scrolledRSS }
    } catch (err) {
      const page = browser.contexts()[0]?.pages()[0]
      if (page) console.error(await page.evaluate(() => document.body.innerText.slice(0, 2000)))
      throw err
    } finally {
      await browser.close()
      await stop(h.proc)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const rows = []
for (const n of SIZES) rows.push(await measure(n))
const base = rows[0]
const fmt = (v, d = 0) => v.toFixed(d).padStart(8)
console.log('\nUsers lists in Chromium (test harness, production frontend build); median of 3 runs')
console.log('   users | seed (s) | home first rows (ms) | users page first rows (ms) | search (ms) | renderer RSS (MiB) | vs baseline | JS heap (MiB)')
console.log('---------|----------|----------------------|---------------------------|-------------|--------------------|-------------|--------------')
for (const r of rows) {
  const delta = r.rss - base.rss
  console.log(
    `${String(r.n).padStart(8)} | ${fmt(r.seedMs / 1000, 1)} | ${fmt(r.home).padStart(20)} | ${fmt(r.users).padStart(25)} | ${fmt(r.search).padStart(11)} | ${fmt(r.rss, 1).padStart(18)} | ${(delta >= 0 ? '+' : '') + delta.toFixed(1).padStart(10)} | ${fmt(r.heap, 1).padStart(12)}`,
  )
}
console.log('\nScrolling the home list down to its 10,000th row (or its last), page by page')
console.log('   users | rows loaded | ms to scroll there | rows in the page | renderer RSS after (MiB) | vs baseline')
console.log('---------|-------------|-------------------|------------------|--------------------------|------------')
for (const r of rows) {
  const delta = r.scrolledRSS - base.scrolledRSS
  console.log(
    `${String(r.n).padStart(8)} | ${String(r.goal).padStart(11)} | ${fmt(r.scrollMs).padStart(17)} | ${String(r.domRows).padStart(16)} | ${fmt(r.scrolledRSS, 1).padStart(24)} | ${(delta >= 0 ? '+' : '') + delta.toFixed(1).padStart(10)}`,
  )
}
console.log(`(search: typing "${SEARCH}" until its rows show, including the page's 250 ms pause after typing; baseline: the first row, ${base.n} user)`)
