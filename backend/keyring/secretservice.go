//go:build !windows && !darwin

package keyring

// The Secret Service client (freedesktop.org Secret Service API 0.2) over a
// private D-Bus connection. zalando/go-keyring's Linux provider is not used
// here: it shares one process-wide bus connection, takes no context (a prompt
// nobody answers blocks it forever), fixes the label to "Password for ..." and
// reports a dismissed unlock prompt as a generic error. Each call below opens
// its own connection to the session bus named by DBUS_SESSION_BUS_ADDRESS (so
// a keyring that starts later is found), bounds every D-Bus call by ctx, and
// closes the connection when done. The item attributes are the ones
// zalando/go-keyring uses ("service", "username"), so either can read what the
// other wrote.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

const (
	ssName       = "org.freedesktop.secrets"
	ssPath       = dbus.ObjectPath("/org/freedesktop/secrets")
	ssService    = "org.freedesktop.Secret.Service"
	ssCollection = "org.freedesktop.Secret.Collection"
	ssItem       = "org.freedesktop.Secret.Item"
	ssSession    = "org.freedesktop.Secret.Session"
	ssPrompt     = "org.freedesktop.Secret.Prompt"
	noPrompt     = dbus.ObjectPath("/")

	// loginCollection is GNOME Keyring's usual default, used when the
	// "default" alias is not set.
	loginCollection = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")

	// dismissGrace is how long a connection stays open after the deadline so
	// that an unanswered prompt can be withdrawn from the screen.
	dismissGrace = 500 * time.Millisecond
)

// ssSecret is the Secret Service's Secret struct, signature (oayays).
type ssSecret struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

type secretService struct{}

func newProvider() provider { return secretService{} }

// attributes identify backend id's entry, exactly.
func attributes(id string) map[string]string {
	return map[string]string{"service": Service, "username": id}
}

// ssConn is one private connection to the session bus with the Secret
// Service known to be there (running, or startable by the bus).
type ssConn struct {
	conn *dbus.Conn
	svc  dbus.BusObject
	stop func() // ends the connection's lifetime context
}

// connect opens a private connection. The caller must call close.
func connect(ctx context.Context) (*ssConn, error) {
	// The connection lives until close, or until shortly after ctx's deadline
	// (the grace lets an unanswered prompt be dismissed before it closes).
	life, cancel := context.WithCancel(context.Background())
	conn, err := dbus.SessionBusPrivateNoAutoStartup(dbus.WithContext(life))
	if err != nil {
		cancel()
		return nil, fail(ctx, ErrNoSession, err)
	}
	stopAfter := context.AfterFunc(ctx, func() { time.AfterFunc(dismissGrace, cancel) })
	c := &ssConn{conn: conn, svc: conn.Object(ssName, ssPath), stop: func() { stopAfter(); cancel() }}
	if err := conn.Auth(nil); err != nil {
		c.close()
		return nil, fail(ctx, ErrNoSession, err)
	}
	if err := conn.Hello(); err != nil {
		c.close()
		return nil, fail(ctx, ErrNoSession, err)
	}

	// Is the Secret Service running, or can the bus start it?
	var owned bool
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, ssName).Store(&owned); err != nil {
		c.close()
		return nil, fail(ctx, ErrFailed, err)
	}
	if !owned {
		var names []string
		if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.ListActivatableNames", 0).Store(&names); err != nil {
			c.close()
			return nil, fail(ctx, ErrFailed, err)
		}
		if !slices.Contains(names, ssName) {
			c.close()
			return nil, ErrNoService
		}
	}
	return c, nil
}

func (c *ssConn) close() {
	c.stop()
	_ = c.conn.Close()
}

// fail wraps a D-Bus error with the cause it means. Once ctx is done, the
// error is returned bare: the Keyring reports it as a timeout.
func fail(ctx context.Context, cause, err error) error {
	if ctx.Err() != nil {
		return err
	}
	var de dbus.Error
	if errors.As(err, &de) {
		switch {
		case de.Name == "org.freedesktop.DBus.Error.ServiceUnknown",
			de.Name == "org.freedesktop.DBus.Error.NameHasNoOwner",
			strings.HasPrefix(de.Name, "org.freedesktop.DBus.Error.Spawn."):
			cause = ErrNoService
		case de.Name == "org.freedesktop.Secret.Error.IsLocked":
			cause = ErrLocked
		}
	}
	return fmt.Errorf("%w: %w", cause, err)
}

func (c *ssConn) call(ctx context.Context, path dbus.ObjectPath, method string, args ...any) *dbus.Call {
	return c.conn.Object(ssName, path).CallWithContext(ctx, method, 0, args...)
}

// collection returns the collection new entries go to: the "default" alias,
// else GNOME Keyring's "login".
func (c *ssConn) collection(ctx context.Context) (dbus.ObjectPath, error) {
	var path dbus.ObjectPath
	if err := c.call(ctx, ssPath, ssService+".ReadAlias", "default").Store(&path); err != nil {
		return "", fail(ctx, ErrFailed, err)
	}
	if path != noPrompt && path != "" {
		return path, nil
	}
	var v dbus.Variant
	if err := c.call(ctx, ssPath, "org.freedesktop.DBus.Properties.Get", ssService, "Collections").Store(&v); err != nil {
		return "", fail(ctx, ErrFailed, err)
	}
	if paths, ok := v.Value().([]dbus.ObjectPath); ok && slices.Contains(paths, loginCollection) {
		return loginCollection, nil
	}
	return "", ErrNoCollection
}

// unlock unlocks paths, showing the keyring's prompt if it needs one.
func (c *ssConn) unlock(ctx context.Context, paths ...dbus.ObjectPath) error {
	var unlocked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := c.call(ctx, ssPath, ssService+".Unlock", paths).Store(&unlocked, &prompt); err != nil {
		return fail(ctx, ErrLocked, err)
	}
	if prompt == noPrompt || prompt == "" {
		if len(unlocked) < len(paths) {
			return ErrLocked
		}
		return nil
	}
	return c.answer(ctx, prompt, "the unlock prompt was dismissed")
}

// prompt shows a Secret Service prompt and waits for its answer. If ctx ends
// first, the prompt is withdrawn so it does not stay on screen. If ctx does
// not allow prompts (WithPrompt), nothing is shown: the prompt object is
// dismissed and the answer is ErrNeedsUnlock.
func (c *ssConn) prompt(ctx context.Context, path dbus.ObjectPath) (dismissed bool, result dbus.Variant, err error) {
	if _, ok := promptWait(ctx); !ok {
		_ = c.call(ctx, path, ssPrompt+".Dismiss").Err
		return false, result, ErrNeedsUnlock
	}
	match := []dbus.MatchOption{
		dbus.WithMatchObjectPath(path),
		dbus.WithMatchInterface(ssPrompt),
		dbus.WithMatchMember("Completed"),
	}
	if err := c.conn.AddMatchSignalContext(ctx, match...); err != nil {
		return false, result, fail(ctx, ErrFailed, err)
	}
	signals := make(chan *dbus.Signal, 4)
	c.conn.Signal(signals)
	defer c.conn.RemoveSignal(signals)

	if err := c.call(ctx, path, ssPrompt+".Prompt", "").Err; err != nil {
		return false, result, fail(ctx, ErrLocked, err)
	}
	for {
		select {
		case s, ok := <-signals:
			if !ok {
				return false, result, fail(ctx, ErrFailed, errors.New("the D-Bus connection closed while a keyring prompt was open"))
			}
			if s.Path != path || s.Name != ssPrompt+".Completed" || len(s.Body) < 2 {
				continue
			}
			dismissed, _ = s.Body[0].(bool)
			result, _ = s.Body[1].(dbus.Variant)
			return dismissed, result, nil
		case <-ctx.Done():
			dctx, cancel := context.WithTimeout(context.Background(), dismissGrace)
			_ = c.call(dctx, path, ssPrompt+".Dismiss").Err
			cancel()
			return false, result, fmt.Errorf("waiting for the keyring's prompt: %w", ctx.Err())
		}
	}
}

// openSession opens a transfer session. "plain": the secret crosses the
// session bus, an owner-only socket, unencrypted, as with zalando/go-keyring.
func (c *ssConn) openSession(ctx context.Context) (dbus.ObjectPath, error) {
	var out dbus.Variant
	var session dbus.ObjectPath
	if err := c.call(ctx, ssPath, ssService+".OpenSession", "plain", dbus.MakeVariant("")).Store(&out, &session); err != nil {
		return "", fail(ctx, ErrFailed, err)
	}
	return session, nil
}

func (c *ssConn) closeSession(ctx context.Context, session dbus.ObjectPath) {
	_ = c.call(ctx, session, ssSession+".Close").Err
}

// search returns the entries for id in every collection, unlocked ones
// first. Locked ones are unlocked (which may need a prompt) when all are
// wanted or when there is no unlocked one.
func (c *ssConn) search(ctx context.Context, id string, all bool) ([]dbus.ObjectPath, error) {
	var unlocked, locked []dbus.ObjectPath
	if err := c.call(ctx, ssPath, ssService+".SearchItems", attributes(id)).Store(&unlocked, &locked); err != nil {
		return nil, fail(ctx, ErrFailed, err)
	}
	if len(locked) > 0 && (all || len(unlocked) == 0) {
		if err := c.unlock(ctx, locked...); err != nil {
			return nil, err
		}
	}
	return append(unlocked, locked...), nil
}

func (secretService) available(ctx context.Context) error {
	c, err := connect(ctx)
	if err != nil {
		return err
	}
	defer c.close()
	coll, err := c.collection(ctx)
	if err != nil {
		return err
	}
	return c.unlock(ctx, coll)
}

func (secretService) get(ctx context.Context, id string) (string, error) {
	c, err := connect(ctx)
	if err != nil {
		return "", err
	}
	defer c.close()
	items, err := c.search(ctx, id, false)
	if err != nil {
		return "", err
	}
	if len(items) == 0 {
		return "", ErrNotFound
	}
	session, err := c.openSession(ctx)
	if err != nil {
		return "", err
	}
	defer c.closeSession(ctx, session)
	var s ssSecret
	if err := c.call(ctx, items[0], ssItem+".GetSecret", session).Store(&s); err != nil {
		return "", fail(ctx, ErrFailed, err)
	}
	return string(s.Value), nil
}

func (secretService) set(ctx context.Context, id, label, secret string) error {
	c, err := connect(ctx)
	if err != nil {
		return err
	}
	defer c.close()
	coll, err := c.collection(ctx)
	if err != nil {
		return err
	}
	if err := c.unlock(ctx, coll); err != nil {
		return err
	}
	session, err := c.openSession(ctx)
	if err != nil {
		return err
	}
	defer c.closeSession(ctx, session)

	props := map[string]dbus.Variant{
		ssItem + ".Label":      dbus.MakeVariant(label),
		ssItem + ".Attributes": dbus.MakeVariant(attributes(id)),
	}
	value := ssSecret{Session: session, Parameters: []byte{}, Value: []byte(secret), ContentType: "text/plain; charset=utf8"}
	var item, prompt dbus.ObjectPath
	// replace=true: an entry with the same attributes in this collection is
	// updated in place.
	if err := c.call(ctx, coll, ssCollection+".CreateItem", props, value, true).Store(&item, &prompt); err != nil {
		return fail(ctx, ErrFailed, err)
	}
	if prompt != noPrompt && prompt != "" {
		dismissed, res, err := c.prompt(ctx, prompt)
		if err != nil {
			return err
		}
		if dismissed {
			return fmt.Errorf("%w: the keyring's prompt was dismissed", ErrLocked)
		}
		if p, ok := res.Value().(dbus.ObjectPath); ok {
			item = p
		}
	}

	// An older entry for id in another (unlocked) collection would shadow
	// this one on the next lookup: remove it so there is exactly one. Locked
	// ones are left alone: removing them would need a prompt, and lookups
	// take unlocked entries first.
	var unlocked, locked []dbus.ObjectPath
	if err := c.call(ctx, ssPath, ssService+".SearchItems", attributes(id)).Store(&unlocked, &locked); err != nil {
		return fail(ctx, ErrFailed, err)
	}
	for _, other := range unlocked {
		if other != item {
			if err := c.deleteItem(ctx, other); err != nil {
				return err
			}
		}
	}
	return nil
}

func (secretService) delete(ctx context.Context, id string) error {
	c, err := connect(ctx)
	if err != nil {
		return err
	}
	defer c.close()
	items, err := c.search(ctx, id, true)
	if err != nil {
		return err
	}
	for _, item := range items {
		if err := c.deleteItem(ctx, item); err != nil {
			return err
		}
	}
	return nil
}

func (c *ssConn) deleteItem(ctx context.Context, item dbus.ObjectPath) error {
	var prompt dbus.ObjectPath
	if err := c.call(ctx, item, ssItem+".Delete").Store(&prompt); err != nil {
		return fail(ctx, ErrFailed, err)
	}
	if prompt == noPrompt || prompt == "" {
		return nil
	}
	return c.answer(ctx, prompt, "the keyring's prompt to delete the entry was dismissed")
}

// answer shows a prompt the keyring asked for and turns a dismissal into
// ErrLocked with the given reason.
func (c *ssConn) answer(ctx context.Context, prompt dbus.ObjectPath, dismissal string) error {
	dismissed, _, err := c.prompt(ctx, prompt)
	if err != nil {
		return err
	}
	if dismissed {
		return fmt.Errorf("%w: %s", ErrLocked, dismissal)
	}
	return nil
}
