import { computed } from 'vue'
import { defineStore } from 'pinia'
import { pagedUsers } from './pagedUsers'

// The users list of the home page: the tutorial's "secure API end point",
// in pages (the first one small, so it shows at once). list is null until
// the first page arrives; error is the last failure (an AppError) or null.
export const useUsersStore = defineStore('users', () => {
  const pages = pagedUsers()
  const list = computed(() => (pages.loaded.value ? pages.rows.value : null))

  // getAll starts the list over from its first page.
  function getAll() {
    pages.clear()
    return pages.load()
  }

  return {
    list,
    loading: pages.loading,
    error: pages.error,
    next: pages.next,
    total: pages.total,
    getAll,
    loadMore: pages.loadMore,
  }
})
