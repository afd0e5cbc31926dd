//! Operators whose cel-go semantics `cel-core` does not share, as runtime
//! functions that [`super::rewrite`] substitutes for them after type-checking:
//!
//! - map literals: cel-go stores the entries in a Go map keyed by the CEL
//!   value, so `1` and `1u` are different keys and a repeated key keeps its
//!   last value (`cel-core` reports "repeated key" for both), and a key of
//!   any type but bytes is accepted ([`super::gomap`]);
//! - `size`, `in`, `m[k]` and the macros' iteration on a map, which must
//!   also work on a [`GoMap`] (`m[k]` and `in` follow cel-go's `Find` on any
//!   map);
//! - `has(e.f)`: cel-go evaluates `e` and fails when it fails or is not a map
//!   (`cel-core` answers false);
//! - `+` and `-` on durations and timestamps: cel-go's durations are int64
//!   nanoseconds (±292 years) and every step is overflow-checked
//!   (`cel-core` allows ±10,000 years);
//! - `<`, `<=`, `>`, `>=` with a NaN: an error in both, here with cel-go's
//!   words ("NaN values cannot be ordered") instead of "no matching
//!   overload".

use std::cmp::Ordering;
use std::sync::Arc;

use cel_core::types::{FunctionDecl, OverloadDecl};
use cel_core::{EvalError, MapKey, Timestamp, ValueMap};

use super::gomap::{double_to_int, find_in_value_map, GoMap};
use super::runtime::{duration_from_nanos, duration_nanos};
use super::*;

/// Builds a map from `[k1, v1, k2, v2, ...]` (the list evaluates the keys
/// and values in source order and stops at the first error, as cel-go does).
pub(super) const MAP_LITERAL: &str = "@aigw_map";
/// `size(m)`, and a macro's range `m`, where `m` may be a map: a [`GoMap`]
/// becomes the list of its keys (same size, same iteration), anything else
/// stays as it is.
pub(super) const MAP_KEYS: &str = "@aigw_map_keys";
/// `m[k]` where `m` may be a map.
pub(super) const INDEX: &str = "@aigw_index";
/// `k in m` where `m` may be a map.
pub(super) const IN: &str = "@aigw_in";
/// `a == b` and `a != b` where both sides may be maps.
pub(super) const EQUAL: &str = "@aigw_eq";
pub(super) const NOT_EQUAL: &str = "@aigw_ne";
/// `has(e.f)` as `@aigw_has(e, 'f')`.
pub(super) const HAS_FIELD: &str = "@aigw_has";
/// `a + b` where either side may be a duration or timestamp.
pub(super) const ADD: &str = "@aigw_add";
/// `a - b` where either side may be a duration or timestamp.
pub(super) const SUB: &str = "@aigw_sub";
/// The ordering operators on doubles (or what may be one), by `BinaryOp`.
pub(super) const LESS: &str = "@aigw_lt";
pub(super) const LESS_EQUAL: &str = "@aigw_le";
pub(super) const GREATER: &str = "@aigw_gt";
pub(super) const GREATER_EQUAL: &str = "@aigw_ge";
/// `google.protobuf.Any{}` (substituted before checking, see
/// [`super::syntax`]): cel-go compiles it, and unpacking the message with an
/// empty type URL fails.
pub(super) const EMPTY_ANY: &str = "@aigw_empty_any";

const NANOS: i64 = 1_000_000_000;
/// Unix seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z
/// (cel-go's `minUnixTime`, `maxUnixTime`).
const MIN_UNIX: i64 = -62_135_596_800;
const MAX_UNIX: i64 = 253_402_300_799;

/// Declarations of the functions above (`dyn` signatures: only
/// [`EMPTY_ANY`] is in the tree that is checked).
pub(super) fn declarations() -> Vec<FunctionDecl> {
    let decl = |name: &str, arity: usize, f: fn(&[Value]) -> Value| {
        FunctionDecl::new(name).with_overload(
            OverloadDecl::function(name, vec![CelType::Dyn; arity], CelType::Dyn).with_impl(f),
        )
    };
    vec![
        decl(MAP_LITERAL, 1, map_literal),
        decl(HAS_FIELD, 2, has_field),
        decl(MAP_KEYS, 1, map_keys),
        decl(INDEX, 2, index),
        decl(IN, 2, contains),
        decl(EQUAL, 2, |args| {
            equal(args).map_or_else(|| no_overload("_==_"), Value::Bool)
        }),
        decl(NOT_EQUAL, 2, |args| {
            equal(args).map_or_else(|| no_overload("_!=_"), |eq| Value::Bool(!eq))
        }),
        decl(ADD, 2, add),
        decl(SUB, 2, sub),
        decl(EMPTY_ANY, 0, empty_any),
        decl(LESS, 2, |args| order(args, "_<_", Ordering::is_lt)),
        decl(LESS_EQUAL, 2, |args| order(args, "_<=_", Ordering::is_le)),
        decl(GREATER, 2, |args| order(args, "_>_", Ordering::is_gt)),
        decl(GREATER_EQUAL, 2, |args| {
            order(args, "_>=_", Ordering::is_ge)
        }),
    ]
}

fn no_overload(function: &str) -> Value {
    Value::error(EvalError::no_matching_overload(function))
}

fn integer_overflow() -> Value {
    Value::error(EvalError::overflow("integer overflow"))
}

fn map_literal(args: &[Value]) -> Value {
    let [Value::List(items)] = args else {
        return no_overload("map");
    };
    let keys = items.iter().step_by(2);
    if keys.clone().all(|key| MapKey::from_value(key).is_some()) {
        let mut map = ValueMap::new();
        for pair in items.chunks(2) {
            if let [key, value] = pair {
                if let Some(key) = MapKey::from_value(key) {
                    map.insert(key, value.clone());
                }
            }
        }
        return Value::Map(Arc::new(map));
    }
    // A key `cel-core` cannot hold (or a bytes key, which fails here).
    match GoMap::from_pairs(items) {
        Ok(map) => Value::Message(Box::new(map)),
        Err(err) => Value::error(err),
    }
}

fn map_keys(args: &[Value]) -> Value {
    match args {
        [value] => GoMap::of(value).map_or_else(|| value.clone(), GoMap::keys),
        _ => no_overload("size"),
    }
}

/// cel-go's `Get` on a map (`Find`, then "no such key") and on a list (an
/// int, uint or integral double index within bounds).
fn index(args: &[Value]) -> Value {
    let [container, key] = args else {
        return no_overload("_[_]");
    };
    let found = match container {
        Value::Map(map) => find_in_value_map(map, key),
        Value::List(list) => {
            let at = match key {
                Value::Int(i) => usize::try_from(*i).ok(),
                Value::UInt(u) => usize::try_from(*u).ok(),
                Value::Double(d) => double_to_int(*d).and_then(|i| usize::try_from(i).ok()),
                _ => return no_overload("_[_]"),
            };
            return match at.and_then(|at| list.get(at)) {
                Some(v) => v.clone(),
                None => Value::error(EvalError::invalid_argument(format!(
                    "index '{key}' out of range in list size '{}'",
                    list.len()
                ))),
            };
        }
        other => match GoMap::of(other) {
            Some(map) => map.find(key),
            None => return no_overload("_[_]"),
        },
    };
    match found {
        Ok(Some(v)) => v.clone(),
        Ok(None) => Value::error(EvalError::key_not_found(&key.to_string())),
        Err(err) => Value::error(err),
    }
}

/// `==` as `cel-core` has it, except between a [`GoMap`] and another map:
/// cel-go's `baseMap.Equal` (equal sizes, and each key of the left map found
/// in the right one by `Find`, with an equal value).
fn equal(args: &[Value]) -> Option<bool> {
    let [left, right] = args else {
        return None;
    };
    Some(match (left, right, GoMap::of(left), GoMap::of(right)) {
        (_, Value::Map(map), Some(go), _) => {
            go.len() == map.len()
                && go.entries().all(
                    |(key, value)| matches!(find_in_value_map(map, key), Ok(Some(v)) if v == value),
                )
        }
        (Value::Map(map), _, _, Some(go)) => {
            map.len() == go.len()
                && map.iter().all(
                    |(key, value)| matches!(go.find(&key.to_value()), Ok(Some(v)) if v == value),
                )
        }
        _ => left == right,
    })
}

/// `k in m`: cel-go's `Contains` (`Find`) on a map; on a list, `cel-core`'s
/// element equality.
fn contains(args: &[Value]) -> Value {
    let [key, container] = args else {
        return no_overload("@in");
    };
    let found = match container {
        Value::List(list) => return Value::Bool(list.iter().any(|v| v == key)),
        Value::Map(map) => find_in_value_map(map, key).map(|v| v.is_some()),
        other => match GoMap::of(other) {
            Some(map) => map.find(key).map(|v| v.is_some()),
            None => return no_overload("@in"),
        },
    };
    found.map_or_else(Value::error, Value::Bool)
}

fn has_field(args: &[Value]) -> Value {
    match args {
        [Value::Map(map), Value::String(field)] => {
            Value::Bool(map.contains_key(&MapKey::String(field.clone())))
        }
        [value, Value::String(field)] if GoMap::of(value).is_some() => {
            let key = Value::String(field.clone());
            Value::Bool(GoMap::of(value).is_some_and(|m| matches!(m.find(&key), Ok(Some(_)))))
        }
        [other, _] => Value::error(EvalError::invalid_argument(format!(
            "invalid type for field selection: {}",
            value_type_name(other)
        ))),
        _ => no_overload("has"),
    }
}

fn empty_any(_: &[Value]) -> Value {
    Value::error(EvalError::invalid_argument(
        "google.protobuf.Any{} has an empty type URL: no message type to unpack",
    ))
}

/// cel-go's `Compare` and the ordering bindings of its standard library.
fn order(args: &[Value], function: &str, accept: fn(Ordering) -> bool) -> Value {
    let [left, right] = args else {
        return no_overload(function);
    };
    let nan = |v: &Value| matches!(v, Value::Double(d) if d.is_nan());
    match left.compare(right) {
        Some(ordering) => Value::Bool(accept(ordering)),
        None if nan(left) || nan(right) => {
            Value::error(EvalError::invalid_argument("NaN values cannot be ordered"))
        }
        None => no_overload(function),
    }
}

/// cel-go's `addTimeDurationChecked`: seconds and nanoseconds added apart,
/// each step checked, the result within years 1 to 9999.
fn add_time_duration(t: &Timestamp, d: i64) -> Value {
    let Some(mut sec) = t.seconds.checked_add(d / NANOS) else {
        return integer_overflow();
    };
    let mut nsec = i64::from(t.nanos) + d % NANOS;
    if !(0..NANOS).contains(&nsec) {
        sec = match sec.checked_add(nsec.div_euclid(NANOS)) {
            Some(s) => s,
            None => return integer_overflow(),
        };
        nsec = nsec.rem_euclid(NANOS);
    }
    if !(MIN_UNIX..=MAX_UNIX).contains(&sec) {
        return Value::error(EvalError::range_error("timestamp overflow"));
    }
    Value::Timestamp(Timestamp {
        seconds: sec,
        nanos: i32::try_from(nsec).unwrap_or(0),
    })
}

/// cel-go's `subtractTimeChecked`: the difference must fit int64 nanoseconds.
fn sub_times(a: &Timestamp, b: &Timestamp) -> Value {
    a.seconds
        .checked_sub(b.seconds)
        .and_then(|s| s.checked_mul(NANOS))
        .and_then(|ns| ns.checked_add(i64::from(a.nanos) - i64::from(b.nanos)))
        .map_or_else(integer_overflow, duration_from_nanos)
}

fn add(args: &[Value]) -> Value {
    match args {
        [Value::Duration(a), Value::Duration(b)] => match (duration_nanos(a), duration_nanos(b)) {
            (Some(a), Some(b)) => a
                .checked_add(b)
                .map_or_else(integer_overflow, duration_from_nanos),
            _ => integer_overflow(),
        },
        [Value::Timestamp(t), Value::Duration(d)] | [Value::Duration(d), Value::Timestamp(t)] => {
            duration_nanos(d).map_or_else(integer_overflow, |d| add_time_duration(t, d))
        }
        [Value::Int(a), Value::Int(b)] => a.checked_add(*b).map_or_else(
            || Value::error(EvalError::overflow("integer addition overflow")),
            Value::Int,
        ),
        [Value::UInt(a), Value::UInt(b)] => a.checked_add(*b).map_or_else(
            || Value::error(EvalError::overflow("unsigned addition overflow")),
            Value::UInt,
        ),
        [Value::Double(a), Value::Double(b)] => Value::Double(a + b),
        [Value::String(a), Value::String(b)] => Value::String(format!("{a}{b}").into()),
        [Value::Bytes(a), Value::Bytes(b)] => {
            Value::Bytes(a.iter().chain(b.iter()).copied().collect())
        }
        [Value::List(a), Value::List(b)] => {
            Value::List(a.iter().chain(b.iter()).cloned().collect())
        }
        // cel-go has no `+` on maps.
        _ => no_overload("_+_"),
    }
}

fn sub(args: &[Value]) -> Value {
    match args {
        [Value::Duration(a), Value::Duration(b)] => match (duration_nanos(a), duration_nanos(b)) {
            (Some(a), Some(b)) => a
                .checked_sub(b)
                .map_or_else(integer_overflow, duration_from_nanos),
            _ => integer_overflow(),
        },
        // cel-go negates the duration first, so its minimum overflows.
        [Value::Timestamp(t), Value::Duration(d)] => duration_nanos(d)
            .and_then(i64::checked_neg)
            .map_or_else(integer_overflow, |d| add_time_duration(t, d)),
        [Value::Timestamp(a), Value::Timestamp(b)] => sub_times(a, b),
        [Value::Int(a), Value::Int(b)] => a.checked_sub(*b).map_or_else(
            || Value::error(EvalError::overflow("integer subtraction overflow")),
            Value::Int,
        ),
        [Value::UInt(a), Value::UInt(b)] => a.checked_sub(*b).map_or_else(
            || Value::error(EvalError::overflow("unsigned subtraction overflow")),
            Value::UInt,
        ),
        [Value::Double(a), Value::Double(b)] => Value::Double(a - b),
        _ => no_overload("_-_"),
    }
}
