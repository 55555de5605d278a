// The UI shell in a real browser against the real build and Go services.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { OUTPUT, e2e } from './harness.js'

describe('shell', () => {
  test(
    'a logged-out person lands on the login page and the UI reports ready',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/')
      await page.waitForURL(/#\/login\?returnUrl=/)
      await page.locator('#username').waitFor()
      await page.locator('#password').waitFor()
      assert.equal(await page.locator('nav #logout').count(), 0, 'no Logout link while logged out')
      await h.waitForLog(/msg="ui ready" route="?\/login/)
      await page.screenshot({ path: join(OUTPUT, 'login-page.png') })
    }),
  )

  test(
    'an unknown route goes to home, which asks a logged-out person to log in',
    e2e(async (ctx) => {
      const h = await ctx.start()
      const page = await ctx.open(h, '/no/such/page')
      await page.waitForURL(/#\/login\?returnUrl=%2F$|#\/login\?returnUrl=\/$/)
      await page.locator('button[type=submit]').waitFor()
    }),
  )
})
