package privatedir

import (
	"fmt"
	"io/fs"
	"unsafe"

	"golang.org/x/sys/windows"
)

// mkdirPrivate creates one folder whose access control list grants the
// current user full control and nobody else anything. The list is protected
// (nothing inherited from %AppData% or wherever the folder sits) and
// inheritable, so the files AuthDesk then creates inside get it too. The
// folder is created with it, so there is no moment when it is more open.
func mkdirPrivate(dir string) error {
	sd, err := OwnerOnly()
	if err != nil {
		return &fs.PathError{Op: "mkdir", Path: dir, Err: err}
	}
	sa := windows.SecurityAttributes{SecurityDescriptor: sd}
	sa.Length = uint32(unsafe.Sizeof(sa))
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return &fs.PathError{Op: "mkdir", Path: dir, Err: err}
	}
	if err := windows.CreateDirectory(p, &sa); err != nil {
		if err == windows.ERROR_ALREADY_EXISTS {
			err = fs.ErrExist
		}
		return &fs.PathError{Op: "mkdir", Path: dir, Err: err}
	}
	return nil
}

// OwnerOnly is the security descriptor "owned by the current user, who alone
// has full control of the folder, its subfolders and its files".
func OwnerOnly() (*windows.SECURITY_DESCRIPTOR, error) {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("cannot find the current user: %w", err)
	}
	sid := user.User.Sid.String()
	// O: the owner; D:P a protected DACL; (A;OICI;FA;;;SID) full access for
	// SID, inherited by the files (OI) and folders (CI) below.
	return windows.SecurityDescriptorFromString(fmt.Sprintf("O:%sD:P(A;OICI;FA;;;%s)", sid, sid))
}
