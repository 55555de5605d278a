// areasFrom turns one language's message files, as import.meta.glob finds
// them ({ './de/login.json': {...} }), into that language's messages:
// the file name is the first part of each key ({ login: {...} }).
export function areasFrom(found) {
  const messages = {}
  for (const [path, content] of Object.entries(found)) {
    const m = path.match(/([^/]+)\.json$/)
    if (m) messages[m[1]] = content
  }
  return messages
}
