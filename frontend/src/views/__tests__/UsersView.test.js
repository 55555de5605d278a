import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'

vi.mock('@/api', async (importOriginal) => {
  const actual = await importOriginal()
  return {
    AppError: actual.AppError,
    SESSION_CHANGED: actual.SESSION_CHANGED,
    SESSION_REASONS: actual.SESSION_REASONS,
    onSessionChanged: vi.fn(() => () => {}),
    accountFeatures: vi.fn(),
    pageUsers: vi.fn(),
    createUser: vi.fn(),
    updateUser: vi.fn(),
    setUserDisabled: vi.fn(),
    resetUserPassword: vi.fn(),
    unlockUser: vi.fn(),
    removeUser: vi.fn(),
    usersWithTwoStep: vi.fn(async () => []),
    resetTwoStep: vi.fn(),
  }
})
vi.mock('@/router/navigation', () => ({
  navigation: () => ({ push: vi.fn(), currentRoute: { value: { path: '/users', fullPath: '/users', query: {} } } }),
  setNavigation: () => {},
}))

import * as api from '@/api'
import UsersView from '@/views/UsersView.vue'
import { useAuthStore } from '@/stores/auth'

const me = { id: '1', username: 'test', firstName: 'Test', lastName: 'User', role: 'Admin', disabled: false }
const bob = { id: '2', username: 'bob', firstName: 'Bob', lastName: 'Builder', role: 'User', disabled: false }
const many = Array.from({ length: 5000 }, (_, i) => ({ id: String(i + 3), username: `user${i}`, firstName: 'F', lastName: `L${i}`, role: 'User' }))

function mountPage() {
  const auth = useAuthStore()
  auth.session = { user: me, backendKind: 'embedded', backendLabel: 'Embedded', accessExpires: '2030-01-01T00:00:00Z' }
  return mount(UsersView, { attachTo: document.body })
}

const rowOf = (w, username) => w.find(`.user-row[data-username="${username}"]`)

beforeEach(() => {
  vi.clearAllMocks()
  vi.useRealTimers()
  setActivePinia(createPinia())
  api.accountFeatures.mockResolvedValue({ paging: true, admin: true })
  api.pageUsers.mockResolvedValue({ users: [me, bob], next: '', total: 2 })
})
afterEach(() => {
  document.body.innerHTML = ''
})

describe('UsersView', () => {
  it('lists users sorted by username, with the total, and no destructive actions on your own row', async () => {
    const w = mountPage()
    await flushPromises()
    expect(api.pageUsers).toHaveBeenCalledWith(expect.objectContaining({ search: '', sort: 'username', desc: false, cursor: '' }))
    expect(w.find('#users-total').text()).toBe('2 users')
    expect(rowOf(w, 'bob').text()).toContain('Bob Builder')
    expect(rowOf(w, 'test').find('.act-remove').exists()).toBe(false)
    expect(rowOf(w, 'test').find('.act-disable').exists()).toBe(false)
    expect(rowOf(w, 'bob').find('.act-remove').exists()).toBe(true)
  })

  it('renders only the visible rows of a long list and loads the next page on scroll', async () => {
    api.pageUsers.mockResolvedValueOnce({ users: many.slice(0, 100), next: 'c1', total: 5000 })
    api.pageUsers.mockResolvedValueOnce({ users: many.slice(100, 600), next: 'c2', total: 5000 })
    const w = mountPage()
    await flushPromises()
    expect(w.findAll('.user-row').length).toBeLessThan(30)
    expect(w.find('#users-total').text()).toBe('5000 users')
    // The first page is 100 rows; the end is not in view yet, so no second page.
    expect(api.pageUsers).toHaveBeenCalledTimes(1)
    const box = w.find('.virtual-rows').element
    box.scrollTop = 100 * 48 - 480
    box.dispatchEvent(new Event('scroll'))
    await flushPromises()
    expect(api.pageUsers).toHaveBeenCalledTimes(2)
    expect(api.pageUsers).toHaveBeenLastCalledWith(expect.objectContaining({ cursor: 'c1', sort: 'username' }))
  })

  it('searches in Go after a pause, starting over from the first page', async () => {
    vi.useFakeTimers()
    const w = mountPage()
    await flushPromises()
    api.pageUsers.mockResolvedValue({ users: [bob], next: '', total: 1 })
    await w.find('#users-search').setValue('BUI')
    expect(api.pageUsers).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(300)
    await flushPromises()
    expect(api.pageUsers).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'BUI', cursor: '' }))
    expect(w.findAll('.user-row')).toHaveLength(1)
    await w.find('#users-sort').setValue('lastName')
    await w.find('#users-desc').setValue(true)
    await flushPromises()
    expect(api.pageUsers).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'BUI', sort: 'lastName', desc: true }))
  })

  it('adds a user after checking the form, then reloads', async () => {
    const w = mountPage()
    await flushPromises()
    await w.find('#users-add').trigger('click')
    await w.find('#ue-username').setValue('carol')
    await w.find('#ue-first').setValue('Carol')
    await w.find('#user-editor').trigger('submit')
    expect(w.find('#user-editor-error').text()).toBe('Fill in every field')
    await w.find('#ue-last').setValue('Cole')
    await w.find('#ue-password').setValue('carols-password')
    await w.find('#ue-confirm').setValue('carols-passwort')
    await w.find('#user-editor').trigger('submit')
    expect(w.find('#user-editor-error').text()).toBe('The two passwords differ')
    expect(api.createUser).not.toHaveBeenCalled()
    await w.find('#ue-confirm').setValue('carols-password')
    api.createUser.mockResolvedValue({ id: '3', username: 'carol' })
    await w.find('#user-editor').trigger('submit')
    await flushPromises()
    expect(api.createUser).toHaveBeenCalledWith({ username: 'carol', firstName: 'Carol', lastName: 'Cole', role: 'User', password: 'carols-password' })
    expect(w.find('#user-editor').exists()).toBe(false)
    expect(w.find('#users-notice').text()).toBe('Added carol.')
    expect(api.pageUsers).toHaveBeenCalledTimes(2)
  })

  it("shows the backend's refusal and keeps the form", async () => {
    const w = mountPage()
    await flushPromises()
    await w.find('#users-add').trigger('click')
    for (const [id, v] of [['#ue-username', 'bob'], ['#ue-first', 'B'], ['#ue-last', 'B'], ['#ue-password', 'password1'], ['#ue-confirm', 'password1']]) {
      await w.find(id).setValue(v)
    }
    api.createUser.mockRejectedValue(new api.AppError('conflict', 'Username "bob" is already taken'))
    await w.find('#user-editor').trigger('submit')
    await flushPromises()
    expect(w.find('#user-editor-error').text()).toBe('Username "bob" is already taken')
    expect(w.find('#ue-username').element.value).toBe('bob')
  })

  it('edits names and role, and updates the row', async () => {
    const w = mountPage()
    await flushPromises()
    await rowOf(w, 'bob').find('.act-edit').trigger('click')
    expect(w.find('#ue-first').element.value).toBe('Bob')
    await w.find('#ue-first').setValue('Robert')
    await w.find('#ue-role').setValue('Admin')
    api.updateUser.mockResolvedValue({ ...bob, firstName: 'Robert', role: 'Admin' })
    await w.find('#user-editor').trigger('submit')
    await flushPromises()
    expect(api.updateUser).toHaveBeenCalledWith('2', { firstName: 'Robert', lastName: 'Builder', role: 'Admin' })
    expect(rowOf(w, 'bob').text()).toContain('Robert Builder')
    expect(rowOf(w, 'bob').text()).toContain('Admin')
  })

  it('disables only after asking, and shows the badge; enabling asks nothing', async () => {
    const w = mountPage()
    await flushPromises()
    const ask = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true)
    await rowOf(w, 'bob').find('.act-disable').trigger('click')
    expect(api.setUserDisabled).not.toHaveBeenCalled()
    api.setUserDisabled.mockResolvedValue({ ...bob, disabled: true })
    await rowOf(w, 'bob').find('.act-disable').trigger('click')
    await flushPromises()
    expect(ask).toHaveBeenLastCalledWith(expect.stringContaining('Disable bob?'))
    expect(api.setUserDisabled).toHaveBeenCalledWith('2', true)
    expect(rowOf(w, 'bob').find('.user-disabled').text()).toBe('Disabled')
    expect(rowOf(w, 'bob').find('.act-disable').text()).toBe('Enable')
    api.setUserDisabled.mockResolvedValue({ ...bob, disabled: false })
    await rowOf(w, 'bob').find('.act-disable').trigger('click')
    await flushPromises()
    expect(api.setUserDisabled).toHaveBeenLastCalledWith('2', false)
    expect(ask).toHaveBeenCalledTimes(2)
    expect(rowOf(w, 'bob').find('.user-disabled').exists()).toBe(false)
  })

  it('resets a password, unlocks a locked account and removes after confirmation', async () => {
    api.pageUsers.mockResolvedValue({ users: [me, { ...bob, lockedUntil: '2030-01-01T00:00:00Z' }], next: '', total: 2 })
    const w = mountPage()
    await flushPromises()
    await rowOf(w, 'bob').find('.act-password').trigger('click')
    await w.find('#ue-password').setValue('short')
    await w.find('#ue-confirm').setValue('short')
    await w.find('#user-editor').trigger('submit')
    expect(w.find('#user-editor-error').text()).toBe('A password needs at least 8 characters')
    await w.find('#ue-password').setValue('bobs-new-password')
    await w.find('#ue-confirm').setValue('bobs-new-password')
    await w.find('#user-editor').trigger('submit')
    await flushPromises()
    expect(api.resetUserPassword).toHaveBeenCalledWith('2', 'bobs-new-password')

    expect(rowOf(w, 'bob').find('.user-locked').exists()).toBe(true)
    await rowOf(w, 'bob').find('.act-unlock').trigger('click')
    await flushPromises()
    expect(api.unlockUser).toHaveBeenCalledWith('2')
    expect(rowOf(w, 'bob').find('.user-locked').exists()).toBe(false)

    await rowOf(w, 'bob').find('.act-remove').trigger('click')
    expect(api.removeUser).not.toHaveBeenCalled()
    expect(w.find('#user-editor').text()).toContain('Remove bob?')
    await w.find('#user-editor-submit').trigger('submit')
    await w.find('#user-editor').trigger('submit')
    await flushPromises()
    expect(api.removeUser).toHaveBeenCalledWith('2')
    expect(rowOf(w, 'bob').exists()).toBe(false)
    expect(w.find('#users-total').text()).toBe('One user')
  })

  it('offers no actions when the backend cannot manage accounts', async () => {
    api.accountFeatures.mockResolvedValue({ paging: false, admin: false })
    const w = mountPage()
    await flushPromises()
    expect(w.find('#users-no-admin').exists()).toBe(true)
    expect(w.find('#users-add').exists()).toBe(false)
    expect(w.find('.act-edit').exists()).toBe(false)
    expect(rowOf(w, 'bob').exists()).toBe(true)
  })

  it('marks who has two-step sign-in and lets the admin turn it off, when the backend says so', async () => {
    api.usersWithTwoStep.mockResolvedValue(['2'])
    api.resetTwoStep.mockResolvedValue(true)
    const auth = useAuthStore()
    auth.loginInfo = { capabilities: { twoStepAdmin: true } }
    const w = mountPage()
    await flushPromises()
    expect(rowOf(w, 'test').find('.two-step-badge').exists()).toBe(false)
    expect(rowOf(w, 'bob').find('.two-step-badge').exists()).toBe(true)
    vi.spyOn(window, 'confirm').mockReturnValue(true)
    await rowOf(w, 'bob').find('.two-step-reset').trigger('click')
    await flushPromises()
    expect(api.resetTwoStep).toHaveBeenCalledWith('2')
    expect(rowOf(w, 'bob').find('.two-step-badge').exists()).toBe(false)
    expect(rowOf(w, 'bob').find('.two-step-reset').exists()).toBe(false)
  })

  it('asks nothing about two-step sign-in of a backend without it', async () => {
    const w = mountPage()
    await flushPromises()
    expect(api.usersWithTwoStep).not.toHaveBeenCalled()
    expect(w.find('.two-step-badge').exists()).toBe(false)
  })
})
