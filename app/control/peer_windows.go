package control

import (
	"errors"
	"fmt"
	"net"
	"unsafe"

	"golang.org/x/sys/windows"
)

// sioAFUnixGetPeerPID is SIO_AF_UNIX_GETPEERPID (_WSAIOR(IOC_VENDOR, 256)):
// the process id at the other end of an AF_UNIX socket.
const sioAFUnixGetPeerPID = 0x58000100

// checkPeer on Windows: the socket file's access list (restrict) already lets
// only the current user connect; in addition, where Windows tells the peer's
// process id, that process must run as the same user as this one. (want is
// os.Getuid(), which is -1 on Windows; the user is compared by SID.)
func checkPeer(c *net.UnixConn, want int) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var pid uint32
	var ioErr error
	if err := raw.Control(func(fd uintptr) {
		var n uint32
		ioErr = windows.WSAIoctl(windows.Handle(fd), sioAFUnixGetPeerPID, nil, 0,
			(*byte)(unsafe.Pointer(&pid)), uint32(unsafe.Sizeof(pid)), &n, nil, 0)
	}); err != nil {
		return err
	}
	if ioErr != nil {
		var errno windows.Errno
		if errors.As(ioErr, &errno) && (errno == windows.WSAEOPNOTSUPP || errno == windows.WSAEINVAL) {
			return nil // an older Windows: the access list is the check
		}
		return fmt.Errorf("cannot check who is connecting: %w", ioErr)
	}
	me, err := processUser(windows.CurrentProcess())
	if err != nil {
		return fmt.Errorf("cannot check who is connecting: %w", err)
	}
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return fmt.Errorf("cannot check who is connecting (process %d): %w", pid, err)
	}
	defer windows.CloseHandle(h)
	peer, err := processUser(h)
	if err != nil {
		return fmt.Errorf("cannot check who is connecting (process %d): %w", pid, err)
	}
	if !peer.Equals(me) {
		return &wrongUser{want: "user " + me.String(), got: "user " + peer.String()}
	}
	return nil
}

// processUser is the SID of the user a process runs as.
func processUser(h windows.Handle) (*windows.SID, error) {
	var tok windows.Token
	if err := windows.OpenProcessToken(h, windows.TOKEN_QUERY, &tok); err != nil {
		return nil, err
	}
	defer tok.Close()
	u, err := tok.GetTokenUser()
	if err != nil {
		return nil, err
	}
	return u.User.Sid.Copy()
}

// restrict gives the socket file an access list that lets only the current
// user in, not inherited from the folder.
func restrict(path string) error {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return err
	}
	sd, err := windows.SecurityDescriptorFromString("D:P(A;;GA;;;" + user.User.Sid.String() + ")")
	if err != nil {
		return err
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return err
	}
	return windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil)
}
