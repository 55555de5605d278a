// The account pages' refusals in the UI's language. Go's account calls (the
// embedded backend, or a served API with the same routes: docs/API.md, "Your
// account") say a few fixed English sentences; those are translated, and any
// other message (a server's own words) is shown as it came.
const FIXED = Object.freeze({
  'Current password is required': 'account.page.currentRequired',
  'Current password is not correct': 'account.errors.wrongCurrent',
  'The new password must differ from the current one': 'account.page.same',
  'Your password was changed meanwhile; enter the new current password': 'account.errors.changedMeanwhile',
  'Session not found': 'account.errors.sessionNotFound',
  'This is the session you are using; sign out to end it': 'account.errors.currentSession',
})

// accountErrorText returns the sentence to show for err, or fallback when
// it has no message.
export function accountErrorText(err, t, fallback) {
  const message = typeof err?.message === 'string' ? err.message.trim() : ''
  if (FIXED[message]) return t(FIXED[message])
  const short = message.match(/^Password must be at least (\d+) characters$/)
  if (short) return t('account.page.tooShort', { n: Number(short[1]) })
  return message || fallback
}
