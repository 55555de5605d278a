package app_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// contractFile is the UI's copy of the strings Go and the UI must spell
// alike. It is generated from the Go sources below; this test fails when the
// two differ, and AUTHDESK_UPDATE_CONTRACT=1 rewrites it.
const contractFile = "../frontend/src/api/contract.js"

// contractGroups name, for each exported JS object, the Go file and the
// constants in it that belong there. Reading the sources (not a hand-made
// list) means a constant added in Go reaches the UI's copy or fails here.
var contractGroups = []struct {
	js, file string
	keep     func(name string, typ string) bool
}{
	{"ERROR_CODES", "../backend/errors.go", func(n, _ string) bool { return len(n) > 1 && n[0] == 'E' && strings.ToUpper(n) == n }},
	{"EVENTS", "events.go", func(n, _ string) bool { return strings.HasPrefix(n, "Event") }},
	{"SESSION_REASONS", "../backend/session/session.go", func(_, typ string) bool { return typ == "Reason" }},
	{"PROBE_STATUS", "../backend/remote/probe.go", func(n, _ string) bool { return n == "Reachable" || n == "Unreachable" || n == "NotThisAPI" }},
	{"PROVIDER_PROBE_STATUS", "../backend/oidc/probe.go", func(n, _ string) bool {
		return n == "Reachable" || n == "Unreachable" || n == "NotOIDC" || n == "Misconfigured"
	}},
}

// stringConsts returns the string constants declared in file that keep
// selects, in source order.
func stringConsts(t *testing.T, file string, keep func(name, typ string) bool) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var values []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			typ := ""
			if id, ok := vs.Type.(*ast.Ident); ok {
				typ = id.Name
			}
			for i, name := range vs.Names {
				if i >= len(vs.Values) || !keep(name.Name, typ) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				v, _ := strconv.Unquote(lit.Value)
				values = append(values, v)
			}
		}
	}
	if len(values) == 0 {
		t.Fatalf("no constants found in %s", file)
	}
	return values
}

// jsKey is the JS name for a value: "not_found" -> NOT_FOUND,
// "session:changed" -> SESSION_CHANGED.
func jsKey(v string) string {
	return strings.ToUpper(strings.NewReplacer(":", "_", "-", "_").Replace(v))
}

func contractJS(t *testing.T) string {
	var b strings.Builder
	b.WriteString("// Generated from Go by app/contract_test.go; do not edit. When Go's constants\n")
	b.WriteString("// change, run: AUTHDESK_UPDATE_CONTRACT=1 go test ./app -run TestUIContract\n")
	for _, g := range contractGroups {
		values := stringConsts(t, g.file, g.keep)
		if g.js == "ERROR_CODES" {
			sort.Strings(values)
		}
		fmt.Fprintf(&b, "\nexport const %s = Object.freeze({\n", g.js)
		for _, v := range values {
			fmt.Fprintf(&b, "  %s: '%s',\n", jsKey(v), v)
		}
		b.WriteString("})\n")
	}
	return b.String()
}

// TestUIContract fails when the UI's copy of Go's error codes, event names,
// session reasons or probe statuses differs from Go's.
func TestUIContract(t *testing.T) {
	want := contractJS(t)
	if os.Getenv("AUTHDESK_UPDATE_CONTRACT") == "1" {
		if err := os.WriteFile(contractFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(contractFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s differs from Go's constants; run AUTHDESK_UPDATE_CONTRACT=1 go test ./app -run TestUIContract.\nwant:\n%s\ngot:\n%s",
			filepath.Clean(contractFile), want, got)
	}
}
