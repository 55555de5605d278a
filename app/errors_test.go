package app_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/authdesk/authdesk/app"
	"github.com/authdesk/authdesk/backend"
)

func TestErrorFormatterCarriesTheWait(t *testing.T) {
	format := app.ErrorFormatter(slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, tc := range []struct {
		err  error
		want string
	}{
		{backend.RetryAfterError(backend.ETOOMANY, 4500*time.Millisecond, "Too many attempts"),
			`{"code":"too_many_requests","message":"Too many attempts","retryAfter":5}`},
		{backend.RetryAfterError(backend.EBUSY, time.Millisecond, "Busy"),
			`{"code":"busy","message":"Busy","retryAfter":1}`},
		{backend.RetryAfterError(backend.ETOOMANY, 0, "Slow down"), // a server that did not say
			`{"code":"too_many_requests","message":"Slow down"}`},
		{backend.Errorf(backend.EUNAUTHORIZED, backend.MsgBadCredentials),
			`{"code":"unauthorized","message":"Username or password is incorrect"}`},
	} {
		got, err := json.Marshal(format(tc.err))
		if err != nil || string(got) != tc.want {
			t.Errorf("%v crosses as %s, want %s", tc.err, got, tc.want)
		}
	}
}
