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
#   expired.pem, expired-key.pem  127.0.0.1, signed by the CA, valid 2 days of 2020
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

# Only "openssl ca" sets dates in the past; it wants a small database.
mkdir -p ca-db
: >ca-db/index.txt
echo 1000 >ca-db/serial
printf '[ca]\ndefault_ca = test\n[test]\ndatabase = ca-db/index.txt\nserial = ca-db/serial\nnew_certs_dir = ca-db\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n' >ca.cnf
openssl req $curve -keyout expired-key.pem -out expired.csr -subj "/CN=expired" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
  >expired.ext
openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca-key.pem -in expired.csr -out expired.pem \
  -startdate 20200101000000Z -enddate 20200103000000Z -extfile expired.ext -notext 2>/dev/null
rm -rf ca-db ca.cnf expired.csr expired.ext

openssl req -x509 $curve -keyout self-key.pem -out self.pem -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
