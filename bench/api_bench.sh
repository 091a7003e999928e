#!/usr/bin/env bash
# API benchmark (issue 7): `ampere serve` on the large synthetic organization under wrk (64 connections,
# DURATION seconds per route), and nginx (Debian's nginx-light) serving the identical bodies as static
# files in the same run: requests/s, p50/p99 latency, errors, ampere/nginx ratio; then the server's
# resident memory. Needs wrk and nginx (scripts/setup --tests).
#
#   bench/api_bench.sh [build dir] [data dir]      (env DURATION=30 CONNECTIONS=64 THREADS=2 ENCODING=identity)
#
# ENCODING=gzip asks for gzip as browsers do (Accept-Encoding: gzip); nginx then serves the identical
# compressed bytes ampere sends (gzip_static, bodies of 512 bytes and more).
#
# The data dir is built once (simulator --org-size large, sync, build: several minutes) and reused.
set -euo pipefail
build=${1:-build}
data=${2:-${TMPDIR:-/tmp}/ampere-api-bench}
duration=${DURATION:-30}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
encoding=${ENCODING:-identity}
case "$encoding" in identity|gzip) ;; *) echo "ENCODING must be identity or gzip" >&2; exit 2 ;; esac
ampere="$build/ampere"
work=$(mktemp -d)
chmod 755 "$work"  # nginx's workers (nobody) read the bodies from here
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export AMPERE_CONFIG="" GITHUB_TOKEN=""

wait_line() {  # file prefix -> rest of the first line starting with prefix
  for _ in $(seq 1 600); do
    if line=$(grep -m1 "^$2" "$1" 2>/dev/null); then echo "${line#"$2"}"; return 0; fi
    sleep 0.5
  done
  echo "timed out waiting for '$2' in $1" >&2
  return 1
}

if [[ ! -f $data/warehouse.duckdb ]]; then
  echo "building the large organization's warehouse in $data (once)"
  "$ampere" simulator --org-size large --port 0 --rate-limit 100000000 > "$work/simulator.out" &
  pids+=($!)
  url=$(wait_line "$work/simulator.out" "simulator: ")
  org=$(sed -n 's/^ampere simulator: organization \([^ ]*\) .*/\1/p' "$work/simulator.out")
  AMPERE_DATA_DIR="$data" AMPERE_ORGS="$org" AMPERE_GITHUB_API_URL="${url%/}" "$ampere" sync github > "$work/sync.out" 2>&1
  AMPERE_DATA_DIR="$data" "$ampere" build > "$work/build.out" 2>&1
  kill "${pids[0]}"
  pids=()
fi

AMPERE_RATE_LIMIT_PER_MINUTE=0 "$ampere" serve --data-dir "$data" --port 0 > "$work/serve.out" &
serve_pid=$!
pids+=($serve_pid)
base=$(wait_line "$work/serve.out" "dashboard: ")
base=${base%/}

repo=$(curl -sf "$base/api/v1/repos" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["repo_name"])')
routes=(
  "/api/v1/repos"
  "/api/v1/metrics/weekly?metric=stars"
  "/api/v1/metrics/weekly?metric=commits&repos=$repo&from=2024-01-01"
  "/api/v1/packages"
  "/api/v1/feed"
  "/api/v1/feed?repo=$repo&type=star&limit=200"
  "/api/v1/feed/bounds"
  "/api/v1/issues"
  "/api/v1/issues?repo=$repo&sort=comments"
  "/api/v1/issues/summary"
  "/api/v1/networks/stargazers"
  "/api/v1/networks/followers"
  "/api/v1/status"
  "/api/v1/runs"
)

# nginx serves each body as a static file at /r<N> with the same content type.
mkdir -p "$work/www" "$work/nginx"
i=0
for r in "${routes[@]}"; do
  curl -sf "$base$r" -o "$work/www/r$i"
  chmod 644 "$work/www/r$i"
  if [[ $encoding == gzip ]]; then
    # The bytes ampere sends compressed, when it compresses them.
    curl -sf -H 'Accept-Encoding: gzip' -D "$work/headers" "$base$r" -o "$work/www/r$i.gz"
    if grep -qi '^content-encoding: gzip' "$work/headers"; then chmod 644 "$work/www/r$i.gz"; else rm "$work/www/r$i.gz"; fi
  fi
  i=$((i + 1))
done
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    default_type application/json;
    etag on;
    gzip_static on;
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
pids+=($!)
sleep 1

run_wrk() {  # url -> "rps p50_ms p99_ms errors"
  local out
  local header=()
  if [[ $encoding == gzip ]]; then header=(-H 'Accept-Encoding: gzip'); fi
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "${header[@]}" "$1")
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def ms(label):
    m = re.search(r"^\s+%s\s+([\d.]+)(us|ms|s)\s*$" % re.escape(label), out, re.M)
    if not m: return float("nan")
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
errors = 0
m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
if m: errors += int(m.group(1))
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
if m: errors += sum(int(x) for x in m.groups())
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} {errors}")
PY
}

echo "wrk -t$threads -c$connections -d${duration}s, Accept-Encoding: $encoding, $(nproc) cores; ampere $base vs nginx 127.0.0.1:$nginx_port"
printf '| %-62s | %9s | %9s | %7s | %7s | %6s | %9s | %7s | %7s | %6s | %6s |\n' route bytes "ampere r/s" "p50 ms" \
  "p99 ms" errors "nginx r/s" "p50 ms" "p99 ms" errors ratio
i=0
for r in "${routes[@]}"; do
  read -r a_rps a_p50 a_p99 a_err < <(run_wrk "$base$r")
  read -r n_rps n_p50 n_p99 n_err < <(run_wrk "http://127.0.0.1:$nginx_port/r$i")
  ratio=$(python3 -c "print(f'{$a_rps / max($n_rps, 1):.2f}')")
  bytes=$(stat -c %s "$work/www/r$i")
  if [[ -f $work/www/r$i.gz ]]; then bytes=$(stat -c %s "$work/www/r$i.gz"); fi
  printf '| %-62s | %9s | %9s | %7s | %7s | %6s | %9s | %7s | %7s | %6s | %6s |\n' "$r" "$bytes" "$a_rps" "$a_p50" \
    "$a_p99" "$a_err" "$n_rps" "$n_p50" "$n_p99" "$n_err" "$ratio"
  i=$((i + 1))
done
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$serve_pid/status")
hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$serve_pid/status")
echo "ampere serve resident memory: $((rss_kb / 1024)) MB now, $((hwm_kb / 1024)) MB peak (large org loaded, every route cached)"
echo "command: bench/api_bench.sh $build $data (DURATION=$duration CONNECTIONS=$connections THREADS=$threads ENCODING=$encoding)"
