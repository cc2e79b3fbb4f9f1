#!/usr/bin/env bash
# scripts/lint's function-size check, tried on functions it must pass and must refuse:
# 120 lines is allowed, 121 is not, and a lambda's lines count inside its function.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
command -v clang-tidy-14 >/dev/null || { echo "SKIP: clang-tidy-14 is not installed"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# A function of $1 lines as clang-tidy counts them: from the line of its opening brace to the line
# of its closing brace (so $1 - 1 lines between them).
function_of() {
  local lines=$1 name=$2
  echo "int $name(int x) {"
  for ((i = 0; i < lines - 2; i++)); do echo "    x += $i;"; done
  echo "    return x;"
  echo "}"
}

function_of 120 fits > "$dir/fits.cpp"
function_of 121 too_long > "$dir/too_long.cpp"
{
  echo "int outer(int x) {"
  echo "    auto inner = [](int y) {"
  for ((i = 0; i < 120; i++)); do echo "        y += $i;"; done
  echo "        return y;"
  echo "    };"
  echo "    return inner(x);"
  echo "}"
} > "$dir/lambda.cpp"

fail=0
check() {  # check EXPECTED_STATUS FILE
  local status=0
  "$root/scripts/lint" "$2" >"$dir/out" 2>&1 || status=$?
  if [ "$status" != "$1" ]; then
    echo "FAILED: scripts/lint $(basename "$2") exited $status, expected $1"
    cat "$dir/out"
    fail=1
  else
    echo "ok: $(basename "$2") -> $status"
  fi
}
check 0 "$dir/fits.cpp"
check 1 "$dir/too_long.cpp"
check 1 "$dir/lambda.cpp"
grep -q "121 lines" <(clang-tidy-14 --quiet --config-file="$root/.clang-tidy" "$dir/too_long.cpp" -- -std=c++20 2>&1) \
  || { echo "FAILED: the refusal does not say 121 lines"; fail=1; }
exit $fail
