#!/usr/bin/env python3
"""Compares the generated client's call chains with Cloudflare's official Python SDK.

For every operation of `generated/public-api.txt` (a line `fn crate::a::b::Type::method (VERB /path)`)
it looks up the SDK method for the same HTTP method and path in the SDK's `api.md` (the sdist of
`cloudflare` 4.3.1 on the Python package index, fetched with pip) and compares the chains:
`a.b.method` against the SDK's `client.a.b.method`. Path parameters are normalized away; the SDK's
`/{accounts_or_zones}/{account_or_zone_id}` paths count for both scopes; Python's trailing `_` and
Rust's `r#` are dropped.

Usage: python3 tests/parity/sdk_chains.py [--api-md PATH] [--public-api PATH] [--min PERCENT] [--list]
Exits 1 when fewer than --min percent match, 3 when the SDK cannot be fetched.
"""
import argparse
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter

SDK = "cloudflare==4.3.1"
# The exit status when the SDK could not be fetched (no comparison was made).
UNFETCHED = 3


def sdk_api_md(path):
    if path:
        with open(path, encoding="utf-8") as f:
            return f.read()
    with tempfile.TemporaryDirectory() as tmp:
        fetched = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", SDK, "-d", tmp],
        )
        if fetched.returncode != 0:
            print(f"sdk parity: could not fetch {SDK}", file=sys.stderr)
            sys.exit(UNFETCHED)
        (sdist,) = [f for f in os.listdir(tmp) if f.endswith(".tar.gz")]
        with tarfile.open(os.path.join(tmp, sdist)) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("/api.md"))
            return tar.extractfile(member).read().decode("utf-8")


def normalize(path):
    return re.sub(r"\{[^}]*\}", "{}", path.rstrip("/"))


def sdk_chains(text):
    """(VERB, normalized path) -> chain, from lines like
    `<code title="post /a/{b}/c">client.x.y.<a href="...">method</a>(...)`."""
    chains = {}
    pattern = re.compile(r'<code title="(\w+) ([^"]+)">client\.([\w.]*?)\.?<a [^>]*>(\w+)</a>')
    for verb, path, prefix, method in pattern.findall(text):
        parts = [p.rstrip("_") for p in prefix.split(".") if p] + [method.rstrip("_")]
        chain = ".".join(parts)
        paths = [path]
        if path.startswith("/{accounts_or_zones}/{account_or_zone_id}"):
            rest = path[len("/{accounts_or_zones}/{account_or_zone_id}"):]
            paths = ["/accounts/{}" + rest, "/zones/{}" + rest]
        for p in paths:
            chains.setdefault((verb.upper(), normalize(p)), chain)
    return chains


def our_chains(text):
    ours = {}
    pattern = re.compile(r"^fn (\S+) \((GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+)\)")
    for line in text.splitlines():
        m = pattern.match(line)
        if not m:
            continue
        item, verb, path = m.groups()
        parts = item.split("::")[1:]
        # `crate::area::resource::Type::method`: modules, then the type, then the method.
        modules = [p for p in parts[:-1] if not p[:1].isupper()]
        chain = ".".join(p.removeprefix("r#") for p in modules + [parts[-1]])
        ours.setdefault((verb, normalize(path)), []).append(chain)
    return ours


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api-md")
    parser.add_argument("--public-api", default=os.path.join(os.path.dirname(__file__), "../../generated/public-api.txt"))
    parser.add_argument("--min", type=float, default=0.0, help="fail when fewer percent match")
    parser.add_argument("--list", action="store_true", help="print every mismatch")
    args = parser.parse_args()
    sdk = sdk_chains(sdk_api_md(args.api_md))
    with open(args.public_api, encoding="utf-8") as f:
        ours = our_chains(f.read())
    compared = same = 0
    mismatches = []
    areas = Counter()
    for key, chains in sorted(ours.items()):
        for chain in chains:
            theirs = sdk.get(key)
            if theirs is None:
                continue
            compared += 1
            if chain == theirs:
                same += 1
            else:
                mismatches.append((key, chain, theirs))
                areas[theirs.split(".")[0]] += 1
    total = sum(len(c) for c in ours.values())
    percent = 100.0 * same / compared if compared else 0.0
    if args.list:
        for (verb, path), chain, theirs in mismatches:
            print(f"{verb} {path}\n    ours {chain}\n    sdk  {theirs}")
        print("mismatches by SDK area:", ", ".join(f"{a} {n}" for a, n in areas.most_common(25)))
    print(f"sdk parity: {same} of {compared} operations with an SDK method have the SDK's chain ({percent:.1f}%); {total} operations in all")
    return 0 if percent >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
