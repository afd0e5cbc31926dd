//! Validation of Envoy AI Gateway LLM request-cost CEL expressions.
//!
//! The upstream controller (Go, `cel-go`) compiles a cost expression in an
//! environment declaring `model` and `backend` as `string` and
//! `input_tokens`, `output_tokens` and `total_tokens` as `uint`, with cel-go's
//! default options (standard library and macros, no cross-type numeric
//! comparisons). It then evaluates the program once with `model = "dummy"`,
//! `backend = "dummy"` and all token counts `0`, and rejects the expression if
//! evaluation fails, if the result is not an `int`/`uint`, or if it is a
//! negative `int`.
//!
//! This module reproduces that check offline:
//!
//! 1. a cheap, iterative pre-scan bounds the input size and nesting depth so
//!    that the recursive parser, checker and evaluator cannot exhaust the stack;
//! 2. the expression is parsed and type-checked by the `cel-core` crate with the
//!    same declarations and the cel-go default macro set;
//! 3. a second, stricter pass re-checks the generic operators (`==`, `!=`,
//!    `in`, `?:`, map indexing) the way cel-go unifies their type parameters,
//!    because `cel-core` widens conflicting bindings to `dyn` where cel-go
//!    reports "no matching overload" (e.g. `input_tokens == 3`);
//! 4. a static cost bound rejects expressions (comprehension macros, regular
//!    expressions) that could take unreasonably long to evaluate;
//! 5. the program is evaluated with the dummy inputs and the result classified.
//!
//! All of this runs on a dedicated worker thread with a fixed, generous stack
//! so that the outcome does not depend on the caller's stack size, and a panic
//! inside the CEL library is reported as an error instead of propagating.

use std::collections::HashMap;
use std::fmt;

use cel_core::parser::macros::STANDARD_MACROS;
use cel_core::parser::{parse_with_options, MacroRegistry, MacroStyle, ParseOptions};
use cel_core::{Ast, BinaryOp, CelType, CheckError, Env, Expr, MapActivation, SpannedExpr, Value};

/// Why a cost expression was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CelCostError {
    /// Syntax error; message says where/what.
    Parse(String),
    /// Type-check error (undeclared reference, no matching overload, ...).
    Check(String),
    /// Evaluation with the dummy inputs failed.
    Eval(String),
    /// Result type is not int/uint; carries the CEL type name, e.g. "double".
    NotInteger(String),
    /// Result is a negative int; carries the value.
    Negative(i64),
}

impl fmt::Display for CelCostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CelCostError::Parse(msg) => write!(f, "syntax error in cost expression: {msg}"),
            CelCostError::Check(msg) => write!(f, "type error in cost expression: {msg}"),
            CelCostError::Eval(msg) => {
                write!(
                    f,
                    "cost expression failed to evaluate with dummy inputs: {msg}"
                )
            }
            CelCostError::NotInteger(ty) => write!(
                f,
                "cost expression must evaluate to an int or uint, not {ty}"
            ),
            CelCostError::Negative(value) => write!(
                f,
                "cost expression must not evaluate to a negative value, but evaluated to {value}"
            ),
        }
    }
}

impl std::error::Error for CelCostError {}

/// cel-go's default parser limit on the expression size, in code points.
const MAX_CODE_POINTS: usize = 100_000;
/// Upper bound on the number of lexical tokens. cel-go has no such limit, but
/// `cel-core`'s checker takes time quadratic in the number of generic operator
/// uses, so pathological inputs near the size limit would take seconds; real
/// cost expressions have a few dozen tokens.
const MAX_TOKENS: usize = 10_000;
/// Upper bound on the syntactic nesting computed by [`prescan`].
const MAX_NESTING: usize = 100;
/// Upper bound on the depth of the parsed (macro-expanded) syntax tree.
const MAX_AST_DEPTH: usize = 400;
/// Upper bound on the statically estimated evaluation cost (abstract units,
/// roughly "values touched").
const MAX_EVAL_COST: u64 = 10_000_000;
/// Fixed cost charged for every regular-expression match (the pattern is
/// compiled on each call, which can take a while for large repetitions).
const REGEX_CALL_COST: u64 = 500_000;
/// Stack size of the worker thread that runs the recursive CEL passes. The
/// pre-scan keeps the recursion depth of `cel-core`'s parser, checker and
/// evaluator around [`MAX_NESTING`] levels (a few KiB of stack each, measured
/// at up to ~8 KiB per parenthesis level); this size also covers
/// [`MAX_TOKENS`] levels as a second line of defence. Only the pages actually
/// used are committed.
const WORKER_STACK_SIZE: usize = 64 * 1024 * 1024;

/// Name of the accumulator variable that `cel-core` uses in macro expansions.
const ACCUMULATOR_NAME: &str = "__result__";
/// The dummy string value bound to `model` and `backend` by upstream.
const DUMMY: &str = "dummy";

/// The declared variables and their types.
const STRING_VARS: [&str; 2] = ["model", "backend"];
const UINT_VARS: [&str; 3] = ["input_tokens", "output_tokens", "total_tokens"];

/// Checks a cost expression the way the Envoy AI Gateway controller does.
///
/// Returns `Ok(())` when the controller would accept the expression.
pub fn check_cost_expression(expr: &str) -> Result<(), CelCostError> {
    let scan = prescan(expr)?;
    run_isolated(&|| check_scanned(expr, &scan))
}

/// Runs `job` on a worker thread with a known stack size, converting a panic
/// into an error. Falls back to running inline if no thread can be spawned.
fn run_isolated<F>(job: &F) -> Result<(), CelCostError>
where
    F: Fn() -> Result<(), CelCostError> + Sync,
{
    let spawned = std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("cel-cost-check".to_string())
            .stack_size(WORKER_STACK_SIZE)
            .spawn_scoped(scope, job);
        match handle {
            Ok(handle) => Some(handle.join().unwrap_or_else(|_| Err(internal_error()))),
            Err(_) => None,
        }
    });
    match spawned {
        Some(result) => result,
        None => std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))
            .unwrap_or_else(|_| Err(internal_error())),
    }
}

fn internal_error() -> CelCostError {
    CelCostError::Eval("internal error in the CEL library while checking the expression".into())
}

// ---------------------------------------------------------------------------
// Pre-scan
// ---------------------------------------------------------------------------

/// Facts gathered by [`prescan`] that are reported only once parsing succeeded.
struct Scan {
    /// Whether the source mentions the macro accumulator identifier.
    mentions_accumulator: bool,
}

/// Iteratively scans the source, mirroring the CEL lexer closely enough to
/// skip string literals and comments, and computes an upper bound on the depth
/// of the syntax tree the parser will build.
///
/// The bound is the sum, over the currently open brackets (plus the top level),
/// of one plus the number of operator tokens seen at that bracket level since
/// its last comma. Every operator (binary, unary, `?`, `.`, and a postfix call,
/// index or message-literal bracket) adds at most one level of parser
/// recursion and tree depth, and every bracket opens a level, so this never
/// underestimates; it may overestimate for long flat operator chains, which
/// are also deep trees.
fn prescan(src: &str) -> Result<Scan, CelCostError> {
    if src.chars().count() > MAX_CODE_POINTS {
        return Err(CelCostError::Parse(format!(
            "expression is longer than {MAX_CODE_POINTS} code points"
        )));
    }
    if src.trim().is_empty() {
        return Err(CelCostError::Parse("expression is empty".into()));
    }

    let bytes = src.as_bytes();
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut scan = Scan {
        mentions_accumulator: false,
    };
    // Operator count per open bracket level (index 0 is the top level).
    let mut levels: Vec<usize> = vec![1];
    let mut total: usize = 1;
    // Whether the previous token ends an operand, making a following bracket a
    // postfix call, index or message literal.
    let mut prev_operand = false;
    let mut tokens = 0usize;
    let mut i = 0;

    while i < bytes.len() {
        let c = at(i);
        let mut ops = 0usize;
        let mut operand = false;
        let mut is_token = true;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0c => {
                i += 1;
                operand = prev_operand;
                is_token = false;
            }
            b'/' if at(i + 1) == b'/' => {
                while i < bytes.len() && at(i) != b'\n' {
                    i += 1;
                }
                operand = prev_operand;
                is_token = false;
            }
            b'\'' | b'"' => {
                i = skip_string(bytes, i, false);
                operand = true;
            }
            b'`' => {
                return Err(CelCostError::Parse(format!(
                    "unsupported syntax '`' at {}",
                    position(src, i)
                )))
            }
            b'0'..=b'9' => {
                i = skip_number(bytes, i);
                operand = true;
            }
            b'.' if at(i + 1).is_ascii_digit() => {
                i = skip_number(bytes, i);
                operand = true;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let start = i;
                while matches!(at(i), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') {
                    i += 1;
                }
                let word = src.get(start..i).unwrap_or("");
                let next = at(i);
                operand = word != "in";
                if (next == b'\'' || next == b'"') && is_string_prefix(word) {
                    let raw = word.contains(['r', 'R']);
                    i = skip_string(bytes, i, raw);
                } else if word == "in" {
                    ops = 1;
                } else if word == ACCUMULATOR_NAME {
                    scan.mentions_accumulator = true;
                }
            }
            b'(' | b'[' | b'{' => {
                if prev_operand {
                    ops = 1;
                }
                levels.push(1);
                total += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                if levels.len() > 1 {
                    total -= levels.pop().unwrap_or(0);
                }
                i += 1;
                operand = true;
            }
            b',' => {
                if let Some(top) = levels.last_mut() {
                    total -= *top - 1;
                    *top = 1;
                }
                i += 1;
            }
            b'=' | b'!' | b'<' | b'>' | b'&' | b'|' => {
                // Two-character operators (==, !=, <=, >=, &&, ||) count once.
                let pair = matches!(
                    (c, at(i + 1)),
                    (b'=' | b'!' | b'<' | b'>', b'=') | (b'&', b'&') | (b'|', b'|')
                );
                i += if pair { 2 } else { 1 };
                ops = 1;
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'?' | b'.' => {
                i += 1;
                ops = 1;
            }
            // ':' separates ternary branches and map entries; anything else is
            // left for the real lexer to accept or reject.
            _ => i += 1,
        }
        if is_token {
            tokens += 1;
            if tokens > MAX_TOKENS {
                return Err(CelCostError::Parse(format!(
                    "expression has more than {MAX_TOKENS} tokens"
                )));
            }
        }
        if ops > 0 {
            // For an opening bracket this is the level that contains it.
            let containing = if matches!(c, b'(' | b'[' | b'{') {
                levels.len().checked_sub(2)
            } else {
                levels.len().checked_sub(1)
            };
            if let Some(level) = containing.and_then(|idx| levels.get_mut(idx)) {
                *level += ops;
                total += ops;
            }
        }
        prev_operand = operand;
        if total > MAX_NESTING {
            return Err(CelCostError::Parse(format!(
                "expression is nested too deeply or has too many chained operators \
                 (more than {MAX_NESTING} levels) at {}",
                position(src, i.min(bytes.len()))
            )));
        }
    }
    Ok(scan)
}

/// Whether `word` is a string/bytes literal prefix (`r`, `b`, `rb`, `br`, any case).
fn is_string_prefix(word: &str) -> bool {
    matches!(word.to_ascii_lowercase().as_str(), "r" | "b" | "rb" | "br")
}

/// Skips a string literal whose opening quote is at `start`; returns the index
/// just past it (or the end of input if it is unterminated, which the real
/// lexer rejects).
fn skip_string(bytes: &[u8], start: usize, raw: bool) -> usize {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let quote = at(start);
    let len = bytes.len();
    if at(start + 1) == quote && at(start + 2) == quote {
        // Triple-quoted: the closing delimiter is checked before escapes.
        let mut j = start + 3;
        while j < len {
            if at(j) == quote && at(j + 1) == quote && at(j + 2) == quote {
                return j + 3;
            }
            j += if !raw && at(j) == b'\\' { 2 } else { 1 };
        }
        return len;
    }
    let mut j = start + 1;
    while j < len {
        let c = at(j);
        if c == quote {
            return j + 1;
        }
        if !raw && c == b'\\' {
            j += 2;
            continue;
        }
        if !raw && c == b'\n' {
            // Not allowed in a single-line string: the lexer fails here.
            return j;
        }
        j += 1;
    }
    len
}

/// Skips a numeric literal starting at `start` (a digit, or `.` followed by a
/// digit), following the CEL lexer's longest-match rules.
fn skip_number(bytes: &[u8], start: usize) -> usize {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let digits = |mut i: usize| {
        while at(i).is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut i = start;
    if at(i) == b'0' && matches!(at(i + 1), b'x' | b'X') && at(i + 2).is_ascii_hexdigit() {
        i += 2;
        while at(i).is_ascii_hexdigit() {
            i += 1;
        }
        if matches!(at(i), b'u' | b'U') {
            i += 1;
        }
        return i;
    }
    i = digits(i);
    let mut is_float = false;
    if at(i) == b'.' && at(i + 1).is_ascii_digit() {
        i = digits(i + 1);
        is_float = true;
    }
    if matches!(at(i), b'e' | b'E') {
        let mut j = i + 1;
        if matches!(at(j), b'+' | b'-') {
            j += 1;
        }
        if at(j).is_ascii_digit() {
            i = digits(j);
            is_float = true;
        }
    }
    if !is_float && matches!(at(i), b'u' | b'U') {
        i += 1;
    }
    i
}

/// Formats a byte offset as a 1-based "line L, column C" position.
fn position(src: &str, offset: usize) -> String {
    let mut line = 1usize;
    let mut column = 1usize;
    for (idx, ch) in src.char_indices() {
        if idx >= offset {
            break;
        }
        if ch == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    format!("line {line}, column {column}")
}

// ---------------------------------------------------------------------------
// Parse, check, evaluate
// ---------------------------------------------------------------------------

/// The environment of the upstream controller.
fn cost_env() -> Env {
    let mut env = Env::with_standard_library();
    for name in STRING_VARS {
        env.add_variable(name, CelType::String);
    }
    for name in UINT_VARS {
        env.add_variable(name, CelType::UInt);
    }
    env
}

/// cel-go's default macros: `has`, `all`, `exists`, `exists_one`/`existsOne`,
/// `map` (2 and 3 arguments) and `filter`. `cel-core`'s standard set also has
/// extension macros (`cel.bind`, two-variable comprehensions, optionals) that
/// a default cel-go environment does not know.
fn default_macros() -> MacroRegistry {
    let mut registry = MacroRegistry::new();
    for m in STANDARD_MACROS {
        let wanted = matches!(
            (m.name, m.style, m.arg_count.count()),
            ("has", MacroStyle::Global, 1)
                | (
                    "all" | "exists" | "exists_one" | "existsOne" | "filter",
                    MacroStyle::Receiver,
                    2
                )
                | ("map", MacroStyle::Receiver, 2 | 3)
        );
        if wanted {
            registry.register(m.clone());
        }
    }
    registry
}

fn check_scanned(src: &str, scan: &Scan) -> Result<(), CelCostError> {
    let parsed = parse_with_options(src, ParseOptions::with_macros(default_macros()));
    if let Some(err) = parsed.errors.first() {
        return Err(CelCostError::Parse(format!(
            "{} at {}",
            err.message,
            position(src, err.span.start)
        )));
    }
    let mut expr = parsed
        .ast
        .ok_or_else(|| CelCostError::Parse("expression is empty".into()))?;

    let mut deferred_check = None;
    validate_syntax(&mut expr, 0, src, &mut deferred_check)?;
    if scan.mentions_accumulator {
        return Err(CelCostError::Check(format!(
            "undeclared reference to '{ACCUMULATOR_NAME}'"
        )));
    }
    if let Some(msg) = deferred_check {
        return Err(CelCostError::Check(msg));
    }

    let env = cost_env();
    let checked = env.check(&expr);
    if !checked.errors.is_empty() {
        return Err(CelCostError::Check(format_check_errors(
            src,
            &checked.errors,
        )));
    }
    strict_generic_check(&expr, &checked.type_map, src)?;

    // No accumulator is in scope at the top level, so the bound is constant.
    let cost = estimate(&expr, &mut Vec::new()).cost.at(u64::MAX);
    if cost > MAX_EVAL_COST {
        return Err(CelCostError::Eval(format!(
            "expression is too expensive to evaluate safely (estimated cost {cost} exceeds \
             the limit of {MAX_EVAL_COST})"
        )));
    }

    let ast = Ast::new_checked(expr, src, checked);
    let program = env
        .program(&ast)
        .map_err(|err| CelCostError::Eval(err.to_string()))?;
    let mut activation = MapActivation::new();
    for name in STRING_VARS {
        activation.insert(name, DUMMY);
    }
    for name in UINT_VARS {
        activation.insert(name, Value::UInt(0));
    }
    classify(program.eval(&activation))
}

fn format_check_errors(src: &str, errors: &[CheckError]) -> String {
    let shown: Vec<String> = errors
        .iter()
        .take(3)
        .map(|e| format!("{} at {}", e.message(), position(src, e.span.start)))
        .collect();
    let mut msg = shown.join("; ");
    if errors.len() > shown.len() {
        msg.push_str(&format!(" (and {} more)", errors.len() - shown.len()));
    }
    msg
}

fn classify(value: Value) -> Result<(), CelCostError> {
    match value {
        Value::Int(v) if v < 0 => Err(CelCostError::Negative(v)),
        Value::Int(_) | Value::UInt(_) => Ok(()),
        Value::Error(err) => Err(CelCostError::Eval(err.message.clone())),
        other => Err(CelCostError::NotInteger(value_type_name(&other))),
    }
}

/// The CEL type name of a value, as cel-go prints `out.Type()`.
fn value_type_name(value: &Value) -> String {
    match value {
        Value::Null => "null_type".into(),
        Value::Bool(_) => "bool".into(),
        Value::Int(_) => "int".into(),
        Value::UInt(_) => "uint".into(),
        Value::Double(_) => "double".into(),
        Value::String(_) => "string".into(),
        Value::Bytes(_) => "bytes".into(),
        Value::List(_) => "list".into(),
        Value::Map(_) => "map".into(),
        Value::Timestamp(_) => "google.protobuf.Timestamp".into(),
        Value::Duration(_) => "google.protobuf.Duration".into(),
        Value::Type(_) => "type".into(),
        Value::Optional(_) => "optional_type".into(),
        other => other.cel_type().display_name(),
    }
}

// ---------------------------------------------------------------------------
// Syntax validation
// ---------------------------------------------------------------------------

/// Rejects syntax that `cel-core` accepts but a default cel-go parser does not
/// (optional syntax, calls on arbitrary expressions), bounds the tree depth,
/// and records the first check-level problem (message literals) in `deferred`.
fn validate_syntax(
    expr: &mut SpannedExpr,
    depth: usize,
    src: &str,
    deferred: &mut Option<String>,
) -> Result<(), CelCostError> {
    if depth > MAX_AST_DEPTH {
        return Err(CelCostError::Parse(format!(
            "expression is nested too deeply (more than {MAX_AST_DEPTH} levels after macro expansion)"
        )));
    }
    let optional_syntax = |what: &str, start: usize| {
        CelCostError::Parse(format!(
            "unsupported syntax '{what}' (optional types are not enabled) at {}",
            position(src, start)
        ))
    };
    let start = expr.span.start;
    let next = depth + 1;
    match &mut expr.node {
        Expr::List(elements) => {
            for element in elements.iter_mut() {
                if element.optional {
                    return Err(optional_syntax("[?", element.expr.span.start));
                }
                validate_syntax(&mut element.expr, next, src, deferred)?;
            }
        }
        Expr::Map(entries) => {
            for entry in entries.iter_mut() {
                if entry.optional {
                    return Err(optional_syntax("{?", entry.key.span.start));
                }
                validate_syntax(&mut entry.key, next, src, deferred)?;
                validate_syntax(&mut entry.value, next, src, deferred)?;
            }
        }
        Expr::Unary { expr: inner, .. } => validate_syntax(inner, next, src, deferred)?,
        Expr::Binary { left, right, .. } => {
            validate_syntax(left, next, src, deferred)?;
            validate_syntax(right, next, src, deferred)?;
        }
        Expr::Ternary {
            cond,
            then_expr,
            else_expr,
        } => {
            validate_syntax(cond, next, src, deferred)?;
            validate_syntax(then_expr, next, src, deferred)?;
            validate_syntax(else_expr, next, src, deferred)?;
        }
        Expr::Member {
            expr: inner,
            optional,
            ..
        } => {
            if *optional {
                return Err(optional_syntax(".?", start));
            }
            validate_syntax(inner, next, src, deferred)?;
        }
        Expr::Index {
            expr: inner,
            index,
            optional,
        } => {
            if *optional {
                return Err(optional_syntax("[?", start));
            }
            validate_syntax(inner, next, src, deferred)?;
            validate_syntax(index, next, src, deferred)?;
        }
        Expr::Call { expr: callee, args } => {
            match &mut callee.node {
                Expr::Ident(_) => {}
                // `.f(x)`: a root-scoped global function; the container is empty,
                // so it names the same function as `f(x)`.
                Expr::RootIdent(name) => {
                    let name = std::mem::take(name);
                    callee.node = Expr::Ident(name);
                }
                Expr::Member { .. } => validate_syntax(callee, next, src, deferred)?,
                _ => {
                    return Err(CelCostError::Parse(format!(
                        "unsupported call syntax: only functions and methods can be called, at {}",
                        position(src, start)
                    )))
                }
            }
            for arg in args.iter_mut() {
                validate_syntax(arg, next, src, deferred)?;
            }
        }
        Expr::Struct { type_name, fields } => {
            if deferred.is_none() {
                let name = src
                    .get(type_name.span.start..type_name.span.end)
                    .unwrap_or("message")
                    .trim()
                    .to_string();
                *deferred = Some(format!(
                    "undeclared reference to '{name}' at {}",
                    position(src, start)
                ));
            }
            for field in fields.iter_mut() {
                if field.optional {
                    return Err(optional_syntax("?", field.value.span.start));
                }
                validate_syntax(&mut field.value, next, src, deferred)?;
            }
        }
        Expr::Comprehension(comp) => {
            validate_syntax(&mut comp.iter_range, next, src, deferred)?;
            validate_syntax(&mut comp.accu_init, next, src, deferred)?;
            validate_syntax(&mut comp.loop_condition, next, src, deferred)?;
            validate_syntax(&mut comp.loop_step, next, src, deferred)?;
            validate_syntax(&mut comp.result, next, src, deferred)?;
        }
        Expr::MemberTestOnly { expr: inner, .. } => validate_syntax(inner, next, src, deferred)?,
        Expr::Bind { .. } => {
            return Err(CelCostError::Parse(format!(
                "unsupported macro 'cel.bind' at {}",
                position(src, start)
            )))
        }
        Expr::Error => {
            return Err(CelCostError::Parse(format!(
                "invalid expression at {}",
                position(src, start)
            )))
        }
        Expr::Null
        | Expr::Bool(_)
        | Expr::Int(_)
        | Expr::UInt(_)
        | Expr::Float(_)
        | Expr::String(_)
        | Expr::Bytes(_)
        | Expr::Ident(_)
        | Expr::RootIdent(_) => {}
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Strict type-parameter unification (cel-go semantics)
// ---------------------------------------------------------------------------

/// Re-checks the operators whose overloads use type parameters. cel-go binds
/// the parameter to the first argument's type and then requires the other
/// argument to be assignable to it, so `input_tokens == 3` (uint vs int),
/// `true ? 1 : 1u` and `1 == null` are "no matching overload" errors there,
/// while `cel-core` silently widens the parameter to `dyn`.
fn strict_generic_check(
    expr: &SpannedExpr,
    types: &HashMap<i64, CelType>,
    src: &str,
) -> Result<(), CelCostError> {
    let ty = |e: &SpannedExpr| types.get(&e.id).cloned().unwrap_or(CelType::Dyn);
    let mismatch = |function: &str, args: &[CelType]| {
        let names: Vec<String> = args.iter().map(CelType::display_name).collect();
        CelCostError::Check(format!(
            "no matching overload for '{function}' with argument types ({}) at {}",
            names.join(", "),
            position(src, expr.span.start)
        ))
    };
    match &expr.node {
        Expr::Binary { op, left, right } => {
            strict_generic_check(left, types, src)?;
            strict_generic_check(right, types, src)?;
            let (lt, rt) = (ty(left), ty(right));
            match op {
                BinaryOp::Eq | BinaryOp::Ne if !assignable(&rt, &lt) => {
                    let name = if *op == BinaryOp::Eq { "_==_" } else { "_!=_" };
                    return Err(mismatch(name, &[lt, rt]));
                }
                BinaryOp::In => {
                    let ok = match &rt {
                        CelType::List(elem) => assignable(elem, &lt),
                        CelType::Map(key, _) => assignable(key, &lt),
                        _ => true,
                    };
                    if !ok {
                        return Err(mismatch("@in", &[lt, rt]));
                    }
                }
                _ => {}
            }
        }
        Expr::Ternary {
            cond,
            then_expr,
            else_expr,
        } => {
            strict_generic_check(cond, types, src)?;
            strict_generic_check(then_expr, types, src)?;
            strict_generic_check(else_expr, types, src)?;
            let (tt, et) = (ty(then_expr), ty(else_expr));
            if !assignable(&et, &tt) {
                return Err(mismatch("_?_:_", &[ty(cond), tt, et]));
            }
        }
        Expr::Index {
            expr: container,
            index,
            ..
        } => {
            strict_generic_check(container, types, src)?;
            strict_generic_check(index, types, src)?;
            let (ct, it) = (ty(container), ty(index));
            let key_ok = match &ct {
                CelType::Map(key, _) => assignable(&it, key),
                _ => true,
            };
            if !key_ok {
                return Err(mismatch("_[_]", &[ct.clone(), it]));
            }
        }
        Expr::List(elements) => {
            for element in elements {
                strict_generic_check(&element.expr, types, src)?;
            }
        }
        Expr::Map(entries) => {
            for entry in entries {
                strict_generic_check(&entry.key, types, src)?;
                strict_generic_check(&entry.value, types, src)?;
            }
        }
        Expr::Unary { expr: inner, .. }
        | Expr::Member { expr: inner, .. }
        | Expr::MemberTestOnly { expr: inner, .. } => strict_generic_check(inner, types, src)?,
        Expr::Call { expr: callee, args } => {
            strict_generic_check(callee, types, src)?;
            for arg in args {
                strict_generic_check(arg, types, src)?;
            }
        }
        Expr::Struct { fields, .. } => {
            for field in fields {
                strict_generic_check(&field.value, types, src)?;
            }
        }
        Expr::Comprehension(comp) => {
            strict_generic_check(&comp.iter_range, types, src)?;
            strict_generic_check(&comp.accu_init, types, src)?;
            strict_generic_check(&comp.loop_condition, types, src)?;
            strict_generic_check(&comp.loop_step, types, src)?;
            strict_generic_check(&comp.result, types, src)?;
        }
        Expr::Bind { init, body, .. } => {
            strict_generic_check(init, types, src)?;
            strict_generic_check(body, types, src)?;
        }
        _ => {}
    }
    Ok(())
}

/// Whether a value of type `from` is assignable to `to`, following cel-go's
/// `internalIsAssignable` for concrete (already substituted) types.
fn assignable(from: &CelType, to: &CelType) -> bool {
    use CelType as T;
    let wildcard = |t: &CelType| {
        matches!(
            t,
            T::Dyn | T::Error | T::TypeVar(_) | T::TypeParam(_) | T::Enum(_) | T::Function { .. }
        )
    };
    if wildcard(from) || wildcard(to) {
        return true;
    }
    let nullable = |t: &CelType| {
        matches!(
            t,
            T::Null
                | T::Timestamp
                | T::Duration
                | T::Message(_)
                | T::Abstract { .. }
                | T::Optional(_)
                | T::Wrapper(_)
        )
    };
    match (from, to) {
        (T::Null, other) | (other, T::Null) => nullable(other),
        (T::Wrapper(inner), other) | (other, T::Wrapper(inner)) => assignable(inner, other),
        (T::Type(_), T::Type(_)) => true,
        (T::List(a), T::List(b)) => assignable(a, b),
        (T::Map(k1, v1), T::Map(k2, v2)) => assignable(k1, k2) && assignable(v1, v2),
        (T::Optional(a), T::Optional(b)) => assignable(a, b),
        (
            T::Abstract {
                name: n1,
                params: p1,
            },
            T::Abstract {
                name: n2,
                params: p2,
            },
        ) => {
            n1 == n2
                && p1.len() == p2.len()
                && p1.iter().zip(p2.iter()).all(|(a, b)| assignable(a, b))
        }
        _ => from == to,
    }
}

// ---------------------------------------------------------------------------
// Static cost bound
// ---------------------------------------------------------------------------

/// A bound that is linear in the size `A` of the accumulator of the innermost
/// enclosing comprehension: `base + per_accu * A` (saturating).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Lin {
    base: u64,
    per_accu: u64,
}

impl Lin {
    const SATURATED: Lin = Lin {
        base: u64::MAX,
        per_accu: u64::MAX,
    };

    const fn constant(base: u64) -> Self {
        Lin { base, per_accu: 0 }
    }

    fn plus(self, other: Lin) -> Lin {
        Lin {
            base: self.base.saturating_add(other.base),
            per_accu: self.per_accu.saturating_add(other.per_accu),
        }
    }

    fn plus_const(self, value: u64) -> Lin {
        self.plus(Lin::constant(value))
    }

    /// An upper bound of `max(self, other)` for every accumulator size.
    fn join(self, other: Lin) -> Lin {
        Lin {
            base: self.base.max(other.base),
            per_accu: self.per_accu.max(other.per_accu),
        }
    }

    fn at(self, accu: u64) -> u64 {
        self.base.saturating_add(self.per_accu.saturating_mul(accu))
    }

    fn is_constant(self) -> bool {
        self.per_accu == 0
    }
}

/// Upper bounds for one sub-expression: `size` bounds the total size of its
/// value (one per value, plus list/map elements recursively, plus string and
/// bytes length), `elem` bounds the size of any element, key or field value
/// of it, and `cost` bounds the work needed to evaluate it.
#[derive(Clone, Copy)]
struct Bound {
    size: Lin,
    elem: Lin,
    cost: Lin,
}

impl Bound {
    const SATURATED: Bound = Bound {
        size: Lin::SATURATED,
        elem: Lin::SATURATED,
        cost: Lin::SATURATED,
    };

    /// A value of the given size whose parts are bounded by the whole.
    fn opaque(size: Lin, cost: Lin) -> Bound {
        Bound {
            size,
            elem: size,
            cost,
        }
    }
}

/// Size bounds of a variable in scope: the value and any of its elements.
#[derive(Clone, Copy)]
struct VarBound {
    size: Lin,
    elem: Lin,
}

/// Size bound of a value produced by a function call, beyond its arguments
/// (e.g. `string(1.5)`, `type(x)`, timestamps).
const CALL_RESULT_SLACK: u64 = 64;

/// Computes a sound upper bound on the evaluation cost of `expr`.
///
/// Without comprehensions every node is evaluated at most once and values only
/// grow through concatenation, so the bound is roughly the tree size times its
/// depth. A comprehension iterates at most `size(range)` times; the size of its
/// accumulator is tracked as a linear function of the previous size, which
/// bounds the final accumulator size whenever the step does not duplicate it
/// (true for every standard macro) and saturates otherwise. Every node is
/// visited once, so the estimate itself runs in linear time.
fn estimate<'a>(expr: &'a SpannedExpr, scope: &mut Vec<(&'a str, VarBound)>) -> Bound {
    let one = Lin::constant(1);
    let leaf = |size: u64| Bound::opaque(Lin::constant(size), one);
    let len = |n: usize| u64::try_from(n).unwrap_or(u64::MAX).saturating_add(1);
    match &expr.node {
        Expr::Null | Expr::Bool(_) | Expr::Int(_) | Expr::UInt(_) | Expr::Float(_) => leaf(1),
        Expr::String(s) => leaf(len(s.len())),
        Expr::Bytes(b) => leaf(len(b.len())),
        Expr::Error => leaf(1),
        Expr::Ident(name) | Expr::RootIdent(name) => {
            let local = scope
                .iter()
                .rev()
                .find(|(n, _)| *n == name.as_str())
                .map(|(_, var)| *var);
            match local {
                Some(var) => Bound {
                    size: var.size,
                    elem: var.elem,
                    cost: one,
                },
                None if STRING_VARS.contains(&name.as_str()) => leaf(len(DUMMY.len())),
                None => leaf(1),
            }
        }
        Expr::List(elements) => {
            let mut bound = Bound {
                size: one,
                elem: one,
                cost: one,
            };
            for element in elements {
                let b = estimate(&element.expr, scope);
                bound.size = bound.size.plus(b.size);
                bound.elem = bound.elem.join(b.size);
                bound.cost = bound.cost.plus(b.cost).plus_const(1);
            }
            bound
        }
        Expr::Map(entries) => {
            let mut bound = Bound {
                size: one,
                elem: one,
                cost: one,
            };
            for entry in entries {
                let k = estimate(&entry.key, scope);
                let v = estimate(&entry.value, scope);
                bound.size = bound.size.plus(k.size).plus(v.size);
                bound.elem = bound.elem.join(k.size).join(v.size);
                // Building the map compares keys: charge the key size a few
                // times over on top of a per-entry overhead.
                bound.cost = bound
                    .cost
                    .plus(k.cost)
                    .plus(v.cost)
                    .plus(k.size)
                    .plus(k.size)
                    .plus(k.size)
                    .plus(k.size)
                    .plus_const(16);
            }
            bound
        }
        Expr::Unary { expr: inner, .. } => {
            let b = estimate(inner, scope);
            Bound::opaque(one, b.cost.plus_const(1))
        }
        Expr::Binary { op, left, right } => {
            let l = estimate(left, scope);
            let r = estimate(right, scope);
            let cost = l.cost.plus(r.cost).plus(l.size).plus(r.size).plus_const(1);
            if *op == BinaryOp::Add {
                Bound {
                    size: l.size.plus(r.size),
                    elem: l.elem.join(r.elem),
                    cost,
                }
            } else {
                Bound::opaque(one, cost)
            }
        }
        Expr::Ternary {
            cond,
            then_expr,
            else_expr,
        } => {
            // Only one branch is evaluated.
            let c = estimate(cond, scope);
            let t = estimate(then_expr, scope);
            let e = estimate(else_expr, scope);
            Bound {
                size: t.size.join(e.size),
                elem: t.elem.join(e.elem),
                cost: c.cost.plus(t.cost.join(e.cost)).plus_const(1),
            }
        }
        Expr::Member { expr: inner, .. } => {
            let b = estimate(inner, scope);
            Bound {
                size: b.elem,
                elem: b.elem,
                cost: b.cost.plus(b.size).plus_const(1),
            }
        }
        Expr::MemberTestOnly { expr: inner, .. } => {
            let b = estimate(inner, scope);
            Bound::opaque(one, b.cost.plus(b.size).plus_const(1))
        }
        Expr::Index {
            expr: container,
            index,
            ..
        } => {
            let c = estimate(container, scope);
            let i = estimate(index, scope);
            Bound {
                size: c.elem,
                elem: c.elem,
                cost: c.cost.plus(i.cost).plus(c.size).plus(i.size).plus_const(1),
            }
        }
        Expr::Call { expr: callee, args } => {
            let (function, receiver) = match &callee.node {
                Expr::Member {
                    expr: receiver,
                    field,
                    ..
                } => (field.as_str(), Some(receiver.as_ref())),
                Expr::Ident(name) | Expr::RootIdent(name) => (name.as_str(), None),
                _ => ("", Some(callee.as_ref())),
            };
            let mut operands: Vec<Bound> = Vec::with_capacity(args.len().saturating_add(1));
            if let Some(receiver) = receiver {
                operands.push(estimate(receiver, scope));
            }
            for arg in args {
                operands.push(estimate(arg, scope));
            }
            let mut size = Lin::constant(CALL_RESULT_SLACK);
            let mut cost = one;
            for b in &operands {
                size = size.plus(b.size);
                cost = cost.plus(b.cost).plus(b.size);
            }
            if function == "matches" {
                // Matching is bounded by text size times pattern size, and the
                // pattern is compiled on every call.
                let product = match operands.as_slice() {
                    [text, pattern, ..]
                        if text.size.is_constant() && pattern.size.is_constant() =>
                    {
                        Lin::constant(text.size.base.saturating_mul(pattern.size.base))
                    }
                    [_, _, ..] => Lin::SATURATED,
                    _ => Lin::constant(0),
                };
                cost = cost.plus(product).plus_const(REGEX_CALL_COST);
            }
            Bound::opaque(size, cost)
        }
        Expr::Struct { fields, .. } => {
            let mut size = one;
            let mut cost = one;
            for field in fields {
                let b = estimate(&field.value, scope);
                size = size.plus(b.size);
                cost = cost.plus(b.cost).plus_const(1);
            }
            Bound::opaque(size, cost)
        }
        Expr::Bind {
            var_name,
            init,
            body,
        } => {
            let i = estimate(init, scope);
            scope.push((
                var_name.as_str(),
                VarBound {
                    size: i.size,
                    elem: i.elem,
                },
            ));
            let b = estimate(body, scope);
            scope.pop();
            Bound {
                size: b.size,
                elem: b.elem,
                cost: i.cost.plus(b.cost),
            }
        }
        Expr::Comprehension(comp) => {
            let range = estimate(&comp.iter_range, scope);
            let init = estimate(&comp.accu_init, scope);
            let outer_independent = [range.size, range.elem, range.cost, init.size, init.cost]
                .iter()
                .all(|l| l.is_constant());
            if !outer_independent {
                // Iterating over (a function of) an enclosing accumulator: not
                // produced by the standard macros; give up on a finite bound.
                return Bound::SATURATED;
            }
            let iterations = range.size.base;
            // Inside the loop the symbolic accumulator is this comprehension's;
            // bounds that were relative to an enclosing accumulator are no
            // longer expressible and become unbounded.
            let mut inner: Vec<(&'a str, VarBound)> = scope
                .iter()
                .map(|(name, var)| {
                    let var = if var.size.is_constant() && var.elem.is_constant() {
                        *var
                    } else {
                        VarBound {
                            size: Lin::SATURATED,
                            elem: Lin::SATURATED,
                        }
                    };
                    (*name, var)
                })
                .collect();
            let element = VarBound {
                size: range.elem,
                elem: range.elem,
            };
            inner.push((comp.iter_var.as_str(), element));
            if !comp.iter_var2.is_empty() {
                inner.push((comp.iter_var2.as_str(), element));
            }
            let symbolic = Lin {
                base: 0,
                per_accu: 1,
            };
            inner.push((
                comp.accu_var.as_str(),
                VarBound {
                    size: symbolic,
                    elem: symbolic,
                },
            ));
            let step = estimate(&comp.loop_step, &mut inner);
            let cond = estimate(&comp.loop_condition, &mut inner);
            let result = estimate(&comp.result, &mut inner);
            // size(accu[i + 1]) <= step.base + step.per_accu * size(accu[i])
            let accu = match step.size.per_accu {
                0 => init.size.base.max(step.size.base),
                1 => init
                    .size
                    .base
                    .saturating_add(iterations.saturating_mul(step.size.base)),
                _ => u64::MAX,
            };
            let per_iteration = step
                .cost
                .at(accu)
                .saturating_add(cond.cost.at(accu))
                .saturating_add(1);
            let cost = range
                .cost
                .base
                .saturating_add(init.cost.base)
                .saturating_add(iterations.saturating_mul(per_iteration))
                .saturating_add(result.cost.at(accu));
            Bound {
                size: Lin::constant(result.size.at(accu)),
                elem: Lin::constant(result.elem.at(accu)),
                cost: Lin::constant(cost),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(expr: &str) -> Result<(), CelCostError> {
        check_cost_expression(expr)
    }

    fn assert_ok(expr: &str) {
        assert_eq!(check(expr), Ok(()), "expected {expr:?} to be accepted");
    }

    fn assert_parse_err(expr: &str) {
        match check(expr) {
            Err(CelCostError::Parse(_)) => {}
            other => panic!("expected a parse error for {expr:?}, got {other:?}"),
        }
    }

    fn assert_check_err(expr: &str) {
        match check(expr) {
            Err(CelCostError::Check(_)) => {}
            other => panic!("expected a check error for {expr:?}, got {other:?}"),
        }
    }

    fn assert_eval_err(expr: &str) {
        match check(expr) {
            Err(CelCostError::Eval(_)) => {}
            other => panic!("expected an eval error for {expr:?}, got {other:?}"),
        }
    }

    // --- accepted expressions ---------------------------------------------

    #[test]
    fn sum_of_tokens_is_valid() {
        assert_ok("input_tokens + output_tokens");
    }

    #[test]
    fn product_of_tokens_is_valid() {
        assert_ok("input_tokens * output_tokens");
    }

    #[test]
    fn single_variable_is_valid() {
        assert_ok("total_tokens");
    }

    #[test]
    fn upstream_example_is_valid() {
        assert_ok("input_tokens == uint(3) ? 100000000 : 0");
    }

    #[test]
    fn backend_conditional_is_valid() {
        assert_ok("backend == 'foo.default' ? input_tokens + output_tokens : total_tokens");
    }

    #[test]
    fn model_conditional_with_int_literals_is_valid() {
        assert_ok("model == 'llama' ? 1 : 2");
    }

    #[test]
    fn upstream_test_expressions_are_valid() {
        assert_ok("1 + 1");
        assert_ok("uint(1) + uint(1)");
        assert_ok("model == 'cool_model' ?  input_tokens * output_tokens : total_tokens");
    }

    #[test]
    fn uint_literals_and_functions_are_valid() {
        assert_ok("input_tokens + 1u");
        assert_ok("input_tokens * 2u + output_tokens / 4u + 0x10u");
        assert_ok("int(input_tokens) + 5");
        assert_ok("uint(double(input_tokens) * 1.5)");
        assert_ok("size(model) > 3 ? 1u : 2u");
        assert_ok("model.startsWith('gpt') && backend.endsWith('.default') ? 10 : 1");
        assert_ok("model.contains('llama') || model.matches('^claude-.*$') ? 3u : 4u");
        assert_ok("model in ['a', 'b'] ? 1 : 0");
        assert_ok("{'dummy': 7u, 'other': 8u}[model]");
        assert_ok("['a', 'b'].exists(m, m == model) ? 1u : total_tokens");
        assert_ok("[1u, 2u, 3u].map(x, x * input_tokens)[2]");
        assert_ok("dyn(input_tokens) == 0 ? 1 : 2");
        assert_ok("-9223372036854775808 < 0 ? 0 : 1");
        assert_ok("// comment\ninput_tokens");
        assert_ok("'''a\\'''' == model ? 1 : 2");
        assert_ok("r'(' == model ? 1 : 2");
        assert_ok(".size(model) > 0 ? 1u : 2u");
        assert_ok("has({'a': 1}.a) ? 1 : 2");
        assert_ok("type(input_tokens) == uint ? 1 : 2");
        assert_ok("[1, 1u].size()");
        assert_ok("timestamp('2024-01-01T00:00:00Z').getFullYear() > 2000 ? 1u : 2u");
    }

    #[test]
    fn short_circuit_absorbs_errors_like_cel_go() {
        assert_ok("(10u / input_tokens == 1u) || true ? 1 : 0");
        assert_ok("false && (10u / input_tokens == 1u) ? 1 : 0");
    }

    // --- rejected by evaluation result --------------------------------------

    #[test]
    fn negative_int_result_is_rejected() {
        assert_eq!(
            check("int(input_tokens) - 5"),
            Err(CelCostError::Negative(-5))
        );
        assert_eq!(
            check("-9223372036854775808"),
            Err(CelCostError::Negative(i64::MIN))
        );
    }

    #[test]
    fn double_result_is_not_an_integer() {
        assert_eq!(check("1.5"), Err(CelCostError::NotInteger("double".into())));
    }

    #[test]
    fn string_result_is_not_an_integer() {
        assert_eq!(check("'x'"), Err(CelCostError::NotInteger("string".into())));
    }

    #[test]
    fn bool_result_is_not_an_integer() {
        assert_eq!(check("true"), Err(CelCostError::NotInteger("bool".into())));
    }

    #[test]
    fn other_result_types_are_not_integers() {
        assert_eq!(
            check("null"),
            Err(CelCostError::NotInteger("null_type".into()))
        );
        assert_eq!(check("[1]"), Err(CelCostError::NotInteger("list".into())));
        assert_eq!(check("{1: 2}"), Err(CelCostError::NotInteger("map".into())));
        assert_eq!(check("b'x'"), Err(CelCostError::NotInteger("bytes".into())));
        assert_eq!(
            check("model"),
            Err(CelCostError::NotInteger("string".into()))
        );
    }

    // --- rejected by the type checker ---------------------------------------

    #[test]
    fn int_literal_added_to_uint_is_a_check_error() {
        assert_check_err("input_tokens + 1");
    }

    #[test]
    fn undeclared_variable_is_a_check_error() {
        assert_check_err("unknown_var + 1u");
    }

    #[test]
    fn uint_times_double_is_a_check_error() {
        assert_check_err("model == 'llama' ? input_tokens + output_tokens * 0.5 : total_tokens");
    }

    #[test]
    fn cross_type_comparisons_are_check_errors() {
        // cel-go's checker has no cross-type numeric overloads by default.
        assert_check_err("input_tokens == 3 ? 1 : 2");
        assert_check_err("input_tokens != 3 ? 1 : 2");
        assert_check_err("input_tokens < 3 ? 1 : 2");
        assert_check_err("input_tokens >= 1.0 ? 1 : 2");
        assert_check_err("1 == 1u ? 1 : 2");
    }

    #[test]
    fn mismatched_generic_operands_are_check_errors() {
        assert_check_err("true ? 1 : 1u");
        assert_check_err("model == 'x' ? input_tokens : 0");
        assert_check_err("input_tokens in [1, 2] ? 1 : 2");
        assert_check_err("{'a': 1}[1]");
        assert_check_err("1 == null ? 1 : 2");
        assert_check_err("[1] == [1u] ? 1 : 2");
    }

    #[test]
    fn other_type_errors_are_check_errors() {
        assert_check_err("input_tokens.size()");
        assert_check_err("model + 1");
        assert_check_err("model.foo");
        assert_check_err("math.greatest(1, 2)");
        assert_check_err("cel.bind(x, 1, x)");
        assert_check_err("Foo{a: 1}");
        assert_check_err("[1].map(x, __result__)");
        assert_check_err("__result__");
    }

    // --- rejected by the parser ---------------------------------------------

    #[test]
    fn incomplete_expression_is_a_parse_error() {
        assert_parse_err("input_tokens +");
    }

    #[test]
    fn empty_expression_is_a_parse_error() {
        assert_parse_err("");
        assert_parse_err("   \n\t ");
        assert_parse_err("// only a comment");
    }

    #[test]
    fn malformed_expressions_are_parse_errors() {
        assert_parse_err("(input_tokens");
        assert_parse_err("input_tokens)");
        assert_parse_err("'unterminated");
        assert_parse_err("1 = 1");
        assert_parse_err("if");
        assert_parse_err("`model`");
        assert_parse_err("[?1]");
        assert_parse_err("{'a': 1}.?a");
        assert_parse_err("1(2)");
        assert_parse_err("9223372036854775808");
        assert_parse_err("18446744073709551616u");
        assert_parse_err("model #");
    }

    #[test]
    fn parse_error_message_has_a_position() {
        match check("input_tokens +") {
            Err(CelCostError::Parse(msg)) => assert!(msg.contains("line 1"), "{msg}"),
            other => panic!("unexpected {other:?}"),
        }
    }

    // --- rejected by evaluation ---------------------------------------------

    #[test]
    fn division_by_zero_is_an_eval_error() {
        assert_eval_err("10u / input_tokens");
        assert_eval_err("10u % input_tokens");
    }

    #[test]
    fn uint_underflow_is_an_eval_error() {
        assert_eval_err("input_tokens - 1u");
        assert_eval_err("uint(1) - uint(1200)");
    }

    #[test]
    fn int_overflow_is_an_eval_error() {
        assert_eval_err("9223372036854775807 + 1");
        assert_eval_err("-9223372036854775808 / -1");
        assert_eval_err("-9223372036854775808 % -1");
        assert_eval_err("18446744073709551615u * 2u");
        assert_eval_err("uint(int(input_tokens) - 1)");
        assert_eval_err("int(1e30)");
    }

    #[test]
    fn other_runtime_errors_are_eval_errors() {
        assert_eval_err("{'a': 1u}[model]");
        assert_eval_err("[1u][5]");
        assert_eval_err("int(model)");
        assert_eval_err("model.matches('[') ? 1 : 2");
    }

    // --- robustness -----------------------------------------------------------

    #[test]
    fn deeply_parenthesised_expression_is_rejected_without_overflow() {
        let depth = 10_000;
        let expr = format!("{}input_tokens{}", "(".repeat(depth), ")".repeat(depth));
        assert_parse_err(&expr);
    }

    #[test]
    fn moderately_nested_expression_is_accepted() {
        let depth = 90;
        let expr = format!("{}input_tokens{}", "(".repeat(depth), ")".repeat(depth));
        assert_ok(&expr);
        let expr = format!("{}1{}", "int(".repeat(45), ")".repeat(45));
        assert_ok(&expr);
    }

    #[test]
    fn long_operator_chains_and_prefix_runs_are_rejected_without_overflow() {
        let chain = vec!["input_tokens"; 50_000].join(" + ");
        assert_parse_err(&chain);
        assert_parse_err(&format!("{}1", "-".repeat(50_000)));
        assert_parse_err(&format!("{}true", "!".repeat(50_000)));
        assert_parse_err(&format!("{}1", "true ? 1 : ".repeat(10_000)));
        assert_parse_err(&format!("model{}", ".size()".repeat(10_000)));
        assert_parse_err(&format!("[1]{}", "[0]".repeat(10_000)));
        assert_parse_err(&format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000)));
        assert_parse_err(&format!("{}1{}", "{1: ".repeat(10_000), "}".repeat(10_000)));
        // Brackets inside string literals do not count.
        assert_ok(&format!("size('{}') > 0 ? 1 : 2", "(".repeat(10_000)));
    }

    #[test]
    fn huge_input_is_rejected() {
        let expr = format!("'{}'", "a".repeat(MAX_CODE_POINTS + 1));
        assert_parse_err(&expr);
    }

    #[test]
    fn too_many_tokens_are_rejected() {
        let list = vec!["1u"; MAX_TOKENS].join(", ");
        assert_parse_err(&format!("size([{list}])"));
    }

    #[test]
    fn wide_flat_expression_is_accepted() {
        let list = vec!["1u"; 3_000].join(", ");
        assert_ok(&format!("size([{list}]) > 0 ? 1 : 2"));
    }

    #[test]
    fn explosive_comprehensions_are_rejected_quickly() {
        let big = format!("[{}]", vec!["1"; 1_000].join(","));
        let nested = format!("{big}.all(a, {big}.all(b, {big}.all(c, true))) ? 1 : 2");
        assert_eval_err(&nested);
        let doubling = format!("size([[1]]{}) > 0 ? 1 : 2", ".map(y, y + y)".repeat(40));
        assert_eval_err(&doubling);
        let regexes = vec!["model.matches('a+')"; 200].join(", ");
        assert_eval_err(&format!("size([{regexes}])"));
    }

    #[test]
    fn small_comprehensions_are_accepted() {
        let list = format!("[{}]", vec!["1u"; 200].join(","));
        assert_ok(&format!("{list}.all(a, {list}.exists(b, a == b)) ? 1 : 2"));
        assert_ok("size([1, 2, 3].filter(x, x > 1)) > 0 ? 1 : 2");
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let samples = [
            "\u{0}",
            "'\\",
            "'''",
            "r'''",
            "b'\\xZZ'",
            "'\\u12'",
            "\"\\U0010FFFF\"",
            "'\\uD800'",
            "0x",
            "1e",
            "1.e5",
            ".",
            "..",
            "?:",
            "[,]",
            "{:}",
            "a.b.c.d(",
            "héllo",
            "'ü' + model",
            "timestamp('2020-01-01T00:00:00Z') > timestamp(model) ? 1 : 2",
            "duration('1h') == duration('60m') ? 1u : 2u",
            "has(model.x)",
            "[].exists(x, x) ? 1 : 0",
            "{}.all(k, k) ? 1 : 0",
            "type(model) == string ? 1 : 0",
            ")(",
            "]]]]]]",
            "}}}}",
        ];
        for sample in samples {
            let _ = check(sample);
        }
    }

    #[test]
    fn display_messages_are_lowercase_without_trailing_period() {
        let errors = [
            CelCostError::Parse("x".into()),
            CelCostError::Check("x".into()),
            CelCostError::Eval("x".into()),
            CelCostError::NotInteger("double".into()),
            CelCostError::Negative(-5),
        ];
        for err in errors {
            let msg = err.to_string();
            assert!(msg.starts_with(char::is_lowercase), "{msg}");
            assert!(!msg.ends_with('.'), "{msg}");
        }
        assert_eq!(
            CelCostError::NotInteger("double".into()).to_string(),
            "cost expression must evaluate to an int or uint, not double"
        );
        assert_eq!(
            CelCostError::Negative(-5).to_string(),
            "cost expression must not evaluate to a negative value, but evaluated to -5"
        );
    }
}
