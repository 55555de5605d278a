package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

var (
	errorType   = reflect.TypeOf((*error)(nil)).Elem()
	contextType = reflect.TypeOf((*context.Context)(nil)).Elem()
)

// Dispatcher calls exported methods of bound structs by their Wails name,
// "<package>.<Struct>.<Method>", the way the Wails runtime does for the window:
// JSON arguments in, one result and/or an error out.
type Dispatcher struct {
	methods map[string]reflect.Value
}

// NewDispatcher indexes every exported method of each bound struct pointer.
func NewDispatcher(bound ...any) (*Dispatcher, error) {
	d := &Dispatcher{methods: map[string]reflect.Value{}}
	for _, b := range bound {
		v := reflect.ValueOf(b)
		t := v.Type()
		if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
			return nil, fmt.Errorf("harness: bound value %T is not a pointer to a struct", b)
		}
		pkg := t.Elem().PkgPath()
		pkg = pkg[strings.LastIndex(pkg, "/")+1:]
		for i := 0; i < t.NumMethod(); i++ {
			m := t.Method(i)
			// Wails skips lifecycle hooks that take a context; so do we.
			if m.Type.NumIn() > 1 && m.Type.In(1) == contextType {
				continue
			}
			d.methods[pkg+"."+t.Elem().Name()+"."+m.Name] = v.Method(i)
		}
	}
	return d, nil
}

// Names lists the callable names, sorted, for the page's window.go shim.
func (d *Dispatcher) Names() []string {
	names := make([]string, 0, len(d.methods))
	for n := range d.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// CallError is a failure of the call itself (unknown name, bad arguments), as
// opposed to an error the bound method returned.
type CallError struct{ Msg string }

func (e *CallError) Error() string { return e.Msg }

// Call runs name with args decoded into the method's parameter types. It
// returns the method's result (nil for none) and its error.
func (d *Dispatcher) Call(name string, args []json.RawMessage) (any, error) {
	m, ok := d.methods[name]
	if !ok {
		return nil, &CallError{fmt.Sprintf("no bound method %q", name)}
	}
	t := m.Type()
	if len(args) != t.NumIn() {
		return nil, &CallError{fmt.Sprintf("%s takes %d arguments, got %d", name, t.NumIn(), len(args))}
	}
	in := make([]reflect.Value, t.NumIn())
	for i := range in {
		p := reflect.New(t.In(i))
		if err := json.Unmarshal(args[i], p.Interface()); err != nil {
			return nil, &CallError{fmt.Sprintf("%s argument %d: %v", name, i+1, err)}
		}
		in[i] = p.Elem()
	}
	out := m.Call(in)
	var result any
	var err error
	for _, o := range out {
		if o.Type() == errorType {
			if !o.IsNil() {
				err = o.Interface().(error)
			}
		} else {
			result = o.Interface()
		}
	}
	return result, err
}
