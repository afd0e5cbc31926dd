#!/usr/bin/env python3
"""Evaluates expressions.jsonl with cel-cpp (PyPI `cel-expr-python`) in the
environment of the Envoy AI Gateway v0.1.5 controller and writes
expected.jsonl: one {"expr", "class", "cel_cpp"} object per line, where the
class follows cel-go: the cel-cpp class, or, where cel-cpp and cel-go
differ, the override from overrides.json (hand-written, with its reason) or
the outcome generate.py derived from cel-go's parser limits
(cel_go_derived.json).

Classes: "compile" (parse or type-check error), "eval" (evaluation error),
"result" (not an int/uint, or a negative int), "ok".
"""
import json
import sys
from pathlib import Path

from cel_expr_python import cel

HERE = Path(__file__).parent
DATA = {"model": "dummy", "backend": "dummy", "input_tokens": 0, "output_tokens": 0, "total_tokens": 0}

env = cel.NewEnv(variables={
    "model": cel.Type.STRING, "backend": cel.Type.STRING,
    "input_tokens": cel.Type.UINT, "output_tokens": cel.Type.UINT, "total_tokens": cel.Type.UINT,
})


def classify(expr):
    try:
        program = env.compile(expr)
    except Exception as ex:  # noqa: BLE001 - cel-cpp raises RuntimeError
        return "compile", str(ex).splitlines()[0][:200]
    try:
        value = program.eval(data=DATA)
    except Exception as ex:  # noqa: BLE001
        return "eval", str(ex).splitlines()[0][:200]
    name = value.type().name()
    if name == "ERROR":
        return "eval", str(value.plain_value())[:200]
    if name == "INT":
        v = value.plain_value()
        return ("result", f"int {v}") if v < 0 else ("ok", f"int {v}")
    if name == "UINT":
        return "ok", f"uint {value.plain_value()}"
    return "result", name


def main():
    overrides = json.loads((HERE / "overrides.json").read_text(encoding="utf-8"))
    derived = json.loads((HERE / "cel_go_derived.json").read_text(encoding="utf-8"))
    exprs = [json.loads(line) for line in (HERE / "expressions.jsonl").read_text(encoding="utf-8").splitlines()]
    used = set()
    with (HERE / "expected.jsonl").open("w", encoding="utf-8") as f:
        for expr in exprs:
            cls, detail = classify(expr)
            row = {"expr": expr, "class": cls, "cel_cpp": cls, "detail": detail}
            over = overrides.get(expr)
            if over is None and expr in derived and derived[expr]["class"] != cls:
                over = derived[expr]
            if over is not None:
                used.add(expr)
                row["class"] = over["class"]
                row["reason"] = over["reason"]
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    unused = set(overrides) - used
    for expr in sorted(unused):
        print(f"unused override: {expr!r}", file=sys.stderr)
    print(f"{len(exprs)} expressions, {len(used)} overridden", file=sys.stderr)


if __name__ == "__main__":
    main()
