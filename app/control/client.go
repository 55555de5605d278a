package control

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"golang.org/x/term"
)

// ErrNoServer means no AuthDesk answers on the data folder's control socket:
// none runs, or one too old to have the socket.
var ErrNoServer = errors.New("no AuthDesk answers on the control socket")

// dialTimeout bounds connecting and the server's answer to the hello.
const dialTimeout = 5 * time.Second

// Run sends args to the AuthDesk that owns the data folder dir and relays its
// output, input and password prompts until the command ends; it returns the
// command's exit code. It returns an error wrapping ErrNoServer when nobody
// answers, and another error when the owner refuses or the connection breaks.
func Run(ctx context.Context, dir string, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	return run(ctx, dir, args, stdin, stdout, stderr, os.Getuid())
}

func run(ctx context.Context, dir string, args []string, stdin io.Reader, stdout, stderr io.Writer, uid int) (int, error) {
	path := SocketPath(dir)
	d := net.Dialer{Timeout: dialTimeout}
	nc, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return 0, fmt.Errorf("%w (%v)", ErrNoServer, err)
	}
	c := nc.(*net.UnixConn)
	defer c.Close()
	// The password goes only to a process of this same user.
	if err := checkPeer(c, uid); err != nil {
		return 0, fmt.Errorf("the process on %s is not yours: %w", path, err)
	}
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()

	in, inTerm := terminalFile(stdin)
	_, outTerm := terminalFile(stdout)
	c.SetDeadline(time.Now().Add(dialTimeout))
	werr := writeFrame(c, frameHello, mustJSON(hello{Version: Version, Args: args, StdinTerminal: inTerm, StdoutTerminal: outTerm}))
	typ, payload, err := readFrame(c)
	switch {
	case err == nil && typ == frameFail:
		return 0, refused(payload)
	case werr != nil:
		return 0, fmt.Errorf("cannot talk to the running AuthDesk: %w", werr)
	case err != nil:
		return 0, fmt.Errorf("the running AuthDesk did not answer: %w", err)
	case typ != frameAccept:
		return 0, fmt.Errorf("the running AuthDesk sent an unexpected answer")
	}
	var acc accept
	if json.Unmarshal(payload, &acc) != nil || acc.Version != Version {
		return 0, fmt.Errorf("the running AuthDesk speaks another control protocol version; use the same AuthDesk version")
	}
	c.SetDeadline(time.Time{})

	stdinEOF := false
	for {
		typ, payload, err := readFrame(c)
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			return 0, fmt.Errorf("the connection to the running AuthDesk broke: %w", err)
		}
		switch typ {
		case frameStdout:
			stdout.Write(payload)
		case frameStderr:
			stderr.Write(payload)
		case frameRead:
			if len(payload) != 4 {
				return 0, errors.New("the running AuthDesk sent a bad request")
			}
			buf := make([]byte, min(int(binary.BigEndian.Uint32(payload)), MaxFrame))
			n := 0
			for !stdinEOF && n == 0 && len(buf) > 0 {
				n, err = stdin.Read(buf)
				if err == io.EOF {
					stdinEOF = true
				} else if err != nil {
					return 0, fmt.Errorf("reading standard input: %w", err)
				}
			}
			if err := writeFrame(c, frameStdin, buf[:n]); err != nil {
				return 0, err
			}
		case frameAskPw:
			var err error
			if in == nil {
				err = writeFrame(c, frameNoPass, []byte("standard input is not a terminal"))
			} else if pw, rerr := term.ReadPassword(int(in.Fd())); rerr != nil {
				err = writeFrame(c, frameNoPass, []byte(rerr.Error()))
			} else {
				err = writeFrame(c, framePassword, pw)
				clear(pw)
			}
			if err != nil {
				return 0, err
			}
		case frameExit:
			if len(payload) != 4 {
				return 0, errors.New("the running AuthDesk sent a bad exit code")
			}
			return int(int32(binary.BigEndian.Uint32(payload))), nil
		case frameFail:
			return 0, refused(payload)
		default:
			return 0, fmt.Errorf("the running AuthDesk sent an unexpected message")
		}
	}
}

// RefusedError is the owner's refusal, in words for the person.
type RefusedError struct{ Message string }

func (e *RefusedError) Error() string { return "the running AuthDesk refused: " + e.Message }

func refused(payload []byte) error { return &RefusedError{Message: string(payload)} }

// terminalFile returns f as a terminal when it is one.
func terminalFile(f any) (*os.File, bool) {
	if file, ok := f.(*os.File); ok && term.IsTerminal(int(file.Fd())) {
		return file, true
	}
	return nil, false
}
