package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

// Handler runs one command, as the CLI would in its own process, and returns
// its exit code. stdin reads the client's standard input on demand; when the
// client's standard input is a terminal it also has a ReadPassword method that
// asks there without echo (see Terminal).
type Handler func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int

type workDirKey struct{}

// WorkDir is the client's working folder, for a Handler that resolves file
// names given on the command line; "" when the client did not say.
func WorkDir(ctx context.Context) string {
	d, _ := ctx.Value(workDirKey{}).(string)
	return d
}

// Terminal is what the stdin given to a Handler implements when the client's
// standard input is a terminal: the password is typed there, not here.
type Terminal interface {
	ReadPassword() ([]byte, error)
}

// Timeouts and limits of the server side; variables for the tests.
var (
	// handshakeTimeout bounds a new connection's hello.
	handshakeTimeout = 5 * time.Second
	// writeTimeout bounds each write to the client.
	writeTimeout = 30 * time.Second
	// inputTimeout bounds the wait for the client's standard input or for a
	// person to type a password.
	inputTimeout = 10 * time.Minute
)

// maxConns bounds the commands running at once.
const maxConns = 8

// Server runs commands sent by local clients of the same user.
type Server struct {
	Handler Handler
	Log     *slog.Logger // may be nil

	// uid is the only peer user id accepted; tests change it.
	uid int

	ln     *net.UnixListener
	path   string
	ctx    context.Context
	cancel context.CancelFunc
	slots  chan struct{}
	wg     sync.WaitGroup
}

// Listen creates the control socket in the data folder dir and serves it in
// the background until Close. A socket file left by a process that ended
// without cleaning up is replaced, but only once nobody answers on it.
func Listen(dir string, h Handler, log *slog.Logger) (*Server, error) {
	s := &Server{Handler: h, Log: log, uid: os.Getuid()}
	if err := s.listen(dir); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Server) listen(dir string) error {
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	path := SocketPath(dir)
	// (Some systems cannot stat a socket file: then the dial decides.)
	if fi, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		if err == nil && (fi.IsDir() || (fi.Mode().IsRegular() && runtime.GOOS != "windows")) {
			return fmt.Errorf("cannot create the control socket: %s exists and is not a socket", path)
		}
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return fmt.Errorf("cannot create the control socket: another process answers on %s", path)
		}
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("cannot remove the stale control socket: %w", err)
		}
		s.Log.Info("replaced a stale control socket", "path", path)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return fmt.Errorf("cannot create the control socket: %w", err)
	}
	if err := restrict(path); err != nil {
		ln.Close()
		return fmt.Errorf("cannot make the control socket owner-only: %w", err)
	}
	s.ln, s.path = ln, path
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.slots = make(chan struct{}, maxConns)
	s.wg.Add(1)
	go s.accept()
	return nil
}

// Path is the socket's path.
func (s *Server) Path() string { return s.path }

// Close stops listening, removes the socket, ends running commands' contexts
// and waits for them, so the store can be closed after it.
func (s *Server) Close() error {
	err := s.ln.Close()
	s.cancel()
	s.wg.Wait()
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.AcceptUnix()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.Log.Error("control socket stopped", "err", err)
			}
			return
		}
		select {
		case s.slots <- struct{}{}:
		default:
			c.SetDeadline(time.Now().Add(time.Second))
			writeFrame(c, frameFail, []byte("AuthDesk is busy with other commands; try again"))
			c.Close()
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() { <-s.slots }()
			s.serveConn(c)
		}()
	}
}

// word is what a command name looks like; only such words are logged.
var word = regexp.MustCompile(`^[a-z][a-z-]{0,30}$`)

func (s *Server) serveConn(c *net.UnixConn) {
	defer c.Close()
	fail := func(msg string) {
		c.SetWriteDeadline(time.Now().Add(time.Second))
		writeFrame(c, frameFail, []byte(msg))
	}
	if err := checkPeer(c, s.uid); err != nil {
		s.Log.Warn("refused a control connection", "err", err)
		fail(err.Error())
		return
	}
	c.SetDeadline(time.Now().Add(handshakeTimeout))
	typ, payload, err := readFrame(c)
	if err != nil || typ != frameHello {
		s.Log.Warn("bad control request", "err", err)
		fail("bad request")
		return
	}
	var h hello
	if err := json.Unmarshal(payload, &h); err != nil {
		fail("bad request")
		return
	}
	if h.Version != Version {
		fail(fmt.Sprintf("the running AuthDesk speaks control protocol version %d, this command version %d; use the same AuthDesk version", Version, h.Version))
		return
	}
	if len(h.Args) > maxArgs {
		fail(fmt.Sprintf("too many arguments (at most %d)", maxArgs))
		return
	}
	if err := writeFrame(c, frameAccept, mustJSON(accept{Version: Version})); err != nil {
		return
	}
	c.SetDeadline(time.Time{})

	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	if filepath.IsAbs(h.Dir) {
		ctx = context.WithValue(ctx, workDirKey{}, filepath.Clean(h.Dir))
	}
	sess := &session{c: c, ctx: ctx, replies: make(chan reply, 1)}
	go sess.readLoop(cancel)

	var stdin io.Reader = &remoteStdin{sess: sess}
	if h.StdinTerminal {
		stdin = &remoteTerminal{remoteStdin{sess: sess}}
	}
	code := s.run(ctx, h.Args, stdin, &remoteWriter{sess, frameStdout, h.StdoutTerminal}, &remoteWriter{sess, frameStderr, h.StderrTerminal})
	// Only the command's name is logged, and only once it proved to be one
	// (a usage error may be anything typed in the wrong place).
	logged := []string{}
	for i, a := range h.Args {
		if i < 2 && word.MatchString(a) && (i == 0 || code != 2) {
			logged = append(logged, a)
		}
	}
	s.Log.Info("ran a command for the local command line", "command", logged, "exit", code)
	sess.send(frameExit, uint32Payload(uint32(code)))
}

// run runs the handler; a panic in a command ends that command, not the
// process that serves the window or the API.
func (s *Server) run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			s.Log.Error("a command from the command line crashed", "panic", p, "stack", string(debug.Stack()))
			fmt.Fprintln(stderr, "authdesk: internal error; see the running AuthDesk's log")
			code = 1
		}
	}()
	return s.Handler(ctx, args, stdin, stdout, stderr)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

type reply struct {
	typ     byte
	payload []byte
}

// session is one connection while its command runs.
type session struct {
	c       *net.UnixConn
	ctx     context.Context
	mu      sync.Mutex
	replies chan reply
}

func (s *session) send(typ byte, payload []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.c.SetWriteDeadline(time.Now().Add(writeTimeout))
	return writeFrame(s.c, typ, payload)
}

// readLoop takes the client's answers; when the client goes away, the
// command's context ends.
func (s *session) readLoop(cancel context.CancelFunc) {
	defer cancel()
	defer close(s.replies)
	for {
		typ, payload, err := readFrame(s.c)
		if err != nil {
			return
		}
		switch typ {
		case frameStdin, framePassword, frameNoPass:
		default:
			return // protocol violation
		}
		select {
		case s.replies <- reply{typ, payload}:
		case <-s.ctx.Done():
			return
		}
	}
}

// ask sends a request and waits for the answer.
func (s *session) ask(typ byte, payload []byte) (reply, error) {
	if err := s.send(typ, payload); err != nil {
		return reply{}, err
	}
	t := time.NewTimer(inputTimeout)
	defer t.Stop()
	select {
	case r, ok := <-s.replies:
		if !ok {
			return reply{}, errors.New("the command line went away")
		}
		return r, nil
	case <-t.C:
		return reply{}, errors.New("timed out waiting for the command line's input")
	case <-s.ctx.Done():
		return reply{}, s.ctx.Err()
	}
}

type remoteStdin struct {
	sess *session
	eof  bool
}

func (r *remoteStdin) Read(p []byte) (int, error) {
	if r.eof {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	n := min(len(p), MaxFrame)
	rep, err := r.sess.ask(frameRead, uint32Payload(uint32(n)))
	if err != nil {
		return 0, err
	}
	if rep.typ != frameStdin || len(rep.payload) > n {
		return 0, errors.New("the command line sent an unexpected answer")
	}
	if len(rep.payload) == 0 {
		r.eof = true
		return 0, io.EOF
	}
	return copy(p, rep.payload), nil
}

type remoteTerminal struct{ remoteStdin }

func (r *remoteTerminal) ReadPassword() ([]byte, error) {
	rep, err := r.sess.ask(frameAskPw, nil)
	if err != nil {
		return nil, err
	}
	switch rep.typ {
	case framePassword:
		return rep.payload, nil
	case frameNoPass:
		return nil, errors.New(string(rep.payload))
	}
	return nil, errors.New("the command line sent an unexpected answer")
}

type remoteWriter struct {
	sess     *session
	typ      byte
	terminal bool
}

func (w *remoteWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		n := min(len(p), MaxFrame)
		if err := w.sess.send(w.typ, p[:n]); err != nil {
			return written, err
		}
		written += n
		p = p[n:]
	}
	return written, nil
}

// IsTerminal says whether the client's output is a terminal.
func (w *remoteWriter) IsTerminal() bool { return w.terminal }
