// Without a system keyring (no D-Bus session) the sign-in is remembered in a
// file and Settings says so plainly, with the choice not to remember it.
import { describe, test, before } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OUTPUT, e2e, tempDataDir } from './harness.js'

const FILE_SENTENCE =
  "Your sign-in is remembered in a file protected by your account's permissions: no system keyring was found"

describe('no keyring', () => {
  before(() => {
    // The harness inherits this: a D-Bus address where nothing listens.
    process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(mkdtempSync(join(tmpdir(), 'no-bus-')), 'none')}`
  })

  test(
    'the sign-in is kept in the file, Settings says so, and a restart still restores it',
    e2e(async (ctx) => {
      const dataDir = tempDataDir()
      const first = await ctx.start({ dataDir })
      const page = await ctx.open(first, '/login')
      await page.locator('#username').fill('test')
      await page.locator('#password').fill('test')
      await page.locator('button[type=submit]').click()
      await page.getByText('Hi Test!').waitFor()

      await page.goto(`${first.url}/#/settings`)
      const where = page.locator('#remember-where')
      await where.waitFor()
      assert.equal(await where.innerText(), FILE_SENTENCE)
      assert.match(await page.locator('#remember-why').innerText(), /D-Bus/)
      await page.screenshot({ path: join(OUTPUT, 'settings-remembered-in-file.png') })
      await first.stop()

      const second = await ctx.start({ dataDir })
      const again = await ctx.open(second, '/')
      await again.waitForURL(/#\/$/)
      await again.getByText('Hi Test!').waitFor()

      // Not remembering it at all: a restart then shows the login page.
      await again.goto(`${second.url}/#/settings`)
      await again.locator('#remember-toggle').setChecked(false)
      await again.getByText('Your sign-in is not remembered').waitFor()
      await second.stop()
      const third = await ctx.start({ dataDir })
      const last = await ctx.open(third, '/')
      await last.waitForURL(/#\/login/)
    }),
  )
})
