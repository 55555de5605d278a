// Only in-app paths are honoured as a place to return to after signing in.
export function safeReturnUrl(url) {
  if (Array.isArray(url)) url = url[0]
  if (typeof url !== 'string') return '/'
  if (!url.startsWith('/') || url.startsWith('//') || url.startsWith('/\\')) return '/'
  if (url === '/login' || url.startsWith('/login?') || url.startsWith('/login#')) return '/'
  return url
}
