// Every rejection that comes back from a Go binding is turned into an AppError,
// so stores and views can rely on `err.code` and `err.message` being strings.

import { ERROR_CODES } from './contract'

export { ERROR_CODES }

export const FALLBACK_MESSAGE = 'Something went wrong. Please try again.'

export class AppError extends Error {
  constructor(code, message, options) {
    super(message || FALLBACK_MESSAGE, options)
    this.name = 'AppError'
    this.code = code || ERROR_CODES.INTERNAL
    // Seconds to wait before trying again (too_many_requests, busy); 0 if unknown.
    this.retryAfter = 0
    // For mfa_required: when the code step ends (RFC3339), '' otherwise.
    this.until = ''
  }
}

// A whole number of seconds from Go's retryAfter, or 0.
function seconds(v) {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.ceil(v) : 0
}

function fromPlainObject(obj, cause) {
  const code = typeof obj.code === 'string' && obj.code ? obj.code : ERROR_CODES.INTERNAL
  let message = obj.message
  if (typeof message !== 'string' || !message) {
    message = typeof obj.error === 'string' && obj.error ? obj.error : FALLBACK_MESSAGE
  }
  const err = new AppError(code, message, cause === undefined ? undefined : { cause })
  err.retryAfter = seconds(obj.retryAfter)
  if (typeof obj.until === 'string') err.until = obj.until
  return err
}

// A string may carry the JSON form of {code, message}; otherwise it is the message.
function fromString(text, cause) {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed)
      if (parsed && typeof parsed === 'object') return fromPlainObject(parsed, cause)
    } catch {
      // not JSON after all: use the text as it is
    }
  }
  return new AppError(ERROR_CODES.INTERNAL, trimmed || FALLBACK_MESSAGE, cause === undefined ? undefined : { cause })
}

export function toAppError(err) {
  if (err instanceof AppError) return err
  if (err === null || err === undefined) return new AppError(ERROR_CODES.INTERNAL, FALLBACK_MESSAGE)
  if (typeof err === 'string') return fromString(err, err)
  if (err instanceof Error) {
    // An Error whose message is the JSON object, or one that already carries a code.
    const fromMessage = fromString(err.message || '', err)
    if (typeof err.code === 'string' && err.code && fromMessage.code === ERROR_CODES.INTERNAL) {
      fromMessage.code = err.code
    }
    if (!fromMessage.retryAfter) fromMessage.retryAfter = seconds(err.retryAfter)
    return fromMessage
  }
  if (typeof err === 'object') return fromPlainObject(err, err)
  return new AppError(ERROR_CODES.INTERNAL, String(err), { cause: err })
}

// Runs a binding and normalises whatever it throws or rejects with.
export async function callGo(fn, ...args) {
  try {
    return await fn(...args)
  } catch (err) {
    throw toAppError(err)
  }
}
