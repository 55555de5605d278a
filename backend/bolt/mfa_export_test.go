package bolt

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// BeginChallenge starts the code step for username as Authenticate will once
// its password matched (the integration, see docs/MFA.md).
func (s *MFAService) BeginChallenge(username string) (*MFAChallenge, error) {
	var u *userRecord
	if err := s.db.db.View(func(tx *bolt.Tx) (err error) {
		u, err = findUserByName(tx, username)
		return err
	}); err != nil || u == nil {
		return nil, fmt.Errorf("user %q: %v", username, err)
	}
	return s.beginChallenge(u)
}

// FillChallenges adds n challenges for made-up accounts.
func (s *MFAService) FillChallenges(n int) {
	for i := range n {
		_, _, _, _ = s.challenges.Begin(fmt.Sprint("filler-", i), "")
	}
}
