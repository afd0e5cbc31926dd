//! Rewrites of the checked tree where `cel-core`'s evaluation differs from
//! cel-go's: a negative list index is an error in cel-go; a duration's
//! `getHours()`, `getMinutes()`, `getSeconds()` and `getMilliseconds()`
//! return the whole duration in that unit (`duration('1.5s').getMilliseconds()`
//! is 1500), where `cel-core` returns one component; and map literals,
//! `has()`, duration/timestamp `+`/`-` and orderings that may meet a NaN
//! become the functions of [`ops`], as do `size`, `in`, `==`, indexing and the
//! macros' iteration where the operand may be a map (it may be a
//! [`super::gomap::GoMap`]).
//! A replaced node keeps its id, so its checked type still applies.

use cel_core::types::{ListElement, MapEntry};

use super::ops;
use super::runtime::LIST_INDEX_GUARD;
use super::*;

/// Applies the rewrites bottom-up; `next_id` numbers the new nodes.
pub(super) fn rewrite_checked(
    expr: &mut SpannedExpr,
    types: &HashMap<i64, CelType>,
    next_id: &mut i64,
) {
    for child in children_mut(expr) {
        rewrite_checked(child, types, next_id);
    }
    wrap_map_operand(expr, types, next_id);
    let ty = |e: &SpannedExpr| types.get(&e.id).cloned();
    let span = expr.span.clone();
    let mut fresh = |node: Expr| {
        *next_id += 1;
        SpannedExpr::new(*next_id, node, span.clone())
    };
    let replaced = match &mut expr.node {
        Expr::Map(entries) if !entries.iter().any(|e| e.optional) => {
            let items = std::mem::take(entries)
                .into_iter()
                .flat_map(|MapEntry { key, value, .. }| [key, value])
                .map(|expr| ListElement {
                    expr,
                    optional: false,
                })
                .collect();
            let list = fresh(Expr::List(items));
            Some(call(&mut fresh, ops::MAP_LITERAL, vec![list]))
        }
        Expr::MemberTestOnly {
            expr: operand,
            field,
        } if !matches!(ty(operand), Some(CelType::Message(_))) => {
            let operand = std::mem::replace(operand.as_mut(), fresh(Expr::Null));
            let name = fresh(Expr::String(std::mem::take(field)));
            Some(call(&mut fresh, ops::HAS_FIELD, vec![operand, name]))
        }
        Expr::Binary {
            op: op @ (BinaryOp::Add | BinaryOp::Sub),
            left,
            right,
        } if !plain_arithmetic(ty(left)) || !plain_arithmetic(ty(right)) => {
            let function = if *op == BinaryOp::Add {
                ops::ADD
            } else {
                ops::SUB
            };
            let left = std::mem::replace(left.as_mut(), fresh(Expr::Null));
            let right = std::mem::replace(right.as_mut(), fresh(Expr::Null));
            Some(call(&mut fresh, function, vec![left, right]))
        }
        Expr::Binary {
            op: op @ (BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge),
            left,
            right,
        } if may_be_double(ty(left)) || may_be_double(ty(right)) => {
            let function = match op {
                BinaryOp::Lt => ops::LESS,
                BinaryOp::Le => ops::LESS_EQUAL,
                BinaryOp::Gt => ops::GREATER,
                _ => ops::GREATER_EQUAL,
            };
            let left = std::mem::replace(left.as_mut(), fresh(Expr::Null));
            let right = std::mem::replace(right.as_mut(), fresh(Expr::Null));
            Some(call(&mut fresh, function, vec![left, right]))
        }
        Expr::Binary {
            op: op @ (BinaryOp::Eq | BinaryOp::Ne),
            left,
            right,
        } if may_be_map(ty(left)) && may_be_map(ty(right)) => {
            let function = if *op == BinaryOp::Eq {
                ops::EQUAL
            } else {
                ops::NOT_EQUAL
            };
            let left = std::mem::replace(left.as_mut(), fresh(Expr::Null));
            let right = std::mem::replace(right.as_mut(), fresh(Expr::Null));
            Some(call(&mut fresh, function, vec![left, right]))
        }
        Expr::Binary {
            op: BinaryOp::In,
            left,
            right,
        } if may_be_map(ty(right)) => {
            let left = std::mem::replace(left.as_mut(), fresh(Expr::Null));
            let right = std::mem::replace(right.as_mut(), fresh(Expr::Null));
            Some(call(&mut fresh, ops::IN, vec![left, right]))
        }
        Expr::Index {
            expr: container,
            index,
            optional: false,
        } if may_be_map(ty(container)) => {
            let container = std::mem::replace(container.as_mut(), fresh(Expr::Null));
            let index = std::mem::replace(index.as_mut(), fresh(Expr::Null));
            Some(call(&mut fresh, ops::INDEX, vec![container, index]))
        }
        Expr::Index {
            expr: container,
            index,
            optional: false,
        } if matches!(ty(container), Some(CelType::List(_))) => {
            let original = std::mem::replace(index.as_mut(), fresh(Expr::Null));
            let callee = fresh(Expr::Ident(LIST_INDEX_GUARD.into()));
            **index = fresh(Expr::Call {
                expr: Box::new(callee),
                args: vec![original],
            });
            None
        }
        Expr::Call { expr: callee, args } if args.is_empty() => {
            let Expr::Member {
                expr: receiver,
                field,
                ..
            } = &mut callee.node
            else {
                return;
            };
            let nanos_per_unit: i64 = match field.as_str() {
                "getHours" => 3_600_000_000_000,
                "getMinutes" => 60_000_000_000,
                "getSeconds" => 1_000_000_000,
                "getMilliseconds" => 1_000_000,
                _ => return,
            };
            if ty(receiver) != Some(CelType::Duration) {
                return;
            }
            let duration = std::mem::replace(receiver.as_mut(), fresh(Expr::Null));
            let int_fn = fresh(Expr::Ident("int".into()));
            let nanos = fresh(Expr::Call {
                expr: Box::new(int_fn),
                args: vec![duration],
            });
            let unit = fresh(Expr::Int(nanos_per_unit));
            Some(Expr::Binary {
                op: BinaryOp::Div,
                left: Box::new(nanos),
                right: Box::new(unit),
            })
        }
        _ => None,
    };
    if let Some(node) = replaced {
        expr.node = node;
    }
}

/// Whether a value of this checked type may be a map.
fn may_be_map(ty: Option<CelType>) -> bool {
    matches!(ty, Some(CelType::Map(..) | CelType::Dyn))
}

/// Passes the operand of `size` and the range of a macro through
/// [`ops::MAP_KEYS`] where it may be a map, so that a `GoMap` is counted and
/// iterated by its keys.
fn wrap_map_operand(expr: &mut SpannedExpr, types: &HashMap<i64, CelType>, next_id: &mut i64) {
    let may_be_map = |e: &SpannedExpr| may_be_map(types.get(&e.id).cloned());
    let operand = match &mut expr.node {
        Expr::Call { expr: callee, args } => match (&mut callee.node, args.as_mut_slice()) {
            (Expr::Ident(name), [arg]) if name == "size" && may_be_map(arg) => arg,
            (
                Expr::Member {
                    expr: receiver,
                    field,
                    ..
                },
                [],
            ) if field == "size" && may_be_map(receiver) => receiver.as_mut(),
            _ => return,
        },
        Expr::Comprehension(comp) if may_be_map(&comp.iter_range) => comp.iter_range.as_mut(),
        _ => return,
    };
    let span = operand.span.clone();
    let mut fresh = |node: Expr| {
        *next_id += 1;
        SpannedExpr::new(*next_id, node, span.clone())
    };
    let inner = std::mem::replace(operand, fresh(Expr::Null));
    let node = call(&mut fresh, ops::MAP_KEYS, vec![inner]);
    *operand = fresh(node);
}

/// Whether `cel-core`'s `+` and `-` on a value of this checked type behave as
/// cel-go's (everything but durations, timestamps, maps and what may be one).
fn plain_arithmetic(ty: Option<CelType>) -> bool {
    matches!(
        ty,
        Some(
            CelType::Int
                | CelType::UInt
                | CelType::Double
                | CelType::String
                | CelType::Bytes
                | CelType::List(_)
        )
    )
}

/// Whether a value of this checked type may be a double (and so a NaN).
fn may_be_double(ty: Option<CelType>) -> bool {
    !matches!(
        ty,
        Some(
            CelType::Int
                | CelType::UInt
                | CelType::String
                | CelType::Bytes
                | CelType::Bool
                | CelType::Timestamp
                | CelType::Duration
        )
    )
}

/// A call of the global function `name`.
fn call(fresh: &mut impl FnMut(Expr) -> SpannedExpr, name: &str, args: Vec<SpannedExpr>) -> Expr {
    Expr::Call {
        expr: Box::new(fresh(Expr::Ident(name.into()))),
        args,
    }
}

/// The largest node id in the tree.
pub(super) fn max_id(expr: &mut SpannedExpr) -> i64 {
    let own = expr.id;
    children_mut(expr)
        .into_iter()
        .map(max_id)
        .fold(own, i64::max)
}

pub(super) fn children_mut(expr: &mut SpannedExpr) -> Vec<&mut SpannedExpr> {
    match &mut expr.node {
        Expr::List(elements) => elements.iter_mut().map(|e| &mut e.expr).collect(),
        Expr::Map(entries) => entries
            .iter_mut()
            .flat_map(|e| [&mut e.key, &mut e.value])
            .collect(),
        Expr::Unary { expr: inner, .. }
        | Expr::Member { expr: inner, .. }
        | Expr::MemberTestOnly { expr: inner, .. } => vec![inner.as_mut()],
        Expr::Binary { left, right, .. } => vec![left.as_mut(), right.as_mut()],
        Expr::Ternary {
            cond,
            then_expr,
            else_expr,
        } => vec![cond.as_mut(), then_expr.as_mut(), else_expr.as_mut()],
        Expr::Index {
            expr: inner, index, ..
        } => vec![inner.as_mut(), index.as_mut()],
        Expr::Call { expr: callee, args } => {
            let mut out = vec![callee.as_mut()];
            out.extend(args.iter_mut());
            out
        }
        Expr::Struct { fields, .. } => fields.iter_mut().map(|f| &mut f.value).collect(),
        Expr::Comprehension(comp) => vec![
            comp.iter_range.as_mut(),
            comp.accu_init.as_mut(),
            comp.loop_condition.as_mut(),
            comp.loop_step.as_mut(),
            comp.result.as_mut(),
        ],
        Expr::Bind { init, body, .. } => vec![init.as_mut(), body.as_mut()],
        _ => Vec::new(),
    }
}
