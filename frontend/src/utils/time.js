// Time helpers for the session card.

// Milliseconds since the epoch for an RFC3339 string, or NaN. Go's zero time
// ("0001-01-01T00:00:00Z") and anything before 1970 count as "no time".
export function parseTime(value) {
  if (typeof value !== 'string' || value === '') return NaN
  const t = Date.parse(value)
  return t > 0 ? t : NaN
}

// "mm:ss" for a duration in milliseconds; never negative; "--:--" when unknown.
// Minutes are not wrapped into hours: 75 minutes reads "75:00".
export function formatCountdown(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '--:--'
  const totalSeconds = Math.max(0, Math.floor(ms / 1000))
  const minutes = Math.floor(totalSeconds / 60)
  const seconds = totalSeconds % 60
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`
}

// Local wall-clock time of an RFC3339 string in a language's format ('en',
// 'de'; the web view's own when none is given), or null when there is none.
export function formatLocalTime(value, locale) {
  const t = parseTime(value)
  if (Number.isNaN(t)) return null
  return new Date(t).toLocaleTimeString(locale)
}
