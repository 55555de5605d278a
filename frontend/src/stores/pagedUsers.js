import { shallowRef, ref } from 'vue'
import * as api from '@/api'

// A paged list of users over Go's cursor pages: the first page comes fast,
// later ones as the list scrolls (loadMore). Rows live in a shallow ref: a
// list of 100,000 is one array, not 100,000 reactive objects; every change
// makes a new array, so whoever shows it sees the change. Each new
// query (search, sort) starts over; an answer to an older query is dropped.
export function pagedUsers(firstPage = 100, nextPages = 500) {
  const rows = shallowRef([])
  const loaded = ref(false) // the first page of the current query arrived
  const next = ref('')
  const total = ref(0)
  const loading = ref(false)
  const error = ref(null)
  const query = ref({ search: '', sort: '', desc: false })
  let generation = 0

  async function fetchPage(cursor, limit) {
    const gen = generation
    loading.value = true
    error.value = null
    try {
      const page = await api.pageUsers({ ...query.value, cursor, limit })
      if (gen !== generation) return
      if (cursor) {
        // A new array (not push): the list's props see the change.
        rows.value = rows.value.concat(page.users)
      } else {
        rows.value = page.users
      }
      next.value = page.next
      total.value = page.total
      loaded.value = true
    } catch (err) {
      if (gen === generation) error.value = err
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  // load starts over with q (merged into the current query).
  function load(q = {}) {
    generation++
    query.value = { ...query.value, ...q }
    next.value = ''
    return fetchPage('', firstPage)
  }

  function loadMore() {
    if (loading.value || !next.value) return Promise.resolve()
    return fetchPage(next.value, nextPages)
  }

  // clear forgets the rows (a new visit, maybe by someone else: never show
  // the previous session's list while the new one loads).
  function clear() {
    generation++
    rows.value = []
    loaded.value = false
    next.value = ''
    total.value = 0
    loading.value = false
    error.value = null
  }

  // replace swaps in an updated row; drop removes one.
  function replace(row) {
    const i = rows.value.findIndex((r) => String(r.id) === String(row.id))
    if (i >= 0) rows.value = rows.value.with(i, row)
  }

  function drop(id) {
    const i = rows.value.findIndex((r) => String(r.id) === String(id))
    if (i >= 0) {
      rows.value = rows.value.toSpliced(i, 1)
      total.value = Math.max(0, total.value - 1)
    }
  }

  return { rows, loaded, next, total, loading, error, query, load, loadMore, clear, replace, drop }
}
