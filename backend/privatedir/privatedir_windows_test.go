package privatedir_test

import (
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"github.com/authdesk/authdesk/backend/privatedir"
	"golang.org/x/sys/windows"
)

func currentUser(t *testing.T) *windows.SID {
	t.Helper()
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		t.Fatal(err)
	}
	return user.User.Sid
}

// checkOnlyUser fails unless sd is owned by me and its access list allows me
// alone, protected from inheritance when wantProtected, and (for a folder)
// passed on to what is created inside when wantInherit.
func checkOnlyUser(t *testing.T, what string, sd *windows.SECURITY_DESCRIPTOR, me *windows.SID, wantProtected, wantInherit bool) {
	t.Helper()
	t.Logf("%s: %s", what, sd)
	if owner, _, err := sd.Owner(); err != nil || owner == nil || !owner.Equals(me) {
		t.Errorf("%s: owner %v (%v), want the current user %s", what, owner, err, me)
	}
	control, _, err := sd.Control()
	if err != nil {
		t.Fatal(err)
	}
	if wantProtected && control&windows.SE_DACL_PROTECTED == 0 {
		t.Errorf("%s: the access list inherits from the parent folder", what)
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil {
		t.Fatalf("%s: no access list (%v): that lets everyone in", what, err)
	}
	if dacl.AceCount == 0 {
		t.Fatalf("%s: an empty access list", what)
	}
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			t.Fatal(err)
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE {
			continue // a deny entry takes nothing away from the owner-only rule
		}
		if sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart)); !sid.Equals(me) {
			t.Errorf("%s: access list entry %d allows %s; only the current user %s may be allowed", what, i, sid, me)
		}
		// FA in SDDL: FILE_ALL_ACCESS, which x/sys/windows does not name.
		const fileAllAccess = windows.STANDARD_RIGHTS_REQUIRED | windows.SYNCHRONIZE | 0x1ff
		if ace.Mask&fileAllAccess != fileAllAccess {
			t.Errorf("%s: the current user gets %#x, not full control", what, ace.Mask)
		}
		const inherit = windows.OBJECT_INHERIT_ACE | windows.CONTAINER_INHERIT_ACE
		if wantInherit && ace.Header.AceFlags&inherit != inherit {
			t.Errorf("%s: entry %d is not inherited by files and folders inside (flags %#x)", what, i, ace.Header.AceFlags)
		}
	}
}

// The descriptor the data folder is created with: owned by the current user,
// who alone has full control, passed on to everything inside, and nothing
// inherited from %AppData%.
func TestOwnerOnlyDescriptor(t *testing.T) {
	sd, err := privatedir.OwnerOnly()
	if err != nil {
		t.Fatal(err)
	}
	checkOnlyUser(t, "the data folder's descriptor", sd, currentUser(t), true, true)
}

// The folder as Windows then reports it, and a file created inside. Wine 8
// keeps no access lists on files (it derives them from Unix modes), so under
// Wine only the descriptor above can be checked.
func TestCreateOwnerOnlyACL(t *testing.T) {
	if wine := windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version"); wine.Find() == nil {
		t.Skip("Wine keeps no access lists on files; this runs on Windows only")
	}
	me := currentUser(t)
	dir := filepath.Join(tempDir(t), "authdesk")
	if err := privatedir.Create(dir); err != nil {
		t.Fatal(err)
	}
	const info = windows.OWNER_SECURITY_INFORMATION | windows.DACL_SECURITY_INFORMATION
	sd, err := windows.GetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT, info)
	if err != nil {
		t.Fatal(err)
	}
	checkOnlyUser(t, dir, sd, me, true, true)

	file := filepath.Join(dir, "backend.db")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if sd, err = windows.GetNamedSecurityInfo(file, windows.SE_FILE_OBJECT, info); err != nil {
		t.Fatal(err)
	}
	checkOnlyUser(t, file, sd, me, false, false)
}

// A folder that exists already is left as the person set it up.
func TestCreateLeavesExistingFolder(t *testing.T) {
	dir := tempDir(t)
	before, err := windows.GetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	if err := privatedir.Create(dir); err != nil {
		t.Fatal(err)
	}
	after, err := windows.GetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	if before.String() != after.String() {
		t.Errorf("access list changed: %s -> %s", before, after)
	}
}
