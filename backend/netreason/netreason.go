// Package netreason says, in words a person can act on, why an HTTP request
// to a server got no usable answer. The remote and OpenID Connect adapters
// both use it, so a certificate, timeout or refused connection reads the same
// whichever kind of backend met it.
package netreason

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// Reason explains err, the failure of a request with the given timeout, to
// a "server" or "provider" (what names the other side in the hint for a
// refused connection).
func Reason(err error, timeout time.Duration, what string) string {
	var (
		dnsErr    *net.DNSError
		netErr    net.Error
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalid   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
		recordErr tls.RecordHeaderError
		tlsAlert  tls.AlertError
		maxBytes  *http.MaxBytesError
		opErr     *net.OpError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return "the request was cancelled"
	case errors.As(err, &unknownCA):
		return "its certificate is not signed by an authority this computer trusts"
	case errors.As(err, &hostErr):
		return "its certificate is for another host name (" + hostErr.Error() + ")"
	case errors.As(err, &invalid):
		return "its certificate is not valid (" + invalid.Error() + ")"
	case errors.As(err, &verifyErr):
		return "its certificate could not be verified (" + verifyErr.Err.Error() + ")"
	case errors.As(err, &recordErr), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "it does not speak https (try http://)"
	case errors.As(err, &tlsAlert):
		return "the secure connection failed (" + tlsAlert.Error() + ")"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "it did not answer in time (" + timeout.String() + ")"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused (is the " + what + " running?)"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset"
	case errors.As(err, &dnsErr):
		return "unknown host " + dnsErr.Name
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "it closed the connection without a complete answer"
	case errors.As(err, &maxBytes):
		return "its answer was too large"
	case errors.As(err, &opErr):
		return opErr.Err.Error()
	}
	return "the connection failed"
}
