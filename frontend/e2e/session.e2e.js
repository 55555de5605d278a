// Logging in, staying logged in and the silent refresh, in a real browser
// against the real frontend build and the real embedded backend on a temp dir.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { OUTPUT, e2e, tempDataDir } from './harness.js'

async function logIn(page, username, password) {
  await page.locator('#username').fill(username)
  await page.locator('#password').fill(password)
  await page.locator('button[type=submit]').click()
}

async function expectHome(page) {
  await page.waitForURL(/#\/$/)
  await page.getByText('Hi Test!').waitFor()
}

describe('session', () => {
  test(
    'an empty submit shows both messages and a wrong password shows the error',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/login')
      await page.locator('button[type=submit]').click()
      await page.getByText('Username is required').waitFor()
      await page.getByText('Password is required').waitFor()
      assert.equal(await page.locator('.alert-danger').count(), 0, 'no API call for an empty form')

      await logIn(page, 'test', 'wrong')
      const alert = page.locator('.alert-danger')
      await alert.waitFor()
      assert.match(await alert.innerText(), /Username or password is incorrect/)
      assert.match(page.url(), /#\/login/)
    }),
  )

  test(
    'test/test reaches home, lists users, and a restart is still logged in',
    e2e(async (ctx) => {
      const dataDir = tempDataDir()
      const first = await ctx.start({ dataDir })
      const page = await ctx.open(first, '/')
      await page.waitForURL(/#\/login/)
      // The hint shows while test/test still works.
      await page.locator('#demo-hint').waitFor()
      await logIn(page, 'test', 'test')
      await expectHome(page)
      await page.locator('#users-list li').first().waitFor()
      assert.deepEqual(await page.locator('#users-list li').allInnerTexts(), ['Test User'])
      assert.match(await page.locator('#session-card').innerText(), /Embedded/)
      await page.screenshot({ path: join(OUTPUT, 'home-page.png') })
      // The sign-in is kept where the suite expects it: the system keyring
      // (GNOME Keyring here, Credential Manager under Wine) unless told.
      const kept = await first.waitForLog(/msg="sign-in kept" backend=\S+ where=(\w+)/)
      assert.equal(kept[1], process.env.AUTHDESK_EXPECT_KEPT || 'keyring', 'where the sign-in was kept')
      await first.stop()

      // A new process on the same data folder restores the session from the
      // saved refresh token: the person lands on home without the login page.
      const second = await ctx.start({ dataDir })
      const again = await ctx.open(second, '/')
      const seen = []
      again.on('framenavigated', (f) => seen.push(f.url()))
      await expectHome(again)
      await again.locator('#users-list li').first().waitFor()
      assert.ok(!seen.some((u) => u.includes('#/login')), `went through the login page: ${seen}`)
    }),
  )

  test(
    'the session refreshes silently before the access token expires',
    e2e(async (ctx) => {
      // 65 s tokens are refreshed 60 s before expiry: about 5 s after login.
      const h = await ctx.start({ args: ['--access-ttl', '65s'] })
      const page = await ctx.open(h, '/login')
      await logIn(page, 'test', 'test')
      await expectHome(page)
      const last = page.locator('#last-refresh')
      assert.match(await last.innerText(), /not yet/i)
      await page.waitForFunction(() => !/not yet/i.test(document.querySelector('#last-refresh').innerText), null, {
        timeout: 15_000,
      })
      await h.waitForLog(/msg="session changed" reason=refresh/)
      // The countdown follows the new token: a refresh is due at 60 s left,
      // so a countdown above that means the new expiry was taken up.
      const [, mm, ss] = (await page.locator('#expires-in').innerText()).match(/(\d+):(\d\d)/)
      assert.ok(Number(mm) * 60 + Number(ss) > 60, `countdown after refresh: ${mm}:${ss}`)
      // The new access token works: the users list reloads through it.
      await page.reload()
      await expectHome(page)
      await page.locator('#users-list li').first().waitFor()
    }),
  )

  test(
    'logout returns to the login page and a restart stays logged out',
    e2e(async (ctx) => {
      const dataDir = tempDataDir()
      const first = await ctx.start({ dataDir })
      const page = await ctx.open(first, '/login')
      await logIn(page, 'test', 'test')
      await expectHome(page)
      await page.locator('#logout').click()
      await page.waitForURL(/#\/login/)
      await page.locator('#username').waitFor()
      await first.waitForLog(/msg="session ended" reason=logout/)
      await first.stop()

      const second = await ctx.start({ dataDir })
      const again = await ctx.open(second, '/')
      await again.waitForURL(/#\/login/)
      await again.locator('#username').waitFor()
    }),
  )

  test(
    'a deep link opened while logged out returns there after login',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/?tab=users')
      await page.waitForURL(/#\/login\?returnUrl=/)
      await logIn(page, 'test', 'test')
      await page.waitForURL(/#\/\?tab=users$/)
      await page.getByText('Hi Test!').waitFor()
    }),
  )
})
