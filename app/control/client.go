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
		if wu := (*wrongUser)(nil); errors.As(err, &wu) {
			return 0, fmt.Errorf("the AuthDesk answering on %s runs as %s, not as you (%s); nothing was sent to it", path, wu.got, wu.want)
		}
		return 0, err
	}
	// Ctrl-C ends the connection, and so the command in the owner.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()

	in, inTerm := terminalFile(stdin)
	_, outTerm := terminalFile(stdout)
	_, errTerm := terminalFile(stderr)
	wd, _ := os.Getwd()
	c.SetDeadline(time.Now().Add(dialTimeout))
	werr := writeFrame(c, frameHello, mustJSON(hello{Version: Version, Args: args, Dir: wd, StdinTerminal: inTerm, StdoutTerminal: outTerm, StderrTerminal: errTerm}))
	typ, payload, err := readFrame(c)
	switch {
	case ctx.Err() != nil:
		return 0, ctx.Err()
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
			return 0, broken(ctx, err)
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
			want := min(int(binary.BigEndian.Uint32(payload)), MaxFrame)
			data, err := await(ctx, func() ([]byte, error) {
				buf := make([]byte, want)
				n := 0
				var err error
				for !stdinEOF && n == 0 && want > 0 {
					if stdin == nil {
						stdinEOF = true
						break
					}
					n, err = stdin.Read(buf)
					if err == io.EOF {
						stdinEOF, err = true, nil
					} else if err != nil {
						return nil, fmt.Errorf("reading standard input: %w", err)
					}
				}
				return buf[:n], nil
			})
			if err != nil {
				return 0, err
			}
			if err := writeFrame(c, frameStdin, data); err != nil {
				return 0, broken(ctx, err)
			}
		case frameAskPw:
			var err error
			if in == nil {
				err = writeFrame(c, frameNoPass, []byte("standard input is not a terminal"))
			} else if pw, rerr := readPassword(ctx, in); rerr != nil {
				if ctx.Err() != nil {
					return 0, ctx.Err()
				}
				err = writeFrame(c, frameNoPass, []byte(rerr.Error()))
			} else {
				err = writeFrame(c, framePassword, pw)
				clear(pw)
			}
			if err != nil {
				return 0, broken(ctx, err)
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

// await runs a read that may block on a person (the terminal) so that
// Ctrl-C still ends the command at once.
func await(ctx context.Context, read func() ([]byte, error)) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := read()
		ch <- result{b, err}
	}()
	select {
	case r := <-ch:
		return r.b, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// readPassword reads a line without echo on the terminal f; when interrupted
// it turns echo back on before returning.
func readPassword(ctx context.Context, f *os.File) ([]byte, error) {
	fd := int(f.Fd())
	state, _ := term.GetState(fd)
	pw, err := await(ctx, func() ([]byte, error) { return term.ReadPassword(fd) })
	if ctx.Err() != nil && state != nil {
		_ = term.Restore(fd, state)
	}
	return pw, err
}

func broken(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("the connection to the running AuthDesk broke: %w", err)
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
