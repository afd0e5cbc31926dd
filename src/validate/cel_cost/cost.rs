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

/// How many levels of nesting below a value [`Bound`] tracks: the elements,
/// their elements, and so on; deeper parts are bounded by the deepest level.
const DEPTH: usize = 4;

/// Size bounds of the parts of a value, level by level: `[0]` bounds any
/// element, key or field value, `[1]` any element of those, and so on.
type Parts = [Lin; DEPTH];

/// The parts one level down: those of an element.
fn inner(parts: &Parts) -> Parts {
    let mut out = *parts;
    out.rotate_left(1);
    if let (Some(last), Some(deepest)) = (out.last_mut(), parts.last()) {
        *last = *deepest;
    }
    out
}

fn join_parts(a: &Parts, b: &Parts) -> Parts {
    let mut out = *a;
    for (o, b) in out.iter_mut().zip(b) {
        *o = o.join(*b);
    }
    out
}

/// The parts of a collection whose elements have size `size` and parts
/// `parts`.
fn around(size: Lin, parts: &Parts) -> Parts {
    let mut out = [size; DEPTH];
    for (o, p) in out.iter_mut().skip(1).zip(parts) {
        *o = *p;
    }
    out
}

/// Upper bounds for one sub-expression: `size` bounds the total size of its
/// value (one per value, plus list/map elements recursively, plus string and
/// bytes length), `parts` bounds the size of its elements, keys and field
/// values level by level, and `cost` bounds the work needed to evaluate it.
/// Tracking more than one level keeps `[x, x]` from counting as the size of
/// its own elements: without it, a chain of `.map(x, [x, x])[0]` doubles the
/// bound at every step while the value stays the same.
#[derive(Clone, Copy)]
pub(super) struct Bound {
    /// Upper bound on the number of elements of a list or map value
    /// (`u64::MAX` when unknown; the size bound also bounds it).
    pub(super) count: u64,
    pub(super) size: Lin,
    pub(super) parts: Parts,
    pub(super) cost: Lin,
}

impl Bound {
    const SATURATED: Bound = Bound {
        count: u64::MAX,
        size: Lin::SATURATED,
        parts: [Lin::SATURATED; DEPTH],
        cost: Lin::SATURATED,
    };

    /// A value of the given size whose parts are bounded by the whole.
    fn opaque(size: Lin, cost: Lin) -> Bound {
        Bound {
            count: u64::MAX,
            size,
            parts: [size; DEPTH],
            cost,
        }
    }

    fn var(&self) -> VarBound {
        VarBound {
            size: self.size,
            parts: self.parts,
        }
    }
}

/// Size bounds of a variable in scope: the value and its parts.
#[derive(Clone, Copy)]
pub(super) struct VarBound {
    pub(super) size: Lin,
    pub(super) parts: Parts,
}

impl VarBound {
    fn is_constant(&self) -> bool {
        self.size.is_constant() && self.parts.iter().all(|p| p.is_constant())
    }
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
                    parts: var.parts,
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
                parts: [one; DEPTH],
                cost: one,
            };
            for element in elements {
                let b = estimate(&element.expr, scope);
                bound.size = bound.size.plus(b.size);
                bound.parts = join_parts(&bound.parts, &around(b.size, &b.parts));
                bound.cost = bound.cost.plus(b.cost).plus_const(1);
            }
            bound
        }
        Expr::Map(entries) => {
            let mut bound = Bound {
                count: u64::try_from(entries.len()).unwrap_or(u64::MAX),
                size: one,
                parts: [one; DEPTH],
                cost: one,
            };
            for entry in entries {
                let k = estimate(&entry.key, scope);
                let v = estimate(&entry.value, scope);
                bound.size = bound.size.plus(k.size).plus(v.size);
                bound.parts = join_parts(&bound.parts, &around(k.size, &k.parts));
                bound.parts = join_parts(&bound.parts, &around(v.size, &v.parts));
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
                    parts: join_parts(&l.parts, &r.parts),
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
                parts: join_parts(&t.parts, &e.parts),
                cost: c.cost.plus(t.cost.join(e.cost)).plus_const(1),
            }
        }
        Expr::Member {
            expr: inner_expr, ..
        } => {
            let b = estimate(inner_expr, scope);
            Bound {
                count: u64::MAX,
                size: b.parts[0],
                parts: inner(&b.parts),
                cost: b.cost.plus(b.size).plus_const(1),
            }
        }
        Expr::MemberTestOnly {
            expr: inner_expr, ..
        } => {
            let b = estimate(inner_expr, scope);
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
                size: c.parts[0],
                parts: inner(&c.parts),
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
            // `dyn(x)` is `x` (the type checks add it, see strict.rs).
            if let ("dyn", None, [operand]) = (function, receiver, operands.as_slice()) {
                return Bound {
                    cost: operand.cost.plus_const(1),
                    ..*operand
                };
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
            scope.push((var_name.as_str(), i.var()));
            let b = estimate(body, scope);
            scope.pop();
            Bound {
                count: u64::MAX,
                size: b.size,
                parts: b.parts,
                cost: i.cost.plus(b.cost),
            }
        }
        Expr::Comprehension(comp) => {
            let range = estimate(&comp.iter_range, scope);
            let init = estimate(&comp.accu_init, scope);
            let outer_independent = range.var().is_constant()
                && init.var().is_constant()
                && range.cost.is_constant()
                && init.cost.is_constant();
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
            let mut scope_inside: Vec<(&'a str, VarBound)> = scope
                .iter()
                .map(|(name, var)| {
                    let var = if var.is_constant() {
                        *var
                    } else {
                        Bound::SATURATED.var()
                    };
                    (*name, var)
                })
                .collect();
            let element = VarBound {
                size: range.parts[0],
                parts: inner(&range.parts),
            };
            scope_inside.push((comp.iter_var.as_str(), element));
            if !comp.iter_var2.is_empty() {
                scope_inside.push((comp.iter_var2.as_str(), element));
            }
            let symbolic = Lin {
                base: 0,
                per_accu: 1,
            };
            scope_inside.push((
                comp.accu_var.as_str(),
                VarBound {
                    size: symbolic,
                    parts: [symbolic; DEPTH],
                },
            ));
            let step = estimate(&comp.loop_step, &mut scope_inside);
            let cond = estimate(&comp.loop_condition, &mut scope_inside);
            let result = estimate(&comp.result, &mut scope_inside);
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
            // its parts come from the initial value or from the appended
            // part, whose parts the step's constant terms bound (the
            // accumulator's own, symbolic, parts have none). Without this,
            // chained `.map()` calls would square the element bound each time.
            let returns_accu =
                matches!(&comp.result.node, Expr::Ident(name) if *name == comp.accu_var);
            let mut parts = [Lin::constant(0); DEPTH];
            for ((part, from_init), (from_step, from_result)) in parts
                .iter_mut()
                .zip(&init.parts)
                .zip(step.parts.iter().zip(&result.parts))
            {
                *part = Lin::constant(if returns_accu && step.size.per_accu <= 1 {
                    from_init.base.max(from_step.base)
                } else {
                    from_result.at(accu)
                });
            }
            Bound {
                count: if returns_accu {
                    // The standard macros append at most one element per step.
                    init.count.saturating_add(iterations)
                } else {
                    u64::MAX
                },
                size: Lin::constant(result.size.at(accu)),
                parts,
                cost: Lin::constant(cost),
            }
        }
    }
}
