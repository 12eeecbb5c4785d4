#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# make-test-certs.sh DIR: a test CA and server certificates, made at test
# time with openssl, valid for two days. In DIR:
#   ca.pem                        the test CA (what the client is told to trust)
#   server.pem, server-key.pem    127.0.0.1 and localhost, signed by the CA
#   self.pem, self-key.pem        the same names, self-signed
#   other-name.pem, other-name-key.pem
#                                 signed by the CA, but for okno.example.org
# Nothing here is secret: the keys live and die with the test's folder.
set -eu

dir=$1
cd "$dir"
curve="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"

openssl req -x509 $curve -keyout ca-key.pem -out ca.pem -days 2 -subj "/CN=Okno test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  2>/dev/null

# name SAN: a certificate for SAN signed by the test CA
sign() {
  openssl req $curve -keyout "$1-key.pem" -out "$1.csr" -subj "/CN=$1" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$2" \
    >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out "$1.pem" \
    -days 2 -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
sign server "IP:127.0.0.1,DNS:localhost"
sign other-name "DNS:okno.example.org"

openssl req -x509 $curve -keyout self-key.pem -out self.pem -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
