//! Map literals whose keys `cel-core` cannot hold, as cel-go v0.23 keeps
//! them.
//!
//! cel-go stores a map literal in a Go `map[ref.Val]ref.Val` without checking
//! the key types (`evalMap.Eval`, `types.NewRefValMap`): a double, `null`, a
//! timestamp, a duration or a type is a key compared by value, a list or map
//! (a Go pointer) is a key compared by identity, and only a bytes key fails
//! (hashing a Go slice panics; the panic becomes an evaluation error). Such a
//! map becomes a [`GoMap`], a `cel-core` message value, and the operations
//! that cel-go performs on maps are runtime functions of [`super::ops`] that
//! [`super::rewrite`] substitutes: `size`, `in`, `m[k]`, `has(m.f)` and
//! iteration by the macros; `==` between two of them is
//! [`GoMap::eq_message`], with an ordinary map `ops`' equality. Anything else on a
//! `GoMap` fails, as a message value does (see docs/cel.md).

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

use cel_core::{EvalError, MapKey, MessageValue, Value, ValueMap};

/// A key as Go compares it: by value, or by identity for a list or map.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum GoKey {
    Bool(bool),
    Int(i64),
    UInt(u64),
    String(Arc<str>),
    /// The bits of a double other than NaN, with `-0.0` as `0.0`.
    Double(u64),
    Null,
    /// Nanoseconds since the epoch; Go's `time.Time` of a CEL timestamp.
    Timestamp(i128),
    /// Nanoseconds.
    Duration(i128),
    Type(Arc<str>),
    /// The address of a list's or map's allocation, kept alive by the entry.
    Identity(usize),
}

const NANOS: i128 = 1_000_000_000;

/// Why a value cannot be a key: a bytes value is not hashable in Go, and the
/// rest (optionals, messages) never reach a map literal in this environment.
fn unhashable(key: &Value) -> EvalError {
    if matches!(key, Value::Bytes(_)) {
        EvalError::invalid_argument("a bytes value cannot be a map key (it is not hashable)")
    } else {
        EvalError::invalid_argument(format!(
            "unsupported map key type: {}",
            super::value_type_name(key)
        ))
    }
}

/// The Go map key of `key`; `Ok(None)` for a NaN, which equals no key.
fn go_key(key: &Value) -> Result<Option<GoKey>, EvalError> {
    let identity = |ptr: *const ()| Ok(Some(GoKey::Identity(ptr as usize)));
    match key {
        Value::Bool(b) => Ok(Some(GoKey::Bool(*b))),
        Value::Int(i) => Ok(Some(GoKey::Int(*i))),
        Value::UInt(u) => Ok(Some(GoKey::UInt(*u))),
        Value::String(s) => Ok(Some(GoKey::String(s.clone()))),
        Value::Double(d) if d.is_nan() => Ok(None),
        Value::Double(d) => Ok(Some(GoKey::Double(if *d == 0.0 {
            0.0f64.to_bits()
        } else {
            d.to_bits()
        }))),
        Value::Null => Ok(Some(GoKey::Null)),
        Value::Timestamp(t) => Ok(Some(GoKey::Timestamp(
            i128::from(t.seconds) * NANOS + i128::from(t.nanos),
        ))),
        Value::Duration(d) => Ok(Some(GoKey::Duration(
            i128::from(d.seconds) * NANOS + i128::from(d.nanos),
        ))),
        Value::Type(t) => Ok(Some(GoKey::Type(t.name.clone()))),
        Value::List(list) => identity(Arc::as_ptr(list).cast::<()>()),
        Value::Map(map) => identity(Arc::as_ptr(map).cast::<()>()),
        Value::Message(message) => match message.as_any().downcast_ref::<GoMap>() {
            Some(map) => identity(Arc::as_ptr(&map.0).cast::<()>()),
            None => Err(unhashable(key)),
        },
        _ => Err(unhashable(key)),
    }
}

/// cel-go's `doubleToInt64Lossless`.
pub(super) fn double_to_int(d: f64) -> Option<i64> {
    // The bounds are exclusive: -2^63 and 2^63 as doubles.
    if !d.is_finite() || d <= -9_223_372_036_854_775_808.0 || d >= 9_223_372_036_854_775_808.0 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let i = d as i64;
    #[allow(clippy::cast_precision_loss)]
    (i as f64 == d).then_some(i)
}

/// cel-go's `doubleToUint64Lossless`.
fn double_to_uint(d: f64) -> Option<u64> {
    if !(0.0..18_446_744_073_709_551_616.0).contains(&d) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let u = d as u64;
    #[allow(clippy::cast_precision_loss)]
    (u as f64 == d).then_some(u)
}

/// The other numeric keys cel-go's `refValMapAccessor.Find` tries after the
/// exact one: a double as int, then as uint; an int as uint; a uint as int.
fn numeric_alternatives(key: &Value) -> Vec<Value> {
    match key {
        Value::Double(d) => double_to_int(*d)
            .map(Value::Int)
            .into_iter()
            .chain(double_to_uint(*d).map(Value::UInt))
            .collect(),
        Value::Int(i) => u64::try_from(*i).map(Value::UInt).into_iter().collect(),
        Value::UInt(u) => i64::try_from(*u).map(Value::Int).into_iter().collect(),
        _ => Vec::new(),
    }
}

#[derive(Debug)]
struct Entries {
    /// In source order of their first occurrence (Go's order is random).
    pairs: Vec<(Value, Value)>,
    index: HashMap<GoKey, usize>,
}

/// A map literal as cel-go holds it; cloning shares the map, so its identity
/// as a key survives `dyn()` and variables.
#[derive(Debug, Clone)]
pub(super) struct GoMap(Arc<Entries>);

impl GoMap {
    /// Builds the map from `[k1, v1, k2, v2, ...]`: a repeated key keeps its
    /// first position and takes the last key and value, a NaN key is always a
    /// new entry.
    pub(super) fn from_pairs(items: &[Value]) -> Result<GoMap, EvalError> {
        let mut entries = Entries {
            pairs: Vec::with_capacity(items.len() / 2),
            index: HashMap::new(),
        };
        for pair in items.chunks(2) {
            let [key, value] = pair else {
                return Err(EvalError::no_matching_overload("map"));
            };
            match go_key(key)? {
                Some(go) => match entries.index.get(&go) {
                    // Go's mapassign also stores the new key of an
                    // interface-keyed map (`needkeyupdate`): -0.0 replaces 0.0.
                    Some(&at) => {
                        if let Some(slot) = entries.pairs.get_mut(at) {
                            *slot = (key.clone(), value.clone());
                        }
                    }
                    None => {
                        entries.index.insert(go, entries.pairs.len());
                        entries.pairs.push((key.clone(), value.clone()));
                    }
                },
                None => entries.pairs.push((key.clone(), value.clone())),
            }
        }
        Ok(GoMap(Arc::new(entries)))
    }

    /// The map inside `value`, if it is one.
    pub(super) fn of(value: &Value) -> Option<&GoMap> {
        match value {
            Value::Message(message) => message.as_any().downcast_ref::<GoMap>(),
            _ => None,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.0.pairs.len()
    }

    /// The entries, in the order [`GoMap::from_pairs`] kept.
    pub(super) fn entries(&self) -> impl Iterator<Item = (&Value, &Value)> {
        self.0.pairs.iter().map(|(k, v)| (k, v))
    }

    /// The keys, in the order [`GoMap::from_pairs`] kept.
    pub(super) fn keys(&self) -> Value {
        Value::List(self.0.pairs.iter().map(|(k, _)| k.clone()).collect())
    }

    /// cel-go's `refValMapAccessor.Find`: the exact key, then the numeric
    /// alternatives. Looking up a bytes key in a non-empty map panics in Go.
    pub(super) fn find(&self, key: &Value) -> Result<Option<&Value>, EvalError> {
        if self.0.pairs.is_empty() {
            return Ok(None);
        }
        for candidate in std::iter::once(key.clone()).chain(numeric_alternatives(key)) {
            let at = match go_key(&candidate) {
                Ok(Some(go)) => self.0.index.get(&go),
                Ok(None) => None,
                // Types a Go map hashes by identity that `cel-core` has no
                // key for (optionals, messages) are simply absent.
                Err(_) if !matches!(candidate, Value::Bytes(_)) => None,
                Err(err) => return Err(err),
            };
            if let Some(&at) = at {
                return Ok(self.0.pairs.get(at).map(|(_, v)| v));
            }
        }
        Ok(None)
    }
}

impl MessageValue for GoMap {
    /// `type()` of the map is `map`, as in cel-go.
    fn type_name(&self) -> &str {
        "map"
    }

    /// cel-go's `baseMap.Equal` between two such maps: equal sizes, and every
    /// key of this map found in the other with an equal value.
    fn eq_message(&self, other: &dyn MessageValue) -> bool {
        let Some(other) = other.as_any().downcast_ref::<GoMap>() else {
            return false;
        };
        self.len() == other.len()
            && self
                .0
                .pairs
                .iter()
                .all(|(key, value)| matches!(other.find(key), Ok(Some(v)) if v == value))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn clone_boxed(&self) -> Box<dyn MessageValue> {
        Box::new(self.clone())
    }
}

/// cel-go's `Find` on a map `cel-core` holds: a key of a type it cannot hold
/// is absent, a bytes key panics in Go (when the map is not empty).
pub(super) fn find_in_value_map<'a>(
    map: &'a ValueMap,
    key: &Value,
) -> Result<Option<&'a Value>, EvalError> {
    if map.is_empty() {
        return Ok(None);
    }
    if matches!(key, Value::Bytes(_)) {
        return Err(unhashable(key));
    }
    for candidate in std::iter::once(key.clone()).chain(numeric_alternatives(key)) {
        if let Some(found) = MapKey::from_value(&candidate).and_then(|k| map.get(&k)) {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lossless_conversions_follow_cel_go_bounds() {
        assert_eq!(double_to_int(2.0), Some(2));
        assert_eq!(double_to_int(-2.0), Some(-2));
        assert_eq!(double_to_int(2.5), None);
        // cel-go's bounds are exclusive at both ends.
        assert_eq!(double_to_int(-9_223_372_036_854_775_808.0), None);
        assert_eq!(double_to_int(9_223_372_036_854_775_808.0), None);
        assert_eq!(double_to_int(f64::NAN), None);
        assert_eq!(double_to_uint(9_223_372_036_854_775_808.0), Some(1 << 63));
        assert_eq!(double_to_uint(-1.0), None);
        assert_eq!(double_to_uint(f64::INFINITY), None);
    }

    #[test]
    fn keys_are_go_values_and_lists_are_identities() {
        let list: Value = Value::List(vec![Value::Int(1)].into());
        let same_content: Value = Value::List(vec![Value::Int(1)].into());
        let map = GoMap::from_pairs(&[
            list.clone(),
            Value::Int(1),
            Value::Double(-0.0),
            Value::Int(2),
            Value::Double(0.0),
            Value::Int(3),
            Value::Int(7),
            Value::Int(4),
        ])
        .map_err(|e| e.message)
        .unwrap_or_else(|m| panic!("{m}"));
        assert_eq!(map.len(), 3);
        assert!(matches!(map.find(&list), Ok(Some(Value::Int(1)))));
        assert!(matches!(map.find(&same_content), Ok(None)));
        assert!(matches!(
            map.find(&Value::Double(0.0)),
            Ok(Some(Value::Int(3)))
        ));
        assert!(matches!(
            map.find(&Value::Double(7.0)),
            Ok(Some(Value::Int(4)))
        ));
        assert!(matches!(map.find(&Value::UInt(7)), Ok(Some(Value::Int(4)))));
        assert!(map.find(&Value::Bytes(vec![1u8].into())).is_err());
        assert!(GoMap::from_pairs(&[Value::Bytes(vec![1u8].into()), Value::Null]).is_err());
    }
}
