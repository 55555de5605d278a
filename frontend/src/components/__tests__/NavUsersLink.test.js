import { describe, it, expect, beforeEach } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createRouter, createMemoryHistory } from 'vue-router'
import NavUsersLink from '@/components/NavUsersLink.vue'
import { useAuthStore } from '@/stores/auth'

function mountAs(role, capabilities = { userDirectory: true }) {
  const auth = useAuthStore()
  auth.session = { user: { id: 1, username: 'x', firstName: 'X', lastName: 'Y', role }, backendKind: 'embedded', backendLabel: 'E' }
  auth.loginInfo = { capabilities }
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div/>' } }] })
  return mount(NavUsersLink, { global: { plugins: [router] } })
}

beforeEach(() => setActivePinia(createPinia()))

describe('NavUsersLink', () => {
  it('shows admins the Users link', () => {
    const w = mountAs('Admin')
    expect(w.find('#nav-users').text()).toBe('Users')
    expect(w.find('#nav-users').attributes('href')).toBe('/users')
  })

  it('never shows it to anyone else, nor for a backend without a user directory', () => {
    expect(mountAs('User').find('#nav-users').exists()).toBe(false)
    expect(mountAs('Admin', { userDirectory: false }).find('#nav-users').exists()).toBe(false)
  })
})
