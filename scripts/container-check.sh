#!/usr/bin/env bash
# Builds the scoring API's image and checks it as production runs it (docs/operations.md, "Container"):
#   /health and /ready, one POST /v1/score equal to the champion's golden probability, the image's HEALTHCHECK,
#   a non-root user, no generated key in the container log, log records in the declared volume, keys kept across a
#   recreated container, SIGTERM drained with exit 0, the image's size above its base (at most 250 MB), and
#   docker-compose.yml under podman-compose.
# Uses podman (or docker where its daemon answers); when node:20-bookworm(-slim) cannot be pulled, builds local base
# images from Debian packages plus this host's Node (scripts/container-base.sh). `npm run check:container`.
# Env: VIGIE_CONTAINER_ENGINE (podman|docker), VIGIE_CHECK_COMPOSE=0 to skip the compose step.
set -uo pipefail
cd "$(dirname "$0")/.."

MAX_ADDED_MB=250
TAG=localhost/vigie-api:check
NAME=vigie-check-$$
results=()
failed=0
step() { # step NAME ok|FAIL DETAIL
  results+=("$(printf '%-34s %-4s %s' "$1" "$2" "$3")")
  printf 'container-check: %-34s %-4s %s\n' "$1" "$2" "$3"
  [ "$2" = ok ] || failed=1
}
summary() {
  echo
  echo "container check: image $TAG, ${image_mb:-?} MB (base ${base_mb:-?} MB, +${added_mb:-?} MB; limit +$MAX_ADDED_MB MB)"
  printf '  %s\n' "${results[@]}"
  if [ "$failed" = 0 ]; then echo "container check: all steps passed"; else echo "container check: FAILED"; fi
}
die() { step "$1" FAIL "$2"; cleanup; summary; exit 1; }

ENGINE="${VIGIE_CONTAINER_ENGINE:-}"
if [ -z "$ENGINE" ]; then
  if command -v podman >/dev/null; then ENGINE=podman
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then ENGINE=docker
  else echo "container-check: neither podman nor a running docker found (Debian: apt-get install podman runc)"; exit 1
  fi
fi

cleanup() {
  "$ENGINE" rm -f -t 0 "$NAME" "$NAME-2" >/dev/null 2>&1
  "$ENGINE" volume rm -f "$NAME-logs" "$NAME-secrets" >/dev/null 2>&1
}
trap cleanup EXIT

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
json() { node -e "let t='';process.stdin.on('data',c=>t+=c).on('end',()=>{const v=JSON.parse(t);console.log(eval(process.argv[1]))})" "$1"; }
mb() { echo $(( ($1 + 500000) / 1000000 )); }  # MB as podman and docker print them
size_of() { "$ENGINE" image inspect --format '{{.Size}}' "$1"; }

# 1. Base images: the registry's where it answers, local ones otherwise.
BUILD_BASE=node:20-bookworm
RUNTIME_BASE=node:20-bookworm-slim
if timeout 60 "$ENGINE" pull -q "docker.io/library/$BUILD_BASE" >/dev/null 2>&1 &&
  timeout 60 "$ENGINE" pull -q "docker.io/library/$RUNTIME_BASE" >/dev/null 2>&1; then
  step "base images" ok "pulled $BUILD_BASE and $RUNTIME_BASE"
else
  bash scripts/container-base.sh "$ENGINE" || die "base images" "no registry and the local build failed"
  BUILD_BASE=localhost/vigie-node:20-bookworm
  RUNTIME_BASE=localhost/vigie-node:20-bookworm-slim
  step "base images" ok "no registry: built from Debian packages + host Node ($RUNTIME_BASE)"
fi

# 2. Build.
format=(); [ "$ENGINE" = podman ] && format=(--format docker)
previous=$("$ENGINE" image inspect --format '{{.Id}}' "$TAG" 2>/dev/null || true)
start=$(date +%s)
if ! "$ENGINE" build "${format[@]}" -t "$TAG" --build-arg "NODE_BUILD_IMAGE=$BUILD_BASE" \
  --build-arg "NODE_RUNTIME_IMAGE=$RUNTIME_BASE" . >/tmp/vigie-container-build.log 2>&1; then
  tail -30 /tmp/vigie-container-build.log
  die "build" "see the build output above"
fi
step "build" ok "$(( $(date +%s) - start )) s with $ENGINE"
# The image this check built last time, now untagged, is of no further use (the build stage stays as cache).
current=$("$ENGINE" image inspect --format '{{.Id}}' "$TAG")
[ -n "$previous" ] && [ "$previous" != "$current" ] && "$ENGINE" rmi "$previous" >/dev/null 2>&1

image_mb=$(mb "$(size_of "$TAG")"); base_mb=$(mb "$(size_of "$RUNTIME_BASE")"); added_mb=$((image_mb - base_mb))
if [ "$added_mb" -le "$MAX_ADDED_MB" ]; then step "image size" ok "$image_mb MB, +$added_mb MB above the base"
else step "image size" FAIL "$image_mb MB, +$added_mb MB above the base (limit $MAX_ADDED_MB)"; fi
leftovers=$("$ENGINE" run --rm --entrypoint sh "$TAG" -c \
  'ls -d node_modules/onnxruntime-node/bin/napi-v*/darwin node_modules/onnxruntime-node/bin/napi-v*/win32 node_modules/better-sqlite3/deps node_modules/better-sqlite3/src node_modules/better-sqlite3/build/Release/obj* 2>/dev/null' | wc -l)
[ "$leftovers" = 0 ] && step "no foreign binaries or leftovers" ok "no onnxruntime darwin/win32, no better-sqlite3 sources" ||
  step "no foreign binaries or leftovers" FAIL "$leftovers paths left"

user=$("$ENGINE" image inspect --format '{{.Config.User}}' "$TAG")
volumes=$("$ENGINE" image inspect --format '{{json .Config.Volumes}}' "$TAG")

# 3. Run it with generated keys (no key in the environment), a named volume for logs and one for secrets.
"$ENGINE" volume create "$NAME-logs" >/dev/null && "$ENGINE" volume create "$NAME-secrets" >/dev/null
ADMIN_KEY=$(node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))")
# Without systemd, podman cannot schedule the periodic health timer: the check runs the image's command itself.
health_opts=(); [ "$ENGINE" = podman ] && [ ! -d /run/systemd/system ] && health_opts=(--health-interval disable)
run_container() { # run_container NAME PORT
  "$ENGINE" run -d --name "$1" "${health_opts[@]}" -p "127.0.0.1:$2:8080" -e "VIGIE_ADMIN_KEYS=$ADMIN_KEY" \
    -v "$NAME-logs:/app/var/logs" -v "$NAME-secrets:/app/var/secrets" "$TAG" >/dev/null
}
wait_ready() { # wait_ready PORT → 0 when /ready answered 200 within 120 s
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$1/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}
PORT=$(free_port)
run_container "$NAME" "$PORT" || die "run" "the container did not start"
if ! wait_ready "$PORT"; then
  "$ENGINE" logs "$NAME" 2>&1 | tail -20
  die "/ready" "never answered 200 in 120 s"
fi
step "/ready" ok "200 on 127.0.0.1:$PORT"
health=$(curl -fsS "http://127.0.0.1:$PORT/health") && step "/health" ok "$health" || step "/health" FAIL "no 200"

uid=$("$ENGINE" exec "$NAME" id -u)
[ "$uid" != 0 ] && [ -n "$user" ] && step "non-root" ok "uid $uid (image USER $user)" || step "non-root" FAIL "uid $uid"

# The scoring key was generated into the secrets volume: read it there, as an operator would.
API_KEY=$("$ENGINE" exec "$NAME" cat /app/var/secrets/api-key)
# The generated key is in its file only: the container log names the file and how to read it, never the key.
start_log=$("$ENGINE" logs "$NAME" 2>&1)
if [ -n "$API_KEY" ] && [ "$(printf '%s\n' "$start_log" | grep -cF -- "$API_KEY")" = 0 ] &&
  [ "$(printf '%s\n' "$start_log" | grep -c 'read it with: cat /app/var/secrets/api-key')" -gt 0 ]; then
  step "no key in the container log" ok "the log names /app/var/secrets/api-key, not the key"
else step "no key in the container log" FAIL "the generated scoring key is in the log, or its file is not named"; fi
GOLDEN=$(head -n 1 models/credit-default/1/golden.jsonl)
BODY=$(printf '%s' "$GOLDEN" | json 'JSON.stringify(v.input)')
EXPECTED=$(printf '%s' "$GOLDEN" | json 'v.expected_probability')
score() { # score PORT REQUEST_ID → response body
  curl -fsS -X POST "http://127.0.0.1:$1/v1/score" -H "Authorization: Bearer $API_KEY" \
    -H 'Content-Type: application/json' -H "X-Request-Id: $2" -d "$BODY"
}
if response=$(score "$PORT" "container-check-1"); then
  got=$(printf '%s' "$response" | json 'v.probability')
  if node -e "process.exit(Math.abs($got - $EXPECTED) <= 1e-5 ? 0 : 1)"; then
    step "POST /v1/score = golden" ok "probability $got (golden $EXPECTED)"
  else step "POST /v1/score = golden" FAIL "probability $got, golden $EXPECTED"; fi
else step "POST /v1/score = golden" FAIL "no 200: $response"; fi

if [ "$ENGINE" = podman ]; then
  "$ENGINE" healthcheck run "$NAME" >/dev/null 2>&1 && step "HEALTHCHECK" ok "healthy (podman healthcheck run)" ||
    step "HEALTHCHECK" FAIL "the image's health command failed"
else
  status=unknown
  for _ in $(seq 1 60); do
    status=$("$ENGINE" inspect --format '{{.State.Health.Status}}' "$NAME")
    [ "$status" = healthy ] && break; sleep 1
  done
  [ "$status" = healthy ] && step "HEALTHCHECK" ok "healthy" || step "HEALTHCHECK" FAIL "$status"
fi

# The record must be in the volume itself (read from outside the container), and the volume must be the declared one.
volume_records() {
  "$ENGINE" run --rm --entrypoint sh -v "$NAME-logs:/logs:ro" "$TAG" -c \
    'cat /logs/*.jsonl 2>/dev/null; for f in /logs/*.jsonl.gz; do [ -f "$f" ] && zcat "$f"; done'
}
applicant_ref_of() { # applicant_ref_of REQUEST_ID
  local found
  found=$(volume_records | grep "\"request_id\":\"$1\"")
  printf '%s\n' "$found" | head -n 1 | json 'v.applicant_ref'
}
sleep 1
# Not `grep -q` in a pipeline: with pipefail, its early exit would fail the reader.
if [ "$(volume_records | grep -c '"request_id":"container-check-1"')" -gt 0 ]; then
  case "$volumes" in
    *'/app/var/logs'*) step "log record in the volume" ok "request container-check-1 in $NAME-logs (declared VOLUME)" ;;
    *) step "log record in the volume" FAIL "/app/var/logs is not a declared VOLUME: $volumes" ;;
  esac
else step "log record in the volume" FAIL "no record of container-check-1 in the log volume"; fi
score "$PORT" container-check-ref >/dev/null

# 4. SIGTERM with requests in flight: 10 batches of 500 applicants are uploaded slowly (about 3 s each, well within
#    the 8 s drain), SIGTERM goes once the API counts them in flight (vigie_http_requests_in_flight, which also counts
#    the /metrics request itself); every one must then be answered (200, or 503 SHUTTING_DOWN), none cut, and the
#    process must exit 0 after draining.
BATCHES=10
node -e "const l=require('fs').readFileSync('models/credit-default/1/golden.jsonl','utf8').trim().split('\n');
  process.stdout.write(JSON.stringify({applicants:l.slice(0,500).map(x=>JSON.parse(x).input)}))" >"/tmp/$NAME-batch.json"
pids=()
for i in $(seq 1 $BATCHES); do
  (status=$(curl -sS --limit-rate 120k -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/v1/score/batch" \
    -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' -H "X-Request-Id: container-check-drain-$i" \
    --data-binary "@/tmp/$NAME-batch.json" 2>/dev/null)
   echo "$? $status" >"/tmp/$NAME-drain-$i") & pids+=($!)
done
in_flight=0
for _ in $(seq 1 100); do
  in_flight=$(curl -fsS "http://127.0.0.1:$PORT/metrics" 2>/dev/null | sed -n 's/^vigie_http_requests_in_flight \([0-9]*\).*/\1/p')
  in_flight=$(( ${in_flight:-1} - 1 ))
  [ "$in_flight" -ge "$BATCHES" ] && break
  sleep 0.05
done
"$ENGINE" kill --signal TERM "$NAME" >/dev/null
wait "${pids[@]}"
answered=0; shed=0; cut=0; outcomes=""
for i in $(seq 1 $BATCHES); do
  outcome=$(cat "/tmp/$NAME-drain-$i"); outcomes="$outcomes [$outcome]"
  case "$outcome" in
    '0 200') answered=$((answered + 1)) ;;
    '0 503') shed=$((shed + 1)) ;;  # SHUTTING_DOWN: the client retries on another replica
    *) cut=$((cut + 1)) ;;          # reset or empty reply: a request cut in flight
  esac
  rm -f "/tmp/$NAME-drain-$i"
done
rm -f "/tmp/$NAME-batch.json"
code=$("$ENGINE" wait "$NAME" 2>/dev/null | tail -n 1)
if [ "$code" = 0 ] && [ "$cut" = 0 ] && [ "$answered" -gt 0 ] &&
  [ "$("$ENGINE" logs "$NAME" 2>&1 | grep -c 'vigie api stopped (drained)')" -gt 0 ]; then
  step "SIGTERM drained" ok "exit 0; $in_flight of $BATCHES batches in flight at SIGTERM: $answered answered, $shed 503, 0 cut"
else
  "$ENGINE" logs "$NAME" 2>&1 | grep -v systemd | tail -5
  step "SIGTERM drained" FAIL "exit code $code; $in_flight in flight at SIGTERM: $answered answered, $shed 503, $cut cut (curl exit, HTTP:$outcomes)"
fi

# 5. A recreated container on the same volumes keeps the keys (same applicant_ref) and the replica id.
replica1=$("$ENGINE" logs "$NAME" 2>&1 | sed -n 's/.*(replica \([^)]*\)).*/\1/p' | head -n 1)
"$ENGINE" rm "$NAME" >/dev/null
PORT2=$(free_port)
if ! { run_container "$NAME-2" "$PORT2" && wait_ready "$PORT2"; }; then
  "$ENGINE" logs "$NAME-2" 2>&1 | grep -v systemd | tail -10
  die "recreated container" "did not become ready"
fi
score "$PORT2" container-check-ref-2 >/dev/null
sleep 1
REF1=$(applicant_ref_of container-check-ref)
REF2=$(applicant_ref_of container-check-ref-2)
replica2=$("$ENGINE" logs "$NAME-2" 2>&1 | sed -n 's/.*(replica \([^)]*\)).*/\1/p' | head -n 1)
if [ "$("$ENGINE" exec "$NAME-2" cat /app/var/secrets/api-key)" = "$API_KEY" ] && [ "$replica1" = "$replica2" ] &&
  [ -n "$REF1" ] && [ "$REF1" = "$REF2" ]; then
  step "recreated: keys and replica kept" ok "same scoring key, replica $replica2, applicant_ref ${REF1:0:12}…"
else step "recreated: keys and replica kept" FAIL "replica $replica1 → $replica2, applicant_ref $REF1 → $REF2"; fi
"$ENGINE" stop -t 15 "$NAME-2" >/dev/null 2>&1

# 6. docker-compose.yml under podman-compose (from .venv-deploy) on the image just built.
if [ "${VIGIE_CHECK_COMPOSE:-1}" != 0 ] && [ "$ENGINE" = podman ]; then
  bin=$(sh scripts/deploy-tools.sh) || die "compose" "could not install podman-compose (deploy/requirements.txt)"
  CPORT=$(free_port)
  key() { node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))"; }
  export IMAGE=$TAG HOST_PORT=$CPORT VIGIE_API_KEYS=$(key) VIGIE_ADMIN_KEYS=$(key) VIGIE_HASH_KEY=$(key)
  project=vigiecheck$$
  compose=("$bin/podman-compose" -p "$project" -f docker-compose.yml)
  if "${compose[@]}" up -d --no-build >/tmp/vigie-compose.log 2>&1 && wait_ready "$CPORT"; then
    API_KEY=$VIGIE_API_KEYS
    got=$(score "$CPORT" compose-check | json 'v.probability')
    node -e "process.exit(Math.abs($got - $EXPECTED) <= 1e-5 ? 0 : 1)" &&
      step "podman-compose up" ok "ready on 127.0.0.1:$CPORT, score = golden" ||
      step "podman-compose up" FAIL "score $got, golden $EXPECTED"
  else
    tail -20 /tmp/vigie-compose.log
    step "podman-compose up" FAIL "the service did not become ready"
  fi
  "${compose[@]}" down -v >>/tmp/vigie-compose.log 2>&1 || true
fi

cleanup
summary
exit "$failed"
