#!/usr/bin/env python3
"""Deterministic generator of CEL cost expressions for the differential test.

Writes one expression per line (JSON strings) to expressions.jsonl. The set
covers ordinary cost expressions (random, seeded) and probes for every class
where aigw once disagreed with cel-go: limits, syntax, environment, typing,
evaluation, regexes, conversions and time.
"""
import json
import random
import sys
from pathlib import Path

SEED = 20260101
rng = random.Random(SEED)
out = []


def add(e):
    out.append(e)


def as_int(b):
    """Wraps a bool expression so that a valid one yields an int."""
    return f"({b}) ? 1 : 0"


# --- limits -----------------------------------------------------------------
# cel-cpp (as packaged in cel-expr-python) stops at a recursion depth of 32,
# cel-go v0.23 at 250 (parser.maxRecursionDepth, counted per grammar rule by
# its ANTLR parse listener and over the tree by its visitor). For these
# families the cel-go outcome is derived from that source and recorded; the
# runner uses it wherever cel-cpp's own answer differs.
LIMIT = "cel-go v0.23 parser: maxRecursionDepth 250 per grammar rule (cel-cpp here: 32)"
cel_go = {}


def expect(e, cls, reason=LIMIT):
    add(e)
    cel_go[e] = {"class": cls, "reason": reason}


for d in [10, 50, 100, 101, 120, 150, 200, 240, 245, 248, 249, 250, 251, 252, 260, 300, 400]:
    # d parentheses nest the `expr` rule d + 1 times.
    expect("(" * d + "input_tokens" + ")" * d, "compile" if d >= 250 else "ok")
    # d nested lists, then d index operations: a left-recursive `member`
    # chain of d steps whose last index expression enters `member` once more.
    expect("[" * d + "1" + "]" * d + ("[0]" * d), "compile" if d >= 249 else "ok")
for n in [50, 99, 100, 101, 200, 240, 248, 249, 250, 251, 300, 500, 1000]:
    # n - 1 left-recursive `calc` steps: depth n + 1 at the last operand.
    expect(" + ".join(["input_tokens"] * n), "compile" if n >= 250 else "ok")
    # `||` and `&&` are loops in the grammar and balanced by the visitor.
    expect(" || ".join(["false"] * n) + " ? 1 : 0", "ok")
    expect(" && ".join(["true"] * n) + " ? 1 : 0", "ok")
    # A run of unary operators is one rule; cel-go drops pairs.
    expect("-" * n + "1", "result" if n % 2 else "ok")
    expect("!" * n + "true ? 1 : 0", "ok")
    expect("model.size()" + " + 0" * n, "compile" if n >= 249 else "ok")
    expect("[" + ", ".join(["1"] * n * 10) + "].size()", "ok")
    # n `calc` steps; the argument of the last int() enters `calc` again.
    expect("1" + "".join(" + int(%d)" % i for i in range(n)), "compile" if n >= 248 else "ok")
for n in [1, 2, 5, 10, 20, 30]:
    expect("size([1, 2, 3]" + ".map(x, x + 1)" * n + ")", "ok")
    expect("[1, 2, 3]" + ".map(x, x * 2)" * n + "[0]", "ok")
    expect("size([1, 2, 3]" + ".filter(x, x > 0)" * n + ")", "ok")
for n in [1, 10, 20, 21, 22, 50, 100]:
    add("size([" + ", ".join(["model.matches('a+b*')"] * n) + "])")
    add("size([" + ", ".join([f"model.matches('^d.{{{i}}}')" for i in range(n)]) + "])")
for n in [1000, 10000, 50000, 99990, 100001]:
    add("size('" + "a" * n + "')")
expect("int(" * 100 + "1" + ")" * 100, "ok")
expect("int(" * 240 + "1" + ")" * 240, "ok")
expect("int(" * 250 + "1" + ")" * 250, "compile")
add("[1,2,3].all(x, [1,2,3].all(y, [1,2,3].all(z, x + y + z > 0))) ? 1 : 0")

# --- syntax -----------------------------------------------------------------
nums = ["0", "00", "01", "0x10", "0X10", "0xFF", "0xffu", "0XFFu", "0x", "1u", "1U", "0u",
        "-0x8000000000000000", "-0x8000000000000001", "0x7fffffffffffffff", "0x8000000000000000",
        "-9223372036854775808", "-9223372036854775809", "9223372036854775807", "9223372036854775808",
        "18446744073709551615u", "18446744073709551616u", "0xffffffffffffffffu", "0x10000000000000000u",
        "1.0", "1.", ".5", "1e3", "1E3", "1e400", "-1e400", "1e-400", "1.5e308", "1.8e308",
        "1e+3", "1e", "1.0u", "1e3u", "0.0", "-0.0", "1_000", "0b101", "0o7", "1ul", "- 1", "--1", "-(-1)",
        "-9223372036854775808u", "-1u", "0x1p4", "1.0e1000", ".e1", "1.5d"]
for n in nums:
    add(n)
    add(f"int({n})")
    add(f"{n} == {n} ? 1 : 0")
strings = ["'a'", '"a"', "'''a'''", '"""a"""', "r'\\x'", "rb'\\x'", "R'\\d'", "b'\\u00ff'", "b'\\xff'",
           "b'\\377'", "'\\377'", "'\\400'", "'\\x41'", "'\\u0041'", "'\\U00000041'", "'\\U00110000'",
           "'\\uD800'", "'\\ud7ff'", "'\\a\\b\\f\\n\\r\\t\\v'", "'\\?'", "'\\`'", "'\\''", "'\\\"'", "'\\q'",
           "'\\0'", "'\\00'", "'\\000'", "'\\x4'", "'\\X41'", "b'\\U00000041'", "B'a'", "bR'a'", "Rb'a'",
           "br'\\u00ff'", "'a\nb'", "'''a\nb'''", "r'''\\'''", "'ü'", "b'ü'", "'\\xff'", "'\\u00ff'",
           "'\\x7f'", "'\\x80'", "b'\\x80'", "u'a'", "f'a'"]
for s in strings:
    add(f"size({s})")
    add(f"{s} == {s} ? 1 : 0")
ternaries = ["true ? false ? 1 : 2 : 3", "true ? (false ? 1 : 2) : 3", "true ? 1 : false ? 2 : 3",
             "(true ? 1 : 2) + 1", "true ? 1 : 2 + 1", "true ? 1 : (2)", "true?1:2", "true ?: 1",
             "true ? 1", "model == 'a' ? 1 : model == 'b' ? 2 : model == 'c' ? 3 : 4",
             "true || false ? 1 : 0", "true ? true ? 1 : 2 : true ? 3 : 4", "!true ? 1 : 0",
             "true ? [1][0] : 0", "true ? {1: 2}[1] : 0", "true ? -1 : 0", "false ? -1 : 0"]
for t in ternaries:
    add(t)
misc_syntax = ["1 +", "+1", "1 + + 1", "(1", "1)", "[1,]", "[1,].size()", "{1: 2,}[1]", "{}.size()",
               "[].size()", "model.size()", "size(model,)", "f(", "a.b.", "1..2", "1 . size()",
               "input_tokens.", "in", "1 in [1] ? 1 : 0", "model in {'dummy': 1} ? 1 : 0", "null",
               "true", "false", "NULL", "True", "1 = 1", "1 == = 1", "1 <> 2", "1 ! = 2", "x.y.z",
               "model . size ()", "model\t+\t'a' == 'a' ? 1 : 0", "// c\n1", "1 // c", "/* c */ 1",
               "1;", "1 1", "'a' 'b'", "model['a']", "[1][0u]", "[1][0.0]", "[1][true]",
               "{'a':1}.a", "{'a':1}['a']", "{'a':1}.b", "{1u: 2}[1u]", "{true: 1}[true]",
               ".model", ".input_tokens", ".size(model)", "model.(size)()", "(model).size()",
               "int", "uint", "type(1) == int ? 1 : 0", "type(int) == type ? 1 : 0", "dyn", "type",
               "google.protobuf.Int64Value", "[1, 2, 3][1]", "in_put", "input_tokens_", "_x",
               "@in", "1 @in [1]", "_+_(1, 2)", "__result__", "x__y", "\u00a0 1", "1\u3000", "\r\n1",
               "\f1", "\v1", "reserved", "package ? 1 : 0", "as", "break", "const", "for", "let",
               "loop", "var", "void", "while", "import", "namespace", "return", "if", "else",
               "function", "null.x", "true.x", "1.x", "(1).x", "'a'.x"]
for m in misc_syntax:
    add(m)

# --- environment ------------------------------------------------------------
env = ["[1,2].exists_one(x, x == 1) ? 1 : 0", "[1,2].existsOne(x, x == 1) ? 1 : 0",
       "[1,2].exists(x, x == 1) ? 1 : 0", "[1,2].all(x, x > 0) ? 1 : 0",
       "[1,2].map(x, x * 2)[0]", "[1,2].map(x, x > 1, x * 2)[0]", "size([1,2].filter(x, x > 1))",
       "{1: 2}.all(k, k > 0) ? 1 : 0", "{1: 2}.map(k, k)[0]", "has({'a': 1}.a) ? 1 : 0",
       "has(model) ? 1 : 0", "has(model.x) ? 1 : 0", "has({'a': 1}['a']) ? 1 : 0",
       "int(duration('1s'))", "int(timestamp('1970-01-01T00:00:10Z'))", "int(duration('-1s'))",
       "uint(duration('1s'))", "double(duration('1s')) > 0.0 ? 1 : 0",
       "google.protobuf.Int64Value{value: 5}", "google.protobuf.UInt64Value{value: 5u}",
       "google.protobuf.Int32Value{value: 5}", "google.protobuf.UInt32Value{value: 5u}",
       "google.protobuf.Int64Value{}", "google.protobuf.BoolValue{value: true} ? 1 : 0",
       "google.protobuf.DoubleValue{value: 1.0} > 0.0 ? 1 : 0", "size(google.protobuf.StringValue{value: 'ab'})",
       "size(google.protobuf.BytesValue{value: b'ab'})", "google.protobuf.FloatValue{value: 1.0} > 0.0 ? 1 : 0",
       "google.protobuf.Int64Value{value: 5} + 1", "google.protobuf.Int64Value{value: 'a'}",
       "google.protobuf.Int64Value{val: 5}", "google.protobuf.Duration{seconds: 5} > duration('1s') ? 1 : 0",
       "google.protobuf.Timestamp{seconds: 5} > timestamp(0) ? 1 : 0", "google.protobuf.Value{number_value: 1.0} == 1.0 ? 1 : 0",
       "google.protobuf.Struct{}.size()", "google.protobuf.ListValue{}.size()", "google.protobuf.Any{}",
       "google.protobuf.Empty{}", "Foo{}", ".google.protobuf.Int64Value{value: 5}", "google.protobuf.Int64Value{value: 5}.value",
       "cel.bind(x, 1, x)", "math.greatest(1, 2)", "math.least(1, 2)", "'a'.upperAscii() == 'A' ? 1 : 0",
       "'abc'.substring(1).size()", "'a,b'.split(',').size()", "'abc'.indexOf('b')", "['a','b'].join(',').size()",
       "'%d'.format([1]).size()", "strings.quote('a').size()", "'a'.charAt(0).size()", "'abc'.lastIndexOf('c')",
       "'  a '.trim().size()", "'abc'.replace('b', 'x').size()", "'abc'.reverse().size()", "base64.encode(b'a').size()",
       "[1,2].sort()[0]", "sets.contains([1], [1]) ? 1 : 0", "lists.range(3).size()", "[[1]].flatten().size()",
       "optional.of(1).value()", "optional.none().orValue(1)", "[1].transformList(i, v, v)[0]",
       "{1:1}.transformMap(k, v, v)[1]", "[1].all(i, v, v > 0) ? 1 : 0", "[1].exists(i, v, v > 0) ? 1 : 0",
       "size(model)", "model.size()", "size(b'ab')", "size([1])", "size({1: 1})", "size(1)",
       "model.contains('d') ? 1 : 0", "model.startsWith('d') ? 1 : 0", "model.endsWith('y') ? 1 : 0",
       "model.matches('d') ? 1 : 0", "matches(model, 'd') ? 1 : 0", "contains(model, 'd') ? 1 : 0",
       "startsWith(model, 'd') ? 1 : 0", "type(model) == string ? 1 : 0", "type(1u) == uint ? 1 : 0",
       "type(1.0) == double ? 1 : 0", "type(null) == null_type ? 1 : 0", "type(b'a') == bytes ? 1 : 0",
       "type([]) == list ? 1 : 0", "type({}) == map ? 1 : 0", "type(true) == bool ? 1 : 0",
       "type(duration('1s')) == google.protobuf.Duration ? 1 : 0", "type(timestamp(0)) == google.protobuf.Timestamp ? 1 : 0",
       "type(type) == type ? 1 : 0", "dyn(1) == 1 ? 1 : 0", "int(dyn(1u))", "duration('1s').getSeconds()",
       "timestamp(0).getFullYear()", "timestamp(0).getMonth()", "timestamp(0).getDayOfMonth()", "timestamp(0).getDate()",
       "timestamp(0).getDayOfWeek()", "timestamp(0).getDayOfYear()", "timestamp(0).getHours()",
       "timestamp(0).getMinutes()", "timestamp(0).getSeconds()", "timestamp(0).getMilliseconds()",
       "timestamp(0).getHours('America/New_York')", "timestamp(0).getHours('+01:00')", "timestamp(0).getHours('UTC')",
       "timestamp(0).getHours('Nowhere/City')", "timestamp(0).getFullYear('-08:00')", "timestamp(0).getHours('02:00')",
       "timestamp(0).getDate('Asia/Kolkata')", "string(timestamp(0)).size()", "string(duration('1s')).size()",
       "string(duration('1.5s')) == '1.5s' ? 1 : 0", "string(timestamp(0)) == '1970-01-01T00:00:00Z' ? 1 : 0",
       "timestamp('2024-01-01T00:00:00Z') - timestamp(0) > duration('1s') ? 1 : 0",
       "(timestamp(0) + duration('1h')).getHours()", "(duration('1h') + duration('1m')).getMinutes()",
       "(duration('1h') - duration('1m')).getMinutes()", "int(timestamp(duration('1s') + timestamp(0)))",
       "bytes('abc').size()", "string(b'abc').size()", "string(b'\\xff').size()", "bytes(model).size()",
       "double(1) > 0.0 ? 1 : 0", "double(1u) > 0.0 ? 1 : 0", "int(1.9)", "int(-1.9)", "uint(1.9)", "uint(-1.0)",
       "uint(-0.5)", "int(1u)", "uint(-1)", "int(18446744073709551615u)", "int(9.223372036854775807e18)",
       "int(9.2233720368547748e18)", "int(-9.223372036854775808e18)", "uint(1.8446744073709552e19)",
       "uint(1.8446744073709550e19)", "int(double('nan'))", "int(double('inf'))", "int(timestamp(0))",
       "string(1).size()", "string(1u).size()", "string(true).size()", "string(null)", "string('a').size()",
       "string(1.5) == '1.5' ? 1 : 0", "bool('true') ? 1 : 0", "dyn([1])[0]", "dyn({'a': 1}).a",
       "dyn(model).size()", "dyn(1).size()", "[1, 'a'].size()", "[1, 'a'][0]", "{'a': 1, 'b': 'x'}.size()",
       "{'a': 1, 'b': 'x'}['a']", "int(dyn('5'))", "uint(model)", "int(model)", "timestamp(model)",
       "duration(model)", "getSeconds(duration('1s'))", "duration('1s').getSeconds('UTC')",
       "max(1, 2)", "abs(-1)", "1.0.size()", "string(model)", "model.string()"]
for e in env:
    add(e)

# --- typing -----------------------------------------------------------------
vals = ["1", "1u", "1.0", "'a'", "b'a'", "true", "null", "[1]", "['a']", "{1: 1}", "{'a': 'b'}",
        "dyn(1)", "dyn(1u)", "dyn(1.0)", "dyn('a')", "dyn([1])", "dyn(null)", "duration('1s')",
        "timestamp(0)", "input_tokens", "model", "[]", "{}", "dyn([])", "int", "type(1)"]
ops = ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "in", "&&", "||"]
for a in vals:
    for op in ops:
        b = rng.choice(vals)
        add(f"type({a} {op} {b}) == int ? 1 : 0")
        add(f"{a} {op} {b}")
for a in vals:
    for b in vals:
        if rng.random() < 0.25:
            add(f"size([{a}, {b}])")
            add(f"true ? {a} : {b}")
            add(f"size({{{a}: 1, {b}: 2}})")
            add(f"{a} == {b} ? 1 : 0")
            add(f"[{a}] + [{b}]")
            add(f"size([{a}] + [{b}])")
            add(f"({a}) == dyn({b}) ? 1 : 0")
            add(f"[{a}][0] == {b} ? 1 : 0")
add("[1] + ['a']")
add("size([1] + ['a'])")
add("([1] + ['a'])[1] == 'a' ? 1 : 0")
add("dyn(1) + 1")
add("dyn(1) + dyn(2)")
add("dyn(1) + 1u")
add("dyn(1u) + 1u")
add("dyn(1) * 2 + input_tokens")
add("dyn(1) + input_tokens")
add("dyn(input_tokens) + 1")
add("dyn(input_tokens) + 1u")
add("int(dyn(1) + dyn(1))")
add("dyn(1.0) + 1")
add("dyn(1) < 2u ? 1 : 0")
add("dyn(1) == 1u ? 1 : 0")
add("dyn(1) < 1.5 ? 1 : 0")
add("[dyn(1), 2u][0] + 1")
add("[1, 2u][0]")
add("{1: 'a', 1u: 'b'}.size()")

# --- evaluation ---------------------------------------------------------------
evals = ["[1][-1]", "[1, 2][-0]", "[1][1]", "[1][0]", "[1][0u]", "[1][1u]", "[1][0.0]", "[1][1.0]",
         "[1][dyn(-1)]", "[1,2][dyn(1u)]", "[1][dyn(0.5)]", "[1][9223372036854775807]",
         "has({'a': 1}.b) ? 1 : 0", "has({'a': {'b': 1}}.a.b) ? 1 : 0", "has({'a': 1}.a.b) ? 1 : 0",
         "has(dyn({'a': 1}).a) ? 1 : 0", "has(dyn(1).a) ? 1 : 0", "has({}.a.b) ? 1 : 0",
         "has({'a': [1][2]}.a) ? 1 : 0", "has(dyn([1][5]).a) ? 1 : 0", "has({'a': 1}['a']) ? 1 : 0",
         "{1: 1, 1: 2}[1]", "{1: 1, 1: 2}.size()", "{'a': 1, 'a': 1}.size()", "{1: 1, 1u: 2}.size()",
         "{1: 1, 1u: 2}[1]", "{1: 1, 1.0: 2}.size()", "{1: 1, 'a': 2}.size()", "{1: 1, 'a': 2}[1]",
         "{1: 1, true: 2}.size()", "{1.0: 1}.size()", "{null: 1}.size()", "{1.0: 1}[1.0]",
         "{[1]: 1}.size()", "{{}: 1}.size()", "{b'a': 1}.size()", "{duration('1s'): 1}.size()",
         "{dyn(1): 1, dyn(1): 2}.size()", "{dyn(1.0): 1}.size()", "{dyn(null): 1}.size()",
         "{dyn(1): 1, dyn(1u): 2}.size()", "{model: 1, 'dummy': 2}.size()", "{model: 1, backend: 2}.size()",
         "{1: 2}[1u]", "{1: 2}[1.0]", "{1: 2}[dyn(1u)]", "{1: 2}[dyn(1.0)]", "{1u: 2}[dyn(1)]",
         "{1: 2}[2]", "{'a': 1}[model]", "[1, 2, 3].exists(x, 1 / (x - 2) > 0) ? 1 : 0",
         "[1, 2, 3].all(x, 1 / (x - 2) > 0) ? 1 : 0", "[0, 1].exists(x, 1 / x > 0) ? 1 : 0",
         "[0, 1].all(x, 1 / x > 0) ? 1 : 0", "[1, 0].exists_one(x, 1 / x > 0) ? 1 : 0",
         "[0].map(x, 1 / x)[0]", "[0].filter(x, 1 / x > 0).size()", "1 / 0 > 0 || true ? 1 : 0",
         "true || 1 / 0 > 0 ? 1 : 0", "1 / 0 > 0 && false ? 1 : 0", "false ? 1 / 0 : 1",
         "[1/0].size()", "{'a': 1/0}.size()", "size({'a': 1/0})", "[1, 2, 3][3] > 0 || true ? 1 : 0",
         "9223372036854775807 + 1", "-9223372036854775807 - 2", "9223372036854775807 * 2",
         "-(-9223372036854775807 - 1)", "0u - 1u", "18446744073709551615u + 1u", "5 % 0", "5u % 0u",
         "-5 % 3", "5 % -3", "-5 / 2", "7 / -2", "1.0 / 0.0 > 0.0 ? 1 : 0", "0.0 / 0.0 == 0.0 / 0.0 ? 1 : 0",
         "int(1.0 / 0.0)", "1.0 % 2.0", "'a' + 'b' == 'ab' ? 1 : 0", "b'a' + b'b' == b'ab' ? 1 : 0",
         "[1] + [2] == [1, 2] ? 1 : 0", "'a' < 'b' ? 1 : 0", "b'a' < b'b' ? 1 : 0", "true < false ? 1 : 0",
         "null == null ? 1 : 0", "[1] == [1] ? 1 : 0", "{1: 2} == {1: 2} ? 1 : 0", "[1] < [2] ? 1 : 0",
         "{1:2} < {1:2} ? 1 : 0", "null < null ? 1 : 0", "duration('1s') < duration('2s') ? 1 : 0",
         "timestamp(0) < timestamp(1) ? 1 : 0", "1 in [1, 2] ? 1 : 0", "'a' in {'a': 1} ? 1 : 0",
         "3 in [1, 2] ? 1 : 0", "1 in {1: 2} ? 1 : 0", "dyn(1) in [1u] ? 1 : 0", "dyn(1u) in [1] ? 1 : 0",
         "dyn(1.0) in [1] ? 1 : 0", "dyn(1) in {1u: 2} ? 1 : 0", "[1, 2].map(x, x)[2]",
         "dyn(1) == dyn(1u) ? 1 : 0", "dyn(1) == dyn(1.0) ? 1 : 0", "dyn(1) < dyn(1.5) ? 1 : 0",
         "dyn(2u) > dyn(1) ? 1 : 0", "dyn('a') == dyn(1) ? 1 : 0", "dyn([1]) == dyn([1u]) ? 1 : 0",
         "dyn({1: 1}) == dyn({1u: 1}) ? 1 : 0", "dyn(null) == dyn(1) ? 1 : 0",
         "{dyn(1): 'a'}[dyn(1u)] == 'a' ? 1 : 0", "{dyn(1): 'a'}[dyn(1.0)] == 'a' ? 1 : 0",
         "[1, 2, 3].exists(x, x == 2) ? 1 : 0", "[].all(x, x) ? 1 : 0", "[].exists(x, x) ? 1 : 0",
         "[1, 1].exists_one(x, x == 1) ? 1 : 0", "['a', 'b'].map(x, x + x)[1].size()",
         "{'a': 1, 'b': 2}.filter(k, k == 'a').size()", "{'a': 1}.map(k, {'a': 1}[k])[0]",
         "[[1, 2], [3]].map(l, l.size())[0]", "[1,2,3].map(x, x > 1, x * 10)[0]",
         "[1,2,3].exists(x, x > 'a') ? 1 : 0", "dyn([1, 2, 'a']).exists(x, x == 'a') ? 1 : 0",
         "dyn([1, 'a']).all(x, x > 0) ? 1 : 0", "dyn([true, 1]).exists(x, x) ? 1 : 0",
         "dyn([1, true]).exists(x, x) ? 1 : 0", "dyn([false, 1]).all(x, x) ? 1 : 0",
         "dyn(1) ? 1 : 0", "dyn(true) ? 1 : 0", "dyn(1) || true ? 1 : 0", "true || dyn(1) ? 1 : 0",
         "dyn(1) || false ? 1 : 0", "false || dyn(1) ? 1 : 0", "dyn(1) && false ? 1 : 0", "!dyn(1) ? 1 : 0",
         "(1 / 0 > 0) || (2 / 0 > 0) ? 1 : 0", "int(model) > 0 || true ? 1 : 0",
         "[1, 2, 3].map(x, [x]).size()", "size([1, 2, 3].map(x, x * x))", "[1,2][dyn(1)]",
         "'abc'[0]", "b'abc'[0]", "model[0]", "{'a': 1}.a + {'b': 2}.b", "{'a': {'b': 3}}.a.b",
         "dyn({'a': 1}).b", "dyn({'a': 1})['b']", "dyn([1])['a']", "dyn({'a': 1})[1]", "dyn({1: 1})['a']",
         "dyn({1: 1})[1u]", "dyn({1: 1})[1.0]", "dyn({1u: 1})[1]"]
for e in evals:
    add(e)

# --- regexes ----------------------------------------------------------------
patterns = ["\\\\d", "\\\\w", "\\\\s", "\\\\D", "\\\\W", "\\\\S", "\\\\b", "\\\\B", "[a-z&&[^b]]", "[a&&b]", "\\\\<", "\\\\>",
            "\\\\0", "\\\\1", "\\\\01", "\\\\012", "\\\\101", "\\\\8", "\\\\Qa.b\\\\E", "\\\\Qa.b", "a{1000}", "a{1001}",
            "a{2,1000}", "a{1000,}", "a{1001,}", "(?x)a b", "(?i)A", "(?s).", "(?m)^a", "(?U)a+", "(?P<n>a)",
            "(?<n>a)", "(?'n'a)", "(a)\\\\1", "a(?=b)", "a(?!b)", "(?<=a)b", "(?>a)", "a++", "a*+", "a?+",
            "\\\\pL", "\\\\p{L}", "\\\\p{Greek}", "\\\\PL", "[[:alpha:]]", "[[:word:]]", "[[:foo:]]", "\\\\x41",
            "\\\\x{41}", "\\\\x{110000}", "\\\\u0041", "\\\\U00000041", "\\\\cA", "\\\\e", "\\\\a", "\\\\f", "\\\\v",
            "\\\\z", "\\\\Z", "\\\\A", "\\\\G", "\\\\K", "\\\\R", "\\\\h", "\\\\X", "\\\\N", "[\\\\d-z]", "[a-\\\\d]",
            "[z-a]", "[]a]", "[^]a]", "[a-]", "[]", "[^]", "(", ")", "a)", "*", "a**", "a{,3}", "a{3", "x{2}{3}",
            "(?i)dummy", "DUMMY", "d.*y", "^dummy$", "dum", "^$", "", "(a|b)*", "(?:a)", "(?i:D)ummy",
            "\\\\.", "\\\\-", "\\\\/", "\\\\@", "\\\\_", "\\\\ ", "\\\\!", "\\\\%", "\\\\y", "\\\\i", "\\\\j",
            "[\\\\w&&\\\\d]", "[a--b]", "[a~~b]", "[a||b]", "\\\\pN", "\\\\p{Nd}", "[\\\\p{L}]", "\\\\d{2,}",
            "(?-i)a", "(?i-s)a", "(?ims)a", "(?#comment)", "a{0}", "a{0,0}", "(?:a{1000}){1000}", "(a{100}){10}",
            "[[:^alpha:]]", "[a[:digit:]]", "\\\\p{^L}", "\\\\P{^L}", "(?u)a", "(?R)", "(?1)", "\\\\g1", "\\\\k<n>",
            "é", "[é]", "\\\\w+", "d\\\\w*y", "\\\\bdummy\\\\b", "[\\\\b]", "\\\\Bd"]
inputs = ["model", "'a1'", "'é'", "'٣'", "'abc'", "'a b'"]
for p in patterns:
    add(f"model.matches('{p}') ? 1 : 0")
    add(f"matches({rng.choice(inputs)}, '{p}') ? 1 : 0")
for subj in ["'٣'", "'é'", "'ß'", "'a_1'", "'\\u00a0'", "'\\u2028'", "'K'", "'\\u212a'"]:
    for p in ["^\\\\d$", "^\\\\w$", "^\\\\s$", "\\\\b", "^[[:alpha:]]$", "^\\\\pL$", "(?i)^k$", "^.$", "^[^a]$"]:
        add(f"{subj}.matches('{p}') ? 1 : 0")

# --- conversions --------------------------------------------------------------
int_strs = ["5", "+5", "-5", "05", "0x5", "0X5", "0b1", "0o7", "1_0", " 5", "5 ", "", "-", "+",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "18446744073709551615", "18446744073709551616", "1e3", "1.0", "٣", "５", "-0", "+0", "00",
            "0_1", "0x_1", "_1", "1_", "0xg", "0x", "007", "1__0", "0b", "0o", "0O7", "0B1"]
for s in int_strs:
    add(f"int('{s}')")
    add(f"uint('{s}')")
float_strs = ["1", "1.5", "+1.5", "-1.5", "1e3", "1E3", "1e400", "-1e400", "1e-400", "inf", "+inf", "-inf",
              "Inf", "INF", "infinity", "Infinity", "+Infinity", "nan", "NaN", "NAN", "-nan", "1_0",
              "1_0.5", "0x1p4", "0x1P-2", "0x10", "0x1.8p1", "0x_1p4", "0x1", ".5", "5.", ".", "", " 1",
              "1 ", "1e", "e1", "1.5e+3", "1.5e-3", "0b1", "0o7", "1.7976931348623157e308", "1.8e308",
              "4e-324", "1d", "1f", "١", "0x1.fffffffffffffp1023", "0x1p1024", "00.5", "1e0_1", "0x1p+4",
              "+.5", "-.5e1"]
for s in float_strs:
    add(f"double('{s}') > 0.0 ? 1 : 0")
    add(f"int(double('{s}'))")
bool_strs = ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False", "tRuE",
             "yes", "no", "", " true", "true ", "on", "2", "TrUe", "fAlse"]
for s in bool_strs:
    add(f"bool('{s}') ? 1 : 0")
    add(f"bool('{s}') ? 1 : 2")
doubles = ["1.0", "1.5", "0.0", "-0.0", "1e21", "1e20", "123456789.0", "1e-7", "1e-5", "0.1", "1e100",
           "100.0", "1.0 / 3.0", "2.0 / 3.0", "1e6", "1.5e300", "-1.25", "1e-320", "double('nan')",
           "double('inf')", "double('-inf')", "123456789012345680.0", "0.000001", "0.0000001", "12345.678",
           "1e15", "1e16", "1e17", "9007199254740993.0", "3.0", "33.3", "1.0e-10", "5e-324"]
for d in doubles:
    add(f"size(string({d}))")
    # dict.fromkeys drops repeats in a fixed order (a set's order follows
    # PYTHONHASHSEED, so the file was not reproducible).
    for guess in dict.fromkeys([repr(eval(d.replace("double('nan')", "float('nan')").replace("double('inf')", "float('inf')").replace("double('-inf')", "float('-inf')"))), "1", "1.0", "1e+21", "1e21"]):
        add(f"string({d}) == '{guess}' ? 1 : 0")
add("string(1.0) == '1' ? 1 : 0")
for e in ["string(1) == '1' ? 1 : 0", "string(-1) == '-1' ? 1 : 0", "string(1u) == '1' ? 1 : 0",
          "string(true) == 'true' ? 1 : 0", "string(b'a') == 'a' ? 1 : 0", "bytes('é').size()",
          "string(b'\\xc3\\xa9').size()", "string(b'\\xc3').size()", "int(' 1')", "double(' 1')",
          "int(1e19)", "int(-1e19)", "uint(1e20)", "int(9223372036854775807.0)", "int(-9223372036854775808.0)",
          "uint(18446744073709551615.0)", "int(1.5e18)", "uint(0.9)", "int(-0.9)", "double(9223372036854775807) > 0.0 ? 1 : 0",
          "int(true)", "uint(true)", "double(true)", "bool(1)", "bool('1') ? 1 : 0", "int(b'1')", "bytes(1)"]:
    add(e)

# --- time ---------------------------------------------------------------------
durs = ["0", "0s", "+5s", "-5s", "5", "1μs", "1µs", "1us", "1ns", "1ms", "1s", "1m", "1h", "1d", "1w",
        "1.5s", ".5s", "5.s", "1h30m", "1h-30m", "1s1s", "2562047h", "2562048h", "9223372036s",
        "9223372037s", "-9223372036s", "9223372036854775807ns", "9223372036854775808ns", "315576000000s",
        "315576000001s", "1e3s", "1_0s", "", "s", "1S", "1H", "1.5h", "0.000000001s", "0.0000000001s",
        "1.0000000001s", "-0", "+0", "-0s", "1 s", " 1s", "1s ", "1m1", "10000000000000000000000s",
        "2540400h10m10.000000000s", "1.5μs", "100000000000000000000ns", "00001s", "1h1m1s1ms1us1ns",
        "-1.5h", "2h45m", "1.25m", "9999999999h", "1..5s", "1sm", "1mo", "1y"]
for s in durs:
    add(f"duration('{s}').getSeconds()")
    add(f"duration('{s}') > duration('0s') ? 1 : 0")
for g in ["getHours", "getMinutes", "getSeconds", "getMilliseconds"]:
    for s in ["1.5s", "90m", "1h", "-1.5s", "1500ms", "36h", "1ms", "1ns", "2h30m15.5s", "-90s"]:
        add(f"duration('{s}').{g}()")
big = ["duration('2562047h') + duration('1h')", "duration('-2562047h') - duration('1h')",
       "duration('2562047h') * 2", "duration('100000h') + duration('100000h')",
       "timestamp(0) + duration('2562047h')", "timestamp('9999-12-31T23:59:59Z') + duration('1s')",
       "timestamp('0001-01-01T00:00:00Z') - duration('1s')", "timestamp('9999-12-31T23:59:59Z') - timestamp('0001-01-01T00:00:00Z')",
       "timestamp('2262-04-11T23:47:16Z') - timestamp(0)", "timestamp('2262-04-11T23:47:17Z') - timestamp(0)",
       "timestamp('1677-09-21T00:12:43Z') - timestamp(0)", "timestamp('1677-09-21T00:12:44Z') - timestamp(0)",
       "duration('315576000000s') + duration('1s')", "-duration('1s')", "duration('1s') - duration('2s')"]
for b in big:
    add(f"({b}) > duration('0s') ? 1 : 0")
    add(f"({b}) != timestamp(0) ? 1 : 0")
tss = ["2024-01-01T00:00:00Z", "2024-01-01T00:00:00.5Z", "2024-01-01T00:00:00.123456789Z",
       "2024-01-01T00:00:00.1234567890Z", "2024-01-01T00:00:00+01:00", "2024-01-01T00:00:00-01:00",
       "2024-01-01T00:00:00z", "2024-01-01t00:00:00Z", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00",
       "2024-01-01", "2024-1-1T00:00:00Z", "2024-01-01T24:00:00Z", "2024-02-30T00:00:00Z",
       "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01T00:00:60Z", "2024-01-01T00:00:59Z",
       "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "10000-01-01T00:00:00Z",
       "2024-01-01T00:00:00+24:00", "2024-01-01T00:00:00+23:59", "2024-01-01T00:00:00+0100",
       "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00,5Z", "2024-01-01T00:00:00+01", " 2024-01-01T00:00:00Z",
       "2024-01-01T00:00:00Z ", "2024-13-01T00:00:00Z", "2024-00-01T00:00:00Z", "1970-01-01T00:00:00Z",
       "2024-01-01T00:00:00-00:00", "2024-01-01T00:00:00+00:60", "2024-01-01T1:00:00Z", "+2024-01-01T00:00:00Z",
       "2024-01-01T00:00:00.000Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]
for s in tss:
    add(f"timestamp('{s}').getFullYear()")
    add(f"timestamp('{s}') > timestamp(0) ? 1 : 0")
for n in ["0", "1", "-1", "253402300799", "253402300800", "-62135596800", "-62135596801", "1u", "1.0", "'0'"]:
    add(f"timestamp({n}).getFullYear()")
    add(f"duration({n}) > duration('0s') ? 1 : 0")

# --- ordinary cost expressions (random) ---------------------------------------
UINTS = ["input_tokens", "output_tokens", "total_tokens"]


def g_uint(d):
    r = rng.random()
    if d <= 0 or r < 0.3:
        return rng.choice(UINTS + [f"{rng.randint(0, 1000)}u", "uint(3)", "0u"])
    if r < 0.6:
        op = rng.choice(["+", "*", "+", "/", "-", "%"])
        return f"{g_uint(d-1)} {op} {g_uint(d-1)}"
    if r < 0.75:
        return f"({g_bool(d-1)} ? {g_uint(d-1)} : {g_uint(d-1)})"
    if r < 0.85:
        return f"uint({g_int(d-1)})"
    if r < 0.9:
        return f"uint(size({g_str(d-1)}))"
    return f"({g_uint(d-1)})"


def g_int(d):
    r = rng.random()
    if d <= 0 or r < 0.3:
        return rng.choice([str(rng.randint(-5, 1000)), "int(input_tokens)", "size(model)", "0", "-1"])
    if r < 0.6:
        op = rng.choice(["+", "*", "-", "/", "%"])
        return f"{g_int(d-1)} {op} {g_int(d-1)}"
    if r < 0.75:
        return f"({g_bool(d-1)} ? {g_int(d-1)} : {g_int(d-1)})"
    if r < 0.85:
        return f"int({g_uint(d-1)})"
    if r < 0.9:
        return f"int({g_double(d-1)})"
    return f"size({g_str(d-1)})"


def g_double(d):
    r = rng.random()
    if d <= 0 or r < 0.4:
        return rng.choice(["1.5", "0.5", "2.0", f"double({rng.choice(UINTS)})", "1e3", "0.0"])
    return f"{g_double(d-1)} {rng.choice(['+', '*', '-', '/'])} {g_double(d-1)}"


def g_str(d):
    r = rng.random()
    if d <= 0 or r < 0.5:
        return rng.choice(["model", "backend", "'gpt-4'", "'dummy'", "''", "\"llama\""])
    if r < 0.8:
        return f"{g_str(d-1)} + {g_str(d-1)}"
    return f"string({g_int(d-1)})"


def g_bool(d):
    r = rng.random()
    if d <= 0 or r < 0.25:
        return rng.choice([f"model == {g_str(0)}", f"backend != {g_str(0)}", "true", "false",
                           f"{rng.choice(UINTS)} > {rng.randint(0, 10)}u", f"model.startsWith('d')",
                           "model.matches('^d.*')", "backend.contains('um')", f"model in ['a', 'dummy']"])
    if r < 0.5:
        return f"{g_bool(d-1)} {rng.choice(['&&', '||'])} {g_bool(d-1)}"
    if r < 0.6:
        return f"!{g_bool(d-1)}"
    if r < 0.75:
        return f"{g_uint(d-1)} {rng.choice(['<', '<=', '>', '>=', '==', '!='])} {g_uint(d-1)}"
    if r < 0.85:
        return f"{g_int(d-1)} {rng.choice(['<', '==', '>='])} {g_int(d-1)}"
    if r < 0.9:
        return f"[{g_uint(0)}, {g_uint(0)}].exists(x, x > {g_uint(0)})"
    return f"{g_str(d-1)} == {g_str(d-1)}"


def mutate(e):
    """Introduces a plausible mistake (type mix, undeclared name, syntax)."""
    r = rng.random()
    if r < 0.3:
        return e.replace("u", "", 1)
    if r < 0.5:
        return e.replace("input_tokens", "input_token", 1)
    if r < 0.7:
        return e + " +"
    if r < 0.85:
        return e.replace("==", "=", 1)
    return e.replace(" ", " 1.0 ", 1)


while len(out) < 4400:
    k = rng.random()
    if k < 0.45:
        e = g_uint(rng.randint(1, 4))
    elif k < 0.8:
        e = g_int(rng.randint(1, 4))
    elif k < 0.85:
        e = g_bool(2)
    else:
        e = f"{g_bool(2)} ? {g_uint(2)} : {g_uint(2)}"
    if rng.random() < 0.15:
        e = mutate(e)
    add(e)

# --- map keys of any type ----------------------------------------------------
# cel-go keeps a map literal in a Go map[ref.Val]ref.Val: keys of every type but
# bytes, compared as Go compares them (lists and maps by identity), looked up
# by refValMapAccessor.Find. cel-cpp rejects these keys, so overrides.json
# holds cel-go's verdicts. Appended after the random expressions so that the
# rows above stay as they were. A false condition yields -1 ("result").
for e in ["{1.0: 1, null: 2} == {null: 2, 1.0: 1} ? 1 : -1", "{1.0: 1} == dyn({1: 1}) ? 1 : -1",
          "dyn({1: 1}) == {1.0: 1} ? -1 : 1", "size({[1]: 1, [1]: 2}) == 2 ? 1 : -1",
          "[[1]].all(l, size({l: 1, l: 2}) == 1) ? 1 : -1",
          "size({double('nan'): 1, double('nan'): 2}) == 2 ? 1 : -1", "{double('nan'): 1}[double('nan')]",
          "size({0.0: 1, -0.0: 2}) == 1 ? 1 : -1", "has({1.0: 1, 'a': 2}.a) ? 1 : -1",
          "{1.0: 1, 2.5: 2}.exists_one(k, k > 2.0) ? 1 : -1", "{1.0: 1, 2.5: 2}.filter(k, k > 2.0)[0] == 2.5 ? 1 : -1",
          "dyn([1]) in {1.0: 1} ? -1 : 1", "{1.0: 1, 2: 2}[2.0]", "{1.0: 1}[dyn(1)]", "dyn(b'a') in {1.0: 1} ? 1 : 0",
          "size({timestamp(0): 1, timestamp('1970-01-01T00:00:00Z'): 2}) == 1 ? 1 : -1",
          "size({duration('1s'): 1, duration('1000ms'): 2}) == 1 ? 1 : -1",
          "size({int: 1, type(1): 2}) == 1 ? 1 : -1", "type({1.0: 1}) == map ? 1 : -1"]:
    add(e)

seen = set()
uniq = []
for e in out:
    if e not in seen:
        seen.add(e)
        uniq.append(e)

path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("expressions.jsonl")
with path.open("w", encoding="utf-8") as f:
    for e in uniq:
        f.write(json.dumps(e, ensure_ascii=False) + "\n")
with path.with_name("cel_go_derived.json").open("w", encoding="utf-8") as f:
    json.dump(cel_go, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{len(uniq)} expressions written to {path}", file=sys.stderr)
