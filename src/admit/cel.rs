//! CRD validation rules (`x-kubernetes-validations`), evaluated by the
//! `cel-core` engine with `self` bound to the value the rule sits on, as
//! the API server's CEL validator does. Objects are CEL maps (so `has()`
//! tests a key), integers `int`, numbers `double`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub use cel_core::Value as Cel;
use cel_core::{CelType, Env, MapActivation, Program};

use crate::load::node::{Node, Value};

use super::schema::Schema;

/// The outcome of one rule on one value.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Pass,
    Fail,
    /// The rule could not be compiled or evaluated (the API server reports
    /// these as errors of the rule too).
    Error(String),
}

thread_local! {
    /// Compiled rules, by source text: a CRD repeats the same rule in many
    /// places, and a run evaluates each on many objects.
    static PROGRAMS: RefCell<HashMap<String, Rc<Result<Program, String>>>> =
        RefCell::new(HashMap::new());
}

thread_local! {
    /// The environment: the standard library and the strings extension
    /// (`lowerAscii` and friends, which the Kubernetes CEL library adds).
    /// Built once per thread: building it costs more than a rule.
    static ENV: Env = Env::with_standard_library()
        .with_extension(cel_core::ext::string_extension())
        .with_variable("self", CelType::Dyn);
}

fn program(rule: &str) -> Rc<Result<Program, String>> {
    PROGRAMS.with(|cache| {
        if let Some(p) = cache.borrow().get(rule) {
            return Rc::clone(p);
        }
        let compiled = ENV.with(|env| compile(env, rule));
        let compiled = Rc::new(compiled);
        cache
            .borrow_mut()
            .insert(rule.to_string(), Rc::clone(&compiled));
        compiled
    })
}

/// Parsed, not type-checked: `self` is `dyn`, so checking resolves nothing
/// that evaluation does not, and it cost more than parsing and evaluating
/// together. (Before, a rule that failed the check was evaluated unchecked
/// anyway; the conformance suites pin that verdicts did not change.)
fn compile(env: &Env, rule: &str) -> Result<Program, String> {
    env.parse_only(rule)
        .map_err(|e| format!("compilation failed: {e}"))
        .and_then(|ast| env.program(&ast).map_err(|e| format!("{e}")))
}

/// Evaluates `rule` with `self` = `value`.
#[cfg(test)]
pub fn evaluate(rule: &str, value: &Node, schema: &Schema) -> Outcome {
    evaluate_on(rule, &to_cel(value, Some(schema)))
}

/// Evaluates `rule` with `self` bound to a CEL value already built (see
/// [`value_of`]).
pub fn evaluate_on(rule: &str, value: &Cel) -> Outcome {
    let program = program(rule);
    let program = match program.as_ref() {
        Ok(p) => p,
        Err(e) => return Outcome::Error(e.clone()),
    };
    let mut activation = MapActivation::new();
    activation.insert("self", value.clone());
    // The engine is a library over user data: a panic in it must not end
    // the run; it becomes an evaluation error of this rule.
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| program.eval(&activation)));
    match result {
        Ok(Cel::Bool(true)) => Outcome::Pass,
        Ok(Cel::Bool(false)) => Outcome::Fail,
        // cel-go's words, which the API server quotes.
        Ok(Cel::Error(e)) => {
            Outcome::Error(e.to_string().replace("key not found: ", "no such key: "))
        }
        Ok(other) => Outcome::Error(format!("rule returned {other:?}, not a bool")),
        Err(_) => Outcome::Error("the CEL engine failed on this value".into()),
    }
}

/// Evaluates a `messageExpression`: its string, or `None` when it fails.
pub fn message(expression: &str, value: &Cel) -> Option<String> {
    let program = program(expression);
    let program = program.as_ref().as_ref().ok()?;
    let mut activation = MapActivation::new();
    activation.insert("self", value.clone());
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| program.eval(&activation)));
    match result {
        Ok(Cel::String(s)) if !s.trim().is_empty() => Some(s.to_string()),
        _ => None,
    }
}

/// The CEL value of a mapping or list whose members' values are built
/// already (values are shared, so a subtree is converted once however
/// many rules above it read it); of any other node, its own value.
pub fn value_of(node: &Node, schema: &Schema, members: Vec<Cel>) -> Cel {
    match &node.value {
        Value::Seq(_) => Cel::list(members),
        Value::Map(entries) => Cel::map(
            entries
                .iter()
                .zip(members)
                .map(|(e, v)| (e.key.as_str(), v)),
        ),
        _ => to_cel(node, Some(schema)),
    }
}

/// The CEL value of a node, typed by its schema where the JSON form is
/// ambiguous (an integer in a `number` field is a double).
pub fn to_cel(node: &Node, schema: Option<&Schema>) -> Cel {
    match &node.value {
        Value::Null => Cel::Null,
        Value::Bool(b) => Cel::Bool(*b),
        Value::Int(i) if schema.and_then(|s| s.ty.as_deref()) == Some("number") => {
            Cel::Double(*i as f64)
        }
        Value::Int(i) => Cel::Int(*i),
        Value::Float(f) => Cel::Double(*f),
        Value::Str(s) => Cel::String(s.as_str().into()),
        Value::Seq(items) => {
            let items_schema = schema.and_then(|s| s.items.as_deref());
            Cel::list(items.iter().map(|n| to_cel(n, items_schema)))
        }
        Value::Map(entries) => Cel::map(entries.iter().map(|e| {
            let field = schema.and_then(|s| s.property(&e.key));
            (e.key.as_str(), to_cel(&e.value, field))
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn s(text: &str) -> Node {
        Node::new(Value::Str(text.into()), Span::default())
    }

    fn map(entries: Vec<(&str, Node)>) -> Node {
        Node::new(
            Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| crate::load::node::Entry {
                        key: k.into(),
                        key_span: Span::default(),
                        value: v,
                    })
                    .collect(),
            ),
            Span::default(),
        )
    }

    #[test]
    fn the_functions_crd_rules_use_evaluate() {
        let schema = Schema::default();
        let obj = map(vec![("a", s("1s")), ("b", s("Authorization"))]);
        let cases = [
            ("has(self.a) && !has(self.c)", Outcome::Pass),
            ("duration(self.a) < duration('2s')", Outcome::Pass),
            ("self.b.lowerAscii() == 'authorization'", Outcome::Pass),
            ("self.b.matches('^A')", Outcome::Pass),
            ("size(self.b) == 13 && self.b.size() == 13", Outcome::Pass),
            (
                "[1, 2].all(x, x > 0) && [1].exists(x, x == 1)",
                Outcome::Pass,
            ),
            ("[1, 1].exists_one(x, x == 1)", Outcome::Fail),
        ];
        for (rule, want) in cases {
            assert_eq!(evaluate(rule, &obj, &schema), want, "{rule}");
        }
        assert!(matches!(
            evaluate("self.c == 1", &obj, &schema),
            Outcome::Error(_)
        ));
    }
}
