package cli

import "github.com/authdesk/authdesk/backend/bolt"

// OpenedBolt returns the Opener for a store this process already holds open:
// the window or `authdesk serve` running a users command that came in through
// the data folder's control socket (app/control). Closing the store is left
// to its owner. Keep it returning what OpenBolt returns.
func OpenedBolt(db *bolt.DB) Opener {
	admin := bolt.NewAdminService(db)
	return func() (UserAdmin, func() error, error) {
		return admin, func() error { return nil }, nil
	}
}
