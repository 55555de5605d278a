package harness_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/authdesk/authdesk/app/harness"
	"github.com/authdesk/authdesk/backend"
)

type Greeter struct{ calls int }

func (g *Greeter) Startup(ctx context.Context) {}
func (g *Greeter) Hello(name string) (string, error) {
	g.calls++
	if name == "" {
		return "", backend.Errorf(backend.EINVALID, "Name is required")
	}
	return "Hi " + name + "!", nil
}
func (g *Greeter) Count() int { return g.calls }
func (g *Greeter) Reset()     { g.calls = 0 }

func raw(vs ...any) []json.RawMessage {
	out := make([]json.RawMessage, len(vs))
	for i, v := range vs {
		out[i], _ = json.Marshal(v)
	}
	return out
}

func TestDispatcherCallsBoundMethodsByWailsName(t *testing.T) {
	g := &Greeter{}
	d, err := harness.NewDispatcher(g)
	if err != nil {
		t.Fatal(err)
	}
	// Lifecycle hooks taking a context are not bindings, as in Wails.
	if got, want := d.Names(), []string{"harness_test.Greeter.Count", "harness_test.Greeter.Hello", "harness_test.Greeter.Reset"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	res, err := d.Call("harness_test.Greeter.Hello", raw("Ada"))
	if err != nil || res != "Hi Ada!" {
		t.Fatalf("Hello(Ada) = %v, %v", res, err)
	}
	_, err = d.Call("harness_test.Greeter.Hello", raw(""))
	if backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("Hello(\"\") error = %v, want the method's invalid error", err)
	}
	if res, err := d.Call("harness_test.Greeter.Count", nil); err != nil || res != 2 {
		t.Fatalf("Count() = %v, %v; want 2", res, err)
	}
	if res, err := d.Call("harness_test.Greeter.Reset", nil); err != nil || res != nil {
		t.Fatalf("Reset() = %v, %v; want nothing", res, err)
	}
}

func TestDispatcherRejectsBadCalls(t *testing.T) {
	d, _ := harness.NewDispatcher(&Greeter{})
	var ce *harness.CallError
	for name, args := range map[string][]json.RawMessage{
		"harness_test.Greeter.Nope":  nil,
		"harness_test.Greeter.Hello": raw(1),          // wrong type
		"harness_test.Greeter.Count": raw("too many"), // wrong arity
	} {
		if _, err := d.Call(name, args); !errors.As(err, &ce) {
			t.Errorf("Call(%s, %s) error = %v, want a CallError", name, args, err)
		}
	}
	if _, err := harness.NewDispatcher(Greeter{}); err == nil {
		t.Error("binding a struct value (not a pointer) should fail")
	}
}

func TestBrokerDeliversEventsToEverySubscriber(t *testing.T) {
	b := harness.NewBroker()
	one, stopOne := b.Subscribe()
	two, stopTwo := b.Subscribe()
	defer stopTwo()
	b.EventsEmit("session:changed", map[string]any{"reason": "login"})
	for _, ch := range []<-chan []byte{one, two} {
		var ev harness.Event
		if err := json.Unmarshal(<-ch, &ev); err != nil || ev.Name != "session:changed" || len(ev.Data) != 1 {
			t.Fatalf("event = %+v, %v", ev, err)
		}
	}
	stopOne()
	b.EventsEmit("x")
	if len(one) != 0 {
		t.Fatal("an unsubscribed page still got events")
	}
	var ev harness.Event
	if err := json.Unmarshal(<-two, &ev); err != nil || ev.Name != "x" || ev.Data == nil {
		t.Fatalf("event without data = %+v, %v (want an empty data list)", ev, err)
	}
}
