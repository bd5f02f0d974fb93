#!/usr/bin/env bash
# Makes sure the system libraries the product needs are present: Pango (WeasyPrint),
# HarfBuzz's subsetter (fast CJK font subsetting), a CJK font, gettext, and Chromium for
# the browser tests, LibreOffice for the office-document tests and Redis for the tests with
# real workers (`scripts/system-packages.sh test`). Installs them with apt-get when running as root on Debian/Ubuntu;
# elsewhere prints the exact command and fails.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fontconfig gettext)
if [[ "${1:-}" == "test" ]]; then
  # postgresql-client: pg_dump and pg_restore for the backup-and-restore test; redis-server: the
  # broker of the job tests.
  packages+=(chromium poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui redis-server postgresql-client)
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
  done
else
  echo "这不是 Debian/Ubuntu 系统：请用本系统的包管理器安装 Pango、HarfBuzz subset 库、Noto CJK 字体、gettext 和 Chromium。" >&2
  echo "(Not Debian/Ubuntu: install Pango, the HarfBuzz subset library, Noto CJK fonts, gettext and Chromium.)" >&2
  exit 1
fi

[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
else
  echo "缺少系统软件包 / missing system packages: ${missing[*]}" >&2
  echo "请运行 / run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
