//! A static bound on evaluation cost, so no accepted expression runs long.

use super::*;

/// A bound that is linear in the size `A` of the accumulator of the innermost
/// enclosing comprehension: `base + per_accu * A` (saturating).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Lin {
    pub(super) base: u64,
    pub(super) per_accu: u64,
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

    pub(super) fn at(self, accu: u64) -> u64 {
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
pub(super) struct Bound {
    /// Upper bound on the number of elements of a list or map value
    /// (`u64::MAX` when unknown; the size bound also bounds it).
    pub(super) count: u64,
    pub(super) size: Lin,
    pub(super) elem: Lin,
    pub(super) cost: Lin,
}

impl Bound {
    const SATURATED: Bound = Bound {
        count: u64::MAX,
        size: Lin::SATURATED,
        elem: Lin::SATURATED,
        cost: Lin::SATURATED,
    };

    /// A value of the given size whose parts are bounded by the whole.
    fn opaque(size: Lin, cost: Lin) -> Bound {
        Bound {
            count: u64::MAX,
            size,
            elem: size,
            cost,
        }
    }
}

/// Size bounds of a variable in scope: the value and any of its elements.
#[derive(Clone, Copy)]
pub(super) struct VarBound {
    pub(super) size: Lin,
    pub(super) elem: Lin,
}

/// Size bound of a value produced by a function call, beyond its arguments
/// (e.g. `string(1.5)`, `type(x)`, timestamps).
pub(super) const CALL_RESULT_SLACK: u64 = 64;

/// Computes a sound upper bound on the evaluation cost of `expr`.
///
/// Without comprehensions every node is evaluated at most once and values only
/// grow through concatenation, so the bound is roughly the tree size times its
/// depth. A comprehension iterates at most `size(range)` times; the size of its
/// accumulator is tracked as a linear function of the previous size, which
/// bounds the final accumulator size whenever the step does not duplicate it
/// (true for every standard macro) and saturates otherwise. Every node is
/// visited once, so the estimate itself runs in linear time.
pub(super) fn estimate<'a>(expr: &'a SpannedExpr, scope: &mut Vec<(&'a str, VarBound)>) -> Bound {
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
                    count: u64::MAX,
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
                count: u64::try_from(elements.len()).unwrap_or(u64::MAX),
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
                count: u64::try_from(entries.len()).unwrap_or(u64::MAX),
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
                    count: l.count.saturating_add(r.count),
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
                count: t.count.max(e.count),
                size: t.size.join(e.size),
                elem: t.elem.join(e.elem),
                cost: c.cost.plus(t.cost.join(e.cost)).plus_const(1),
            }
        }
        Expr::Member { expr: inner, .. } => {
            let b = estimate(inner, scope);
            Bound {
                count: u64::MAX,
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
                count: u64::MAX,
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
                count: u64::MAX,
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
            // Each element has size at least one, so the size bounds the count.
            let iterations = range.size.base.min(range.count);
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
            // The standard macros return the accumulator, and their steps
            // only append to it (`accu + [f(x)]`, possibly under a condition):
            // its elements come from the initial value or from the appended
            // part, whose size the step's constant term bounds. Without this,
            // chained `.map()` calls would square the element bound each time.
            let returns_accu =
                matches!(&comp.result.node, Expr::Ident(name) if *name == comp.accu_var);
            let elem = if returns_accu && step.size.per_accu <= 1 {
                init.elem.base.max(step.size.base)
            } else {
                result.elem.at(accu)
            };
            Bound {
                count: if returns_accu {
                    // The standard macros append at most one element per step.
                    init.count.saturating_add(iterations)
                } else {
                    u64::MAX
                },
                size: Lin::constant(result.size.at(accu)),
                elem: Lin::constant(elem),
                cost: Lin::constant(cost),
            }
        }
    }
}
