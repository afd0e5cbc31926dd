//! Strict type-parameter unification, as cel-go does it.

use super::*;

/// Re-checks the operators whose overloads use type parameters. cel-go binds
/// the parameter to the first argument's type and then requires the other
/// argument to be assignable to it, so `input_tokens == 3` (uint vs int),
/// `true ? 1 : 1u` and `1 == null` are "no matching overload" errors there,
/// while `cel-core` silently widens the parameter to `dyn`.
pub(super) fn strict_generic_check(
    expr: &SpannedExpr,
    types: &HashMap<i64, CelType>,
    src: &str,
) -> Result<(), CelCostError> {
    let ty = |e: &SpannedExpr| {
        let checked = types.get(&e.id).cloned().unwrap_or(CelType::Dyn);
        if checked == CelType::Dyn {
            literal_element_kind(e).unwrap_or(checked)
        } else {
            checked
        }
    };
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
                // cel-go's `_+_` has no map overload, and list concatenation
                // binds one element type: `[1] + ['a']` does not type-check.
                BinaryOp::Add
                    if matches!(lt, CelType::Map(..)) || matches!(rt, CelType::Map(..)) =>
                {
                    return Err(mismatch("_+_", &[lt, rt]));
                }
                BinaryOp::Add => {
                    if let (CelType::List(a), CelType::List(b)) = (&lt, &rt) {
                        if !assignable(b, a) {
                            return Err(mismatch("_+_", &[lt.clone(), rt.clone()]));
                        }
                    }
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
pub(super) fn assignable(from: &CelType, to: &CelType) -> bool {
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

/// `cel-core` types an element of a list of empty lists or maps (`[[]][0]`)
/// as `dyn`; cel-go keeps `list(T)` / `map(K, V)`, so comparing it with a
/// scalar is a type error there.
fn literal_element_kind(expr: &SpannedExpr) -> Option<CelType> {
    let Expr::Index {
        expr: container, ..
    } = &expr.node
    else {
        return None;
    };
    let Expr::List(elements) = &container.node else {
        return None;
    };
    match &elements.first()?.expr.node {
        Expr::List(_) => Some(CelType::list(CelType::Dyn)),
        Expr::Map(_) => Some(CelType::map(CelType::Dyn, CelType::Dyn)),
        _ => None,
    }
}

/// Wraps in `dyn(...)` the nodes that cel-go types as `dyn` where `cel-core`
/// picks a concrete type, so that checking the tree again gives cel-go's
/// types. Returns whether anything was wrapped; `wrapped` holds the ids of
/// nodes already wrapped (each is wrapped once, so rounds terminate).
///
/// - A call that matches several overloads with different result types is
///   `dyn` in cel-go (`dyn(1) + dyn(1)`); `cel-core` takes the last match's
///   result (here `map<K, V>`).
/// - cel-go joins the element (key, value) types of a literal to the least
///   specific one (`mostGeneral`: `[dyn(1), 2u]` is `list(dyn)`,
///   `[[1], [dyn(1)]]` is `list(list(dyn))`); `cel-core` keeps the most
///   specific (`list(uint)`). Wrapping the more specific elements leaves
///   `cel-core` the least specific type to choose.
pub(super) fn widen_to_dyn(
    expr: &mut SpannedExpr,
    checked: &cel_core::CheckResult,
    functions: &HashMap<String, cel_core::types::FunctionDecl>,
    wrapped: &mut std::collections::HashSet<i64>,
    next_id: &mut i64,
) -> bool {
    let ty = |e: &SpannedExpr| checked.type_map.get(&e.id).cloned();
    let mut changed = false;
    match &mut expr.node {
        Expr::List(elements) => {
            let types: Vec<_> = elements.iter().map(|e| ty(&e.expr)).collect();
            if let Some(join) = least_specific(&types) {
                for element in elements.iter_mut() {
                    if ty(&element.expr).as_ref() != Some(&join) {
                        changed |= wrap(&mut element.expr, wrapped, next_id);
                    }
                }
            }
        }
        Expr::Map(entries) => {
            let keys: Vec<_> = entries.iter().map(|e| ty(&e.key)).collect();
            let values: Vec<_> = entries.iter().map(|e| ty(&e.value)).collect();
            let (key_join, value_join) = (least_specific(&keys), least_specific(&values));
            for entry in entries.iter_mut() {
                if key_join.is_some() && ty(&entry.key) != key_join {
                    changed |= wrap(&mut entry.key, wrapped, next_id);
                }
                if value_join.is_some() && ty(&entry.value) != value_join {
                    changed |= wrap(&mut entry.value, wrapped, next_id);
                }
            }
        }
        _ => {}
    }
    let ambiguous = checked
        .reference_map
        .get(&expr.id)
        .is_some_and(|reference| {
            let results: Vec<&CelType> = functions
                .get(&reference.name)
                .map(|decl| {
                    decl.overloads
                        .iter()
                        .filter(|o| reference.overload_ids.contains(&o.id))
                        .map(|o| &o.result)
                        .collect()
                })
                .unwrap_or_default();
            results.windows(2).any(|pair| pair.first() != pair.last())
        });
    for child in children_mut(expr) {
        changed |= widen_to_dyn(child, checked, functions, wrapped, next_id);
    }
    if ambiguous {
        changed |= wrap(expr, wrapped, next_id);
    }
    changed
}

/// The type cel-go joins these literal element types to, when it is one of
/// them, no more specific than any other, and they are not all equal (when
/// they are, or are unrelated, `cel-core` joins them as cel-go does).
fn least_specific(types: &[Option<CelType>]) -> Option<CelType> {
    let types: Vec<&CelType> = types.iter().map(Option::as_ref).collect::<Option<_>>()?;
    let first = types.first()?;
    if types.iter().all(|t| t == first) {
        return None;
    }
    types
        .iter()
        .find(|candidate| types.iter().all(|t| no_more_specific(candidate, t)))
        .map(|t| (*t).clone())
}

/// cel-go's `isEqualOrLessSpecific` for the types a literal can have: `dyn`
/// is less specific than anything, lists and maps compare by their
/// parameters.
fn no_more_specific(a: &CelType, b: &CelType) -> bool {
    match (a, b) {
        (CelType::Dyn, _) => true,
        (CelType::List(x), CelType::List(y)) => no_more_specific(x, y),
        (CelType::Map(k1, v1), CelType::Map(k2, v2)) => {
            no_more_specific(k1, k2) && no_more_specific(v1, v2)
        }
        _ => a == b,
    }
}

/// Replaces `expr` with `dyn(expr)` unless it was wrapped before. A node
/// that the type map records as `dyn` may still need it: `cel-core` records
/// an ambiguous index on `dyn` (`dyn([1])[0]`) as `dyn` but hands its parent
/// the unbound type parameter of the map overload, which matches nothing.
fn wrap(
    expr: &mut SpannedExpr,
    wrapped: &mut std::collections::HashSet<i64>,
    next_id: &mut i64,
) -> bool {
    if !wrapped.insert(expr.id) {
        return false;
    }
    let span = expr.span.clone();
    let mut fresh = |node: Expr| {
        *next_id += 1;
        SpannedExpr::new(*next_id, node, span.clone())
    };
    let callee = fresh(Expr::Ident("dyn".into()));
    let placeholder = fresh(Expr::Null);
    let inner = std::mem::replace(expr, placeholder);
    *expr = fresh(Expr::Call {
        expr: Box::new(callee),
        args: vec![inner],
    });
    true
}
