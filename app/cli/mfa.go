package cli

import (
	"context"
	"fmt"
)

// MFAResetter is implemented by stores with a second factor
// (*bolt.AdminService): `authdesk users mfa-reset` checks for it.
type MFAResetter interface {
	// ResetMFA turns off username's second factor without a code and reports
	// whether there was one.
	ResetMFA(ctx context.Context, username string) (bool, error)
}

// mfaReset runs `authdesk users mfa-reset U`: for a person who lost both the
// authenticator app and the recovery codes. They sign in with the password
// alone afterwards and can set up a new second factor.
func (c *usersCmd) mfaReset(ctx context.Context, args []string) error {
	fs := c.flags("mfa-reset")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	} else if len(pos) != 1 {
		return usagef("users mfa-reset needs exactly one username")
	}
	return c.withStore(func(admin UserAdmin) error {
		r, ok := admin.(MFAResetter)
		if !ok {
			return fmt.Errorf("this store has no two-step sign-in")
		}
		had, err := r.ResetMFA(ctx, pos[0])
		if err != nil {
			return err
		}
		if had {
			fmt.Fprintf(c.stdout, "Two-step sign-in turned off for %s; they sign in with the password alone until they set it up again\n", pos[0])
		} else {
			fmt.Fprintf(c.stdout, "%s had no two-step sign-in; nothing changed\n", pos[0])
		}
		return nil
	})
}
