#!/bin/sh
# Install copilot-experiments: detect the platform, download the matching release binary,
# verify it against the release's SHA256SUMS, and put it in ~/.local/bin (or --prefix DIR).
#
#   curl -fsSL https://github.com/OWNER/REPO/releases/latest/download/install.sh | sh
#   sh install.sh [--version X.Y.Z] [--base-url URL] [--prefix DIR] [--repo OWNER/NAME] [--target T]
#
# --base-url is the folder holding the binaries and SHA256SUMS (a mirror, or file:///path/to/dist/release).
# Default: the GitHub release of --version, or the latest release.
set -eu

DEFAULT_REPO="your-org/copilot-experiments"   # the release build writes the publishing repository here
NAME="copilot-experiments"

version="${COPILOT_EXPERIMENTS_VERSION:-}"
base_url="${COPILOT_EXPERIMENTS_BASE_URL:-}"
prefix="${COPILOT_EXPERIMENTS_PREFIX:-${HOME}/.local/bin}"
repo="${COPILOT_EXPERIMENTS_REPO:-$DEFAULT_REPO}"
target=""

say() { printf '%s\n' "$*" >&2; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<EOF
Install ${NAME} from a release.

Usage: install.sh [options]
  --version X.Y.Z   the release to install (default: the latest)
  --base-url URL    folder with the binaries and SHA256SUMS (https://…, file:///…)
  --prefix DIR      install into DIR (default: ~/.local/bin)
  --repo OWNER/NAME GitHub repository publishing the releases (default: ${DEFAULT_REPO})
  --target T        platform, e.g. linux-x64-musl (default: detected)
  -h, --help        this help
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || die "--version needs a value"; version="$2"; shift 2 ;;
    --version=*) version="${1#*=}"; shift ;;
    --base-url) [ $# -ge 2 ] || die "--base-url needs a value"; base_url="$2"; shift 2 ;;
    --base-url=*) base_url="${1#*=}"; shift ;;
    --prefix) [ $# -ge 2 ] || die "--prefix needs a value"; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#*=}"; shift ;;
    --repo) [ $# -ge 2 ] || die "--repo needs a value"; repo="$2"; shift 2 ;;
    --repo=*) repo="${1#*=}"; shift ;;
    --target) [ $# -ge 2 ] || die "--target needs a value"; target="$2"; shift 2 ;;
    --target=*) target="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
version="${version#v}"

# --- platform: <os>-<arch>[-musl], as `bun run release` names its files -----------------------
detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW*|MSYS*|CYGWIN*|Windows_NT) os=windows ;;
    *) die "unsupported operating system: $os (download a binary by hand, or build from source)" ;;
  esac
  case "$arch" in
    x86_64|amd64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) die "unsupported architecture: $arch" ;;
  esac
  # An x64 shell under Rosetta on Apple silicon: the native binary is faster.
  if [ "$os" = darwin ] && [ "$arch" = x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
    arch=arm64
  fi
  libc=""
  if [ "$os" = linux ]; then
    if ldd --version 2>&1 | grep -qi musl || ls /lib/ld-musl-* >/dev/null 2>&1; then libc="-musl"; fi
  fi
  [ "$os" = windows ] && [ "$arch" != x64 ] && die "only windows-x64 is released"
  echo "${os}-${arch}${libc}"
}

[ -n "$target" ] || target=$(detect_target)
case "$target" in
  windows-*) exe=".exe" ;;
  *) exe="" ;;
esac

if [ -z "$base_url" ]; then
  if [ -n "$version" ]; then
    base_url="https://github.com/${repo}/releases/download/v${version}"
  else
    base_url="https://github.com/${repo}/releases/latest/download"
  fi
fi
base_url="${base_url%/}"

# --- download: curl, wget, or a plain copy for file:// ----------------------------------------
fetch() { # URL DEST
  case "$1" in
    file://*) cp "${1#file://}" "$2" 2>/dev/null || return 1 ;;
    *)
      if command -v curl >/dev/null 2>&1; then curl -fsSL --retry 3 -o "$2" "$1"
      elif command -v wget >/dev/null 2>&1; then wget -q -O "$2" "$1"
      else die "neither curl nor wget is installed"
      fi ;;
  esac
}

sha256() { # FILE -> hex digest
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 "$1" | sed 's/^.*= *//'
  else die "no sha256 tool (sha256sum, shasum or openssl) to verify the download"
  fi
}

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t copilot-experiments)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

fetch "${base_url}/SHA256SUMS" "$tmp/SHA256SUMS" || die "could not download ${base_url}/SHA256SUMS (is the version or --base-url right?)"

# The file for this platform: exactly one line ending in -<target>[.exe].
line=$(grep -E "  ${NAME}-[^ ]+-${target}${exe:+\\.exe}\$" "$tmp/SHA256SUMS" || true)
[ -n "$line" ] || die "the release at ${base_url} has no binary for ${target} (see its SHA256SUMS)"
[ "$(printf '%s\n' "$line" | wc -l | tr -d ' ')" = 1 ] || die "SHA256SUMS lists more than one binary for ${target}"
expected=${line%% *}
file=${line##* }
if [ -n "$version" ] && [ "$file" != "${NAME}-${version}-${target}${exe}" ]; then
  die "the release at ${base_url} holds ${file}, not version ${version}"
fi

say "Downloading ${file} from ${base_url}"
fetch "${base_url}/${file}" "$tmp/${file}" || die "could not download ${base_url}/${file}"
actual=$(sha256 "$tmp/${file}")
[ "$actual" = "$expected" ] || die "checksum mismatch for ${file}: expected ${expected}, got ${actual}; nothing was installed"

mkdir -p "$prefix" || die "could not create ${prefix}"
dest="${prefix%/}/${NAME}${exe}"
# Copy next to the destination, then rename: a running copy is never half-overwritten.
cp "$tmp/${file}" "${dest}.tmp.$$"
chmod 755 "${dest}.tmp.$$"
mv -f "${dest}.tmp.$$" "$dest"

installed=$("$dest" --version 2>/dev/null || echo "(could not run it on this machine)")
say "Installed ${dest}: ${installed}"
case ":${PATH}:" in
  *":${prefix%/}:"*) say "Next: ${NAME} init my-lab && cd my-lab && ${NAME} check" ;;
  *)
    say "${prefix%/} is not on your PATH. Add it, then start:"
    say "  export PATH=\"${prefix%/}:\$PATH\""
    say "  ${NAME} init my-lab && cd my-lab && ${NAME} check" ;;
esac
