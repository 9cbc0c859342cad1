#!/usr/bin/python3
"""Folds `perf script` output into stacks and draws a flame graph (SVG), and prints where the
samples' own time goes (top functions by self samples, and by shared object).

    perf record -F 499 -g -o perf.data -- <command>
    perf script -i perf.data | conf/bench/onednn/flamegraph.py --svg out.svg --title "..." > top.txt

Java frames have no symbols without a perf map agent (they show as the JIT's code heap); the
native frames of libnd4jcpu, OpenBLAS and oneDNN resolve, which is what this graph is for.
"""
import argparse
import collections
import html
import zlib
import re
import sys

FRAME = re.compile(r"^\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)$")


def read_stacks(lines):
    """Yields (frames root-first, [(symbol, object)]) for each sample."""
    stack = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if stack:
                yield list(reversed(stack))
            stack = []
            continue
        m = FRAME.match(line)
        if m:
            symbol, obj = m.group(1), m.group(2).rsplit("/", 1)[-1]
            symbol = re.sub(r"\+0x[0-9a-f]+$", "", symbol)
            if symbol == "[unknown]":
                symbol = "[" + obj + "]"
            stack.append((short(symbol), obj))
    if stack:
        yield list(reversed(stack))


def short(symbol):
    """A C++ symbol without its argument list and template arguments, to keep boxes readable."""
    s = re.sub(r"\(.*\)( const)?$", "", symbol)
    while "<" in s:
        t = re.sub(r"<[^<>]*>", "", s)
        if t == s:
            break
        s = t
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--svg", required=True)
    ap.add_argument("--title", default="flame graph")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()

    folded = collections.Counter()
    self_time = collections.Counter()
    inclusive = collections.Counter()
    by_object = collections.Counter()
    total = 0
    for frames in read_stacks(sys.stdin):
        total += 1
        folded[tuple(f[0] for f in frames)] += 1
        self_time[frames[-1][0]] += 1
        for name in set(f[0] for f in frames):
            inclusive[name] += 1
        by_object[frames[-1][1]] += 1

    print(f"{total} samples")
    print("\nself samples by function:")
    for name, n in self_time.most_common(args.top):
        print(f"  {100.0 * n / total:5.1f}%  {name}")
    print("\nsamples with the function on the stack (native functions only):")
    native = [(name, n) for name, n in inclusive.most_common() if not name.startswith("[")
              and ("::" in name or "gemm" in name or "im2col" in name.lower())]
    for name, n in native[:args.top]:
        print(f"  {100.0 * n / total:5.1f}%  {name}")
    print("\nself samples by shared object:")
    for name, n in by_object.most_common(args.top):
        print(f"  {100.0 * n / total:5.1f}%  {name}")
    write_svg(folded, total, args.svg, args.title)


def write_svg(folded, total, path, title):
    # A tree of frames: each node's width is its samples; children sorted by name, as flame graphs are.
    tree = {}
    for stack, n in folded.items():
        node = tree
        for name in stack:
            entry = node.setdefault(name, [0, {}])
            entry[0] += n
            node = entry[1]
    width, row, min_px = 1200.0, 16, 1.0
    boxes = []
    depth_max = [0]

    def walk(node, x, depth):
        for name in sorted(node):
            n, children = node[name]
            w = width * n / total
            if w >= min_px:
                boxes.append((x, depth, w, name, n))
                depth_max[0] = max(depth_max[0], depth)
                walk(children, x, depth + 1)
            x += w

    walk(tree, 0.0, 0)
    height = (depth_max[0] + 3) * row
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height}" font-family="monospace" font-size="11">',
           f'<text x="4" y="13">{html.escape(title)} ({total} samples; hover for names)</text>']
    for x, depth, w, name, n in boxes:
        y = height - (depth + 1) * row
        hue = 20 + zlib.crc32(name.encode()) % 40
        label = html.escape(name)
        chars = int(w / 7)
        text = label if len(name) <= chars else (html.escape(name[:max(chars - 2, 0)]) + ".." if chars > 3 else "")
        out.append(f'<g><title>{label} ({n} samples, {100.0 * n / total:.1f}%)</title>'
                   f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 1}" fill="hsl({hue},80%,60%)"/>'
                   f'<text x="{x + 2:.1f}" y="{y + 11}">{text}</text></g>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
