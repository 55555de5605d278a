// What an AppError says, in the UI's language. Go's errors carry a code
// (api/contract.js): the UI says the code's sentence when Go sent no message
// of its own (or its generic one), and translates the few fixed sentences of
// the tutorial contract and of Go. Any other message (a server's words, a
// detail Go knows and the UI does not) is shown as it came.
import { i18n } from './index'
import { ERROR_CODES, FALLBACK_MESSAGE } from '@/api/errors'

// Fixed English sentences -> keys under errors.known.
const KNOWN = Object.freeze({
  'Username or password is incorrect': 'known.badCredentials',
  'Invalid token': 'known.invalidToken',
  Unauthorized: 'known.unauthorized',
  'User not found': 'known.userNotFound',
  'Something went wrong inside AuthDesk. The details are in its log.': 'code.internal',
  [FALLBACK_MESSAGE]: 'fallback',
})

const CODES = new Set(Object.values(ERROR_CODES))

// errorText returns the sentence to show for err (an AppError or anything
// with code/message); '' for no error.
export function errorText(err) {
  if (!err) return ''
  const t = i18n.global.t
  const message = typeof err.message === 'string' ? err.message.trim() : ''
  if (message && KNOWN[message]) return t(`errors.${KNOWN[message]}`)
  if (message) return message
  return CODES.has(err.code) ? t(`errors.code.${err.code}`) : t('errors.fallback')
}
