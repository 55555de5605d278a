// Package control lets a second AuthDesk process (the CLI) run commands inside
// the process that owns a data folder (the window or `authdesk serve`).
//
// Only one process can open a data folder's database: bbolt locks the file.
// The owner listens on a Unix socket in the folder (control.sock, mode 0600,
// in the 0700 folder) and accepts only peers running as its own user (peer
// credentials). The CLI connects, sends its arguments, and the owner runs the
// very same command code against its already-open store. The CLI's standard
// input is read only when the command asks for it, and a password prompt is
// shown on the CLI's own terminal, so the password never travels in the
// arguments and is never logged. The client checks the server's user the same
// way before it sends anything.
//
// On Linux the peer's user comes from SO_PEERCRED, on macOS from
// LOCAL_PEERCRED. On Windows (AF_UNIX, Windows 10 1803 or later) the socket
// file gets an access list for the current user only, and the peer process's
// user SID is compared where Windows reports the peer (SIO_AF_UNIX_GETPEERPID).
// Elsewhere every peer is refused.
//
// Limits: frames of at most MaxFrame bytes, at most 256 arguments, 8 commands
// at once, 5 s for the hello, 10 minutes of waiting for the client's input
// (a person typing a password), 30 s for each write to the client.
//
// # Protocol, version 1
//
// Every message is a frame: one type byte, a 4-byte big-endian payload length,
// then the payload (at most MaxFrame bytes).
//
//	client → server
//	  'H' hello: JSON {"version":1,"args":[...],"dir":"/abs/working/folder",
//	      "stdinTerminal":b,"stdoutTerminal":b,"stderrTerminal":b}
//	  'I' standard input, answering 'R'; an empty payload is end of input
//	  'P' a password typed at the client's terminal, answering 'W'
//	  'Q' the client could not read a password (the payload says why), answering 'W'
//	server → client
//	  'A' accepted: JSON {"version":1}
//	  'F' refused or failed: a message for the person; the connection ends
//	  'O' / 'E' bytes for the client's standard output / standard error
//	  'R' read request: 4-byte big-endian maximum byte count
//	  'W' read a password on your terminal without echo
//	  'X' the command's exit code (4-byte big-endian); the connection ends
package control

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path/filepath"
)

// Version is the protocol version this code speaks.
const Version = 1

// SocketName is the control socket's file name inside the data folder.
const SocketName = "control.sock"

// SocketPath is the control socket for the data folder dir.
func SocketPath(dir string) string { return filepath.Join(dir, SocketName) }

// MaxFrame bounds one frame's payload; a larger one ends the connection.
const MaxFrame = 64 << 10

// Limits on a request.
const (
	maxArgs = 256
)

const (
	frameHello    = 'H'
	frameStdin    = 'I'
	framePassword = 'P'
	frameNoPass   = 'Q'

	frameAccept = 'A'
	frameFail   = 'F'
	frameStdout = 'O'
	frameStderr = 'E'
	frameRead   = 'R'
	frameAskPw  = 'W'
	frameExit   = 'X'
)

// hello is the client's request.
type hello struct {
	Version        int      `json:"version"`
	Args           []string `json:"args"`
	Dir            string   `json:"dir,omitempty"` // the client's working folder
	StdinTerminal  bool     `json:"stdinTerminal"`
	StdoutTerminal bool     `json:"stdoutTerminal"`
	StderrTerminal bool     `json:"stderrTerminal"`
}

// accept is the server's answer to a good hello.
type accept struct {
	Version int `json:"version"`
}

var errFrameTooBig = errors.New("control: frame too large")

func writeFrame(w io.Writer, typ byte, payload []byte) error {
	if len(payload) > MaxFrame {
		return errFrameTooBig
	}
	buf := make([]byte, 5+len(payload))
	buf[0] = typ
	binary.BigEndian.PutUint32(buf[1:5], uint32(len(payload)))
	copy(buf[5:], payload)
	_, err := w.Write(buf)
	return err
}

func readFrame(r io.Reader) (byte, []byte, error) {
	var head [5]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(head[1:5])
	if n > MaxFrame {
		return 0, nil, fmt.Errorf("%w (%d bytes)", errFrameTooBig, n)
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	return head[0], payload, nil
}

func uint32Payload(v uint32) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return b[:]
}

// wrongUser is a peer that runs as another user than this process.
type wrongUser struct{ want, got string }

func (e *wrongUser) Error() string {
	return fmt.Sprintf("only %s, who owns this data folder, may use its control socket; this is %s", e.want, e.got)
}
