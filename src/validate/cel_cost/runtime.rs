//! The cel-go environment on `cel-core`: declarations and the runtime
//! functions whose cel-go behaviour comes from Go's standard library.
//!
//! `cel-core` evaluates conversions and `matches` with Rust's parsers; cel-go
//! uses `strconv`, `time` and `regexp`. The overloads of these functions get
//! implementations here (an implemented overload takes precedence over
//! `cel-core`'s built-in fallback), each handling every argument type of the
//! function, since `cel-core` tries the implementations of a function in turn.

use std::sync::Arc;

use cel_core::types::{FunctionDecl, OverloadDecl};
use cel_core::{Duration, EvalError, Timestamp};

use super::golang::*;
use super::*;

/// Unix seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, cel-go's
/// timestamp range.
const MIN_UNIX: i64 = -62_135_596_800;
const MAX_UNIX: i64 = 253_402_300_799;
const NANOS: i64 = 1_000_000_000;

type Impl = fn(&[Value]) -> Value;
/// A shared runtime implementation, as `cel-core` stores it.
type SharedImpl = Arc<dyn Fn(&[Value]) -> Value + Send + Sync>;

/// The upstream controller's environment.
pub(super) fn cost_env() -> Env {
    let base = Env::with_standard_library();
    let mut env = Env::new();
    for (name, ty) in base.variables() {
        env.add_variable(name.clone(), ty.clone());
    }
    for decl in base.functions().values() {
        let mut decl = decl.clone();
        if decl.name == "int" {
            // cel-go declares int(duration) (nanoseconds).
            decl.overloads.push(OverloadDecl::function(
                "duration_to_int64",
                vec![CelType::Duration],
                CelType::Int,
            ));
        }
        if let Some(implementation) = go_impl(&decl.name) {
            let shared: SharedImpl = Arc::new(implementation);
            for overload in &mut decl.overloads {
                overload.implementation = Some(shared.clone());
            }
        }
        env.add_function(decl);
    }
    env.add_function(
        FunctionDecl::new(LIST_INDEX_GUARD).with_overload(
            OverloadDecl::function(LIST_INDEX_GUARD, vec![CelType::Dyn], CelType::Dyn)
                .with_impl(list_index_guard),
        ),
    );
    for decl in super::ops::declarations() {
        env.add_function(decl);
    }
    for name in STRING_VARS {
        env.add_variable(name, CelType::String);
    }
    for name in UINT_VARS {
        env.add_variable(name, CelType::UInt);
    }
    env
}

/// Name of the function wrapped around a list index: cel-go rejects a
/// negative index, `cel-core` counts it from the end.
pub(super) const LIST_INDEX_GUARD: &str = "@aigw_list_index";

fn list_index_guard(args: &[Value]) -> Value {
    match args.first() {
        Some(Value::Int(i)) if *i < 0 => Value::error(EvalError::invalid_argument(format!(
            "index out of range: {i}"
        ))),
        Some(v) => v.clone(),
        None => no_overload("index"),
    }
}

fn go_impl(name: &str) -> Option<Impl> {
    Some(match name {
        "int" => to_int,
        "uint" => to_uint,
        "double" => to_double,
        "bool" => to_bool,
        "string" => to_string,
        "duration" => to_duration,
        "timestamp" => to_timestamp,
        "matches" => regex_match,
        _ => return None,
    })
}

fn no_overload(function: &str) -> Value {
    Value::error(EvalError::no_matching_overload(function))
}

fn conversion_error(from: &str, to: &str) -> Value {
    Value::error(EvalError::invalid_argument(format!(
        "type conversion error from '{from}' to '{to}'"
    )))
}

fn overflow(what: &str) -> Value {
    Value::error(EvalError::overflow(format!("{what} overflow")))
}

pub(super) fn duration_nanos(d: &Duration) -> Option<i64> {
    d.seconds
        .checked_mul(NANOS)
        .and_then(|n| n.checked_add(i64::from(d.nanos)))
}

pub(super) fn duration_from_nanos(ns: i64) -> Value {
    Value::Duration(Duration {
        seconds: ns / NANOS,
        nanos: i32::try_from(ns % NANOS).unwrap_or(0),
    })
}

fn to_int(args: &[Value]) -> Value {
    match args {
        [Value::Int(i)] => Value::Int(*i),
        [Value::UInt(u)] => i64::try_from(*u).map_or_else(|_| overflow("int"), Value::Int),
        [Value::Double(d)] => {
            let d = *d;
            if d.is_nan() || d <= i64::MIN as f64 || d >= i64::MAX as f64 {
                overflow("int")
            } else {
                Value::Int(d as i64)
            }
        }
        [Value::String(s)] => {
            parse_int(s).map_or_else(|| conversion_error("string", "int"), Value::Int)
        }
        [Value::Timestamp(t)] => Value::Int(t.seconds),
        [Value::Duration(d)] => duration_nanos(d).map_or_else(|| overflow("int"), Value::Int),
        _ => no_overload("int"),
    }
}

fn to_uint(args: &[Value]) -> Value {
    match args {
        [Value::UInt(u)] => Value::UInt(*u),
        [Value::Int(i)] => u64::try_from(*i).map_or_else(|_| overflow("uint"), Value::UInt),
        [Value::Double(d)] => {
            let d = *d;
            if d.is_nan() || !(0.0..18_446_744_073_709_551_616.0).contains(&d) {
                overflow("uint")
            } else {
                Value::UInt(d as u64)
            }
        }
        [Value::String(s)] => {
            parse_uint(s).map_or_else(|| conversion_error("string", "uint"), Value::UInt)
        }
        _ => no_overload("uint"),
    }
}

fn to_double(args: &[Value]) -> Value {
    match args {
        [Value::Double(d)] => Value::Double(*d),
        [Value::Int(i)] => Value::Double(*i as f64),
        [Value::UInt(u)] => Value::Double(*u as f64),
        [Value::String(s)] => {
            parse_float(s).map_or_else(|| conversion_error("string", "double"), Value::Double)
        }
        _ => no_overload("double"),
    }
}

fn to_bool(args: &[Value]) -> Value {
    match args {
        [Value::Bool(b)] => Value::Bool(*b),
        [Value::String(s)] => {
            parse_bool(s).map_or_else(|| conversion_error("string", "bool"), Value::Bool)
        }
        _ => no_overload("bool"),
    }
}

fn to_string(args: &[Value]) -> Value {
    let text = match args {
        [Value::String(s)] => return Value::String(s.clone()),
        [Value::Int(i)] => i.to_string(),
        [Value::UInt(u)] => u.to_string(),
        [Value::Double(d)] => format_g(*d),
        [Value::Bool(b)] => b.to_string(),
        [Value::Bytes(b)] => match std::str::from_utf8(b) {
            Ok(s) => s.to_string(),
            Err(_) => return conversion_error("bytes", "string"),
        },
        [Value::Timestamp(t)] => format_rfc3339_nano(t),
        [Value::Duration(d)] => {
            let seconds = d.seconds as f64 + f64::from(d.nanos) / 1e9;
            format!("{seconds}s")
        }
        _ => return no_overload("string"),
    };
    Value::String(text.into())
}

fn to_duration(args: &[Value]) -> Value {
    match args {
        [Value::Duration(d)] => Value::Duration(*d),
        [Value::String(s)] => parse_duration(s).map_or_else(
            || {
                Value::error(EvalError::invalid_argument(format!(
                    "invalid duration: {s:?}"
                )))
            },
            duration_from_nanos,
        ),
        _ => no_overload("duration"),
    }
}

fn to_timestamp(args: &[Value]) -> Value {
    let (seconds, nanos) = match args {
        [Value::Timestamp(t)] => return Value::Timestamp(*t),
        [Value::String(s)] => match parse_rfc3339(s) {
            Some(parsed) => parsed,
            None => {
                return Value::error(EvalError::invalid_argument(format!(
                    "invalid timestamp: {s:?}"
                )))
            }
        },
        [Value::Int(i)] => (*i, 0),
        _ => return no_overload("timestamp"),
    };
    if !(MIN_UNIX..=MAX_UNIX).contains(&seconds) {
        return Value::error(EvalError::range_error("timestamp out of range"));
    }
    Value::Timestamp(Timestamp { seconds, nanos })
}

fn regex_match(args: &[Value]) -> Value {
    let [Value::String(text), Value::String(pattern)] = args else {
        return no_overload("matches");
    };
    let compiled = re2::translate(pattern).and_then(|translated| {
        regex::RegexBuilder::new(&translated)
            .build()
            .map_err(|e| e.to_string())
    });
    match compiled {
        Ok(re) => Value::Bool(re.is_match(text)),
        Err(msg) => Value::error(EvalError::invalid_argument(format!(
            "invalid regular expression: {msg}"
        ))),
    }
}

/// Go's `time.RFC3339Nano` in UTC, as cel-go prints a timestamp.
fn format_rfc3339_nano(t: &Timestamp) -> String {
    let days = t.seconds.div_euclid(86_400);
    let secs = t.seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut out = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    if t.nanos > 0 {
        let frac = format!("{:09}", t.nanos);
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}
