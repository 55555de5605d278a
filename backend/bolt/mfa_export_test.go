package bolt

import (
	"context"
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

// VerifyChallengeGated is the code step with a gate (the account throttle at
// the integration) and a then hook that records which user it ran for.
func (s *MFAService) VerifyChallengeGated(challenge, code string, gate func(userID string) error, then func(userID string)) (*MFASignIn, error) {
	return s.verifyChallenge(context.Background(), challenge, code, challengeHooks{
		gate: func(_ *bolt.Tx, uid uint64) error { return gate(fmt.Sprint(uid)) },
		then: func(_ *bolt.Tx, u *userRecord) error { then(fmt.Sprint(u.ID)); return nil },
	})
}
