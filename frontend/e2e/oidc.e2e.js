// Signing in with a real OpenID provider: zitadel/oidc's example OP, built
// by scripts/oidc-provider.sh and started here on a free loopback port. The
// harness records the address Go opens in the "system browser"
// (GET /__harness/opened); a second Chromium page plays that browser and
// fills the provider's own login form.
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OUTPUT, e2e, tempDataDir, waitFor } from './harness.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const CLIENT_ID = 'native' // the OP's public native client (PKCE, refresh tokens)
const USER = 'test-user@localhost'
const PASSWORD = 'verysecure'
const BUILD_TIMEOUT_MS = 240_000
// The OP's access tokens live 5 minutes (fixed in its storage). A harness
// started with --refresh-before 299s refreshes once a tenth of that has
// passed (the session manager keeps at least that between refreshes): 30 s.
const SILENT_REFRESH_TIMEOUT_MS = 60_000

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

// startProvider builds the OP and runs it; the process is stopped when this
// file's tests are over (and, as a backstop, when node exits).
async function startProvider() {
  const dir = mkdtempSync(join(tmpdir(), 'authdesk-e2e-op-'))
  const bin = join(dir, 'op')
  const built = spawnSync('sh', [join(ROOT, 'scripts', 'oidc-provider.sh'), bin], {
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
  })
  if (built.status !== 0) throw new Error(`building the provider failed:\n${built.stdout}${built.stderr}`)
  const port = await freePort()
  const proc = spawn(bin, [], {
    env: { ...process.env, PORT: String(port), REDIRECT_URI: 'http://127.0.0.1/callback' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const op = { proc, issuer: `http://localhost:${port}/`, log: '' }
  proc.stdout.on('data', (c) => (op.log += c))
  proc.stderr.on('data', (c) => (op.log += c))
  const kill = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
  }
  process.on('exit', () => {
    kill()
    rmSync(dir, { recursive: true, force: true })
  })
  op.stop = () =>
    new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve()
      proc.once('exit', () => resolve())
      proc.kill('SIGTERM')
      setTimeout(kill, 3000)
    })
  await waitFor(
    async () => {
      try {
        const r = await fetch(`${op.issuer}.well-known/openid-configuration`)
        return r.ok
      } catch {
        return false
      }
    },
    30_000,
    'the provider to answer discovery',
  )
  return op
}

let provider = null
after(async () => {
  if (provider) await provider.stop()
})

// opened is what the harness's runtime was asked to do: { urls, shown }.
async function opened(h) {
  const r = await fetch(`${h.url}/__harness/opened`)
  return r.json()
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

// chooseProvider picks the provider kind in Settings and saves it.
async function chooseProvider(page, op) {
  await page.locator('#login-settings').click()
  await page.waitForURL(/#\/settings/)
  await page.locator('#backend-oidc').check()
  await page.locator('#provider-issuer').fill(op.issuer)
  await page.locator('#provider-client-id').fill(CLIENT_ID)
  await page.locator('#save-settings').click()
  await page.waitForURL(/#\/login/)
}

// nthOpened waits until the harness's runtime has opened n addresses and
// returns the n-th.
async function nthOpened(h, n) {
  const { urls } = await waitFor(async () => {
    const o = await opened(h)
    return o.urls.length >= n ? o : null
  }, 10_000, `BrowserOpenURL call ${n}`)
  return urls[n - 1]
}

// signInAtProvider is the person in the system browser: the provider's own
// login form, then back to AuthDesk's listener.
async function signInAtProvider(browser, url) {
  await browser.goto(url)
  await browser.locator('#username').fill(USER)
  await browser.locator('#password').fill(PASSWORD)
  await browser.locator('button[type=submit]').click()
  await browser.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/)
  await browser.getByText('return to AuthDesk', { exact: false }).waitFor()
}

describe('oidc', () => {
  test(
    'sign in with a real OpenID provider in the browser, restart, silent refresh, log out with revocation',
    { timeout: BUILD_TIMEOUT_MS + 180_000 },
    e2e(async (ctx, t) => {
      // The copy of client.db below must hold the refresh token, as it does
      // without a system keyring (with one, a copy holds no token at all:
      // keyring.e2e.js), so this test's harnesses run without one.
      const bus = process.env.DBUS_SESSION_BUS_ADDRESS
      process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(tmpdir(), 'authdesk-e2e-no-bus-here')}`
      t.after(() => {
        if (bus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS
        else process.env.DBUS_SESSION_BUS_ADDRESS = bus
      })
      provider ??= await startProvider()
      const op = provider
      const data = tempDataDir()
      const h = await ctx.start({ dataDir: data })
      const page = await ctx.open(h, '/login')

      // Settings: the third kind, its fields, and what Test connection found.
      await page.locator('#login-settings').click()
      await page.waitForURL(/#\/settings/)
      await page.locator('#backend-oidc').check()
      await page.locator('#provider-issuer').fill(op.issuer)
      await page.locator('#provider-client-id').fill(CLIENT_ID)
      assert.equal(await page.locator('#provider-scopes').inputValue(), 'openid profile email offline_access')
      await page.locator('#provider-test').click()
      const result = page.locator('#provider-test-result')
      await result.waitFor()
      assert.match(await result.getAttribute('class'), /alert-success/, await result.innerText())
      assert.equal(await result.locator('[data-finding="pkce"]').innerText(), 'yes')
      assert.equal(await result.locator('[data-finding="revocation"]').innerText(), 'yes')
      await page.screenshot({ path: join(OUTPUT, 'oidc-settings.png') })
      await page.locator('#save-settings').click()
      await page.waitForURL(/#\/login/)

      // The login page: no password form, "Sign in with <provider>".
      const providerName = op.issuer.replace('http://', '').replace(/\/$/, '')
      const button = page.locator('#provider-sign-in-button')
      assert.equal(await button.innerText(), `Sign in with ${providerName}`)
      assert.equal(await page.locator('#username').count(), 0)
      await page.screenshot({ path: join(OUTPUT, 'oidc-login.png') })
      await button.click()
      await page.locator('#provider-waiting').waitFor()
      await page.locator('#provider-cancel').waitFor()

      // Go asked the runtime to open the provider's page: that is the system browser's job.
      const { urls } = await waitFor(async () => ((await opened(h)).urls.length ? opened(h) : null), 10_000, 'BrowserOpenURL')
      assert.equal(urls.length, 1)
      const authURL = new URL(urls[0])
      assert.equal(authURL.searchParams.get('client_id'), CLIENT_ID)
      assert.equal(authURL.searchParams.get('code_challenge_method'), 'S256')
      assert.match(authURL.searchParams.get('redirect_uri'), /^http:\/\/127\.0\.0\.1:\d+\/callback$/)

      const browser = await ctx.blankPage()
      await signInAtProvider(browser, urls[0])
      await browser.screenshot({ path: join(OUTPUT, 'oidc-callback-page.png') })

      // Back in the app: home with the profile, and the window came to the front.
      await page.waitForURL(/#\/$/)
      assert.equal(await page.locator('#greeting').innerText(), 'Hi Test!')
      await page.locator('#profile-claims').waitFor()
      const claims = await page.locator('#profile-claims').innerText()
      assert.match(claims, /preferred_username\s+test-user@localhost/)
      assert.match(claims, /email\s+test-user@zitadel\.ch/)
      assert.match(await page.locator('#provider-users-note').innerText(), /no list of users/)
      assert.match(await page.locator('#session-card').innerText(), new RegExp(escape(providerName)))
      assert.ok((await opened(h)).shown > 0, 'the window was not brought to the front')
      await page.screenshot({ path: join(OUTPUT, 'oidc-home.png'), fullPage: true })
      // The redirect's listener is closed once the sign-in is over.
      const redirect = new URL(authURL.searchParams.get('redirect_uri'))
      await assert.rejects(fetch(`http://${redirect.host}/callback`))

      // Restart: the saved refresh token brings the session back, and a
      // silent refresh follows without anyone doing anything.
      await h.stop()
      const h2 = await ctx.start({ dataDir: data, args: ['--refresh-before', '299s'] })
      const page2 = await ctx.open(h2, '/')
      await page2.waitForURL(/#\/$/)
      assert.equal(await page2.locator('#greeting').innerText(), 'Hi Test!')
      await page2.locator('#profile-claims').waitFor()
      const lastRefresh = page2.locator('#last-refresh')
      const before = await lastRefresh.innerText()
      const tokenCalls = () => (op.log.match(/method=POST path=\/oauth\/token /g) || []).length
      const callsBefore = tokenCalls()
      await waitFor(async () => (await lastRefresh.innerText()) !== before, SILENT_REFRESH_TIMEOUT_MS, 'a silent refresh')
      assert.ok(tokenCalls() > callsBefore, `no refresh reached the provider:\n${op.log.slice(-2000)}`)
      assert.equal(await page2.locator('#greeting').innerText(), 'Hi Test!')
      await h2.stop()

      // Log out: the refresh token is revoked at the provider. A copy of
      // client.db taken just before holds that token; an AuthDesk started
      // on the copy cannot restore the session with it.
      const h3 = await ctx.start({ dataDir: data })
      const page3 = await ctx.open(h3, '/')
      await page3.waitForURL(/#\/$/)
      await page3.locator('#greeting').waitFor()
      const copy = tempDataDir()
      copyFileSync(join(data, 'client.db'), join(copy, 'client.db'))
      await page3.locator('#logout').click()
      await page3.waitForURL(/#\/login/)
      await page3.locator('#provider-sign-in-button').waitFor()
      await waitFor(() => /method=POST path=\/revoke /.test(op.log), 10_000, 'the revocation request at the provider')
      await h3.stop()

      const h4 = await ctx.start({ dataDir: copy })
      const page4 = await ctx.open(h4, '/')
      await page4.waitForURL(/#\/login/)
      await page4.locator('#provider-sign-in-button').waitFor()
      await h4.waitForLog(/refused the refresh token|session ended/)
      await page4.screenshot({ path: join(OUTPUT, 'oidc-after-revocation.png') })
    }),
  )

  test(
    'cancel a sign-in, then sign in and log out here and at the provider',
    { timeout: BUILD_TIMEOUT_MS + 60_000 },
    e2e(async (ctx) => {
      provider ??= await startProvider()
      const op = provider
      const h = await ctx.start({ dataDir: tempDataDir() })
      const page = await ctx.open(h, '/login')
      await chooseProvider(page, op)

      // Cancel while the browser is open: a plain note, and the listener is gone.
      await page.locator('#provider-sign-in-button').click()
      const first = new URL(await nthOpened(h, 1))
      await page.locator('#provider-cancel').click()
      await page.locator('#provider-cancelled').waitFor()
      assert.equal(await page.locator('#provider-cancelled').innerText(), 'The sign-in was cancelled.')
      assert.equal(await page.locator('#provider-error').count(), 0)
      const listener = new URL(first.searchParams.get('redirect_uri'))
      await assert.rejects(fetch(`http://${listener.host}/callback`))

      // Signing in again works, with a new listener.
      await page.locator('#provider-sign-in-button').click()
      const second = new URL(await nthOpened(h, 2))
      assert.notEqual(second.searchParams.get('redirect_uri'), first.searchParams.get('redirect_uri'))
      assert.notEqual(second.searchParams.get('state'), first.searchParams.get('state'))
      const browser = await ctx.blankPage()
      await signInAtProvider(browser, second.href)
      await page.waitForURL(/#\/$/)
      assert.equal(await page.locator('#greeting').innerText(), 'Hi Test!')

      // Log out here and at the provider: revoked, then its end-session page.
      const revokes = () => (op.log.match(/method=POST path=\/revoke /g) || []).length
      const revokedBefore = revokes()
      await page.locator('#provider-sign-out-everywhere').click()
      await page.waitForURL(/#\/login/)
      await waitFor(() => revokes() > revokedBefore, 10_000, 'the revocation request at the provider')
      const end = new URL(await nthOpened(h, 3))
      assert.equal(end.searchParams.get('client_id'), CLIENT_ID)
      assert.equal(end.searchParams.get('id_token_hint'), null)
      const endPage = await browser.goto(end.href)
      assert.equal(endPage.status(), 200)
      assert.match(browser.url(), /\/logged-out/)
    }),
  )
})

