# Shared set-up for the README's commands: checks the .NET SDK, installs missing Debian
# packages, checks that ../shared sits beside the checkout. Source it; it defines $root.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Debian packages Neurite's tests and targets need beyond the .NET SDK; targets add theirs here.
# gcc builds and runs the C the CPU target emits; graphviz: `neurite graph` draws .svg/.png with `dot`.
debian_packages=(gcc graphviz)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "Neurite needs the .NET SDK 10 ('dotnet' on PATH); install it first." >&2
    exit 2
  fi
  local major
  major="$(dotnet --version | cut -d. -f1)"
  if [ "$major" -lt 10 ]; then
    echo "Neurite needs the .NET SDK 10 or later; found $(dotnet --version)." >&2
    exit 2
  fi
}

install_debian_packages() {
  local missing=()
  for package in "${debian_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

require_shared() {
  local shared="${NEURITE_SHARED:-$root/../shared}"
  if [ ! -d "$shared/models" ]; then
    echo "The shared models and data sets are not at $shared: put the 'shared' folder beside the checkout (or set NEURITE_SHARED)." >&2
    exit 2
  fi
}

# Builds quietly: the compiler's output is shown only when the build fails.
build_quietly() {
  local log
  log="$(mktemp)"
  if ! dotnet build "$@" -v q --nologo >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "the build failed (output above)" >&2
    exit 1
  fi
  rm -f "$log"
}

setup() {
  require_dotnet
  install_debian_packages
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}
