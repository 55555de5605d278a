package cli

// ShowEveryTick makes progress print at every record, so a test of a small
// file sees it; it returns the function that undoes it.
func ShowEveryTick() (restore func()) {
	plain, bar := plainEvery, barEvery
	plainEvery, barEvery = 0, 0
	return func() { plainEvery, barEvery = plain, bar }
}
