package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// message is the body of every error and of the revoke answer.
type message struct {
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // answers carry tokens or personal data
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, message{msg})
}

// bodyError is a request body the API will not read, with its answer.
type bodyError struct {
	status int
	msg    string
}

func (e *bodyError) Error() string { return e.msg }

// readJSON decodes a JSON object body into v. An empty body leaves v as it
// is (the caller treats it like {}), and then the content type does not
// matter; any other body must be declared JSON.
func readJSON(w http.ResponseWriter, r *http.Request, v any) *bodyError {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return &bodyError{http.StatusRequestEntityTooLarge, "Request body is too large (limit 1 MiB)"}
	} else if err != nil {
		return &bodyError{http.StatusBadRequest, "Could not read the request body"}
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil
	}
	if !isJSONType(r.Header.Get("Content-Type")) {
		return &bodyError{http.StatusUnsupportedMediaType, "Content-Type must be application/json"}
	}
	if err := json.Unmarshal(data, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return &bodyError{http.StatusBadRequest, fmt.Sprintf("%s must be a %s", typeErr.Field, typeErr.Type.Kind())}
		} else if errors.As(err, &typeErr) {
			return &bodyError{http.StatusBadRequest, "Request body must be a JSON object"}
		}
		return &bodyError{http.StatusBadRequest, "Request body is not valid JSON"}
	}
	return nil
}

// isJSONType accepts application/json and any +json type, with parameters.
func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}
