#!/usr/bin/env bash
# Installs the Debian packages the tests run as real servers, only when missing.
# dnsmasq: the DNS server for the dns checker tests. openssl: test certificates.
# chromium: the headless browser for the status page tests (driven by playwright-core; never a downloaded build).
# postgresql, mariadb-server: the SQL storage tests start their own servers (apt does not start them here).
# openssh-server: the ssh checker's peer. iputils-ping: what the icmp checker runs; iproute2 and
# nftables: the icmp tests' network namespaces (veth pair, packets dropped by rule).
set -euo pipefail
need=()
command -v dnsmasq >/dev/null 2>&1 || need+=(dnsmasq-base)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ping >/dev/null 2>&1 || need+=(iputils-ping)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v nft >/dev/null 2>&1 || need+=(nftables)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "installing test dependencies: ${need[*]}" >&2
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
