// Remote mode: AuthDesk against a server that speaks the tutorial's API (here
// `authdesk serve` on loopback), and that server against a browser client
// written the tutorial's way.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { OUTPUT, SERVED_PASSWORD as PASSWORD, addUser, e2e, servedFolder, tempDataDir } from './harness.js'

async function logIn(page, username, password) {
  await page.locator('#username').fill(username)
  await page.locator('#password').fill(password)
  await page.locator('button[type=submit]').click()
  await page.waitForURL(/#\/$/)
}

async function userNames(page) {
  await page.locator('#users-list li').first().waitFor()
  return page.locator('#users-list li').allInnerTexts()
}

async function chooseBackend(page, kind, url) {
  await page.locator(`#backend-${kind}`).check()
  if (url !== undefined) await page.locator('#remote-url').fill(url)
  await page.locator('#save-settings').click()
  await page.waitForURL(/#\/login/)
}

describe('remote', () => {
  test(
    'switch to a served API, log in, restart still logged in, switch back to embedded',
    e2e(async (ctx) => {
      const apiData = servedFolder()
      addUser(apiData, 'ada', 'Ada', 'Lovelace')
      const api = await ctx.serve({ dataDir: apiData })
      const appData = tempDataDir()
      const h = await ctx.start({ dataDir: appData })
      const page = await ctx.open(h, '/login')

      await page.locator('#login-settings').click()
      await page.waitForURL(/#\/settings/)
      await page.locator('#backend-remote').check()
      await page.locator('#remote-url').fill(api.url)
      await page.locator('#test-connection').click()
      const result = page.locator('#connection-result')
      await result.waitFor()
      assert.match(await result.getAttribute('class'), /alert-success/, await result.innerText())
      await page.screenshot({ path: join(OUTPUT, 'settings-remote.png') })
      await page.locator('#save-settings').click()
      await page.waitForURL(/#\/login/)
      await page.getByText(api.url).first().waitFor()

      await logIn(page, 'test', PASSWORD)
      assert.deepEqual((await userNames(page)).sort(), ['Ada Lovelace', 'Test User'])
      assert.match(await page.locator('#session-card').innerText(), new RegExp(api.url.replace(/[.:/]/g, '\\$&')))
      await api.waitForLog(/msg=request method=POST path=\/users\/authenticate status=200/)

      // Restart: the saved remote session comes back through the cookie.
      await h.stop()
      const again = await ctx.start({ dataDir: appData })
      const page2 = await ctx.open(again, '/')
      await page2.waitForURL(/#\/$/)
      assert.deepEqual((await userNames(page2)).sort(), ['Ada Lovelace', 'Test User'])
      await api.waitForLog(/path=\/users\/refresh-token status=200/)

      // Back to the embedded backend: signed out, and its own users.
      await page2.locator('#nav-settings').click()
      await page2.waitForURL(/#\/settings/)
      await chooseBackend(page2, 'embedded')
      await page2.getByText('Embedded (offline)').first().waitFor()
      await api.waitForLog(/path=\/users\/revoke-token status=200/)
      await logIn(page2, 'test', 'test')
      assert.deepEqual(await userNames(page2), ['Test User'])
    }),
  )

  test(
    'a server outage keeps the session; a revoked token then ends it with a notice',
    e2e(async (ctx) => {
      const apiData = servedFolder()
      // 65 s tokens: the silent refresh is due a few seconds after login.
      const api = await ctx.serve({ dataDir: apiData, args: ['--access-ttl', '65s'] })
      const addr = api.url.replace('http://', '')
      const h = await ctx.start()
      const page = await ctx.open(h, '/settings')
      await chooseBackend(page, 'remote', api.url)
      await logIn(page, 'test', PASSWORD)
      await userNames(page)

      // The server goes away: the due refresh fails, the person stays in.
      await api.stop()
      await h.waitForLog(/session: refresh failed; will retry/, 20_000)
      assert.match(page.url(), /#\/$/)
      await page.getByText('Hi Test!').waitFor()

      // Meanwhile an admin changes the password, which revokes the tokens.
      const r = spawnSync(process.env.AUTHDESK_HARNESS, ['--data-dir', apiData, 'users', 'passwd', 'test', '--password-stdin'], {
        input: 'changed-pass\n',
        encoding: 'utf8',
      })
      assert.equal(r.status, 0, r.stderr)
      await ctx.serve({ dataDir: apiData, args: ['--access-ttl', '65s', '--addr', addr] })

      // The next retry gets a definite "Invalid token": now the session ends.
      await page.waitForURL(/#\/login\?returnUrl=/, { timeout: 30_000 })
      await page.locator('#session-notice').waitFor()
      await h.waitForLog(/msg="session ended" reason=revoked/)
    }),
  )

  test(
    'an unreachable API is reported by Test connection and on login, and nothing is lost',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/settings')
      const dead = 'http://127.0.0.1:9' // discard port: nothing listens
      await page.locator('#backend-remote').check()
      await page.locator('#remote-url').fill(dead)
      await page.locator('#test-connection').click()
      const result = page.locator('#connection-result')
      await result.waitFor()
      assert.match(await result.getAttribute('class'), /alert-danger/)
      assert.match(await result.innerText(), /reach/i)
      await page.locator('#save-settings').click()
      await page.waitForURL(/#\/login/)
      await page.locator('#username').fill('test')
      await page.locator('#password').fill('test')
      await page.locator('button[type=submit]').click()
      const alert = page.locator('.alert-danger')
      await alert.waitFor()
      assert.match(await alert.innerText(), /127\.0\.0\.1:9/)
      assert.match(page.url(), /#\/login/)
    }),
  )

  test(
    'a tutorial-style browser client on another loopback origin logs in, reloads and logs out',
    e2e(async (ctx) => {
      const api = await ctx.serve({ dataDir: servedFolder() })
      const apiURL = api.url.replace('127.0.0.1', 'localhost')
      const html = readFileSync(new URL('./fixtures/tutorial-client.html', import.meta.url))
      const site = createServer((req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        res.end(html)
      })
      await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve))
      try {
        const origin = `http://localhost:${site.address().port}`
        const page = await ctx.blankPage()
        await page.goto(`${origin}/?api=${encodeURIComponent(apiURL)}`)

        const user = await page.evaluate((pw) => window.client.login('test', pw), PASSWORD)
        assert.equal(user.firstName, 'Test')
        assert.equal(typeof user.jwtToken, 'string')
        assert.equal(await page.evaluate(() => window.client.hasCookieInScript()), false, 'the cookie is HttpOnly')
        const users = await page.evaluate(() => window.client.users())
        assert.ok(users.some((u) => u.username === 'test'))

        // A reload forgets the JWT; the cookie alone gets a new session.
        await page.reload()
        const back = await page.evaluate(() => window.client.refresh())
        assert.equal(back.username, 'test')
        assert.ok((await page.evaluate(() => window.client.users())).length >= 1)

        assert.deepEqual(await page.evaluate(() => window.client.logout()), { message: 'Token revoked' })
        await page.reload()
        const err = await page.evaluate(() => window.client.refresh().then(() => 'refreshed', (e) => e.message))
        assert.match(err, /400 Invalid token/)
      } finally {
        site.close()
      }
    }),
  )
})
