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
//! This module reproduces that check offline, following cel-go v0.23 (see
//! docs/cel.md):
//!
//! 1. [`grammar`] lexes and parses the source with cel-go's grammar, literal
//!    rules and parser limits, and writes a canonical copy for `cel-core`;
//! 2. the copy is parsed and type-checked by the `cel-core` crate with the
//!    same declarations and cel-go's default macros, well-known protobuf
//!    types rewritten first ([`syntax`]);
//! 3. a second, stricter pass re-checks the generic operators (`==`, `!=`,
//!    `in`, `?:`, `+`, map indexing) the way cel-go unifies their type
//!    parameters, because `cel-core` widens conflicting bindings to `dyn`
//!    where cel-go reports "no matching overload" (e.g. `input_tokens == 3`);
//!    before that, nodes that cel-go types as `dyn` and `cel-core` does not
//!    (`dyn(1) + dyn(1)`, `[dyn(1), 2u]`) are wrapped in `dyn()` and the
//!    tree is checked again ([`strict`]);
//! 4. a static cost bound refuses only programs that could not finish (cel-go
//!    has no cost limit here);
//! 5. the program is evaluated with the dummy inputs, with Go's `strconv`,
//!    `time` and `regexp` semantics for conversions and `matches`
//!    ([`runtime`]), cel-go's index and duration-getter rules ([`rewrite`]),
//!    and its map literals (keys of any type but bytes: [`gomap`]), `has()`,
//!    time arithmetic and NaN ordering ([`ops`]), and the result classified.
//!
//! All of this runs on a dedicated worker thread with a fixed, generous stack
//! so that the outcome does not depend on the caller's stack size, and a panic
//! inside the CEL library is reported as an error instead of propagating.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use cel_core::parser::macros::STANDARD_MACROS;
use cel_core::parser::{parse_with_options, MacroRegistry, MacroStyle, ParseOptions};
mod cost;
mod fast;
mod golang;
mod gomap;
mod grammar;
mod ops;
mod re2;
mod rewrite;
mod runtime;
mod strict;
mod syntax;

use cost::*;
use grammar::*;
use rewrite::*;
use runtime::cost_env;
use strict::*;
use syntax::*;

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
/// Upper bound on the depth of the macro-expanded syntax tree that
/// `cel-core`'s recursive passes walk. cel-go's parser limits source nesting
/// to 250 levels, and a balanced-logic chain is shallow, so only expansions
/// of deeply nested macros come near it.
const MAX_AST_DEPTH: usize = 20_000;
/// Upper bound on the statically estimated evaluation cost (abstract units,
/// roughly "values touched"). cel-go, as the controller configures it, sets no
/// cost limit; this bound only refuses expressions whose evaluation would take
/// minutes or exhaust memory (e.g. repeatedly doubling a list), which would
/// hang the controller as well.
const MAX_EVAL_COST: u64 = 100_000_000;
/// Bound on the work of re-checking with `dyn` types ([`widen_to_dyn`]), in
/// nodes checked: each round checks the whole tree and wraps only nodes not
/// wrapped before, and a chain like `dyn(1) + dyn(1) + dyn(1)` needs a round
/// per link (the parser's nesting limit keeps chains short). An ordinary
/// expression needs no round or one; a tree of 1,000 nodes gets 500.
const RETYPE_BUDGET: u64 = 500_000;
/// Fixed cost charged for every regular-expression match (the pattern is
/// compiled on each call).
const REGEX_CALL_COST: u64 = 10_000;
/// Stack size of the worker thread that runs the recursive CEL passes:
/// cel-go's limits allow 250 levels of source nesting, and a chain of
/// `||`/`&&` (which cel-go balances) becomes a left-leaning tree in
/// `cel-core`, as deep as the chain is long. Only the pages actually used are
/// committed.
const WORKER_STACK_SIZE: usize = 512 * 1024 * 1024;

/// A shallow expression (at most this many bytes, and at most
/// [`INLINE_MAX_OPERATORS`] operator and bracket characters: what makes a
/// syntax tree deep, an unoptimised build spending about 12 KiB of stack a
/// level) is checked on the calling thread. The deepest shallow ones (test
/// `shallow_expressions_fit_a_small_stack`) run within 512 KiB of stack
/// unoptimised, and every thread of aigw has 2 MiB or more. A worker thread
/// per distinct cost formula was a tenth of a small run.
const INLINE_MAX_BYTES: usize = 128;
const INLINE_MAX_OPERATORS: usize = 24;

fn shallow(expr: &str) -> bool {
    let operators = expr
        .bytes()
        .filter(|b| b"+-*/%|&=!<>?:([{.,".contains(b))
        .count();
    expr.len() <= INLINE_MAX_BYTES && operators <= INLINE_MAX_OPERATORS
}

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
    if fast::accepts(expr) {
        return Ok(());
    }
    full_check(expr)
}

/// The whole check, cel-go's environment and all.
fn full_check(expr: &str) -> Result<(), CelCostError> {
    // The check is a pure function of the text, and repositories repeat the
    // same cost formula in many routes: each distinct expression is checked
    // once per run (a worker thread per route dominated the wall time).
    type Checked = HashMap<String, Result<(), CelCostError>>;
    static CHECKED: OnceLock<Mutex<Checked>> = OnceLock::new();
    let checked = CHECKED.get_or_init(Mutex::default);
    let lock = || {
        checked
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    };
    if let Some(result) = lock().get(expr) {
        return result.clone();
    }
    let job = || {
        let parsed = cel_go_parse(expr)?;
        check_canonical(&parsed)
    };
    let result = if shallow(expr) {
        run_inline(&job)
    } else {
        run_isolated(&job)
    };
    lock().insert(expr.to_string(), result.clone());
    result
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
        None => run_inline(job),
    }
}

/// Runs `job` on this thread, converting a panic into an error.
fn run_inline<F>(job: &F) -> Result<(), CelCostError>
where
    F: Fn() -> Result<(), CelCostError>,
{
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))
        .unwrap_or_else(|_| Err(internal_error()))
}

fn internal_error() -> CelCostError {
    CelCostError::Eval("internal error in the CEL library while checking the expression".into())
}

// ---------------------------------------------------------------------------
// Parse, check, evaluate
// ---------------------------------------------------------------------------

/// cel-go's default macros (`cel.StandardMacros`): `has`, `all`, `exists`,
/// `exists_one`, `map` (2 and 3 arguments) and `filter`; `existsOne` is only
/// in the parser's `AllMacros`, not in a default `cel.Env`. `cel-core`'s standard set also has
/// extension macros (`cel.bind`, two-variable comprehensions, optionals) that
/// a default cel-go environment does not know.
fn default_macros() -> MacroRegistry {
    let mut registry = MacroRegistry::new();
    for m in STANDARD_MACROS {
        let wanted = matches!(
            (m.name, m.style, m.arg_count.count()),
            ("has", MacroStyle::Global, 1)
                | (
                    "all" | "exists" | "exists_one" | "filter",
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

fn check_canonical(canonical: &Parsed) -> Result<(), CelCostError> {
    let src = canonical.source.as_str();
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
    if canonical.mentions_accumulator {
        return Err(CelCostError::Check(format!(
            "undeclared reference to '{ACCUMULATOR_NAME}'"
        )));
    }
    if let Some(msg) = deferred_check {
        return Err(CelCostError::Check(msg));
    }

    let env = cost_env();
    let mut checked = env.check(&expr);
    // Re-check with cel-go's `dyn` types where `cel-core` chose concrete ones.
    let mut next_id = max_id(&mut expr);
    let mut wrapped = std::collections::HashSet::new();
    let nodes = u64::try_from(next_id).unwrap_or(1).max(1);
    for _ in 0..RETYPE_BUDGET / nodes {
        if !widen_to_dyn(
            &mut expr,
            &checked,
            env.functions(),
            &mut wrapped,
            &mut next_id,
        ) {
            break;
        }
        checked = env.check(&expr);
    }
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

    next_id = next_id.max(max_id(&mut expr));
    rewrite_checked(&mut expr, &checked.type_map, &mut next_id);
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

    // --- cel-go semantics that cel-core does not share -----------------------

    #[test]
    fn map_literal_keys_are_typed_and_the_last_repeat_wins() {
        // cel-go keys a Go map by the CEL value: 1 and 1u are two keys.
        assert_ok("{1: 1, 1u: 2}.size() == 2 ? 1 : -1");
        assert_ok("{1: 1, 1u: 2}[1] == 1 ? 1 : -1");
        assert_ok("{1: 1, 1u: 2}[1u] == 2 ? 1 : -1");
        assert_ok("{dyn(1): 1, dyn(1u): 2}.size() == 2 ? 1 : -1");
        // A repeated key of one type keeps its last value.
        assert_ok("{1: 1, 1: 2}[1] == 2 ? 1 : -1");
        assert_ok("{'a': 1, 'a': 1}.size() == 1 ? 1 : -1");
        assert_ok("{model: 1, backend: 2}[model] == 2 ? 1 : -1");
        assert_ok("size({dyn(1u): 1, 1u: 2}) == 1 ? 1 : -1");
        // Lookups still convert numbers: {1u: 2}[dyn(1)] finds the uint key.
        assert_ok("{1u: 2}[dyn(1)] == 2 ? 1 : -1");
        assert_ok("1 in {1: 1, 1u: 2} ? 1 : -1");
        // Keys and values are evaluated in order; the first error wins.
        assert_eval_err("{1: 1 / 0, 1u: 2}.size()");
        // A bytes key is not hashable in Go: cel-go panics, an eval error.
        assert_eval_err("{b'a': 1}.size()");
        // Comprehensions see both keys.
        assert_ok("{1: 1, 1u: 2}.all(k, k == 1) ? 1 : -1");
    }

    #[test]
    fn map_literal_keys_of_other_types_compare_as_go_map_keys() {
        // Doubles, null, types, timestamps and durations are keys by value.
        assert_ok("size({1.0: 1}) == 1 ? 1 : -1");
        assert_ok("{1.0: 1}[1.0] == 1 ? 1 : -1");
        assert_ok("size({1: 1, 1.0: 2}) == 2 ? 1 : -1");
        assert_ok("{1.0: 1, 1.0: 2}.size() == 1 && {1.0: 1, 1.0: 2}[1.0] == 2 ? 1 : -1");
        assert_ok("size({0.0: 1, -0.0: 2}) == 1 ? 1 : -1");
        // Go stores the repeated key too: the key is now -0.0.
        assert_ok("{0.0: 1, -0.0: 2}.all(k, 1.0 / k < 0.0) ? 1 : -1");
        assert_ok("{null: 1, 1.5: 2}[null] == 1 ? 1 : -1");
        assert_ok("size({int: 1, type(1): 2}) == 1 ? 1 : -1");
        assert_ok("size({timestamp(0): 1, timestamp('1970-01-01T00:00:00Z'): 2}) == 1 ? 1 : -1");
        assert_ok("size({duration('1s'): 1, duration('1000ms'): 2}) == 1 ? 1 : -1");
        // A NaN equals no key: each one is a new entry, and never found.
        assert_ok("size({double('nan'): 1, double('nan'): 2}) == 2 ? 1 : -1");
        assert_eval_err("{double('nan'): 1}[double('nan')]");
        // Lists and maps are keys by identity: two literals are two keys, one
        // value used twice is one key.
        assert_ok("size({[1]: 1, [1]: 2}) == 2 ? 1 : -1");
        assert_ok("size({{}: 1, {}: 2}) == 2 ? 1 : -1");
        assert_ok("size({{1.0: 1}: 1, {1.0: 1}: 2}) == 2 ? 1 : -1");
        assert_ok("[[1]].all(l, size({l: 1, l: 2}) == 1) ? 1 : -1");
        assert_ok("[1] in {[1]: 1, 1.0: 2} ? -1 : 1");
        // Only a bytes key fails, when stored or looked up in a non-empty map.
        assert_eval_err("size({1.0: 1, b'a': 2})");
        assert_eval_err("dyn(b'a') in {1.0: 1} ? 1 : 0");
        assert_eval_err("dyn(b'a') in {'a': 1} ? 1 : 0");
        assert_ok("b'a' in dyn({}) ? -1 : 1");
    }

    #[test]
    fn map_lookups_follow_cel_go_find() {
        // Exact key first, then a double as int and as uint, an int as uint,
        // a uint as int; never an int as double.
        assert_ok("{1.0: 1, 2: 2}[2.0] == 2 ? 1 : -1");
        assert_ok("{null: 1, 3u: 2}[3] == 2 ? 1 : -1");
        assert_ok("1.0 in {1: 1, null: 2} ? 1 : -1");
        assert_ok("dyn(1) in {1.0: 1} ? -1 : 1");
        assert_eval_err("{1.0: 1}[dyn(1)]");
        // A key of a type the map cannot have is absent, not an error.
        assert_ok("dyn(null) in {1.0: 1} ? -1 : 1");
        assert_ok("dyn(null) in {'a': 1} ? -1 : 1");
        assert_eval_err("{'a': 1}[dyn(null)]");
        // The ordinary cases are unchanged.
        assert_ok("{'a': 1}['a'] == 1 && dyn({'a': 1})['a'] == 1 ? 1 : -1");
        assert_eval_err("{'a': 1}['b']");
        assert_ok("dyn([1, 2])[1u] == 2 && dyn([1, 2])[1.0] == 2 ? 1 : -1");
        assert_eval_err("dyn([1, 2])[-1]");
        assert_eval_err("dyn([1, 2])[1.5]");
        assert_eval_err("dyn('ab')[0] == 'a' ? 1 : 0");
    }

    #[test]
    fn maps_with_other_keys_support_the_map_operations() {
        assert_ok("has({1.0: 1, 'a': 2}.a) ? 1 : -1");
        assert_ok("has({1.0: 1}.a) ? -1 : 1");
        assert_ok("{1.0: 1, null: 2} == {null: 2, 1.0: 1} ? 1 : -1");
        assert_ok("{1.0: 1} != {1.0: 2} && {1.0: 1} != {2.0: 1} ? 1 : -1");
        // With an ordinary map, cel-go's `baseMap.Equal` looks the left
        // map's keys up in the right one, so the order of the sides matters.
        assert_ok("{1.0: 1} == dyn({1: 1}) && dyn({1: 1}) != {1.0: 1} ? 1 : -1");
        assert_ok("{1.0: 1, 'a': 2} != dyn({'a': 2}) && {'a': 1} == {'a': 1} ? 1 : -1");
        assert_ok("[{1.0: 1}] == [{1.0: 1}] ? 1 : -1");
        assert_ok("type({1.0: 1}) == map ? 1 : -1");
        assert_ok("dyn({1.0: 1}).size() == 1 ? 1 : -1");
        // The macros iterate over the keys.
        assert_ok("{1.0: 1, 2.5: 2}.all(k, type(k) == double) ? 1 : -1");
        assert_ok("{1.0: 1, 2.5: 2}.exists_one(k, k > 2.0) ? 1 : -1");
        assert_ok("size({1.0: 1, 2.5: 2}.filter(k, k > 2.0)) == 1 ? 1 : -1");
        assert_ok("{1.0: 1, 2.5: 2}.map(k, int(k))[1] == 2 ? 1 : -1");
        // A map that is the result is not an integer.
        assert!(matches!(
            check("{1.0: 1}"),
            Err(CelCostError::NotInteger(_))
        ));
    }

    #[test]
    fn has_evaluates_its_operand_like_cel_go() {
        assert_ok("has({'a': 1}.a) ? 1 : -1");
        assert_ok("has({'a': 1}.b) ? -1 : 1");
        assert_ok("has({'a': {'b': 1}}.a.b) ? 1 : -1");
        assert_ok("has(dyn({'a': 1}).a) ? 1 : -1");
        // The operand's own errors surface ...
        assert_eval_err("has({}.a.b) ? 1 : 0");
        assert_eval_err("has({'a': [1][2]}.a) ? 1 : 0");
        assert_eval_err("has(dyn([1][5]).a) ? 1 : 0");
        // ... and so does selecting a field of something that is not a map.
        assert_eval_err("has(dyn(1).a) ? 1 : 0");
        assert_eval_err("has(dyn('x').a) ? 1 : 0");
        // Short-circuiting still absorbs the error, as in cel-go.
        assert_ok("true || has({}.a.b) ? 1 : 0");
    }

    #[test]
    fn nan_cannot_be_ordered() {
        // cel-go's Double.Compare: "NaN values cannot be ordered".
        assert_eq!(
            check("double('nan') > 0.0 ? 1 : 0"),
            Err(CelCostError::Eval("NaN values cannot be ordered".into()))
        );
        assert_eq!(
            check("1 <= dyn(double('nan')) ? 1 : 0"),
            Err(CelCostError::Eval("NaN values cannot be ordered".into()))
        );
        assert_eval_err("0.0 <= double('NaN') ? 1 : 0");
        assert_eval_err("dyn(double('nan')) < 1 ? 1 : 0");
        // Equality is defined: NaN differs from everything.
        assert_ok("double('nan') == double('nan') ? -1 : 1");
    }

    #[test]
    fn duration_and_timestamp_arithmetic_overflows_like_cel_go() {
        // Durations are int64 nanoseconds (about ±292 years).
        assert_eval_err("(duration('2562047h') + duration('1h')) > duration('0s') ? 1 : 0");
        assert_eval_err("(duration('-2562047h') - duration('1h')) > duration('0s') ? 1 : 0");
        assert_ok("(duration('2562047h') - duration('1h')) > duration('0s') ? 1 : 0");
        assert_ok("(duration('2562047h') + duration('-1h')) > duration('0s') ? 1 : 0");
        // The difference of two timestamps must fit a duration.
        assert_eval_err(
            "(timestamp('2262-04-11T23:47:17Z') - timestamp(0)) > duration('0s') ? 1 : 0",
        );
        assert_eval_err(
            "(timestamp('1677-09-21T00:12:43Z') - timestamp(0)) > duration('0s') ? 1 : 0",
        );
        assert_ok("(timestamp('2262-04-11T23:47:16Z') - timestamp(0)) > duration('0s') ? 1 : 0");
        // Timestamps stay within years 1 to 9999.
        assert_eval_err(
            "(timestamp('9999-12-31T23:59:59Z') + duration('1s')) > timestamp(0) ? 1 : 0",
        );
        assert_eval_err(
            "(timestamp('0001-01-01T00:00:00Z') - duration('1ns')) > timestamp(0) ? 1 : 0",
        );
        assert_eval_err(
            "(duration('1s') + timestamp('9999-12-31T23:59:59Z')) > timestamp(0) ? 1 : 0",
        );
        assert_ok(
            "(timestamp('2024-01-01T00:00:00.5Z') - duration('1.75s')).getSeconds() == 58 ? 1 : -1",
        );
        // cel-go negates the subtrahend first: the minimum duration overflows.
        assert_eval_err(
            "(timestamp(0) - duration('-9223372036854775808ns')) > timestamp(0) ? 1 : 0",
        );
        // The same arithmetic through dyn.
        assert_eval_err("(dyn(duration('2562047h')) + duration('1h')) > duration('0s') ? 1 : 0");
        assert_ok("dyn(1) + 2 == 3 ? 1 : -1");
        assert_ok("size(dyn('a') + 'b') == 2 ? 1 : -1");
        assert_ok("size(dyn([1]) + [2]) == 2 ? 1 : -1");
        // Overflow of ordinary numbers through dyn is still an error.
        assert_eval_err("dyn(9223372036854775807) + 1");
        assert_eval_err("dyn(0u) - 1u");
        // cel-go has no `+` on maps, even when the checker cannot see them.
        assert_eval_err("size(dyn({1: 1}) + dyn({2: 2}))");
    }

    #[test]
    fn empty_any_compiles_and_fails_at_evaluation() {
        assert_eval_err("google.protobuf.Any{}");
        assert_eval_err("size([google.protobuf.Any{}])");
        // Short-circuiting absorbs it like any evaluation error.
        assert_ok("true || google.protobuf.Any{} == 1 ? 1 : 0");
    }

    /// One case per class of difference that issue 12 lists, with cel-go
    /// v0.23's verdict (Go 1.24's strconv, time and regexp).
    #[test]
    fn issue_classes_have_cel_go_verdicts() {
        // strconv: no sign for uint, underscores between digits for floats only.
        assert_eval_err("uint('+5')");
        assert_ok("int('+5')");
        assert_eval_err("int('1_0')");
        assert_ok("int(double('1_0'))");
        assert_eval_err("double('_1') > 0.0 ? 1 : 0");
        assert_eval_err("double('-nan') > 0.0 ? 1 : 0");
        // Literal syntax: lowercase 0x only, br'' but not rb'', no \u in
        // bytes, doubles must be finite.
        assert_parse_err("0X10");
        assert_ok("0x10");
        assert_parse_err("size(rb'a')");
        assert_ok("size(br'a')");
        assert_parse_err("size(b'\\u0041')");
        assert_ok("size('\\u0041')");
        assert_parse_err("1e400 > 0.0 ? 1 : 0");
        // RE2: ASCII \d, Go's class names only.
        assert_ok("'\u{663}'.matches('^\\\\d$') ? -1 : 1");
        assert_ok("'\u{e9}'.matches('^\\\\pL$') ? 1 : -1");
        assert_eval_err("model.matches('\\\\p{Letter}') ? 1 : 0");
        assert_eval_err("model.matches('a{1001}') ? 1 : 0");
        // The static cost bound only refuses what could not finish: cheap
        // nested comprehensions and long literals pass.
        assert_ok("[1, 2, 3].all(x, [1, 2, 3].all(y, [1, 2, 3].all(z, x + y + z > 0))) ? 1 : 0");
        assert_ok(&format!("size('{}')", "a".repeat(99_990)));
        assert_ok(&format!("size([1]{})", ".map(x, [x, x])[0]".repeat(20)));
    }

    #[test]
    fn dyn_keeps_its_type_as_in_cel_go() {
        // Several overloads with different results make the call dyn.
        assert_ok("int(dyn(1) + dyn(1))");
        assert_ok("int(dyn(3) - dyn(1))");
        // The outer call only checks once the inner one is dyn, a round per
        // link of the chain.
        assert_ok("(dyn(1) + dyn(1)) + 1");
        assert_ok(&format!("int({})", vec!["dyn(1)"; 40].join(" + ")));
        assert_ok("[dyn(1) + dyn(1), 2u][0] + 1");
        // A literal with a dyn element is a list(dyn) or map(dyn, V).
        assert_ok("[dyn(1), 2u][0] + 1");
        assert_ok("[2u, dyn(1)][1] + 1");
        assert_ok("{'a': dyn(1), 'b': 2u}['a'] + 1");
        assert_ok("{dyn(1): 1, 2u: 2}.size()");
        // ... also one level down: list(list(dyn)), map(string, list(dyn)).
        assert_ok("[[1u], [dyn(1)]][1][0] + 1");
        assert_ok("[[dyn(1)], [1u]][0][0] + 1");
        assert_ok("{'a': [1u], 'b': [dyn(1)]}['b'][0] + 1");
        // That checks; adding an int to the uint element then fails at run
        // time, as in cel-go.
        assert_eval_err("[[1u], [dyn(1)]][0][0] + 1");
        assert_check_err("[[1u], [2u]][0][0] + 1");
        // Indexing a dyn is dyn (list or map overload).
        assert_ok("dyn([1])[0] + 1");
        assert_ok("dyn([1u])[0] + 1u");
        assert_ok("dyn({1: 2})[1] + 1");
        assert_ok("[dyn([1])][0][0] + 1");
        // Without dyn, the common element type decides; mixed types are dyn.
        assert_check_err("[1u, 2u][0] + 1");
        assert_ok("[1, 2u][0] + 1");
        // The type is dyn, not anything: a type error elsewhere stays one.
        assert_check_err("int(dyn(1) + dyn(1)) + 1u");
    }

    // --- robustness -----------------------------------------------------------

    #[test]
    fn deeply_parenthesised_expression_is_rejected_without_overflow() {
        let at_limit = format!("{}input_tokens{}", "(".repeat(249), ")".repeat(249));
        assert_ok(&at_limit);
        let over = format!("{}input_tokens{}", "(".repeat(250), ")".repeat(250));
        assert_parse_err(&over);
        let depth = 10_000;
        let expr = format!("{}input_tokens{}", "(".repeat(depth), ")".repeat(depth));
        assert_parse_err(&expr);
    }

    #[test]
    fn shallow_expressions_fit_a_small_stack() {
        // The deepest shapes of each kind that are still shallow.
        let d = INLINE_MAX_OPERATORS;
        let parens = format!("{}1{}", "(".repeat(d / 2), ")".repeat(d / 2));
        let lists = format!("size({}1{})", "[".repeat(d / 2 - 1), "]".repeat(d / 2 - 1));
        let nots = format!("{}true ? 1u : 2u", "!".repeat(d - 2));
        let negs = format!("uint({}1)", "-".repeat(d - 2));
        let chain = format!("{}1u", "1u+".repeat(d));
        let ors = format!("{}true ? 1u : 2u", "true||".repeat((d - 2) / 2));
        let mut macros = String::from("true");
        for _ in 0..(d - 2) / 4 {
            macros = format!("[1].all(x,{macros})");
        }
        let macros = format!("{macros} ? 1u : 2u");
        let members = format!("'a'{}.size()", ".x".repeat(d - 2));
        for expr in [parens, lists, nots, negs, chain, ors, macros, members] {
            assert!(shallow(&expr), "{} bytes: {expr}", expr.len());
            let job = move || {
                let parsed = cel_go_parse(&expr)?;
                check_canonical(&parsed)
            };
            let result = std::thread::Builder::new()
                .stack_size(512 * 1024)
                .spawn(job)
                .map(|handle| handle.join().is_ok());
            assert!(matches!(result, Ok(true)), "overflowed or panicked");
        }
        assert!(!shallow(&"1u+".repeat(d + 1)));
        assert!(!shallow(&format!(
            "{}1{}",
            "(".repeat(d + 1),
            ")".repeat(d + 1)
        )));
        assert!(!shallow(&"x".repeat(INLINE_MAX_BYTES + 1)));
        assert!(shallow(
            "model == 'llama-3-8b' ? total_tokens : input_tokens + output_tokens * 2u"
        ));
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
        // cel-go's limit binds at 250 levels of the left-recursive `calc` rule.
        assert_ok(&vec!["input_tokens"; 249].join(" + "));
        assert_parse_err(&vec!["input_tokens"; 250].join(" + "));
        // A unary run is one grammar rule, and cel-go drops pairs of it.
        assert_ok(&format!("{}1", "-".repeat(50_000)));
        assert_eq!(
            check(&format!("{}1", "-".repeat(50_001))),
            Err(CelCostError::Negative(-1))
        );
        assert_ok(&format!("{}true ? 1 : 2", "!".repeat(50_000)));
        // `||` and `&&` are loops in cel-go's grammar, not nesting.
        assert_ok(&format!("{} ? 1 : 2", vec!["false"; 10_000].join(" || ")));
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
        // Nesting doubles the value too: 2^40 ones.
        let nesting = format!("size([1]{}) > 0 ? 1 : 2", ".map(x, [x, x])".repeat(40));
        assert_eval_err(&nesting);
        // Indexing takes one element back out: this one stays small.
        let nesting_indexed = format!("size([[1]]{}) > 0 ? 1 : 2", ".map(x, [x, x])[0]".repeat(40));
        assert_ok(&nesting_indexed);
        // cel-go sets no cost limit: many cheap regular expressions are fine.
        let regexes = vec!["model.matches('a+')"; 200].join(", ");
        assert_ok(&format!("size([{regexes}])"));
        let chained = format!("size([1, 2, 3]{})", ".map(x, x + 1)".repeat(30));
        assert_ok(&chained);
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
