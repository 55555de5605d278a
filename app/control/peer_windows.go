package control

import (
	"net"

	"golang.org/x/sys/windows"
)

// checkPeer on Windows relies on the socket file's access list (restrict):
// AF_UNIX on Windows needs write access to the file to connect, and only the
// owner has it. Windows has no SO_PEERCRED.
func checkPeer(c *net.UnixConn, want int) error { return nil }

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
