package bolt_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	bbolt "go.etcd.io/bbolt"
)

const writerEnv = "AUTHDESK_TEST_WRITER_DIR"

// TestHelperWriter is not a test: TestCrash_KilledWriterLosesNothing runs the
// test binary again with this one selected, to have a process it can kill.
func TestHelperWriter(t *testing.T) {
	dir := os.Getenv(writerEnv)
	if dir == "" {
		t.Skip("helper process for TestCrash_KilledWriterLosesNothing")
	}
	db := bolt.NewDB(dir, bolt.Options{NoDemoUser: true})
	db.UseCheapHashing()
	if err := db.Open(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	admin := bolt.NewAdminService(db)
	for i := 0; ; i++ {
		name := fmt.Sprintf("user%d", i)
		if _, err := admin.AddUser(ctx, backend.User{Username: name}, "password1"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		fmt.Println(name) // acknowledged: committed and synced
	}
}

func TestCrash_KilledWriterLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$")
	cmd.Env = append(os.Environ(), writerEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]bool{}
	lines := bufio.NewScanner(out)
	for len(acked) < 100 && lines.Scan() {
		acked[lines.Text()] = true
	}
	// Kill mid-stream: the writer is busy with its next commit.
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() { // anything printed before the kill was acknowledged too
		acked[lines.Text()] = true
	}
	_ = cmd.Wait()
	if len(acked) < 100 {
		t.Fatalf("writer acknowledged only %d users before dying", len(acked))
	}

	raw, err := bbolt.Open(filepath.Join(dir, "backend.db"), 0o600, nil)
	if err != nil {
		t.Fatalf("file does not open after the kill: %v", err)
	}
	err = raw.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("consistency check: %v", err)
		}
		return nil
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}

	db := MustOpenDBAt(t, dir, bolt.Options{}, nil)
	users, err := bolt.NewAdminService(db).Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, u := range users {
		stored[u.Username] = true
	}
	for name := range acked {
		if !stored[name] {
			t.Errorf("acknowledged user %s is missing", name)
		}
	}
	t.Logf("%d acknowledged, %d stored", len(acked), len(users))
}
