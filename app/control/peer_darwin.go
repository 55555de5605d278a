package control

import (
	"fmt"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// checkPeer refuses a peer whose user id (LOCAL_PEERCRED) is not want.
func checkPeer(c *net.UnixConn, want int) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var cred *unix.Xucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	}); err != nil {
		return err
	}
	if cerr != nil {
		return fmt.Errorf("cannot check who is connecting: %w", cerr)
	}
	if int(cred.Uid) != want {
		return &wrongUser{want: fmt.Sprintf("user id %d", want), got: fmt.Sprintf("user id %d", cred.Uid)}
	}
	return nil
}

func restrict(path string) error { return os.Chmod(path, 0o600) }
