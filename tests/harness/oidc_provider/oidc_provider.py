#!/usr/bin/python3
"""A small OpenID provider for Agora's tests, on loopback, over real HTTPS.

The real providers (Google, Facebook, X, the bank's SSO) cannot be reached from
test machines, so the OpenID Connect client is tested against this one: it
issues real signed ID tokens (RS256, or ES256 on request), publishes a JWKS,
checks client authentication, redirect URIs, single-use codes and PKCE (S256)
as a real provider does, and has test controls to forge every kind of bad
token and to misbehave (hang, oversize, 5xx, redirects).

Standard library plus Debian's python3-cryptography only. Run with Debian's
/usr/bin/python3. Prints READY on stdout once it accepts connections.

  oidc_provider.py --port 8443 --cert-file /tmp/x/ca.pem --client-id c \
      --client-secret s --redirect-uri https://app/cb [--x-mode]

The certificate (self-signed, for 127.0.0.1 and localhost) is written to
--cert-file: clients trust it as their CA file. Its private key goes beside
it (--cert-file + ".key").
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import http.server
import ipaddress
import json
import os
import secrets
import ssl
import sys
import threading
import time
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

FORGE_MODES = {
    "expired", "wrong_audience", "wrong_issuer", "wrong_nonce",
    "bad_signature", "unknown_kid", "alg_none", "hs256", "es256",
    "future_iat", "two_audiences", "two_audiences_no_azp", "azp_mismatch",
    "no_sub",
}
# Faults of the next /token answer (the transport, not the token).
# oversize_unannounced streams 2 MiB without Content-Length, so only reading
# can tell the client it is too much.
TOKEN_FAULTS = {"oversize", "oversize_unannounced", "not_json", "server_error", "redirect"}
CODE_LIFETIME_S = 60


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def int_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def rsa_jwk(key, kid):
    numbers = key.public_key().public_numbers()
    return {"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
            "n": b64url(int_bytes(numbers.n)), "e": b64url(int_bytes(numbers.e))}


def ec_jwk(key, kid):
    numbers = key.public_key().public_numbers()
    return {"kty": "EC", "kid": kid, "use": "sig", "alg": "ES256", "crv": "P-256",
            "x": b64url(numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.y.to_bytes(32, "big"))}


def new_rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_certificate(cert_file):
    """A self-signed certificate for 127.0.0.1 and localhost, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "agora test oidc provider")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                       critical=False)
        .sign(key, hashes.SHA256()))
    key_file = cert_file + ".key"
    with open(key_file, "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    with open(cert_file, "wb") as out:
        out.write(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file


class Provider:
    """The provider's state. Every request handler thread goes through `lock`."""

    def __init__(self, args):
        self.args = args
        self.issuer = f"https://127.0.0.1:{args.port}"
        self.lock = threading.Lock()
        self.key_number = 1
        self.rsa_key = new_rsa_key()
        self.rsa_kid = "rsa-1"
        self.ec_key = ec.generate_private_key(ec.SECP256R1())
        self.ec_kid = "ec-1"
        self.codes = {}          # code -> grant
        self.access_tokens = {}  # access token -> user
        self.next_user = {"sub": "user-1", "email": "user1@example.com",
                          "email_verified": True, "name": "User One"}
        self.forge = None
        self.token_fault = None
        self.hang_next_token = False
        self.jwks_fetches = 0
        self.token_requests = 0

    def jwks(self):
        return {"keys": [rsa_jwk(self.rsa_key, self.rsa_kid),
                         ec_jwk(self.ec_key, self.ec_kid)]}

    def discovery(self):
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "userinfo_endpoint": self.issuer + "/userinfo",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post"],
        }

    def id_token(self, grant, forge):
        """The ID token of a grant, forged as `forge` says (None: valid)."""
        now = int(time.time())
        claims = dict(grant["user"])
        claims.update({"iss": self.issuer, "aud": self.args.client_id,
                       "iat": now, "exp": now + 300, "nonce": grant["nonce"]})
        if forge == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        elif forge == "future_iat":
            claims["iat"], claims["exp"] = now + 3600, now + 7200
        elif forge == "wrong_audience":
            claims["aud"] = "someone-else"
        elif forge == "wrong_issuer":
            claims["iss"] = "https://evil.example"
        elif forge == "wrong_nonce":
            claims["nonce"] = "not-the-nonce"
        elif forge == "two_audiences":
            claims["aud"] = [self.args.client_id, "other-client"]
            claims["azp"] = self.args.client_id
        elif forge == "two_audiences_no_azp":
            claims["aud"] = [self.args.client_id, "other-client"]
        elif forge == "azp_mismatch":
            claims["azp"] = "other-client"
        elif forge == "no_sub":
            claims.pop("sub", None)
        if forge == "alg_none":
            return self.compact({"alg": "none", "typ": "JWT"}, claims, lambda _: b"")
        if forge == "hs256":
            # The classic confusion: HMAC keyed with the RSA public key, which
            # anyone can fetch from the JWKS.
            secret = self.rsa_key.public_key().public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo)
            return self.compact({"alg": "HS256", "typ": "JWT", "kid": self.rsa_kid}, claims,
                                lambda data: hmac.new(secret, data, hashlib.sha256).digest())
        if forge == "es256":
            return self.compact({"alg": "ES256", "typ": "JWT", "kid": self.ec_kid}, claims,
                                self.sign_es256)
        key, kid = self.rsa_key, self.rsa_kid
        if forge == "unknown_kid":
            key, kid = new_rsa_key(), f"rsa-unknown-{secrets.token_hex(4)}"
        token = self.compact({"alg": "RS256", "typ": "JWT", "kid": kid}, claims,
                             lambda data: key.sign(data, padding.PKCS1v15(), hashes.SHA256()))
        if forge == "bad_signature":
            head, _, signature = token.rpartition(".")
            raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
            raw[len(raw) // 2] ^= 0x01
            token = head + "." + b64url(bytes(raw))
        return token

    def sign_es256(self, data):
        r, s = decode_dss_signature(self.ec_key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    @staticmethod
    def compact(header, claims, sign):
        signing_input = (b64url(json.dumps(header).encode()) + "." +
                         b64url(json.dumps(claims).encode())).encode("ascii")
        return signing_input.decode("ascii") + "." + b64url(sign(signing_input))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AgoraTestOidc/1"

    @property
    def provider(self) -> Provider:
        return self.server.provider

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if self.provider.args.verbose:
            super().log_message(format, *args)

    def send_body(self, status, body: bytes, content_type, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status, value, headers=()):
        self.send_body(status, json.dumps(value).encode(), "application/json", headers)

    def redirect(self, location):
        self.send_body(302, b"", "text/plain", [("Location", location)])

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def do_GET(self):  # noqa: N802 - http.server's naming
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        provider = self.provider
        if url.path == "/.well-known/openid-configuration":
            self.send_json(200, provider.discovery())
        elif url.path == "/jwks":
            with provider.lock:
                provider.jwks_fetches += 1
                jwks = provider.jwks()
            self.send_json(200, jwks)
        elif url.path == "/authorize":
            self.authorize(query)
        elif url.path == "/userinfo":
            self.userinfo()
        elif url.path == "/test/stats":
            with provider.lock:
                stats = {"jwks_fetches": provider.jwks_fetches,
                         "token_requests": provider.token_requests}
            self.send_json(200, stats)
        else:
            self.send_json(404, {"error": "not_found"})

    def do_POST(self):  # noqa: N802 - http.server's naming
        path = urllib.parse.urlsplit(self.path).path
        body = self.read_body()
        provider = self.provider
        if path == "/token":
            self.token(body)
            return
        try:
            control = json.loads(body) if body else {}
        except ValueError:
            self.send_json(400, {"error": "invalid JSON"})
            return
        with provider.lock:
            if path == "/test/next-user":
                provider.next_user = {key: control[key] for key in
                                      ("sub", "email", "email_verified", "name", "locale")
                                      if key in control}
            elif path == "/test/forge" and control.get("mode") in FORGE_MODES:
                provider.forge = control["mode"]
            elif path == "/test/token-fault" and control.get("mode") in TOKEN_FAULTS:
                provider.token_fault = control["mode"]
            elif path == "/test/rotate":
                provider.key_number += 1
                provider.rsa_key = new_rsa_key()
                provider.rsa_kid = f"rsa-{provider.key_number}"
            elif path == "/test/hang":
                provider.hang_next_token = True
            else:
                self.send_json(404, {"error": "unknown control or mode"})
                return
            kid = provider.rsa_kid
        self.send_json(200, {"ok": True, "kid": kid})

    def authorize(self, query):
        args = self.provider.args
        redirect_uri = query.get("redirect_uri", "")
        # Never redirect to an unregistered URI (an open redirector otherwise).
        if query.get("client_id") != args.client_id or redirect_uri not in args.redirect_uri:
            self.send_json(400, {"error": "invalid_request",
                                 "error_description": "unknown client or redirect_uri"})
            return
        separator = "&" if "?" in redirect_uri else "?"
        state = query.get("state", "")
        scopes = query.get("scope", "").split(" ")
        error = None
        if query.get("response_type") != "code":
            error = "unsupported_response_type"
        elif query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            error = "invalid_request"
        elif not args.x_mode and ("openid" not in scopes or not query.get("nonce")):
            error = "invalid_request"
        if error:
            self.redirect(redirect_uri + separator +
                          urllib.parse.urlencode({"error": error, "state": state}))
            return
        code = secrets.token_urlsafe(24)
        with self.provider.lock:
            self.provider.codes[code] = {
                "redirect_uri": redirect_uri, "challenge": query["code_challenge"],
                "nonce": query.get("nonce"), "user": dict(self.provider.next_user),
                "issued": time.time(), "used": False}
        self.redirect(redirect_uri + separator +
                      urllib.parse.urlencode({"code": code, "state": state}))

    def client_authenticated(self, form):
        args = self.provider.args
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                decoded = base64.b64decode(header[6:], validate=True).decode()
            except ValueError:
                return False
            client_id, _, secret = decoded.partition(":")
            client_id = urllib.parse.unquote_plus(client_id)
            secret = urllib.parse.unquote_plus(secret)
        else:
            client_id, secret = form.get("client_id"), form.get("client_secret")
        return (client_id == args.client_id and secret is not None and
                hmac.compare_digest(secret.encode(), args.client_secret.encode()))

    def token(self, body):
        provider = self.provider
        with provider.lock:
            provider.token_requests += 1
            hang, provider.hang_next_token = provider.hang_next_token, False
            fault, provider.token_fault = provider.token_fault, None
        if hang:
            time.sleep(30)
        if fault == "oversize":
            self.send_json(200, {"access_token": "x", "token_type": "Bearer",
                                 "padding": "p" * (2 << 20)})
            return
        if fault == "oversize_unannounced":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            self.wfile.write(b'{"access_token": "x", "padding": "')
            for _ in range(32):
                self.wfile.write(b"p" * (64 << 10))
            self.wfile.write(b'"}')
            return
        if fault == "not_json":
            self.send_body(200, b"<html>maintenance</html>", "text/html")
            return
        if fault == "server_error":
            self.send_json(503, {"error": "temporarily_unavailable"})
            return
        if fault == "redirect":
            self.redirect("https://127.0.0.1:1/elsewhere")
            return
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
        if not self.client_authenticated(form):
            self.send_json(401, {"error": "invalid_client"},
                           [("WWW-Authenticate", 'Basic realm="token"')])
            return
        if form.get("grant_type") != "authorization_code":
            self.send_json(400, {"error": "unsupported_grant_type"})
            return
        with provider.lock:
            grant = provider.codes.get(form.get("code", ""))
            # A code is spent by its first presentation, right or wrong.
            first_use = grant is not None and not grant["used"]
            if grant is not None:
                grant["used"] = True
        verifier = form.get("code_verifier", "")
        challenge = b64url(hashlib.sha256(verifier.encode("ascii", "replace")).digest())
        if (not first_use or time.time() - grant["issued"] > CODE_LIFETIME_S or
                form.get("redirect_uri") != grant["redirect_uri"] or
                not 43 <= len(verifier) <= 128 or
                not hmac.compare_digest(challenge, grant["challenge"])):
            self.send_json(400, {"error": "invalid_grant"})
            return
        access_token = secrets.token_urlsafe(32)
        with provider.lock:
            provider.access_tokens[access_token] = grant["user"]
            forge, provider.forge = provider.forge, None
            answer = {"access_token": access_token, "token_type": "Bearer",
                      "expires_in": 3600}
            if not provider.args.x_mode:
                answer["id_token"] = provider.id_token(grant, forge)
        self.send_json(200, answer)

    def userinfo(self):
        header = self.headers.get("Authorization", "")
        with self.provider.lock:
            user = self.provider.access_tokens.get(header[7:]) if header.startswith(
                "Bearer ") else None
        if user is None:
            self.send_json(401, {"error": "invalid_token"},
                           [("WWW-Authenticate", 'Bearer error="invalid_token"')])
        elif self.provider.args.x_mode:
            self.send_json(200, {"data": {"id": user.get("sub"), "name": user.get("name"),
                                          "username": "user_" + str(user.get("sub"))}})
        else:
            self.send_json(200, user)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Port probes and clients that hang up mid-handshake are expected.
        if self.provider.args.verbose:
            super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert-file", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", action="append", default=[])
    parser.add_argument("--x-mode", action="store_true",
                        help="no ID token; /userinfo answers in X's {data:{id}} shape")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    key_file = write_certificate(args.cert_file)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.cert_file, key_file)
    server = Server(("127.0.0.1", args.port), Handler)
    server.provider = Provider(args)
    # The handshake happens in the handler's thread, so a client that stalls
    # in it blocks no one else.
    server.socket = context.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)
    print("READY", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
