//! Syntax that cel-core accepts but a default cel-go parser rejects.

use super::*;

/// Rejects syntax that `cel-core` accepts but a default cel-go parser does not
/// (optional syntax, calls on arbitrary expressions), bounds the tree depth,
/// and records the first check-level problem (message literals) in `deferred`.
pub(super) fn validate_syntax(
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
    if matches!(expr.node, Expr::Member { .. }) {
        if let Some(node) = well_known_type(expr, src) {
            expr.node = node;
        }
    }
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
            let name = src
                .get(type_name.span.start..type_name.span.end)
                .unwrap_or("")
                .trim()
                .trim_start_matches('.');
            if let Some(node) = wrapper_literal(name, fields, expr.span.clone()) {
                expr.node = node;
                return validate_syntax(expr, depth, src, deferred);
            }
            let Expr::Struct { type_name, fields } = &mut expr.node else {
                return Ok(());
            };
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

/// A protobuf wrapper literal such as `google.protobuf.Int64Value{value: 5}`,
/// which cel-go's default type registry declares and unwraps to its value:
/// rewritten to `true ? <value> : <default>`, so that the checker requires
/// the value to have the wrapped type, or to the default when it is empty.
fn wrapper_literal(
    name: &str,
    fields: &mut [cel_core::types::StructField],
    span: cel_core::types::Span,
) -> Option<Expr> {
    let short = name.strip_prefix("google.protobuf.")?;
    let node = |n: Expr| SpannedExpr::new(fresh_id(), n, span.clone());
    let call = |f: &str, args: Vec<SpannedExpr>| {
        let callee = node(Expr::Ident(f.into()));
        node(Expr::Call {
            expr: Box::new(callee),
            args,
        })
    };
    let field_value = |fields: &mut [cel_core::types::StructField], want: &str| match fields {
        [field] if field.name == want && !field.optional => Some(std::mem::replace(
            &mut field.value,
            SpannedExpr::new(fresh_id(), Expr::Null, span.clone()),
        )),
        _ => None,
    };
    match (short, fields.len()) {
        ("Struct", 0) => return Some(Expr::Map(Vec::new())),
        ("ListValue", 0) => return Some(Expr::List(Vec::new())),
        // cel-go declares Any; unpacking an empty one fails at evaluation.
        ("Any", 0) => return Some(call(super::ops::EMPTY_ANY, Vec::new()).node),
        ("Duration", 1) => {
            // Duration{seconds: s} is duration(string(s) + 's').
            let seconds = field_value(fields, "seconds")?;
            let text = node(Expr::Binary {
                op: BinaryOp::Add,
                left: Box::new(call("string", vec![seconds])),
                right: Box::new(node(Expr::String("s".into()))),
            });
            return Some(call("duration", vec![text]).node);
        }
        ("Timestamp", 1) => {
            let seconds = field_value(fields, "seconds")?;
            return Some(call("timestamp", vec![seconds]).node);
        }
        ("Value", 1) => {
            let number = field_value(fields, "number_value")?;
            return Some(Expr::Ternary {
                cond: Box::new(node(Expr::Bool(true))),
                then_expr: Box::new(number),
                else_expr: Box::new(node(Expr::Float(0.0))),
            });
        }
        _ => {}
    }
    let default = match short {
        "Int64Value" | "Int32Value" => Expr::Int(0),
        "UInt64Value" | "UInt32Value" => Expr::UInt(0),
        "BoolValue" => Expr::Bool(false),
        "DoubleValue" | "FloatValue" => Expr::Float(0.0),
        "StringValue" => Expr::String(String::new()),
        "BytesValue" => Expr::Bytes(Vec::new()),
        _ => return None,
    };
    match fields {
        [] => Some(default),
        [field] if field.name == "value" && !field.optional => {
            let value = std::mem::replace(
                &mut field.value,
                SpannedExpr::new(fresh_id(), Expr::Null, span.clone()),
            );
            Some(Expr::Ternary {
                cond: Box::new(node(Expr::Bool(true))),
                then_expr: Box::new(value),
                else_expr: Box::new(node(default)),
            })
        }
        _ => None,
    }
}

/// Ids for nodes this module adds: negative, so they never collide with the
/// parser's.
fn fresh_id() -> i64 {
    static NEXT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(-1);
    NEXT.fetch_sub(1, std::sync::atomic::Ordering::Relaxed)
}

/// `google.protobuf.Duration`, `google.protobuf.Timestamp` and the wrapper
/// type names used as values: cel-go's registry declares them as types.
fn well_known_type(expr: &SpannedExpr, src: &str) -> Option<Expr> {
    let text = src.get(expr.span.start..expr.span.end)?.trim();
    let short = text
        .trim_start_matches('.')
        .strip_prefix("google.protobuf.")?;
    let node = |n: Expr| SpannedExpr::new(fresh_id(), n, expr.span.clone());
    let call = |f: &str, args: Vec<SpannedExpr>| {
        let callee = node(Expr::Ident(f.into()));
        node(Expr::Call {
            expr: Box::new(callee),
            args,
        })
    };
    let sample = match short {
        "Duration" => call("duration", vec![node(Expr::String("0s".into()))]),
        "Timestamp" => call("timestamp", vec![node(Expr::Int(0))]),
        "Int64Value" | "Int32Value" => node(Expr::Int(0)),
        "UInt64Value" | "UInt32Value" => node(Expr::UInt(0)),
        "DoubleValue" | "FloatValue" => node(Expr::Float(0.0)),
        "BoolValue" => node(Expr::Bool(false)),
        "StringValue" => node(Expr::String(String::new())),
        "BytesValue" => node(Expr::Bytes(Vec::new())),
        _ => return None,
    };
    Some(call("type", vec![sample]).node)
}
